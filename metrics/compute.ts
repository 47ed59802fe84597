/**
 * Run every metric: the shared blocks its SQL reads, its facts (`fact_<id>`, one row per
 * record, kept for audit), then its grains (`metrics`) and exclusion counts (`exclusions`).
 */
import { Db, ident } from '../pipeline/core/db.js';
import { withCleanup } from '../pipeline/core/errors.js';
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
} from './aggregate.js';
import {
  addPatientKeys,
  AFFECTED_KEYS,
  cellsTable,
  clearStoreState,
  DELTA,
  exclusionCellsTable,
  GROUP_KEYS,
  keyAffected,
  keyGroups,
  keyedSelect,
  makePatientKeys,
  copyRowsOfGroups,
  dropRowsOfGroups,
  GROUPS,
  dropStore,
  inYears,
  PERIOD_IN_DIRTY_YEARS,
  PATIENT_KEYS,
  patientScoped,
  replacePatients,
  reusableStore,
  saveStore,
  showAll,
  showOnlyAffected,
  storeMetrics,
  storeTable,
  tablesRead,
  type StoreBasis,
} from './incremental.js';
import { addPoissonLimits } from './oe-limits.js';
import { dropKeysView, showKeys } from './patient-keys.js';
import { AFFECTED, dropNear, findAffected, findNear } from '../pipeline/ingest/affected.js';
import { PEOPLE_DDL, PEOPLE_TABLE, peopleSql } from './people.js';
import { loadRegistry, type MetricDef } from './registry.js';
import { blocksNeeded, buildSharedBlocks, dropSharedBlocks, loadSharedBlocks, type NeededBlock, type SharedBlock } from './shared.js';
import type { CatalogEntry } from './types.js';
import type { TableName } from '../pipeline/ingest/schema.js';

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
  /**
   * Keep the facts of the `recompute: patients` metrics between runs, so that the next run
   * recomputes only the patients that changed (metrics/incremental.ts). `basis`: a fingerprint
   * of the code and configuration (all but the cutoff) the store must have been written with.
   * Not with `keepFacts` or `only` (those runs drop the store).
   */
  store?: { basis: string };
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
  const keepFacts = opts.keepFacts ?? true;
  const missingOf = (def: MetricDef) => def.header.requires.filter((r) => (r === 'patients' ? !p.has_patients : !p.has_drg));
  const present = defs.filter((d) => missingOf(d).length === 0);

  // The store of per-patient facts: reused when it is whole and was written like this run.
  const scoped = patientScoped(present);
  const want: StoreBasis | undefined = opts.store && !opts.only && !keepFacts ? { basis: opts.store.basis, metrics: storeMetrics(scoped) } : undefined;
  let reuse: { cutoff: string } | undefined;
  if (want) {
    reuse = await reusableStore(db, want, scoped);
    if (reuse) await clearStoreState(db);
    else await dropStore(db);
  } else {
    await dropStore(db);
  }
  const perPatient = new Set(reuse ? scoped.map((d) => d.id) : []);
  const inStore = new Set(want ? scoped.map((d) => d.id) : []);
  if (want && !reuse) await makePatientKeys(db);
  // What metric SQL reads as patient_keys: the store's numbers; without a store, a numbering of this run's
  // own, made by buildSharedBlocks when a block first reads it (none left from an earlier call is reused).
  if (want) await showKeys(db, PATIENT_KEYS);
  else await dropKeysView(db);
  await prepareOutputTables(db, opts.only || reuse ? defs.filter((d) => !perPatient.has(d.id)).map((d) => d.id) : undefined);
  let rows = 0;
  if (reuse) rows += await recomputePatients(db, scoped, reuse.cutoff, log);

  // Each shared block is built just before its first reader and dropped after its last, so
  // a materialised block holds memory only while the metrics that read it run.
  const pending = blocksNeeded(
    loadSharedBlocks(),
    present.filter((d) => !perPatient.has(d.id)),
  );
  let live: NeededBlock[] = [];
  const done = new Set<string>();

  const catalog: CatalogEntry[] = [];
  const absent: { id: string; reason: string }[] = [];
  for (const def of defs) {
    const missing = missingOf(def);
    if (missing.length) {
      const reason = missing.map((m) => NEEDS[m]).join('; ');
      await db.run(`DROP TABLE IF EXISTS ${ident(factTable(def.id))}`);
      absent.push({ id: def.id, reason });
      log(`metric ${def.id} is absent: ${reason}`);
      continue;
    }
    if (perPatient.has(def.id)) {
      catalog.push(def.entry);
      continue;
    }
    const first = pending.filter((b) => b.readBy[0] === def.file);
    await buildSharedBlocks(db, first, log);
    live = [...live, ...first];
    const { rows: n, detail } = await computeOne(db, def, keepFacts, inStore.has(def.id));
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
  if (want) await saveStore(db, want);
  await dropKeysView(db);
  return { catalog, absent, rows };
}

