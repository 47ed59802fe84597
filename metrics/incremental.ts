/**
 * Nightly recompute of the metrics whose header says `recompute: patients`
 * (docs/architecture.md#nightly-recompute). Such a metric's facts depend only on the rows of
 * their own patient and on the run's parameters, so a night needs to recompute only:
 *
 * - the patients whose rows changed: each patient's rows (admissions, treatments, patients)
 *   are summed up as a digest, kept beside the facts (`pfacts_digest`); a patient whose
 *   digest differs from the last run's (or who is new, or gone) changed;
 * - the patients with an event near the cutoff when the cutoff moved: an admit, discharge,
 *   treatment start or end in (old cutoff - follow_up_days, new cutoff], since only their
 *   records can see where the cutoff lies (scope, open stays, follow-up windows).
 *
 * The facts of every patient are kept, slim (the columns the grains read, and patient_id), in
 * `pfacts_<id>`. A night computes the facts of the affected patients alone (the metric's own
 * SQL, over TEMP views of the input tables that show only those patients), replaces their rows
 * in the store, and re-aggregates only the years in which a fact changed. The store is
 * trusted only when `pfacts_state` says it was written by the same code, configuration and
 * parameters (all but the cutoff) and for the same metrics; otherwise the run is a full one.
 * The state is cleared before the store changes and written after, so a run that dies in
 * between leaves a store the next run will not trust.
 */
import { Db, ident } from '../pipeline/core/db.js';
import { TABLES, TABLE_NAMES, type TableName } from '../pipeline/ingest/schema.js';
import type { MetricDef } from './registry.js';

export const STORE_PREFIX = 'pfacts_';
const STATE = 'pfacts_state';
const DIGEST = 'pfacts_digest';
/** The digest of this run's input, built by `digestNow` and saved by `saveStore`. */
const DIGEST_NOW = 'pfacts_digest_now';
/** The patients a night recomputes. */
export const AFFECTED = 'pfacts_affected';
/** Tables and views that metric SQL reads per patient; a night shows it only the affected patients of each. */
const SHADOWED = ['admissions', 'treatments', 'patients', 'patients_or_empty', 'stays', 'contact_stay'];

/** The store table of a metric. */
export function storeTable(id: string): string {
  return `${STORE_PREFIX}${id}`;
}

/** The metrics a night may recompute per patient. */
export function patientScoped(defs: MetricDef[]): MetricDef[] {
  return defs.filter((d) => d.header.recompute === 'patients');
}

/** What the store must have been written with to be reused. */
export interface StoreBasis {
  /** The code and configuration (all but the cutoff), from the caller. */
  basis: string;
  /** The metric ids and versions kept in the store. */
  metrics: string;
}

interface StoreState extends StoreBasis {
  cutoff: string;
  params: string;
}

const STATE_DDL = `CREATE TABLE IF NOT EXISTS ${STATE} (basis VARCHAR NOT NULL, metrics VARCHAR NOT NULL, params VARCHAR NOT NULL, cutoff VARCHAR NOT NULL)`;

/** The ids and versions of the metrics the store keeps, as one text. */
export function storeMetrics(defs: MetricDef[]): string {
  return defs.map((d) => `${d.id}@${d.header.version}`).join(',');
}

/** The run's parameters other than the cutoff, as one text. */
async function paramsText(db: Db): Promise<string> {
  const r = await db.one<Record<string, unknown>>('SELECT * EXCLUDE (cutoff, cutoff_date) FROM params');
  return JSON.stringify(r ?? {});
}

/** The digest of every patient's rows in each canonical table (`h_<table>`, `n_<table>`), into a TEMP table. */
export async function digestNow(db: Db): Promise<void> {
  const parts: string[] = [];
  const sums: string[] = [];
  for (const t of TABLE_NAMES) {
    sums.push(`sum(h) FILTER (WHERE t = '${t}') AS ${ident('h_' + t)}`, `count(*) FILTER (WHERE t = '${t}') AS ${ident('n_' + t)}`);
    if (!(await db.hasTable(t))) continue;
    const cols = TABLES[t].columns.map((c) => ident(c.name)).join(', ');
    parts.push(`SELECT patient_id, '${t}' AS t, hash(${cols}) AS h FROM main.${ident(t)}`);
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${DIGEST_NOW} AS
     SELECT patient_id, ${sums.join(', ')} FROM (${parts.join('\nUNION ALL\n')}) GROUP BY patient_id`,
  );
}

/**
 * Whether the store can be reused for this run: written with the same basis and parameters, for
 * the same metrics, with an earlier or equal cutoff, and every store table present. Returns the
 * cutoff it was written at.
 */
export async function reusableStore(db: Db, want: StoreBasis, defs: MetricDef[]): Promise<{ cutoff: string } | undefined> {
  if (!(await db.hasTable(STATE)) || !(await db.hasTable(DIGEST))) return undefined;
  const s = await db.one<StoreState>(`SELECT basis, metrics, params, cutoff FROM ${STATE}`);
  if (!s || s.basis !== want.basis || s.metrics !== want.metrics || s.params !== (await paramsText(db))) return undefined;
  for (const d of defs) if (!(await db.hasTable(storeTable(d.id)))) return undefined;
  const later = await db.scalar<boolean>('SELECT CAST($old AS TIMESTAMP) <= cutoff FROM params', { old: s.cutoff });
  return later ? { cutoff: s.cutoff } : undefined;
}

/** Forget the store's state (before the store changes: a run that dies then forces a full run). */
export async function clearStoreState(db: Db): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${STATE}`);
}

