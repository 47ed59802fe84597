import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { loadNative } from '../../pipeline/ingest/load/native.js';
import { validate } from '../../pipeline/ingest/load/validate.js';
import { ADM_HEADER, TRT_HEADER, csv, tempDir, writeFiles } from './helpers.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:', { timezone: 'Europe/Copenhagen' });
});
afterEach(() => db.close());

async function load(files: Record<string, string>) {
  const dir = writeFiles(tempDir(), files);
  await loadNative(db, dir);
  const tables = await validate(db);
  const rejects = await db.all<{ table_name: string; line: number; rule: string; column_name: string; raw_value: string }>(
    `SELECT table_name, line, rule, column_name, raw_value FROM rejects ORDER BY table_name, line, rule`,
  );
  return { dir, tables, rejects };
}

describe('validation rules', () => {
  it('rejects each broken rule with its line, column and raw value', async () => {
    const { rejects, tables } = await load({
      'patients.csv': csv('patient_id,birth_year,sex,death_date', [
        'p1,1950,F,',
        'p2,nineteen,M,', // line 3: invalid_integer
        'p3,1960,X,', // line 4: invalid_code
        'p4,1940,m,2024-01-10', // lower-case sex is accepted
        'p1,1951,F,', // line 6: duplicate_id
      ]),
      'admissions.csv': csv(ADM_HEADER, [
        'a1,p1,H1,MED,2024-01-01 08:00,2024-01-02 08:00,acute,home',
        'a2,p1,H1,MED,2024-13-01 08:00,,acute,home', // line 3: invalid_timestamp
        'a3,p1,H1,MED,2024-01-05 08:00,2024-01-04 08:00,acute,home', // line 4: discharge_before_admit
        'a4,p1,H1,MED,2024-01-05 08:00,,emergency,home', // line 5: invalid_code (admission_type)
        'a5,,H1,MED,2024-01-05 08:00,,acute,home', // line 6: required_missing patient_id
        'a1,p1,H1,MED,2024-02-01 08:00,,acute,home', // line 7: duplicate_id
        'a7,p4,H1,MED,2024-01-12 08:00,,acute,home', // line 8: after_death (2 days after)
        'a8,p4,H1,MED,2024-01-11 23:00,2024-01-12 01:00,acute,died', // one day after death: allowed
        'a9,p1,H1,MED,2124-06-01 08:00,2124-06-02,elective,', // far future: legal
      ]),
      'treatments.csv': csv(TRT_HEADER, [
        't1,p1,H1,CARD,2024-01-10 09:00,,ambulatory,',
        't2,p1,H1,CARD,2024-01-10 09:00,2024-01-10 08:00,ambulatory,', // line 3: end_before_start
        't3,p1,H1,CARD,2024-01-10 09:00,,inpatient,', // line 4: invalid_code setting
        't4,p1,H1,CARD,2024-01-10 09:00,,ambulatory,phone', // line 5: invalid_code mode
        't5,p1,H1,CARD,,,ambulatory,', // line 6: required_missing start_ts
      ]),
    });
    expect(rejects).toEqual([
      { table_name: 'admissions', line: 3, rule: 'invalid_timestamp', column_name: 'admit_ts', raw_value: '2024-13-01 08:00' },
      { table_name: 'admissions', line: 4, rule: 'discharge_before_admit', column_name: 'discharge_ts', raw_value: '2024-01-04 08:00' },
      { table_name: 'admissions', line: 5, rule: 'invalid_code', column_name: 'admission_type', raw_value: 'emergency' },
      { table_name: 'admissions', line: 6, rule: 'required_missing', column_name: 'patient_id', raw_value: '' },
      { table_name: 'admissions', line: 7, rule: 'duplicate_id', column_name: 'admission_id', raw_value: 'a1' },
      { table_name: 'admissions', line: 8, rule: 'after_death', column_name: 'admit_ts', raw_value: '2024-01-12 08:00:00' },
      { table_name: 'patients', line: 3, rule: 'invalid_integer', column_name: 'birth_year', raw_value: 'nineteen' },
      { table_name: 'patients', line: 4, rule: 'invalid_code', column_name: 'sex', raw_value: 'X' },
      { table_name: 'patients', line: 6, rule: 'duplicate_id', column_name: 'patient_id', raw_value: 'p1' },
      { table_name: 'treatments', line: 3, rule: 'end_before_start', column_name: 'end_ts', raw_value: '2024-01-10 08:00' },
      { table_name: 'treatments', line: 4, rule: 'invalid_code', column_name: 'setting', raw_value: 'inpatient' },
      { table_name: 'treatments', line: 5, rule: 'invalid_code', column_name: 'mode', raw_value: 'phone' },
      { table_name: 'treatments', line: 6, rule: 'required_missing', column_name: 'start_ts', raw_value: '' },
    ]);
    const none = { rows_superseded: 0, replaced: 0, unchanged: 0, removed: 0 };
    expect(tables).toEqual([
      { table: 'patients', rows_read: 5, rows_parsed: 5, rows_loaded: 2, rows_rejected: 3, reject_share: 0.6, inserted: 2, ...none },
      { table: 'admissions', rows_read: 9, rows_parsed: 9, rows_loaded: 3, rows_rejected: 6, reject_share: 6 / 9, inserted: 3, ...none },
      { table: 'treatments', rows_read: 5, rows_parsed: 5, rows_loaded: 1, rows_rejected: 4, reject_share: 0.8, inserted: 1, ...none },
    ]);
    const adm = await db.all(
      `SELECT admission_id, CAST(admit_ts AS VARCHAR) AS admit, discharge_disposition, department_id FROM admissions ORDER BY admission_id`,
    );
    expect(adm).toEqual([
      { admission_id: 'a1', admit: '2024-01-01 08:00:00', discharge_disposition: 'home', department_id: 'MED' },
      { admission_id: 'a8', admit: '2024-01-11 23:00:00', discharge_disposition: 'died', department_id: 'MED' },
      { admission_id: 'a9', admit: '2124-06-01 08:00:00', discharge_disposition: 'unknown', department_id: 'MED' },
    ]);
    const pts = await db.all(`SELECT patient_id, sex FROM patients ORDER BY patient_id`);
    expect(pts).toEqual([
      { patient_id: 'p1', sex: 'F' },
      { patient_id: 'p4', sex: 'M' },
    ]);
  });

  it('converts timestamps with an offset to the configured zone and applies defaults', async () => {
    await load({
      'admissions.csv': csv('admission_id,patient_id,hospital_id,admit_ts,discharge_ts', [
        'a1,p1,H1,2024-03-01T08:30:00Z,2024-03-02',
        'a2,p1,H1,2024-07-01T08:30+02:00,2024-07-01T20:00:00',
      ]),
      'treatments.csv': csv('treatment_id,patient_id,hospital_id,start_ts,setting', ['t1,p1,H1,2024-03-05,emergency']),
    });
    const rows = await db.all(
      `SELECT admission_id, CAST(admit_ts AS VARCHAR) AS a, CAST(discharge_ts AS VARCHAR) AS d, department_id, admission_type, discharge_disposition FROM admissions ORDER BY 1`,
    );
    expect(rows).toEqual([
      { admission_id: 'a1', a: '2024-03-01 09:30:00', d: '2024-03-02 00:00:00', department_id: 'UNKNOWN', admission_type: 'unknown', discharge_disposition: 'unknown' },
      { admission_id: 'a2', a: '2024-07-01 08:30:00', d: '2024-07-01 20:00:00', department_id: 'UNKNOWN', admission_type: 'unknown', discharge_disposition: 'unknown' },
    ]);
    expect(await db.scalar(`SELECT mode FROM treatments`)).toBe('in_person');
  });

  it('keeps the first of duplicate ids within a file; a later file (by path) replaces the row of an earlier one', async () => {
    const { tables } = await load({
      'admissions/part-2.csv': csv(ADM_HEADER, [
        'a1,p2,H1,MED,2024-01-01 08:00,,acute,home',
        'a1,p3,H1,MED,2024-01-01 08:00,,acute,home',
      ]),
      'admissions/part-1.csv': csv(ADM_HEADER, [
        'a1,pBAD,H1,MED,not a date,,acute,home',
        'a1,p1,H1,MED,2024-01-01 08:00,,acute,home',
        'a2,p1,H1,MED,2024-01-01 08:00,,acute,home',
      ]),
      'treatments.csv': csv(TRT_HEADER, []),
    });
    const rows = await db.all<{ admission_id: string; patient_id: string; _source_file: string; _line: number }>(
      `SELECT admission_id, patient_id, _source_file, _line FROM admissions ORDER BY 1`,
    );
    expect(rows.map((r) => [r.admission_id, r.patient_id, r._source_file.split('/').pop(), r._line])).toEqual([
      ['a1', 'p2', 'part-2.csv', 2],
      ['a2', 'p1', 'part-1.csv', 4],
    ]);
    const rej = await db.all<{ source_file: string; line: number; rule: string }>(`SELECT source_file, line, rule FROM rejects ORDER BY source_file, line`);
    expect(rej.map((r) => [r.source_file.split('/').slice(-2).join('/'), r.line, r.rule])).toEqual([
      ['admissions/part-1.csv', 2, 'invalid_timestamp'],
      ['admissions/part-2.csv', 3, 'duplicate_id'],
    ]);
    expect(tables.find((t) => t.table === 'admissions')).toMatchObject({ rows_read: 5, rows_loaded: 2, rows_rejected: 2, rows_superseded: 1 });
  });
});
