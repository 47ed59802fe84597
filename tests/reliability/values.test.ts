/**
 * Bad values are quarantined with a rule, never crash the run or change other rows:
 * docs/operations.md, "What outcomes refuses, and why".
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../pipeline/core/config.js';
import { validate } from '../../pipeline/ingest/load/validate.js';
import { run as runAdapter } from '../adapters/helpers.js';
import { exitCodeOf } from '../../pipeline/core/errors.js';
import { ADM, TRT, admissionRows, cleanUp, csv, inputDir, loadAndValidate, loadError, runCli, tempDir } from './input-fixtures.js';

afterAll(cleanUp);

/** 200 good admissions with the given rows after them (lines 202, 203, …). */
function admissionsWith(rows: string[], header = ADM): string {
  return csv(header, [...admissionRows(200), ...rows]);
}

async function rejectsOf(files: Record<string, string>, opts = {}) {
  const { db, rejects, tables } = await loadAndValidate(inputDir(files), opts);
  const kept = await db.all<{ admission_id: string }>(`SELECT admission_id FROM admissions ORDER BY _line`);
  db.close();
  return { rejects: rejects.map(({ line, rule, column_name, raw_value, kind }) => ({ line, rule, column_name, raw_value, kind })), tables, kept };
}

describe('numbers within what a column can mean', () => {
  it('drg_weight above 1,000,000,000 is rejected naming the column; the bound itself and ordinary weights load', async () => {
    const header = ADM + ',drg_weight';
    const rows = ['x1,p1,H1,MED,2024-01-02 08:00,2024-01-03 08:00,acute,home,1e26', 'x2,p1,H1,MED,2024-01-02 08:00,2024-01-03 08:00,acute,home,1000000000', 'x3,p1,H1,MED,2024-01-02 08:00,2024-01-03 08:00,acute,home,-1'];
    const { rejects } = await rejectsOf({ 'admissions.csv': csv(header, [...admissionRows(200).map((r) => r + ',1.25'), ...rows]) });
    expect(rejects).toEqual([
      { line: 202, rule: 'number_too_large', column_name: 'drg_weight', raw_value: '1e26', kind: 'reject' },
      { line: 204, rule: 'negative_number', column_name: 'drg_weight', raw_value: '-1', kind: 'reject' },
    ]);
  });

  it('the command line: a run with drg_weight 1e26 (exit 1 before) succeeds with the row in rejects.csv', () => {
    const header = ADM + ',drg_weight';
    const rows = [...admissionRows(300).map((r) => r + ',1.25'), 'x1,p1,H1,MED,2024-01-02 08:00,2024-01-03 08:00,acute,home,1e26'];
    const r = runCli(inputDir({ 'admissions.csv': csv(header, rows) }));
    expect(r.stderr).not.toMatch(/unexpected failure/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.work, 'out', 'rejects.csv'), 'utf8')).toMatch(/,302,number_too_large,drg_weight,1e26,reject/);
  }, 300_000);
});

