import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db, ident, type SqlValue } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { aggregateSql, EXCLUSIONS_DDL, exclusionsSql, METRICS_DDL } from '../../metrics/aggregate.js';
import { computeMetrics } from '../../metrics/compute.js';
import { addPoissonLimits } from '../../metrics/oe-limits.js';
import { poissonExactLimits } from '../../metrics/poisson.js';
import type { MetricKind } from '../../metrics/types.js';
import { adm, cells, trt, type Cell } from './metric-rows.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

type Fact = [date: string, hospital: string, department: string, exclusion: string | null, num: number | null, den: number | null, denDistinct?: string];

/** Aggregate hand-made facts of a pretend metric `demo` and return its cells. */
async function aggregate(kind: MetricKind, facts: Fact[], opts: { level?: 'department' | 'hospital'; quantile?: { p: number; q: number } } = {}) {
  const denDistinct = facts.some((f) => f[6] !== undefined);
  await db.run(`CREATE TABLE fact_demo (period_date DATE, hospital_id VARCHAR, department_id VARCHAR, exclusion VARCHAR,
                num DOUBLE, den DOUBLE, den_distinct VARCHAR)`);
  for (const f of facts) {
    const p: Record<string, SqlValue> = { d: f[0], h: f[1], dep: f[2], x: f[3], n: f[4], e: f[5], dd: f[6] ?? null };
    await db.run('INSERT INTO fact_demo VALUES (CAST($d AS DATE), $h, $dep, $x, $n, $e, $dd)', p);
  }
  await db.run(METRICS_DDL);
  await db.run(EXCLUSIONS_DDL);
  const bind: Record<string, SqlValue> = { metric_id: 'demo', view: 'outcome', ...(opts.quantile ?? {}) };
  await db.run(aggregateSql({ factTable: 'fact_demo', kind, level: opts.level ?? 'department', denDistinct }), bind);
  if (kind === 'oe') await addPoissonLimits(db, 'demo');
  await db.run(exclusionsSql('fact_demo'), { metric_id: 'demo' });
  return cells(db, 'demo');
}

const nd = (c: Cell | undefined) => (c ? [c.numerator, c.denominator, c.value] : undefined);