/** Drop the store entirely (runs that keep audit facts, or partial runs, do not keep it). */
export async function dropStore(db: Db): Promise<void> {
  await clearStoreState(db);
  const tables = await db.all<{ table_name: string }>(
    `SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' AND starts_with(table_name, $p)`,
    { p: STORE_PREFIX },
  );
  for (const t of tables) await db.run(`DROP TABLE ${ident(t.table_name)}`);
}

/** After every metric is written: keep this run's digest and say the store is whole. */
export async function saveStore(db: Db, want: StoreBasis): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${DIGEST} AS SELECT * FROM ${DIGEST_NOW} ORDER BY patient_id`);
  await db.run(`DROP TABLE IF EXISTS temp.${DIGEST_NOW}`);
  await db.run(STATE_DDL);
  await db.run(`INSERT INTO ${STATE} SELECT $basis, $metrics, $params, CAST(cutoff AS VARCHAR) FROM params`, {
    basis: want.basis,
    metrics: want.metrics,
    params: await paramsText(db),
  });
}

/**
 * The input tables a metric reads, directly or through the shared blocks and views it names
 * (stays are made of admissions and of the patients' death dates). A name in a comment only
 * widens the set, which costs time, never correctness.
 */
export function tablesRead(sql: string): TableName[] {
  const read: TableName[] = [];
  if (/\b(admissions|admissions_in_scope|stays|contact_stay)\b/.test(sql)) read.push('admissions');
  if (/\b(patients|patients_or_empty|stays)\b/.test(sql)) read.push('patients');
  if (/\b(treatments|treatments_in_scope)\b/.test(sql)) read.push('treatments');
  return read.sort();
}

/**
 * The patients to recompute for metrics that read `tables` and look `days` back from the
 * cutoff, into the TEMP table `AFFECTED`: a digest of one of those tables changed, or, when
 * the cutoff moved, an event of those tables in (old cutoff - days, new cutoff] — an admit,
 * discharge, treatment start or end, death date — or (admissions) a contact still open at
 * the old or the new cutoff (it is counted up to the cutoff). Returns how many.
 */
export async function findAffected(db: Db, oldCutoff: string, days: number, tables: TableName[]): Promise<number> {
  const moved = await db.scalar<boolean>('SELECT CAST($old AS TIMESTAMP) <> cutoff FROM params', { old: oldCutoff });
  const inWindow = (col: string) => `(${col} > w.from_ts AND ${col} <= w.to_ts)`;
  const changed = tables.map((t) => `n.${ident('h_' + t)} IS DISTINCT FROM o.${ident('h_' + t)} OR n.${ident('n_' + t)} IS DISTINCT FROM o.${ident('n_' + t)}`);
  const near: string[] = [];
  if (moved && tables.includes('admissions')) {
    near.push(
      `SELECT a.patient_id FROM main.admissions a, w
       WHERE ${inWindow('a.admit_ts')} OR ${inWindow('a.discharge_ts')}
          OR (a.admit_ts <= w.to_ts AND (a.discharge_ts IS NULL OR a.discharge_ts > w.old_ts))`,
    );
  }
  if (moved && tables.includes('treatments')) {
    near.push(`SELECT t.patient_id FROM main.treatments t, w WHERE ${inWindow('t.start_ts')} OR ${inWindow('t.end_ts')}`);
  }
  if (moved && tables.includes('patients') && (await db.hasTable('patients'))) {
    near.push(`SELECT pt.patient_id FROM main.patients pt, w WHERE ${inWindow('CAST(pt.death_date AS TIMESTAMP)')}`);
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${AFFECTED} AS
     WITH w AS (SELECT CAST($old AS TIMESTAMP) AS old_ts, CAST($old AS TIMESTAMP) - to_days(CAST($days AS INTEGER)) AS from_ts, cutoff AS to_ts FROM params)
     SELECT patient_id FROM (
       SELECT patient_id FROM ${DIGEST_NOW} n FULL OUTER JOIN ${DIGEST} o USING (patient_id)
       WHERE ${changed.length ? changed.join(' OR ') : 'false'}
       ${near.map((q) => `UNION\n${q}`).join('\n')}
     )`,
    { old: oldCutoff, days },
  );
  return Number(await db.scalar(`SELECT count(*) FROM ${AFFECTED}`));
}