/** The columns of the SELECT of a metric (bound, not run). */
async function selectColumns(db: Db, def: MetricDef): Promise<Set<string>> {
  const view = ident(`pfacts_describe_${def.id}`);
  await db.run(`CREATE OR REPLACE TEMP VIEW ${view} AS\n${def.sql}`, undefined, def.file);
  const cols = (await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${view})`)).map((r) => r.column_name);
  await db.run(`DROP VIEW temp.${view}`);
  return new Set(cols);
}

/** The columns of a table. */
async function tableColumns(db: Db, table: string): Promise<Set<string>> {
  return new Set((await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${ident(table)})`)).map((r) => r.column_name));
}

/** What the store keeps of a metric's facts: what the grains read, and the patient's number (`PATIENT_KEYS`). */
function storeColumns(def: MetricDef, cols: Set<string>): string[] {
  if (!cols.has('patient_id')) throw new Error(`${def.file}: "recompute: patients" needs a patient_id column in the facts`);
  return [...FACT_COLUMNS, 'patient_key', ...['den_distinct', 'records'].filter((c) => cols.has(c))];
}

/**
 * A night: the facts of the patients that changed (or that the moved cutoff may change) are
 * computed alone, replace theirs in the store, and the years where a fact changed are
 * aggregated again from the store. Returns the rows written to `metrics`.
 */
async function recomputePatients(db: Db, defs: MetricDef[], oldCutoff: string, log: (msg: string) => void): Promise<number> {
  // Metrics that read the same input tables and look as far back from the cutoff share the
  // patients to recompute.
  const blocks = loadSharedBlocks();
  const groups = new Map<string, { days: number; tables: TableName[]; settings?: readonly string[]; defs: MetricDef[] }>();
  for (const def of defs) {
    const days = def.header.follow_up_days ?? 0;
    const tables = tablesRead([def.sql, ...blocksNeeded(blocks, [def]).map((b) => b.block.sql)].join('\n'));
    const settings = def.header.near_settings;
    const key = `${days}:${tables.join(',')}:${settings?.join(',') ?? '*'}`;
    const g = groups.get(key) ?? { days, tables, ...(settings ? { settings } : {}), defs: [] };
    g.defs.push(def);
    groups.set(key, g);
  }
  const t0 = Date.now();
  const list = [...groups.values()];
  await findNear(db, oldCutoff, Math.max(...list.map((g) => g.days)), [...new Set(list.flatMap((g) => g.tables))]);
  // Each group's patients, then one copy of the rows of every table read.
  await db.run(`CREATE OR REPLACE TEMP TABLE ${GROUPS} (g INTEGER NOT NULL, patient_id VARCHAR)`);
  const counts: number[] = [];
  for (const [i, g] of list.entries()) {
    counts.push(await findAffected(db, oldCutoff, g.days, g.tables, g.settings));
    await db.run(`INSERT INTO ${GROUPS} SELECT $g, patient_id FROM ${AFFECTED}`, { g: i });
  }
  const t1 = Date.now();
  await addPatientKeys(db, GROUPS);
  await keyGroups(db);
  const copied = await copyRowsOfGroups(db, list.map((g) => g.tables));
  log(`per patient: events near the cutoff and each group's patients found in ${t1 - t0} ms, their rows copied in ${Date.now() - t1} ms`);
  let rows = 0;
  // The copies are dropped whatever happened; a drop that fails after an error does not hide it.
  await withCleanup(async () => {
    for (const [i, g] of list.entries()) {
      await db.run(`CREATE OR REPLACE TEMP TABLE ${AFFECTED} AS SELECT patient_id FROM ${GROUPS} WHERE g = $g`, { g: i });
      await keyAffected(db, GROUP_KEYS);
      log(
        `per patient, follow-up ${g.days} days, reading ${g.tables.join(', ')}: ${counts[i]} patient(s) changed or with an event near the cutoff (${g.settings ? `treatments: ${g.settings.join(', ')} only; ` : ''}${g.defs.map((d) => d.id).join(', ')})`,
      );
      rows += await recomputeGroup(db, blocks, g.defs, g.tables, copied, log);
    }
  }, async () => {
    await dropRowsOfGroups(db);
    await dropNear(db);
  });
  return rows;
}