describe('timestamps', () => {
  it('an offset outside −12:00..+14:00 or with minutes of 60 or more is invalid_timestamp; real offsets load', async () => {
    const at = (id: string, ts: string) => `${id},p1,H1,MED,${ts},,acute,home`;
    const { rejects, kept } = await rejectsOf({
      'admissions.csv': admissionsWith([
        at('o1', '2024-01-05 08:00+99:99'),
        at('o2', '2024-01-05 08:00+15:00'),
        at('o3', '2024-01-05 08:00-13:00'),
        at('o4', '2024-01-05 08:00+05:60'),
        at('o5', '2024-01-05 08:00+14:01'),
        at('k1', '2024-01-05 08:00+14:00'),
        at('k2', '2024-01-05 08:00-12:00'),
        at('k3', '2024-01-05T08:00+0545'),
        at('k4', '2024-01-05T08:00:00Z'),
        at('k5', '2024-01-05 08:00-03'),
      ]),
    });
    expect(rejects.map((r) => [r.line, r.rule, r.raw_value])).toEqual([
      [202, 'invalid_timestamp', '2024-01-05 08:00+99:99'],
      [203, 'invalid_timestamp', '2024-01-05 08:00+15:00'],
      [204, 'invalid_timestamp', '2024-01-05 08:00-13:00'],
      [205, 'invalid_timestamp', '2024-01-05 08:00+05:60'],
      [206, 'invalid_timestamp', '2024-01-05 08:00+14:01'],
    ]);
    expect(kept.slice(200).map((r) => r.admission_id)).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
  });

  it('a year before 1900 or after 2999 is implausible_timestamp (implausible_date for a death date); the 2100s stay legal', async () => {
    const at = (id: string, admit: string, discharge = '') => `${id},p1,H1,MED,${admit},${discharge},acute,home`;
    const { rejects, kept } = await rejectsOf({
      'admissions.csv': admissionsWith([
        at('y1', '0001-01-01 08:00'),
        at('y2', '1899-12-31 23:59'),
        at('y3', '2024-01-05 08:00', '9999-12-30 08:00'),
        at('y4', '3000-01-01'),
        at('k1', '1900-01-01 00:00', '1900-01-02'),
        at('k2', '2150-06-01 08:00', '2150-06-03 08:00'),
        at('k3', '2999-12-31 08:00'),
      ]),
      'patients.csv': csv('patient_id,birth_year,sex,death_date', ['p1,1950,F,', 'p2,1950,M,1850-01-01', 'p3,1950,M,3001-01-01']),
    });
    expect(rejects.map((r) => [r.line, r.rule, r.column_name, r.raw_value])).toEqual([
      [202, 'implausible_timestamp', 'admit_ts', '0001-01-01 08:00'],
      [203, 'implausible_timestamp', 'admit_ts', '1899-12-31 23:59'],
      [204, 'implausible_timestamp', 'discharge_ts', '9999-12-30 08:00'],
      [205, 'implausible_timestamp', 'admit_ts', '3000-01-01'],
      [3, 'implausible_date', 'death_date', '1850-01-01'],
      [4, 'implausible_date', 'death_date', '3001-01-01'],
    ]);
    expect(kept.slice(200).map((r) => r.admission_id)).toEqual(['k1', 'k2', 'k3']);
  });

  it('the years are configurable (earliest_year, latest_year); a latest before the earliest is a config error', async () => {
    const at = (id: string, admit: string) => `${id},p1,H1,MED,${admit},,acute,home`;
    const files = { 'admissions.csv': admissionsWith([at('z1', '1950-01-01'), at('z2', '2150-06-01')]) };
    const cfg = parseConfig({ earliest_year: 2000, latest_year: 2100 });
    const { rejects } = await rejectsOf(files, cfg);
    expect(rejects.map((r) => [r.line, r.rule])).toEqual([
      [202, 'implausible_timestamp'],
      [203, 'implausible_timestamp'],
    ]);
    expect(parseConfig({}).earliest_year).toBe(1900);
    expect(parseConfig({}).latest_year).toBe(2999);
    expect(() => parseConfig({ earliest_year: 2000, latest_year: 1999 })).toThrow(/key "latest_year": must not be before earliest_year/);
  });
});

