/**
 * Kept cells (metrics/aggregate.ts `keepsCells`, docs/architecture.md#nightly-recompute): a metric whose
 * grains add up keeps its finest cells, and a night takes the store's difference into them. The grains
 * and exclusions made of the cells equal those made of the facts: on a full run, and after a night
 * that empties a cell, makes a sum NULL, moves a fact to another year and adds a new one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { AFFECTED } from '../../pipeline/ingest/affected.js';
import {
  aggregateSql,
  type AggregateSpec,
  EXCLUSIONS_DDL,
  exclusionsOfKeptCellsSql,
  exclusionsSql,
  grainsOfKeptCellsSql,
  keepsCells,
  keptCellsSql,
  keptExclusionCellsSql,
  METRICS_DDL,
  updateKeptCellsSql,
  updateKeptExclusionCellsSql,
} from '../../metrics/aggregate.js';
import { DELTA, inYears, replacePatients } from '../../metrics/incremental.js';
import type { MetricKind } from '../../metrics/types.js';

const STORE = 'pfacts_m';
const CELLS = 'pfacts__cells_m';
const EXCLUDED = 'pfacts__exclusions_m';
const COLS = ['period_date', 'hospital_id', 'department_id', 'exclusion', 'num', 'den', 'records', 'patient_id'];

// p1: the only fact of its cell (2024-03, H1, D2), a fact with num NULL, the only num of a cell (2024-05,
// H2), and an excluded fact; p2: two facts of one cell; p3: untouched by the night, in 2022 too (a year the
// night leaves alone) and an excluded fact in the cell of p1's.
const BEFORE = `
  (DATE '2024-03-05', 'H1', 'D2', NULL, 4.5, 2.0, 3, 'p1'),
  (DATE '2024-05-02', 'H2', 'D1', NULL, 6.0, 1.0, 1, 'p1'),
  (DATE '2022-06-01', 'H2', 'D1', NULL, 7.0, 2.0, 1, 'p3'),
  (DATE '2024-04-02', 'H1', 'D1', 'before_scope', NULL, NULL, 5, 'p3'),
  (DATE '2024-03-09', 'H1', 'D1', NULL, NULL, 1.0, 1, 'p1'),
  (DATE '2024-04-01', 'H1', 'D1', 'before_scope', NULL, NULL, 2, 'p1'),
  (DATE '2024-03-10', 'H1', 'D1', NULL, 1.25, 1.0, 2, 'p2'),
  (DATE '2024-03-11', 'H1', 'D1', NULL, 0.5, 3.0, 1, 'p2'),
  (DATE '2023-12-30', 'H2', 'D1', NULL, 2.0, 2.0, 5, 'p3'),
  (DATE '2024-03-12', 'H1', 'D1', NULL, 1.0, 1.0, 1, 'p3')`;

// The night: p1's 2024-03 D2 fact goes (its cell is emptied), its NULL-num fact now has a num, the num of
// its 2024-05 fact goes (that cell's sum is NULL again, not 0), its excluded fact moves to 2023 and another
// reason; p2's second fact goes and one in 2025 comes.
const FRESH = `
  (DATE '2024-03-09', 'H1', 'D1', NULL, 3.0, 1.0, 1, 'p1'),
  (DATE '2024-05-02', 'H2', 'D1', NULL, NULL, 1.0, 1, 'p1'),
  (DATE '2023-11-01', 'H1', 'D1', 'no_follow_up', NULL, NULL, 4, 'p1'),
  (DATE '2024-03-10', 'H1', 'D1', NULL, 1.25, 1.0, 2, 'p2'),
  (DATE '2025-01-01', 'H2', 'D1', NULL, 0.75, 1.0, 1, 'p2')`;

const KINDS: { kind: MetricKind; records?: boolean }[] = [{ kind: 'count' }, { kind: 'count', records: true }, { kind: 'sum' }, { kind: 'rate' }, { kind: 'mean' }, { kind: 'ratio' }];

describe('kept cells give the grains the facts give', () => {
  let db: Db;
  beforeEach(async () => {
    db = await Db.open(':memory:');
    await db.run(METRICS_DDL);
    await db.run(EXCLUSIONS_DDL);
    await db.run(
      `CREATE TABLE ${STORE} (period_date DATE, hospital_id VARCHAR, department_id VARCHAR, exclusion VARCHAR, num DOUBLE, den DOUBLE, records BIGINT, patient_id VARCHAR)`,
    );
    await db.run(`INSERT INTO ${STORE} VALUES ${BEFORE}`);
    await db.run(`CREATE TEMP TABLE ${AFFECTED} AS SELECT * FROM (VALUES ('p1'), ('p2')) t(patient_id)`);
  });
  afterEach(() => db.close());

  const bind = { metric_id: 'm', view: 'outcome' };
  const table = async (name: string) => (await db.all<Record<string, unknown>>(`SELECT * FROM ${name} ORDER BY ALL`)).map((r) => JSON.stringify(r));

  /** The grains and exclusions made of the store's facts, as a run without kept cells makes them. */
  async function fromFacts(spec: AggregateSpec): Promise<string[][]> {
    await db.run('DELETE FROM metrics');
    await db.run('DELETE FROM exclusions');
    await db.run(aggregateSql(spec), bind);
    await db.run(exclusionsSql(STORE, spec.records), { metric_id: 'm' });
    return [await table('metrics'), await table('exclusions')];
  }

  it('is kept for the kinds that add up, not for quantiles, distinct counts, shares or O/E', () => {
    expect(KINDS.every((k) => keepsCells({ kind: k.kind, denDistinct: false }))).toBe(true);
    expect(keepsCells({ kind: 'ratio', denDistinct: true })).toBe(false);
    for (const kind of ['quantile', 'share', 'oe'] as const) expect(keepsCells({ kind, denDistinct: false })).toBe(false);
  });

  for (const k of KINDS) {
    it(`${k.kind}${k.records ? ' (records)' : ''}: a full run and a night end where the facts do`, async () => {
      const spec: AggregateSpec = { factTable: STORE, kind: k.kind, level: 'department', denDistinct: false, records: k.records ?? false };
      // A full run: cells of the store, grains and exclusions of the cells.
      await db.run(keptCellsSql(spec, CELLS));
      await db.run(keptExclusionCellsSql(STORE, EXCLUDED, spec.records));
      await db.run(grainsOfKeptCellsSql(spec, CELLS), bind);
      await db.run(exclusionsOfKeptCellsSql(EXCLUDED, spec.records), { metric_id: 'm' });
      const full = [await table('metrics'), await table('exclusions')];
      expect(full).toEqual(await fromFacts(spec));

      // The night: the store's difference into the cells of the years it touches.
      await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES ${FRESH}) t(${COLS.join(', ')})`);
      const years = await replacePatients(db, 'm', 'fresh', COLS, true);
      expect(years).toEqual([2023, 2024, 2025]);
      const where = inYears(years, 'year');
      await db.run(updateKeptCellsSql(spec, CELLS, DELTA, where));
      await db.run(updateKeptExclusionCellsSql(EXCLUDED, DELTA, spec.records ?? false, where));
      await db.run(`DROP TABLE temp.${DELTA}`);
      // The whole outputs are made again here (a night deletes and makes only those years: compute.ts).
      await db.run('DELETE FROM metrics');
      await db.run('DELETE FROM exclusions');
      await db.run(grainsOfKeptCellsSql(spec, CELLS), bind);
      await db.run(exclusionsOfKeptCellsSql(EXCLUDED, spec.records), { metric_id: 'm' });
      const night = [await table('metrics'), await table('exclusions')];
      expect(night).toEqual(await fromFacts(spec));
      // The emptied cell is gone, not kept with a count of nothing.
      expect(await db.scalar(`SELECT count(*) FROM ${CELLS} WHERE department_id = 'D2'`)).toBe(0);
      expect(await db.scalar(`SELECT min(n) FROM ${CELLS}`)).toBe(1);
    });
  }

  it('hand-computed: the 2024-03 H1 D1 ratio after the night is (3 + 1.25 + 1) / (1 + 1 + 1)', async () => {
    const spec: AggregateSpec = { factTable: STORE, kind: 'ratio', level: 'department', denDistinct: false };
    await db.run(keptCellsSql(spec, CELLS));
    await db.run(keptExclusionCellsSql(STORE, EXCLUDED));
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES ${FRESH}) t(${COLS.join(', ')})`);
    const where = inYears(await replacePatients(db, 'm', 'fresh', COLS, true), 'year');
    await db.run(updateKeptCellsSql(spec, CELLS, DELTA, where));
    await db.run(updateKeptExclusionCellsSql(EXCLUDED, DELTA, false, where));
    await db.run(grainsOfKeptCellsSql(spec, CELLS), bind);
    await db.run(exclusionsOfKeptCellsSql(EXCLUDED), { metric_id: 'm' });
    const cell = await db.one<{ numerator: number; denominator: number; value: number }>(
      `SELECT numerator, denominator, value FROM metrics WHERE period = '2024-03' AND hospital_id = 'H1' AND department_id = 'D1'`,
    );
    expect(cell).toEqual({ numerator: 5.25, denominator: 3, value: 1.75 });
    // p1's excluded fact moved from 2024-04 (before_scope, beside p3's) to 2023-11 (no_follow_up).
    expect(await db.all(`SELECT period, hospital_id, reason, count FROM exclusions ORDER BY ALL`)).toEqual([
      { period: '2023', hospital_id: 'ALL', reason: 'no_follow_up', count: 1 },
      { period: '2023', hospital_id: 'H1', reason: 'no_follow_up', count: 1 },
      { period: '2023-11', hospital_id: 'ALL', reason: 'no_follow_up', count: 1 },
      { period: '2023-11', hospital_id: 'H1', reason: 'no_follow_up', count: 1 },
      { period: '2024', hospital_id: 'ALL', reason: 'before_scope', count: 1 },
      { period: '2024', hospital_id: 'H1', reason: 'before_scope', count: 1 },
      { period: '2024-04', hospital_id: 'ALL', reason: 'before_scope', count: 1 },
      { period: '2024-04', hospital_id: 'H1', reason: 'before_scope', count: 1 },
    ]);
  });

  it('a night that takes a fact from a cell the kept cells lack fails (and changes no cell)', async () => {
    const spec: AggregateSpec = { factTable: STORE, kind: 'count', level: 'department', denDistinct: false };
    await db.run(keptCellsSql(spec, CELLS));
    await db.run(`DELETE FROM ${CELLS} WHERE department_id = 'D2'`);
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES ${FRESH}) t(${COLS.join(', ')})`);
    const where = inYears(await replacePatients(db, 'm', 'fresh', COLS, true), 'year');
    const before = await table(CELLS);
    await expect(db.run(updateKeptCellsSql(spec, CELLS, DELTA, where))).rejects.toThrow(/the kept cells do not match the store/);
    expect(await table(CELLS)).toEqual(before);
  });
});
