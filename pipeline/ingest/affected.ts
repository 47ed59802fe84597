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
  const moved = await db.scalar<boolean>('SELECT CAST($old AS TIMESTAMP) <> cutoff FROM params', { old: oldCutoff });
  const within = (col: string) => `CASE WHEN ${col} > w.from_ts AND ${col} <= w.to_ts THEN ${col} END`;
  const parts = [`SELECT CAST(NULL AS VARCHAR) AS t, CAST(NULL AS VARCHAR) AS patient_id, CAST(NULL AS TIMESTAMP) AS ts, false AS open, CAST(NULL AS VARCHAR) AS setting`];
  if (moved && tables.includes('admissions')) {
    parts.push(
      `SELECT 'admissions', a.patient_id, greatest(${within('a.admit_ts')}, ${within('a.discharge_ts')}),
              a.admit_ts <= w.to_ts AND (a.discharge_ts IS NULL OR a.discharge_ts > w.old_ts), NULL
       FROM main.admissions a, w
       WHERE greatest(${within('a.admit_ts')}, ${within('a.discharge_ts')}) IS NOT NULL
          OR (a.admit_ts <= w.to_ts AND (a.discharge_ts IS NULL OR a.discharge_ts > w.old_ts))`,
    );
  }
  const bounds: Record<string, string> = {};
  if (moved && tables.includes('treatments')) {
    // The window's ends as constants, so that DuckDB skips the row groups whose start (or end) times all lie
    // outside it (the treatments come roughly in time order): the rows starting in the window, then those
    // ending in it that do not start in it, which is every row with an event in the window, once.
    const b = await db.one<{ from_ts: string; to_ts: string }>(
      `SELECT CAST(CAST($old AS TIMESTAMP) - to_days(CAST($days AS INTEGER)) AS VARCHAR) AS from_ts, CAST(cutoff AS VARCHAR) AS to_ts FROM params`,
      { old: oldCutoff, days },
    );
    Object.assign(bounds, { from_ts: b!.from_ts, to_ts: b!.to_ts });
    const inWindow = (col: string) => `(${col} > CAST($from_ts AS TIMESTAMP) AND ${col} <= CAST($to_ts AS TIMESTAMP))`;
    for (const where of [inWindow('t.start_ts'), `${inWindow('t.end_ts')} AND NOT ${inWindow('t.start_ts')}`]) {
      parts.push(
        `SELECT 'treatments', t.patient_id, greatest(${within('t.start_ts')}, ${within('t.end_ts')}), false, t.setting
         FROM main.treatments t, w WHERE ${where}`,
      );
    }
  }
  if (moved && tables.includes('patients') && (await db.hasTable('patients'))) {
    parts.push(`SELECT 'patients', pt.patient_id, ${within('CAST(pt.death_date AS TIMESTAMP)')}, false, NULL
       FROM main.patients pt, w WHERE ${within('CAST(pt.death_date AS TIMESTAMP)')} IS NOT NULL`);
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${NEAR} AS
     WITH w AS (SELECT CAST($old AS TIMESTAMP) AS old_ts, CAST($old AS TIMESTAMP) - to_days(CAST($days AS INTEGER)) AS from_ts, cutoff AS to_ts FROM params)
     SELECT * FROM (${parts.join('\nUNION ALL\n')}) WHERE t IS NOT NULL`,
    { old: oldCutoff, days, ...bounds },
  );
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