describe('birth years', () => {
  it('outside 1880..the cutoff year: cleared and listed (kind cleared, not counted by the gate); the row, its sex and death date stay', async () => {
    const files = {
      // The newest event is in 2024: that is the cutoff's year.
      'admissions.csv': admissionsWith([]),
      'patients.csv': csv('patient_id,birth_year,sex,death_date', ['p1,1879,F,2024-03-01', 'p2,1880,M,', 'p3,2024,F,', 'p4,2025,M,', 'p5,1950,F,']),
    };
    const { db, rejects, tables } = await loadAndValidate(inputDir(files));
    const patients = await db.all(`SELECT patient_id, birth_year, sex, CAST(death_date AS VARCHAR) AS death_date FROM patients ORDER BY patient_id`);
    // Validating the same rows again changes nothing: the cleared value is not a change.
    const again = await validate(db);
    db.close();
    expect(patients).toEqual([
      { patient_id: 'p1', birth_year: null, sex: 'F', death_date: '2024-03-01' },
      { patient_id: 'p2', birth_year: 1880, sex: 'M', death_date: null },
      { patient_id: 'p3', birth_year: 2024, sex: 'F', death_date: null },
      { patient_id: 'p4', birth_year: null, sex: 'M', death_date: null },
      { patient_id: 'p5', birth_year: 1950, sex: 'F', death_date: null },
    ]);
    expect(rejects).toEqual([
      { table_name: 'patients', line: 2, rule: 'implausible_birth_year', column_name: 'birth_year', raw_value: '1879', kind: 'cleared' },
      { table_name: 'patients', line: 5, rule: 'implausible_birth_year', column_name: 'birth_year', raw_value: '2025', kind: 'cleared' },
    ]);
    expect(tables.find((t) => t.table === 'patients')).toMatchObject({ rows_read: 5, rows_loaded: 5, rows_rejected: 0 });
    expect(again.find((t) => t.table === 'patients')).toMatchObject({ unchanged: 5, replaced: 0 });
  });

  it('with a configured cutoff, its year is the bound', async () => {
    const files = { 'admissions.csv': admissionsWith([]), 'patients.csv': csv('patient_id,birth_year,sex,death_date', ['p1,2021,F,', 'p2,2022,M,']) };
    const { rejects } = await rejectsOf(files, { cutoff: '2021-12-31T23:30:00-02:00' });
    // 23:30 at −02:00 is 2022-01-01 01:30 UTC, in 2022.
    expect(rejects.map((r) => r.line)).toEqual([]);
    const { rejects: r2 } = await rejectsOf(files, { cutoff: '2021-06-30' });
    expect(r2.map((r) => [r.line, r.kind])).toEqual([[3, 'cleared']]);
  });
});

describe('ids and codes', () => {
  it('longer than 256 characters, or holding a control character: rejected with a rule; the raw value is cut and made visible', async () => {
    const long = 'p' + 'x'.repeat(5_000);
    const at = (id: string, patient: string, dept = 'MED') => `${id},${patient},H1,${dept},2024-01-05 08:00,,acute,home`;
    const { rejects, kept } = await rejectsOf({
      'admissions.csv': admissionsWith([
        at('t1', long),
        at('t2', 'p\u00001'),
        at('t3', 'p1', 'ME\tD'),
        at('k1', 'y'.repeat(256)),
        at('k2', 'æ'.repeat(256)),
        // A quoted line break, last: a record that spans lines shifts the line numbers after it.
        at('t4', 'p1', '"ME\nD"'),
      ]),
    });
    expect(rejects.map((r) => [r.line, r.rule, r.column_name])).toEqual([
      [202, 'text_too_long', 'patient_id'],
      [203, 'control_character', 'patient_id'],
      [204, 'control_character', 'department_id'],
      [207, 'control_character', 'department_id'],
    ]);
    expect(rejects[0]!.raw_value).toBe(long.slice(0, 1000) + '… (5001 characters)');
    expect(rejects[1]!.raw_value).toBe('p␀1');
    expect(rejects[2]!.raw_value).toBe('ME␉D');
    expect(rejects[3]!.raw_value).toBe('ME␊D');
    expect(kept.slice(200).map((r) => r.admission_id)).toEqual(['k1', 'k2']);
  });
});

