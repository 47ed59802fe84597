/**
 * The patients whose records a run must build again (docs/architecture.md#nightly-recompute):
 * those validation listed in `changed_patients` for the tables read, and, when the cutoff moved,
 * those with an event near it or a contact open at either cutoff. Read by the stays
 * (`stays.ts`) and by the metrics recomputed per patient (`metrics/incremental.ts`).
 */
import { Db } from '../core/db.js';
import { CHANGED_PATIENTS } from './load/validate.js';
import type { TableName } from './schema.js';

/** Events near the cutoff, one row per input row, found once per night. */
const NEAR = 'pfacts_near';
/** The patients a night recomputes (for one group of metrics at a time). */
export const AFFECTED = 'pfacts_affected';
/**
 * The rows with an event in (old cutoff - `days`, new cutoff] (`ts`: the latest such event of
 * the row) or a contact open at either cutoff, per table of `tables`, into the TEMP table `NEAR`;
 * nothing when the cutoff did not move. `days`: the longest follow-up of the metrics to recompute.
 */
export async function findNear(db: Db, oldCutoff: string, days: number, tables: TableName[]): Promise<void> {
  // The window's ends, read once and bound as constants: DuckDB then skips the row groups whose times all lie
  // outside the window (the treatments come roughly in time order).
  const w = await db.one<{ moved: boolean; from_ts: string; to_ts: string }>(
    `SELECT CAST($old AS TIMESTAMP) <> cutoff AS moved,
            CAST(CAST($old AS TIMESTAMP) - to_days(CAST($days AS INTEGER)) AS VARCHAR) AS from_ts, CAST(cutoff AS VARCHAR) AS to_ts
     FROM params`,
    { old: oldCutoff, days },
  );
  const moved = w?.moved === true;
  const inWindow = (col: string) => `(${col} > CAST($from_ts AS TIMESTAMP) AND ${col} <= CAST($to_ts AS TIMESTAMP))`;
  const within = (col: string) => `CASE WHEN ${inWindow(col)} THEN ${col} END`;
  const openAt = `a.admit_ts <= CAST($to_ts AS TIMESTAMP) AND (a.discharge_ts IS NULL OR a.discharge_ts > CAST($old AS TIMESTAMP))`;
  const parts = [`SELECT CAST(NULL AS VARCHAR) AS t, CAST(NULL AS VARCHAR) AS patient_id, CAST(NULL AS TIMESTAMP) AS ts, false AS open, CAST(NULL AS VARCHAR) AS setting`];
  if (moved && tables.includes('admissions')) {
    parts.push(
      `SELECT 'admissions', a.patient_id, greatest(${within('a.admit_ts')}, ${within('a.discharge_ts')}), ${openAt}, NULL
       FROM main.admissions a
       WHERE greatest(${within('a.admit_ts')}, ${within('a.discharge_ts')}) IS NOT NULL OR (${openAt})`,
    );
  }
  if (moved && tables.includes('treatments')) {
    // The rows starting in the window, then those ending in it that do not start in it: every row with an
    // event in the window, once, each part a filter DuckDB can check against the row groups' ranges.
    for (const where of [inWindow('t.start_ts'), `${inWindow('t.end_ts')} AND NOT ${inWindow('t.start_ts')}`]) {
      parts.push(
        `SELECT 'treatments', t.patient_id, greatest(${within('t.start_ts')}, ${within('t.end_ts')}), false, t.setting
         FROM main.treatments t WHERE ${where}`,
      );
    }
  }
  if (moved && tables.includes('patients') && (await db.hasTable('patients'))) {
    parts.push(`SELECT 'patients', pt.patient_id, ${within('CAST(pt.death_date AS TIMESTAMP)')}, false, NULL
       FROM main.patients pt WHERE ${within('CAST(pt.death_date AS TIMESTAMP)')} IS NOT NULL`);
  }
  const sql = `CREATE OR REPLACE TEMP TABLE ${NEAR} AS SELECT * FROM (${parts.join('\nUNION ALL\n')}) WHERE t IS NOT NULL`;
  // DuckDB refuses a parameter the statement does not use: bind those the parts read.
  const bounds = { old: oldCutoff, from_ts: w?.from_ts ?? null, to_ts: w?.to_ts ?? null };
  await db.run(sql, Object.fromEntries(Object.entries(bounds).filter(([k]) => sql.includes(`$${k}`))));
}

/**
 * The patients to recompute for metrics that read `tables` and look `days` back from the
 * cutoff, into the TEMP table `AFFECTED`: listed as changed in one of those tables, or near
 * the cutoff there (`findNear`; a treatment only in one of `settings`, when given). Returns how many.
 */
export async function findAffected(db: Db, oldCutoff: string, days: number, tables: TableName[], settings?: readonly string[]): Promise<number> {
  await db.run('CREATE OR REPLACE TEMP TABLE pfacts_tables (t VARCHAR)');
  for (const t of tables) await db.run('INSERT INTO pfacts_tables VALUES ($t)', { t });
  await db.run('CREATE OR REPLACE TEMP TABLE pfacts_settings (s VARCHAR)');
  for (const x of settings ?? []) await db.run('INSERT INTO pfacts_settings VALUES ($x)', { x });
  // A treatment near the cutoff counts only in the settings the metrics read (all, without `settings`).
  const setting = settings ? `AND (t <> 'treatments' OR setting IN (SELECT s FROM pfacts_settings))` : '';
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${AFFECTED} AS
     SELECT patient_id FROM ${CHANGED_PATIENTS} WHERE table_name IN (SELECT t FROM pfacts_tables)
     UNION
     SELECT patient_id FROM ${NEAR}
     WHERE t IN (SELECT t FROM pfacts_tables) AND (open OR ts > CAST($old AS TIMESTAMP) - to_days(CAST($days AS INTEGER))) ${setting}`,
    { old: oldCutoff, days },
  );
  await db.run('DROP TABLE temp.pfacts_tables');
  await db.run('DROP TABLE temp.pfacts_settings');
  return Number(await db.scalar(`SELECT count(*) FROM ${AFFECTED}`));
}

/**
 * Whether records built at `oldCutoff` can be kept for the patients that did not change: no
 * canonical table was written anew since (`changed_patients` has no row without a patient) and
 * the cutoff did not move back. Needs `changed_patients`.
 */
export async function recomputableSince(db: Db, oldCutoff: string): Promise<boolean> {
  if (Number(await db.scalar(`SELECT count(*) FROM ${CHANGED_PATIENTS} WHERE patient_id IS NULL`)) > 0) return false;
  return (await db.scalar<boolean>('SELECT CAST($old AS TIMESTAMP) <= cutoff FROM params', { old: oldCutoff })) === true;
}

/** Drop the TEMP tables of a night's recompute. */
export async function dropNear(db: Db): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS temp.${NEAR}`);
  await db.run(`DROP TABLE IF EXISTS temp.${AFFECTED}`);
}