/**
 * TEMP views named like the input tables (`admissions`, `stays`, …) that show only the affected
 * patients: unqualified names (and `main.x`) resolve to a TEMP object before the database's own,
 * so metric SQL and shared blocks read them unchanged. Returns the views made.
 */
export async function showOnlyAffected(db: Db): Promise<string[]> {
  const catalog = await db.scalar<string>('SELECT current_database()');
  const made: string[] = [];
  for (const name of SHADOWED) {
    const kind = await db.scalar<string | undefined>(
      `SELECT table_type FROM information_schema.tables WHERE table_catalog = $c AND table_schema = 'main' AND table_name = $n`,
      { c: catalog, n: name },
    );
    if (!kind) continue;
    const source = `${ident(catalog)}.main.${ident(name)}`;
    const filter =
      name === 'contact_stay'
        ? `admission_id IN (SELECT admission_id FROM ${ident(catalog)}.main.admissions WHERE patient_id IN (SELECT patient_id FROM ${AFFECTED}))`
        : `patient_id IN (SELECT patient_id FROM ${AFFECTED})`;
    await db.run(`CREATE OR REPLACE TEMP VIEW ${ident(name)} AS SELECT * FROM ${source} WHERE ${filter}`);
    made.push(name);
  }
  return made;
}

/** Drop the views of `showOnlyAffected`. */
export async function showAll(db: Db, made: string[]): Promise<void> {
  for (const name of [...made].reverse()) await db.run(`DROP VIEW IF EXISTS temp.${ident(name)}`);
}

/** The TEMP table of the years (`y INTEGER`) a night aggregates again. */
export const DIRTY_YEARS = 'pfacts_years';

/**
 * Replace the affected patients' rows of the store by `fresh` (their new slim facts) and leave
 * in `DIRTY_YEARS` the years in which a fact was added, removed or changed; returns them.
 */
export async function replacePatients(db: Db, id: string, fresh: string, cols: string[]): Promise<number[]> {
  const store = ident(storeTable(id));
  const list = cols.map(ident).join(', ');
  // One pass over the store finds the affected rows; they are then deleted by row id.
  await db.run(`CREATE OR REPLACE TEMP TABLE pfacts_old AS SELECT rowid AS _rid, ${list} FROM ${store} WHERE patient_id IN (SELECT patient_id FROM ${AFFECTED})`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${DIRTY_YEARS} AS
     WITH o AS (SELECT ${list} FROM pfacts_old),
          n AS (SELECT ${list} FROM ${ident(fresh)}),
          d AS ((SELECT * FROM o EXCEPT ALL SELECT * FROM n) UNION ALL (SELECT * FROM n EXCEPT ALL SELECT * FROM o))
     SELECT DISTINCT CAST(year(period_date) AS INTEGER) AS y FROM d`,
  );
  await db.run(`DELETE FROM ${store} WHERE rowid IN (SELECT _rid FROM pfacts_old)`);
  await db.run(`INSERT INTO ${store} (${list}) SELECT ${list} FROM ${ident(fresh)}`);
  await db.run('DROP TABLE temp.pfacts_old');
  return (await db.all<{ y: number }>(`SELECT y FROM ${DIRTY_YEARS} ORDER BY y`)).map((r) => Number(r.y));
}

/** Facts of the years in `DIRTY_YEARS` (a condition on a fact table). */
export const IN_DIRTY_YEARS = `year(period_date) IN (SELECT y FROM ${DIRTY_YEARS})`;
/** Grain rows of those years: periods `YYYY-MM` and `YYYY` (a condition on `metrics` and `exclusions`). */
export const PERIOD_IN_DIRTY_YEARS = `substr(period, 1, 4) IN (SELECT strftime(make_date(y, 1, 1), '%Y') FROM ${DIRTY_YEARS})`;