describe('a CSV line longer than the reader allows', () => {
  it('at line 11 (before: "CSV Error on Line: 1", exit 2): that row is rejected with its line; the rows after keep theirs', async () => {
    const rows = admissionRows(40);
    rows[9] = `a9,p${'x'.repeat(3_000_000)},H1,MED,2024-01-10 08:00,,acute,home`;
    const { rejects, kept, tables } = await rejectsOf({ 'admissions.csv': csv(ADM, rows) });
    expect(rejects.map((r) => [r.line, r.rule])).toEqual([[11, 'unparseable_row']]);
    expect(rejects[0]!.raw_value).toMatch(/^a9,pxxx/);
    expect(rejects[0]!.raw_value).toBe(`${rows[9]!.slice(0, 1000)}… (${rows[9]!.length} bytes) [line size over maximum]`);
    expect(kept.length).toBe(39);
    expect(tables.find((t) => t.table === 'admissions')).toMatchObject({ rows_read: 40, rows_rejected: 1 });
  });

  it('far down the file: the same rule, its real line, and a raw value cut to 1,000 characters', async () => {
    const rows = admissionRows(30_000);
    rows[25_000] = `a25000,p${'x'.repeat(2_500_000)},H1,MED,2024-01-10 08:00,,acute,home`;
    const { rejects } = await rejectsOf({ 'admissions.csv': csv(ADM, rows) });
    expect(rejects.map((r) => [r.line, r.rule])).toEqual([[25_002, 'unparseable_row']]);
    expect(rejects[0]!.raw_value.length).toBeLessThan(1100);
  }, 120_000);
});

describe('a CSV line beyond any sensible length', () => {
  it('longer than 8 MiB: the run stops (exit 2) naming the file, the line and the cause', async () => {
    const rows = admissionRows(20);
    rows[4] = `a4,p${'x'.repeat(8 * 1024 * 1024)},H1,MED,2024-01-05 08:00,,acute,home`;
    const dir = inputDir({ 'admissions.csv': csv(ADM, rows) });
    const e = await loadError(dir);
    expect(e.message).toBe(`${join(dir, 'admissions.csv')}: line 6 is ${rows[4]!.length} bytes long; outcomes reads CSV lines of up to 8388608 bytes`);
    expect(exitCodeOf(e)).toBe(2);
  }, 120_000);
});

describe('empty tables', () => {
  it('admissions with a header and no rows: the quality gate fails (exit 3) saying so', () => {
    const r = runCli(inputDir({ 'admissions.csv': ADM + '\n' }));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/admissions: the table has no rows \(its files hold a header and nothing else\)/);
  }, 300_000);

  it('treatments with a header and no rows is legal: the run succeeds and names the metrics without values', () => {
    const r = runCli(inputDir({ 'admissions.csv': csv(ADM, admissionRows(300)), 'treatments.csv': TRT + '\n' }));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/treatments has no rows \(legal: inpatient-only extracts have none\); metrics without values in this run: .*\bambulatory_visits\b/);
    expect(r.stderr).toMatch(/metrics without values in this run: .*\bemergency_visits\b.*\btreatments\b/);
  }, 300_000);
});

describe('the adapters feed the same rules', () => {
  it('Synthea: an implausible date, an over-long id and a birth year before 1880 are quarantined like native rows', async () => {
    const dir = tempDir();
    cpSync('fixtures/synthea/v3', dir, { recursive: true });
    const enc = readFileSync(join(dir, 'encounters.csv'), 'utf8').trimEnd().split('\n');
    const like = enc.find((l) => l.startsWith('e_inp_after_er,'))!;
    enc.push(like.replace('e_inp_after_er,2024-01-10T12:00:00Z', 'e_year_one,0001-01-10T12:00:00Z'));
    enc.push(like.replace('e_inp_after_er,', `e_${'x'.repeat(300)},`));
    writeFileSync(join(dir, 'encounters.csv'), enc.join('\n') + '\n');
    const pts = readFileSync(join(dir, 'patients.csv'), 'utf8').replace('p_home,1950-04-02', 'p_home,1850-04-02');
    writeFileSync(join(dir, 'patients.csv'), pts);
    const { db } = await runAdapter('synthea', dir);
    await validate(db);
    const rejects = await db.all<{ rule: string; column_name: string; kind: string }>(
      `SELECT rule, column_name, kind FROM rejects WHERE rule IN ('implausible_timestamp', 'text_too_long', 'implausible_birth_year') ORDER BY rule`,
    );
    db.close();
    expect(rejects).toEqual([
      { rule: 'implausible_birth_year', column_name: 'birth_year', kind: 'cleared' },
      { rule: 'implausible_timestamp', column_name: 'admit_ts', kind: 'reject' },
      { rule: 'text_too_long', column_name: 'admission_id', kind: 'reject' },
    ]);
  });
});

