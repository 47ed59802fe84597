/**
 * What every adapter does after its own mapping SQL: create the raw staging
 * tables and `rejects`, write the mapped rows into them, and count outcomes.
 *
 * A format's SQL leaves these temporary tables behind:
 * - `adp_map_patients(patient_id, birth_year, sex, death_date, _source_file, _line)` (when the export has patients),
 * - `adp_map_contacts` (see `contacts.sql`), one row per source contact with its `outcome` count key,
 * - `adp_map_rejects` (rejects-table columns) for other records that are skipped or rejected,
 * - `adp_map_counts(outcome, n)` for the other records' outcomes.
 */
import { Db, ident } from '../../core/db.js';
import { rawTableDdl, REJECTS_DDL } from '../schema.js';
import { runSqlFile } from '../../core/sql.js';

/** Drop stale raw tables of an earlier run and create fresh ones (`raw_patients` only when there are patients). */
export async function createRawTables(db: Db, hasPatients: boolean): Promise<void> {
  for (const t of ['raw_patients', 'raw_admissions', 'raw_treatments']) await db.run(`DROP TABLE IF EXISTS "${t}"`);
  await db.run(rawTableDdl('admissions'));
  await db.run(rawTableDdl('treatments'));
  if (hasPatients) await db.run(rawTableDdl('patients'));
  await db.run(REJECTS_DDL);
}

/** Empty `adp_map_*` tables, so that a format's SQL only adds what it has. */
export async function createMapTables(db: Db): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE adp_map_rejects (
    table_name VARCHAR, source_file VARCHAR, line BIGINT, rule VARCHAR, column_name VARCHAR, raw_value VARCHAR, kind VARCHAR)`);
  await db.run('CREATE OR REPLACE TEMP TABLE adp_map_counts (outcome VARCHAR, n BIGINT)');
}

/** Write mapped rows and rejects into `raw_*` and `rejects`. */
export async function writeMapped(db: Db, hasPatients: boolean): Promise<void> {
  if (hasPatients) {
    await db.run(
      `INSERT INTO raw_patients (patient_id, birth_year, sex, death_date, _source_file, _line)
       SELECT patient_id, birth_year, sex, death_date, _source_file, _line FROM adp_map_patients ORDER BY _source_file, _line`,
    );
  }
  await runSqlFile(db, 'pipeline/ingest/adapters/contacts.sql');
}

/** Outcome counts: contacts by outcome, patients loaded, and the format's other counts. */
export async function outcomeCounts(db: Db, hasPatients: boolean, patientKey: string): Promise<Record<string, number>> {
  const rows = await db.all<{ outcome: string; n: number }>(
    `SELECT outcome, sum(n) AS n FROM (
       SELECT outcome, count(*) AS n FROM adp_map_contacts GROUP BY outcome
       UNION ALL SELECT outcome, n FROM adp_map_counts
       ${hasPatients ? 'UNION ALL SELECT $key, count(*) FROM adp_map_patients' : ''}
     ) GROUP BY outcome ORDER BY outcome`,
    hasPatients ? { key: patientKey } : undefined,
  );
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.outcome] = Number(r.n);
  return counts;
}

/** Drop the adapters' temporary views and tables (they are per connection, but a long session should not keep them). */
export async function dropTemporary(db: Db): Promise<void> {
  const names = await db.all<{ n: string; t: string }>(
    `SELECT table_name AS n, table_type AS t FROM information_schema.tables
     WHERE table_catalog = 'temp' AND table_name LIKE 'adp\\_%' ESCAPE '\\' ORDER BY table_type DESC`,
  );
  for (const r of names) {
    await db.run(`DROP ${r.t === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS temp.main.${ident(r.n)}`);
  }
}
