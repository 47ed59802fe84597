/** Small builders and lookups shared by the metric tests (not a test file itself). */
import { ident, type Db } from '../../pipeline/core/db.js';
import type { FixtureRow } from '../../fixtures/rows.js';

/** An inpatient contact at H1/MED unless `extra` says otherwise. */
export function adm(id: string, patient: string, admit: string, discharge: string | null, extra: FixtureRow = {}): FixtureRow {
  return { admission_id: id, patient_id: patient, hospital_id: 'H1', department_id: 'MED', admit_ts: admit, discharge_ts: discharge, ...extra };
}

/** A treatment at H1/OPD, ambulatory in person unless `extra` says otherwise. */
export function trt(id: string, patient: string, start: string, extra: FixtureRow = {}): FixtureRow {
  return { treatment_id: id, patient_id: patient, hospital_id: 'H1', department_id: 'OPD', start_ts: start, setting: 'ambulatory', ...extra };
}

export interface Cell {
  period: string;
  hospital_id: string;
  department_id: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
}

/** Every row of one metric, keyed `period|hospital|department`. */
export async function cells(db: Db, metric: string): Promise<Record<string, Cell>> {
  const rows = await db.all<Cell>(
    `SELECT period, hospital_id, department_id, numerator, denominator, value, lower, upper
     FROM metrics WHERE metric_id = $metric ORDER BY period, hospital_id, department_id`,
    { metric },
  );
  return Object.fromEntries(rows.map((r) => [`${r.period}|${r.hospital_id}|${r.department_id}`, r]));
}

/** `[numerator, denominator, value]` of one cell, or undefined when the cell is absent. */
export async function ndv(db: Db, metric: string, key: string): Promise<[number | null, number | null, number | null] | undefined> {
  const c = (await cells(db, metric))[key];
  return c ? [c.numerator, c.denominator, c.value] : undefined;
}

/** Exclusion counts of one metric, keyed `period|hospital|reason`. */
export async function exclusions(db: Db, metric: string): Promise<Record<string, number>> {
  const rows = await db.all<{ period: string; hospital_id: string; reason: string; count: number }>(
    'SELECT period, hospital_id, reason, count FROM exclusions WHERE metric_id = $metric',
    { metric },
  );
  return Object.fromEntries(rows.map((r) => [`${r.period}|${r.hospital_id}|${r.reason}`, r.count]));
}

/** Fact rows of one metric for one patient, as plain objects. */
export async function facts(db: Db, metric: string, patient: string): Promise<Record<string, unknown>[]> {
  return db.all(`SELECT * REPLACE (CAST(period_date AS VARCHAR) AS period_date) FROM ${ident('fact_' + metric)} WHERE patient_id = $patient ORDER BY ALL`, { patient });
}