/** The metrics of one group, for the patients in `AFFECTED`. */
async function recomputeGroup(db: Db, shared: SharedBlock[], defs: MetricDef[], tables: TableName[], copied: Set<string>, log: (msg: string) => void): Promise<number> {
  const fresh = (id: string) => `pfacts_new_${id}`;
  const made = await showOnlyAffected(db, tables, copied);
  const blocks = blocksNeeded(shared, defs);
  await withCleanup(
    async () => {
      // The group's facts carry its patients' numbers (those a night may replace in the stores).
      await showKeys(db, AFFECTED_KEYS);
      await buildSharedBlocks(db, blocks, log);
      // A metric computed by year keeps its block's rows per patient: those are what is computed here.
      for (const def of defs) await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(fresh(def.id))} AS\n${perPatientSql(def)}`, undefined, def.file);
    },
    async () => {
      await dropSharedBlocks(db, blocks);
      await showAll(db, made);
      await showKeys(db, PATIENT_KEYS);
    },
  );
  let rows = 0;
  for (const def of defs) {
    if (def.header.recompute === 'years') {
      rows += await recomputeYears(db, def, fresh(def.id), log);
      continue;
    }
    const t1 = Date.now();
    const table = fresh(def.id);
    const { cols, ...facts } = await checkFacts(db, def, table);
    const shape = { ...facts, patient: 'patient_key' as const };
    // A metric whose cells a full run kept takes the difference into them, not the store's facts of whole years.
    const cells = keepsCells({ kind: def.header.kind, denDistinct: facts.denDistinct }) && (await hasKeptCells(db, def.id));
    let years: number[] = [];
    let t2 = t1;
    await withCleanup(
      async () => {
        years = await replacePatients(db, def.id, table, storeColumns(def, cols), cells, cols.has('patient_key'));
        await db.run(`DROP TABLE temp.${ident(table)}`);
        t2 = Date.now();
        if (!years.length) return;
        await deleteRowsOf(db, def.id, PERIOD_IN_DIRTY_YEARS);
        rows += cells ? await writeKeptGrains(db, def, shape, years) : await writeGrains(db, def, storeTable(def.id), shape, inYears(years));
      },
      () => (cells ? db.run(`DROP TABLE IF EXISTS temp.${DELTA}`) : Promise.resolve()),
    );
    log(`metric ${def.id}: per patient, store in ${t2 - t1} ms, years ${years.join(', ') || 'none'} aggregated again in ${Date.now() - t2} ms${cells ? ' from the kept cells' : ''}`);
  }
  return rows;
}

/** What a night keeps per patient of a metric: its facts, or (`recompute: years`) the rows of its block. */
function perPatientSql(def: MetricDef): string {
  return def.header.recompute === 'years' ? `SELECT * FROM ${ident(def.header.per_patient!)}` : def.sql;
}

/**
 * A `recompute: years` metric on a night: the affected patients' rows of its block (`fresh`) replace
 * theirs in the store; the metric is then computed again, by its own SQL, over the store's rows of
 * the years in which a row changed (a TEMP view named like the block), and those years' grains and
 * exclusions replace the old ones. Returns the rows written to `metrics`.
 */
async function recomputeYears(db: Db, def: MetricDef, fresh: string, log: (msg: string) => void): Promise<number> {
  const t1 = Date.now();
  const block = ident(def.header.per_patient!);
  const years = await replacePatients(db, def.id, fresh, [...(await tableColumns(db, fresh))]);
  await db.run(`DROP TABLE temp.${ident(fresh)}`);
  const t2 = Date.now();
  let rows = 0;
  if (years.length) {
    await deleteRowsOf(db, def.id, PERIOD_IN_DIRTY_YEARS);
    const facts = ident(factTable(def.id));
    await db.run(`CREATE OR REPLACE TEMP VIEW ${block} AS SELECT * FROM ${ident(storeTable(def.id))} WHERE ${inYears(years)}`);
    await withCleanup(
      () => db.run(`CREATE OR REPLACE TEMP TABLE ${facts} AS\n${def.sql}`, undefined, def.file),
      () => db.run(`DROP VIEW IF EXISTS temp.${block}`),
    );
    const { denDistinct, records, patient } = await checkFacts(db, def, factTable(def.id));
    rows = await writeGrains(db, def, factTable(def.id), { denDistinct, records, patient });
    await db.run(`DROP TABLE temp.${facts}`);
  }
  log(`metric ${def.id}: per patient (${def.header.per_patient}), store in ${t2 - t1} ms, years ${years.join(', ') || 'none'} computed again in ${Date.now() - t2} ms`);
  return rows;
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
  for (const id of ids ?? []) await deleteRowsOf(db, id);
}

/** Remove a metric's rows from `metrics`, `exclusions` and `metric_people`; `where`: only those of the periods it holds for. */
async function deleteRowsOf(db: Db, id: string, where = 'true'): Promise<void> {
  for (const table of ['metrics', 'exclusions', PEOPLE_TABLE]) await db.run(`DELETE FROM ${table} WHERE metric_id = $id AND (${where})`, { id });
}

async function computeOne(db: Db, def: MetricDef, keepFacts: boolean, store: boolean): Promise<{ rows: number; detail: string }> {
  const t0 = Date.now();
  if (!keepFacts) await db.run(`DROP TABLE IF EXISTS main.${ident(factTable(def.id))}`);
  // A store of slim facts, or (`recompute: years`) of the rows of the block the facts are made of, kept
  // between runs, which a night reads back by year.
  const slim = store && def.header.recompute !== 'years';
  if (store && !slim) await db.run(`CREATE OR REPLACE TABLE ${ident(storeTable(def.id))} AS ${perPatientSql(def)}`, undefined, def.file);
  const table = slim ? storeTable(def.id) : factTable(def.id);
  const selected = await selectColumns(db, def);
  // A fact may carry its patient's number (`patient_keys`, read by a block): the store keeps it as it is;
  // an audit table names the patient by patient_id only.
  const numbered = selected.has('patient_key');
  if (slim) {
    // Kept between runs, slim: a night reads it back (metrics/incremental.ts).
    const cols = storeColumns(def, selected);
    await db.run(`CREATE OR REPLACE TABLE ${ident(table)} AS ${keyedSelect(cols, `(\n${def.sql}\n)`, PATIENT_KEYS, numbered)}`, undefined, def.file);
  } else {
    const sql = numbered ? `SELECT * EXCLUDE (patient_key) FROM (\n${def.sql}\n)` : def.sql;
    await db.run(`CREATE OR REPLACE ${keepFacts ? '' : 'TEMP '}TABLE ${ident(table)} AS\n${sql}`, undefined, def.file);
  }
  const facts = Number(await db.scalar(`SELECT count(*) FROM ${ident(table)}`));
  const t1 = Date.now();
  const { denDistinct, records, patient } = await checkFacts(db, def, table);
  const shape = { denDistinct, records, patient };
  const rows = slim && keepsCells({ kind: def.header.kind, denDistinct }) ? await writeKeptGrains(db, def, shape) : await writeGrains(db, def, table, shape);
  if (!keepFacts && !slim) await db.run(`DROP TABLE temp.${ident(table)}`);
  return { rows, detail: `${facts} facts in ${t1 - t0} ms, grains in ${Date.now() - t1} ms` };
}

/** What the aggregation needs to know of a fact table (`checkFacts`). */
interface FactShape {
  denDistinct: boolean;
  records: boolean;
  /** The column naming the patient: patient_id, or in a slim store its number. */
  patient: 'patient_id' | 'patient_key';
}

/**
 * Aggregate a metric's fact table into its grains (`metrics`, and for O/E its limits, for a
 * share its people) and its exclusion counts; `where`: only the facts it holds for (a night's
 * changed years). Returns the rows written to `metrics`.
 */
async function writeGrains(db: Db, def: MetricDef, table: string, facts: FactShape, where?: string): Promise<number> {
  const bind: Record<string, string | number> = { metric_id: def.id, view: def.header.view };
  if (def.header.quantile) Object.assign(bind, def.header.quantile);
  const { kind, level } = def.header;
  const { denDistinct, records } = facts;
  // An INSERT answers with the rows it wrote.
  const rows = Number(await db.scalar(aggregateSql({ factTable: table, kind, level, denDistinct, records, ...(where ? { where } : {}) }), bind, def.file));
  // Kind oe never comes with `where` (its expected rates read every patient of a year); the limits are set on all its rows.
  if (kind === 'oe') await addPoissonLimits(db, def.id);
  if (kind === 'share') await db.run(peopleSql(table, level, where, facts.patient), { metric_id: def.id }, def.file);
  await db.run(exclusionsSql(table, records, where), { metric_id: def.id }, def.file);
  return rows;
}

/** Whether a store's metric has its kept cells (a full run made them: `writeKeptGrains`). */
async function hasKeptCells(db: Db, id: string): Promise<boolean> {
  return (await db.hasTable(cellsTable(id))) && (await db.hasTable(exclusionCellsTable(id)));
}

/**
 * The grains and exclusions of a metric whose cells are kept (aggregate.ts `keepsCells`), made of its
 * kept cells: a full run (no `years`) makes the cells of its store; a night (`years`: those whose facts
 * changed, their rows already deleted from the outputs) first takes the store's difference (`DELTA`)
 * into the cells of those years. Returns the rows written to `metrics`.
 */
async function writeKeptGrains(db: Db, def: MetricDef, facts: FactShape, years?: number[]): Promise<number> {
  const spec: AggregateSpec = { factTable: storeTable(def.id), kind: def.header.kind, level: def.header.level, denDistinct: facts.denDistinct, records: facts.records };
  const cells = cellsTable(def.id);
  const excluded = exclusionCellsTable(def.id);
  let where: string | undefined;
  if (years) {
    where = inYears(years, 'year');
    // One call: these few statements take a turn of the database each otherwise.
    await db.run(`${updateKeptCellsSql(spec, cells, DELTA, where)};\n${updateKeptExclusionCellsSql(excluded, DELTA, facts.records, where)}`, undefined, def.file);
  } else {
    await db.run(`${keptCellsSql(spec, cells)};\n${keptExclusionCellsSql(storeTable(def.id), excluded, facts.records)}`, undefined, def.file);
  }
  const rows = Number(await db.scalar(grainsOfKeptCellsSql(spec, cells, where), { metric_id: def.id, view: def.header.view }, def.file));
  await db.run(exclusionsOfKeptCellsSql(excluded, facts.records, where), { metric_id: def.id }, def.file);
  return rows;
}

/**
 * The fact table has the columns the aggregation reads, and its counted records
 * have what their kind needs. Returns whether the denominator counts distinct
 * `den_distinct` values, whether rows carry a `records` count (kind count only), and its columns.
 */
async function checkFacts(db: Db, def: MetricDef, table: string): Promise<FactShape & { cols: Set<string> }> {
  const cols = await tableColumns(db, table);
  const missing = FACT_COLUMNS.filter((c) => !cols.has(c));
  if (missing.length) throw new Error(`${def.file}: the SELECT lacks column(s) ${missing.join(', ')}`);
  const kind = def.header.kind;
  const denDistinct = kind === 'ratio' && cols.has('den_distinct');
  const needNum = kind !== 'count' && kind !== 'sum';
  const needDen = kind === 'oe' || kind === 'share' || (kind === 'ratio' && !denDistinct);
  if (kind === 'share' && !cols.has('patient_id') && !cols.has('patient_key')) throw new Error(`${def.file}: a share's facts need patient_id (suppression counts people)`);
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
  return { denDistinct, records, patient: cols.has('patient_id') ? 'patient_id' : 'patient_key', cols };
}
