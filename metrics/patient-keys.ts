/**
 * The patients' numbers that metric SQL may read (docs/metrics.md, "The patient's number"): one INTEGER
 * per patient_id, on which a block may group and order a patient's rows, an INTEGER being cheaper to hash
 * and sort than the patient_id text (metrics/shared/ambulatory_in_scope.sql). The store's numbering
 * (`pfacts_patient_keys`, metrics/incremental.ts) is made here too. This module reads no other metric module,
 * so that the shared blocks (`shared.ts`) can use it.
 */
import { Db, ident } from '../pipeline/core/db.js';

/**
 * Number every patient of the canonical tables into `table` (one row per patient_id: UNION), a TEMP
 * table when `temp`.
 */
export async function numberPatients(db: Db, table: string, temp = false): Promise<void> {
  const sources: string[] = [];
  for (const t of ['patients', 'admissions', 'treatments']) if (await db.hasTable(t)) sources.push(`SELECT patient_id FROM ${ident(t)}`);
  const ids = sources.length ? sources.join(' UNION ') : 'SELECT CAST(NULL AS VARCHAR) AS patient_id WHERE false';
  await db.run(`CREATE OR REPLACE ${temp ? 'TEMP ' : ''}TABLE ${ident(table)} AS SELECT patient_id, CAST(row_number() OVER () AS INTEGER) AS patient_key FROM (${ids})`);
}

/**
 * What metric SQL reads as `patient_keys` (`patient_id, patient_key`; a TEMP VIEW) while the metrics run.
 * A run with a store shows the store's numbering, so that the facts carry the store's own numbers; a
 * night's group shows its patients' (`pfacts_affected_keys`); a run without a store numbers the patients
 * for itself (`RUN_KEYS`).
 */
export const KEYS_VIEW = 'patient_keys';
/** The numbering of a run without a store (a TEMP table, dropped by `dropKeysView`; named like the store's tables). */
export const RUN_KEYS = 'pfacts_run_keys';

/** Point `KEYS_VIEW` at `table` (a relation with patient_id and patient_key). */
export async function showKeys(db: Db, table: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP VIEW ${KEYS_VIEW} AS SELECT patient_id, patient_key FROM ${table}`);
}

/** `KEYS_VIEW` over a numbering of its own (a run without a store, or blocks built outside a run). */
export async function showOwnKeys(db: Db): Promise<void> {
  await numberPatients(db, RUN_KEYS, true);
  await showKeys(db, `temp.${RUN_KEYS}`);
}

/** Whether `KEYS_VIEW` exists. */
export async function hasKeysView(db: Db): Promise<boolean> {
  return Number(await db.scalar(`SELECT count(*) FROM duckdb_views() WHERE temporary AND view_name = $v`, { v: KEYS_VIEW })) > 0;
}

/** Drop `KEYS_VIEW` and a numbering of its own. */
export async function dropKeysView(db: Db): Promise<void> {
  await db.run(`DROP VIEW IF EXISTS temp.${KEYS_VIEW}`);
  await db.run(`DROP TABLE IF EXISTS temp.${RUN_KEYS}`);
}