describe('aggregation into grains', () => {
  const three: Fact[] = [
    ['2024-01-05', 'H1', 'A', null, 1, null],
    ['2024-01-06', 'H1', 'B', null, 0, null],
    ['2024-02-01', 'H2', 'A', null, 1, null],
    ['2024-01-07', 'H1', 'A', 'died', 1, null],
  ];

  it('count: every grain from the records; excluded records counted by reason', async () => {
    const c = await aggregate('count', three);
    expect(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, nd(v)]))).toEqual({
      '2024-01|ALL|ALL': [2, null, 2],
      '2024-01|H1|A': [1, null, 1],
      '2024-01|H1|ALL': [2, null, 2],
      '2024-01|H1|B': [1, null, 1],
      '2024-02|ALL|ALL': [1, null, 1],
      '2024-02|H2|A': [1, null, 1],
      '2024-02|H2|ALL': [1, null, 1],
      '2024|ALL|ALL': [3, null, 3],
      '2024|H1|A': [1, null, 1],
      '2024|H1|ALL': [2, null, 2],
      '2024|H1|B': [1, null, 1],
      '2024|H2|A': [1, null, 1],
      '2024|H2|ALL': [1, null, 1],
    });
    const ex = await db.all('SELECT period, hospital_id, reason, count FROM exclusions ORDER BY ALL');
    expect(ex).toEqual([
      { period: '2024', hospital_id: 'ALL', reason: 'died', count: 1 },
      { period: '2024', hospital_id: 'H1', reason: 'died', count: 1 },
      { period: '2024-01', hospital_id: 'ALL', reason: 'died', count: 1 },
      { period: '2024-01', hospital_id: 'H1', reason: 'died', count: 1 },
    ]);
  });

  it('hospital level: no department rows', async () => {
    const c = await aggregate('count', three, { level: 'hospital' });
    expect(Object.keys(c).sort()).toEqual(['2024-01|ALL|ALL', '2024-01|H1|ALL', '2024-02|ALL|ALL', '2024-02|H2|ALL', '2024|ALL|ALL', '2024|H1|ALL', '2024|H2|ALL']);
  });

  it('rate and mean: numerator, denominator and their quotient', async () => {
    const c = await aggregate('rate', three);
    expect(nd(c['2024-01|H1|ALL'])).toEqual([1, 2, 0.5]);
    expect(nd(c['2024|ALL|ALL'])).toEqual([2, 3, 2 / 3]);
  });

  it('sum: a cell whose records all lack a value is absent', async () => {
    const c = await aggregate('sum', [
      ['2024-01-05', 'H1', 'A', null, 1.5, null],
      ['2024-01-06', 'H1', 'B', null, null, null],
      ['2024-01-07', 'H1', 'A', null, 2, null],
    ]);
    expect(nd(c['2024-01|H1|A'])).toEqual([3.5, null, 3.5]);
    expect(c['2024-01|H1|B']).toBeUndefined();
    expect(nd(c['2024-01|H1|ALL'])).toEqual([3.5, null, 3.5]);
  });

  it('sum and mean: a year is the exact sum of its records, not of its months added as doubles', async () => {
    // 0.1 + 0.2 as doubles is 0.30000000000000004; the cells are summed as decimals, and so are their sums.
    const facts: Fact[] = [
      ['2024-01-05', 'H1', 'A', null, 0.1, null],
      ['2024-02-06', 'H1', 'B', null, 0.2, null],
    ];
    expect(nd((await aggregate('sum', facts))['2024|ALL|ALL'])).toEqual([0.3, null, 0.3]);
    await db.run('DROP TABLE fact_demo; DROP TABLE metrics; DROP TABLE exclusions');
    expect(nd((await aggregate('mean', facts))['2024|H1|ALL'])).toEqual([0.3, 2, 0.15]);
  });

  it('quantile: nearest rank from the records of each cell', async () => {
    const facts: Fact[] = [1, 1, 10, 2, 9, 9].map((v, i) => [i < 3 ? '2024-01-10' : '2024-02-10', 'H1', 'A', null, v, null]);
    const c = await aggregate('quantile', facts, { quantile: { p: 1, q: 2 } });
    expect(nd(c['2024-01|H1|A'])).toEqual([null, 3, 1]);
    expect(nd(c['2024-02|H1|A'])).toEqual([null, 3, 9]);
    expect(nd(c['2024|H1|A'])).toEqual([null, 6, 2]);
  });

  it('ratio: sum of den, a zero denominator cell absent', async () => {
    const c = await aggregate('ratio', [
      ['2024-01-05', 'H1', 'A', null, 3, 2],
      ['2024-01-06', 'H1', 'B', null, 1, 0],
    ]);
    expect(nd(c['2024-01|H1|A'])).toEqual([3, 2, 1.5]);
    expect(c['2024-01|H1|B']).toBeUndefined();
    expect(nd(c['2024-01|H1|ALL'])).toEqual([4, 2, 2]);
  });

  it('share: sums of a weight over the numerator set and over all records; a zero denominator cell absent', async () => {
    const c = await aggregate('share', [
      ['2024-01-05', 'H1', 'A', null, 2, 2],
      ['2024-01-06', 'H1', 'A', null, 0, 1.5],
      ['2024-01-07', 'H1', 'B', null, 0, 0],
      ['2024-01-08', 'H1', 'A', 'died', 4, 4],
    ]);
    expect(nd(c['2024-01|H1|A'])).toEqual([2, 3.5, 2 / 3.5]);
    expect(c['2024-01|H1|B']).toBeUndefined();
    expect(nd(c['2024|ALL|ALL'])).toEqual([2, 3.5, 2 / 3.5]);
  });

  it('ratio with den_distinct: distinct values per cell, also across hospitals', async () => {
    const c = await aggregate(
      'ratio',
      [
        ['2024-01-05', 'H1', 'ALL', null, 1, null, 'P1'],
        ['2024-01-06', 'H1', 'ALL', null, 1, null, 'P1'],
        ['2024-01-06', 'H1', 'ALL', null, 1, null, 'P2'],
        ['2024-01-07', 'H2', 'ALL', null, 1, null, 'P1'],
      ],
      { level: 'hospital' },
    );
    expect(nd(c['2024-01|H1|ALL'])).toEqual([3, 2, 1.5]);
    expect(nd(c['2024-01|H2|ALL'])).toEqual([1, 1, 1]);
    expect(nd(c['2024-01|ALL|ALL'])).toEqual([4, 2, 2]);
  });

  it('oe: O/E with exact Poisson limits divided by E; E = 0 absent', async () => {
    const c = await aggregate('oe', [
      ['2024-01-05', 'H1', 'A', null, 1, 0.5],
      ['2024-01-06', 'H1', 'A', null, 1, 1.1],
      ['2024-01-06', 'H1', 'B', null, 0, 0.4],
      ['2024-01-06', 'H1', 'C', null, 0, 0],
    ]);
    const a = c['2024-01|H1|A']!;
    expect([a.numerator, a.denominator]).toEqual([2, 1.6]);
    expect(a.value).toBeCloseTo(1.25, 12);
    expect(a.lower).toBeCloseTo(poissonExactLimits(2).lower / 1.6, 12);
    expect(a.upper).toBeCloseTo(poissonExactLimits(2).upper / 1.6, 12);
    expect(c['2024-01|H1|B']).toMatchObject({ numerator: 0, value: 0, lower: 0 });
    expect(c['2024-01|H1|B']!.upper).toBeCloseTo(poissonExactLimits(0).upper / 0.4, 12);
    expect(c['2024-01|H1|C']).toBeUndefined();
  });
});

