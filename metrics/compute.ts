/**
 * Run every metric: the shared blocks its SQL reads, its facts (`fact_<id>`, one row per
 * record, kept for audit), then its grains (`metrics`) and exclusion counts (`exclusions`).
 */
import { Db, ident } from '../pipeline/core/db.js';
import { aggregateSql, EXCLUSIONS_DDL, exclusionsSql, METRICS_DDL } from './aggregate.js';
import { addPoissonLimits } from './oe-limits.js';
import { PEOPLE_DDL, PEOPLE_TABLE, peopleSql } from './people.js';
import { loadRegistry, type MetricDef } from './registry.js';
import { blocksNeeded, buildSharedBlocks, dropSharedBlocks, loadSharedBlocks, type NeededBlock } from './shared.js';
import type { CatalogEntry } from './types.js';

export interface ComputeOptions {
  /** Compute only these metric ids (rows of other metrics are kept). */
  only?: string[];
  log?: (msg: string) => void;
  /**
   * Keep every `fact_<id>` table in the database for audit (the default). When false the
   * facts are temporary and dropped after aggregation: a smaller database file and a
   * faster run, for teams that audit with a separate run.
   */
  keepFacts?: boolean;
}

export interface ComputeResult {
  /** Catalog entries of the metrics that were computed. */
  catalog: CatalogEntry[];
  /** Metrics skipped because the input lacks what they need, with the reason. */
  absent: { id: string; reason: string }[];
  /** Rows written to `metrics` by this call. */
  rows: number;
}

const FACT_COLUMNS = ['period_date', 'hospital_id', 'department_id', 'exclusion', 'num', 'den'];
const NEEDS = {
  patients: 'needs the patients table, which the input lacks',
  drg: 'needs DRG weights (admissions.drg_weight), which the input lacks',
} as const;

/** Name of the audit table of a metric. */
export function factTable(id: string): string {
  return `fact_${id}`;
}

/**
 * Compute the facts, grains and exclusions of every metric (or of `opts.only`).
 * Needs the state after `writeParams` and `buildStays`. The shared blocks
 * (`metrics/shared/*.sql`) that the metrics to compute read are built before their first
 * reader and dropped after their last. Metrics whose `requires` the input cannot meet are
 * skipped, listed in `absent` and logged. Query errors name the metric (or shared block) file.
 */
export async function computeMetrics(db: Db, opts: ComputeOptions = {}): Promise<ComputeResult> {
  const log = opts.log ?? (() => undefined);
  let defs = loadRegistry();
  if (opts.only) {
    const known = new Set(defs.map((d) => d.id));
    const unknown = opts.only.filter((id) => !known.has(id));
    if (unknown.length) throw new Error(`unknown metric id: ${unknown.join(', ')}`);
    const wanted = new Set(opts.only);
    defs = defs.filter((d) => wanted.has(d.id));
  }
  const p = await db.one<{ has_patients: boolean; has_drg: boolean }>('SELECT has_patients, has_drg FROM params');
  if (!p) throw new Error('computeMetrics: the params table is empty (run writeParams first)');
  await prepareOutputTables(db, opts.only ? defs.map((d) => d.id) : undefined);
  const missingOf = (def: MetricDef) => def.header.requires.filter((r) => (r === 'patients' ? !p.has_patients : !p.has_drg));
  const present = defs.filter((d) => missingOf(d).length === 0);
  // Each shared block is built just before its first reader and dropped after its last, so
  // a materialised block holds memory only while the metrics that read it run.
  const pending = blocksNeeded(loadSharedBlocks(), present);
  let live: NeededBlock[] = [];
  const done = new Set<string>();

  const catalog: CatalogEntry[] = [];
  const absent: { id: string; reason: string }[] = [];
  let rows = 0;
  for (const def of defs) {
    const missing = missingOf(def);
    if (missing.length) {
      const reason = missing.map((m) => NEEDS[m]).join('; ');
      await db.run(`DROP TABLE IF EXISTS ${ident(factTable(def.id))}`);
      absent.push({ id: def.id, reason });
      log(`metric ${def.id} is absent: ${reason}`);
      continue;
    }
    const first = pending.filter((b) => b.readBy[0] === def.file);
    await buildSharedBlocks(db, first, log);
    live = [...live, ...first];
    const { rows: n, detail } = await computeOne(db, def, opts.keepFacts ?? true);
    rows += n;
    catalog.push(def.entry);
    log(`metric ${def.id}: ${n} rows (${detail})`);
    done.add(def.file);
    const finished = live.filter((b) => b.readBy.every((f) => done.has(f)));
    await dropSharedBlocks(db, finished);
    live = live.filter((b) => !finished.includes(b));
  }
  await db.run('CREATE OR REPLACE TABLE metrics AS SELECT * FROM metrics ORDER BY metric_id, view, period, hospital_id, department_id');
  await db.run('CREATE OR REPLACE TABLE exclusions AS SELECT * FROM exclusions ORDER BY metric_id, period, hospital_id, reason');
  await db.run(`CREATE OR REPLACE TABLE ${PEOPLE_TABLE} AS SELECT * FROM ${PEOPLE_TABLE} ORDER BY metric_id, period, hospital_id, department_id`);
  return { catalog, absent, rows };
}

