/** Shared helpers of the adapter tests: run an adapter on a fixture folder and read back what it wrote. */
import { adapt, type AdapterFormat, type AdapterReport } from '../../pipeline/ingest/adapters/index.js';
import { parseConfig, type Config } from '../../pipeline/core/config.js';
import { Db } from '../../pipeline/core/db.js';
import { tempDir as makeTempDir } from '../tmp.js';

export async function run(
  format: AdapterFormat,
  dir: string,
  config: Partial<Config> = {},
): Promise<{ db: Db; report: AdapterReport }> {
  const cfg = parseConfig(config);
  const db = await Db.open(':memory:', { timezone: cfg.timezone });
  const report = await adapt(db, format, dir, cfg);
  return { db, report };
}

/** Rows of a query as arrays (column order as selected), for compact literal expectations. */
export async function tuples(db: Db, sql: string): Promise<unknown[][]> {
  const rows = await db.all<Record<string, unknown>>(sql);
  return rows.map((r) => Object.values(r));
}

export const ADMISSIONS = `SELECT admission_id, patient_id, hospital_id, department_id, admit_ts, discharge_ts, admission_type,
  discharge_disposition, _source_file, _line FROM raw_admissions ORDER BY admission_id`;
export const TREATMENTS = `SELECT treatment_id, patient_id, hospital_id, department_id, start_ts, end_ts, setting, mode, procedure_code,
  _source_file, _line FROM raw_treatments ORDER BY treatment_id`;
export const PATIENTS = `SELECT patient_id, birth_year, sex, death_date, _source_file, _line FROM raw_patients ORDER BY patient_id`;
export const REJECTS = `SELECT table_name, source_file, line, rule, column_name, raw_value, kind FROM rejects ORDER BY source_file, line, rule`;

/** A fresh temporary folder, removed after the test file (tests/tmp.ts). */
export function tempDir(prefix: string): string {
  return makeTempDir(`outcomes-${prefix}-`);
}