/** A fixture that gives most metrics something to count (and to exclude). */
const everything = {
  patients: [{ patient_id: 'p_dead', birth_year: 1940, sex: 'F', death_date: '2024-02-20' }],
  admissions: [
    adm('a1', 'p_dead', '2024-01-10 08:00', '2024-01-15 08:00', { drg_weight: 1.1 }),
    adm('a2', 'p_dead', '2024-02-10 08:00', '2024-02-19 08:00', { admission_type: 'acute', discharge_disposition: 'home' }),
    adm('a3', 'p_alive', '2024-01-01 08:00', '2024-01-02 08:00', { discharge_disposition: 'against_advice' }),
    adm('a4', 'p_alive', '2024-01-20 08:00', '2024-01-22 08:00', { discharge_disposition: 'transfer' }),
    adm('a5', 'p_alive', '2024-03-20 08:00', '2024-03-22 08:00'),
    adm('a6', 'p_alive', '2024-06-01 08:00', null),
    adm('a7', 'p_late', '2024-07-02 08:00', '2024-07-03 08:00'),
  ],
  treatments: [
    trt('t1', 'p_alive', '2024-01-05 09:00'),
    trt('t2', 'p_alive', '2024-01-05 11:00', { department_id: 'EYE' }),
    trt('t3', 'p_alive', '2024-01-12 09:00'),
    trt('e1', 'p_alive', '2024-03-01 09:00', { setting: 'emergency', department_id: 'ED' }),
    trt('e2', 'p_alive', '2024-03-02 08:00', { setting: 'emergency', department_id: 'ED' }),
    trt('t4', 'p_late', '2024-07-05 09:00'),
  ],
};

describe('computeMetrics', () => {
  it('computes every metric; each fact table only uses the exclusion reasons its header declares', async () => {
    await prepare(db, everything, { cutoff: '2024-06-30T00:00' });
    const r = await computeMetrics(db);
    expect(r.absent).toEqual([]);
    expect(r.rows).toBe(Number(await db.scalar('SELECT count(*) FROM metrics')));
    for (const e of r.catalog) {
      const reasons = await db.all<{ r: string }>(`SELECT DISTINCT exclusion AS r FROM ${ident('fact_' + e.id)} WHERE exclusion IS NOT NULL`);
      for (const { r: reason } of reasons) expect(e.exclusions, `${e.id} reports ${reason}`).toContain(reason);
    }
    // the contacts after the cutoff are counted once each, under admissions and treatments
    const late = await db.all('SELECT metric_id, count FROM exclusions WHERE reason = $r AND period = $p AND hospital_id = $h ORDER BY ALL', {
      r: 'after_cutoff', p: '2024', h: 'ALL',
    });
    expect(late).toEqual([
      { metric_id: 'admissions', count: 1 },
      { metric_id: 'treatments', count: 1 },
    ]);
  });

  it('writes metrics sorted by key, with the view of each metric', async () => {
    await prepare(db, everything, { cutoff: '2024-06-30T00:00' });
    await computeMetrics(db, { only: ['stays', 'admissions', 'los_mean'] });
    const rows = await db.all<{ metric_id: string; view: string; period: string; hospital_id: string; department_id: string }>(
      'SELECT metric_id, view, period, hospital_id, department_id FROM metrics',
    );
    const key = (x: (typeof rows)[number]) => [x.metric_id, x.view, x.period, x.hospital_id, x.department_id].join('\u0000');
    const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    expect(rows).toEqual(sorted);
    expect(new Set(rows.map((x) => `${x.metric_id}:${x.view}`))).toEqual(new Set(['admissions:activity', 'los_mean:outcome', 'stays:activity']));
  });

  it('a partial run replaces the rows of its metrics and keeps the others', async () => {
    await prepare(db, everything, { cutoff: '2024-06-30T00:00' });
    await computeMetrics(db, { only: ['stays', 'admissions'] });
    const before = await db.all('SELECT * FROM metrics ORDER BY ALL');
    const r = await computeMetrics(db, { only: ['stays'] });
    expect(r.catalog.map((e) => e.id)).toEqual(['stays']);
    expect(await db.all('SELECT * FROM metrics ORDER BY ALL')).toEqual(before);
  });

  it('rejects an unknown metric id', async () => {
    await prepare(db, everything);
    await expect(computeMetrics(db, { only: ['no_such_metric'] })).rejects.toThrow('unknown metric id: no_such_metric');
  });

  it('a failing query names the metric file', async () => {
    await prepare(db, everything);
    await db.run('DROP TABLE stays');
    await expect(computeMetrics(db, { only: ['los_mean'] })).rejects.toThrow(/metrics\/outcome\/los_mean\.sql/);
  });
});