/** Fresh output tables, or (for a partial run) the rows of the given metrics removed. */
async function prepareOutputTables(db: Db, ids: string[] | undefined): Promise<void> {
  if (!ids) {
    await db.run('DROP TABLE IF EXISTS metrics');
    await db.run('DROP TABLE IF EXISTS exclusions');
    await db.run(`DROP TABLE IF EXISTS ${PEOPLE_TABLE}`);
  }
  if (!(await db.hasTable('metrics'))) await db.run(METRICS_DDL);
  if (!(await db.hasTable('exclusions'))) await db.run(EXCLUSIONS_DDL);
  if (!(await db.hasTable(PEOPLE_TABLE))) await db.run(PEOPLE_DDL);
  for (const id of ids ?? []) {
    await db.run('DELETE FROM metrics WHERE metric_id = $id', { id });
    await db.run('DELETE FROM exclusions WHERE metric_id = $id', { id });
    await db.run(`DELETE FROM ${PEOPLE_TABLE} WHERE metric_id = $id`, { id });
  }
}

async function computeOne(db: Db, def: MetricDef, keepFacts: boolean): Promise<{ rows: number; detail: string }> {
  const table = factTable(def.id);
  const t0 = Date.now();
  if (!keepFacts) await db.run(`DROP TABLE IF EXISTS main.${ident(table)}`);
  await db.run(`CREATE OR REPLACE ${keepFacts ? '' : 'TEMP '}TABLE ${ident(table)} AS\n${def.sql}`, undefined, def.file);
  const facts = Number(await db.scalar(`SELECT count(*) FROM ${ident(table)}`));
  const t1 = Date.now();
  const { denDistinct, records } = await checkFacts(db, def, table);
  const before = Number(await db.scalar('SELECT count(*) FROM metrics'));
  const bind: Record<string, string | number> = { metric_id: def.id, view: def.header.view };
  if (def.header.quantile) Object.assign(bind, def.header.quantile);
  await db.run(aggregateSql({ factTable: table, kind: def.header.kind, level: def.header.level, denDistinct, records }), bind, def.file);
  if (def.header.kind === 'oe') await addPoissonLimits(db, def.id);
  if (def.header.kind === 'share') await db.run(peopleSql(table, def.header.level), { metric_id: def.id }, def.file);
  await db.run(exclusionsSql(table, records), { metric_id: def.id }, def.file);
  if (!keepFacts) await db.run(`DROP TABLE temp.${ident(table)}`);
  const rows = Number(await db.scalar('SELECT count(*) FROM metrics')) - before;
  return { rows, detail: `${facts} facts in ${t1 - t0} ms, grains in ${Date.now() - t1} ms` };
}

/**
 * The fact table has the columns the aggregation reads, and its counted records
 * have what their kind needs. Returns whether the denominator counts distinct
 * `den_distinct` values, and whether rows carry a `records` count (kind count only).
 */
async function checkFacts(db: Db, def: MetricDef, table: string): Promise<{ denDistinct: boolean; records: boolean }> {
  const cols = new Set(
    (await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${ident(table)})`)).map((r) => r.column_name),
  );
  const missing = FACT_COLUMNS.filter((c) => !cols.has(c));
  if (missing.length) throw new Error(`${def.file}: the SELECT lacks column(s) ${missing.join(', ')}`);
  const kind = def.header.kind;
  const denDistinct = kind === 'ratio' && cols.has('den_distinct');
  const needNum = kind !== 'count' && kind !== 'sum';
  const needDen = kind === 'oe' || kind === 'share' || (kind === 'ratio' && !denDistinct);
  if (kind === 'share' && !cols.has('patient_id')) throw new Error(`${def.file}: a share's facts need patient_id (suppression counts people)`);
  const records = cols.has('records');
  if (records && kind !== 'count') throw new Error(`${def.file}: a records column is only for kind count, not ${kind}`);
  const dept = def.header.level === 'department' ? ' OR department_id IS NULL' : '';
  const bad = await db.one<Record<string, number>>(
    `SELECT
       count(*) FILTER (WHERE period_date IS NULL OR hospital_id IS NULL${dept}) AS keys,
       count(*) FILTER (WHERE ${needNum ? 'num IS NULL' : 'false'}) AS num,
       count(*) FILTER (WHERE ${needDen ? 'den IS NULL' : 'false'}) AS den,
       count(*) FILTER (WHERE ${kind === 'rate' ? 'num NOT IN (0, 1)' : 'false'}) AS rate,
       count(*) FILTER (WHERE ${kind === 'share' ? 'den < 0 OR (num <> 0 AND num <> den)' : 'false'}) AS share,
       count(*) FILTER (WHERE ${records ? 'records IS NULL OR records < 1' : 'false'}) AS records
     FROM ${ident(table)} WHERE exclusion IS NULL`,
    undefined,
    def.file,
  );
  const problems: string[] = [];
  if (Number(bad?.keys)) problems.push(`${bad?.keys} counted record(s) without period_date, hospital_id or department_id`);
  if (Number(bad?.num)) problems.push(`${bad?.num} counted record(s) with num NULL`);
  if (Number(bad?.den)) problems.push(`${bad?.den} counted record(s) with den NULL`);
  if (Number(bad?.rate)) problems.push(`${bad?.rate} counted record(s) of a rate with num other than 0 or 1`);
  if (Number(bad?.share)) problems.push(`${bad?.share} counted record(s) of a share with a negative den or num other than 0 or den`);
  if (Number(bad?.records)) problems.push(`${bad?.records} fact row(s) with records NULL or below 1`);
  if (problems.length) throw new Error(`${def.file}: ${problems.join('; ')}`);
  return { denDistinct, records };
}
