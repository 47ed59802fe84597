/**
 * The per-row rules (pipeline/ingest/load/rows.ts) give a row that breaks no rule the empty list
 * without building one, and list the rules of the others: so each rule must count on its own.
 * For every column of every table, a valid row with that one field broken is parsed and must
 * carry exactly the rule it breaks; the valid row itself carries none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db, ident, literal } from '../../pipeline/core/db.js';
import { checkSelect, installMacros, yearParams } from '../../pipeline/ingest/load/rows.js';
import { TABLES, type TableName } from '../../pipeline/ingest/schema.js';

const VALID: Record<TableName, Record<string, string>> = {
  patients: { patient_id: 'p1', birth_year: '1950', sex: 'F', death_date: '2024-05-01' },
  admissions: {
    admission_id: 'a1',
    patient_id: 'p1',
    hospital_id: 'H1',
    department_id: 'MED',
    admit_ts: '2024-01-01 08:00',
    discharge_ts: '2024-01-03 10:00',
    admission_type: 'acute',
    discharge_disposition: 'home',
    primary_diagnosis: 'I21',
    drg_code: 'D1',
    drg_weight: '1.5',
  },
  treatments: {
    treatment_id: 't1',
    patient_id: 'p1',
    hospital_id: 'H1',
    department_id: 'MED',
    start_ts: '2024-01-05 09:00',
    end_ts: '2024-01-05 09:30',
    setting: 'ambulatory',
    mode: 'in_person',
    procedure_code: 'X1',
  },
};

/** One broken value per column and the rule it breaks: `cases[table]` = [column, value, rule]. */
function cases(table: TableName): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const c of TABLES[table].columns) {
    if (c.required || c.id) out.push([c.name, '', 'required_missing']);
    if (c.kind === 'enum') out.push([c.name, 'nonsense', 'invalid_code']);
    if (c.kind === 'integer') out.push([c.name, '1.5', 'invalid_integer']);
    if (c.kind === 'number') out.push([c.name, 'x', 'invalid_number']);
    // An end too early would also end before its start: it is implausibly late instead.
    if (c.kind === 'timestamp') out.push([c.name, '2024-13-01', 'invalid_timestamp'], [c.name, c.notBefore ? '3100-01-01 00:00' : '1800-01-01 08:00', 'implausible_timestamp']);
    if (c.kind === 'date') out.push([c.name, 'May 1', 'invalid_date'], [c.name, '1800-01-01', 'implausible_date']);
    if (c.kind === 'text') out.push([c.name, 'a\tb', 'control_character'], [c.name, 'x'.repeat(300), 'text_too_long']);
    if (c.min !== undefined) out.push([c.name, '-1', 'negative_number']);
    if (c.max !== undefined) out.push([c.name, '2e9', 'number_too_large']);
    if (c.notBefore) out.push([c.name, '2023-01-01 00:00', c.name === 'discharge_ts' ? 'discharge_before_admit' : 'end_before_start']);
  }
  return out;
}

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
  await installMacros(db);
});
afterAll(() => db.close());

describe.each(['patients', 'admissions', 'treatments'] as const)('one broken field of %s', (table) => {
  it('carries exactly its rule, and the valid row none', async () => {
    const cols = TABLES[table].columns.map((c) => c.name);
    const rows: Record<string, string>[] = [VALID[table], ...cases(table).map(([col, value]) => ({ ...VALID[table], [col]: value }))];
    const values = rows.map((r, i) => `(${cols.map((c) => literal(r[c]!)).join(', ')}, 'f', ${i + 1})`).join(',\n');
    await db.run(`CREATE OR REPLACE TEMP TABLE src AS SELECT * FROM (VALUES ${values}) t(${[...cols, '_source_file', '_line'].map(ident).join(', ')})`);
    const got = await db.all<{ line: number; rules: string }>(
      `SELECT _line AS line, array_to_string(list_transform(_errs, e -> e.rule || ':' || e.col), ',') AS rules FROM (${checkSelect(table, 'src')}) ORDER BY _line`,
      yearParams({}),
    );
    expect(got.map((g) => g.rules)).toEqual(['', ...cases(table).map(([col, , rule]) => `${rule}:${col}`)]);
  });
});
