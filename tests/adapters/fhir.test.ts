import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../pipeline/core/errors.js';
import type { Db } from '../../pipeline/core/db.js';
import { ADMISSIONS, PATIENTS, REJECTS, TREATMENTS, run, tempDir, tuples } from './helpers.js';

const DIR = 'fixtures/fhir';
const ENC = `${DIR}/Encounter.ndjson`;
const PART2 = `${DIR}/bulk-part-002.ndjson`;
const PROC = `${DIR}/Procedure.ndjson`;
const PAT = `${DIR}/Patient.ndjson`;

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('FHIR adapter on fixtures/fhir (time zone UTC)', () => {
  it('maps every class, priority and disposition variant onto raw admissions', async () => {
    ({ db } = await run('fhir', DIR));
    expect(await tuples(db, ADMISSIONS)).toEqual([
      // ACUTE as an R5 class array, urn:uuid subject, conditional serviceProvider reference, type as department, actualPeriod, admission.dischargeDisposition exp
      ['enc_acute_r5', 'p_died', 'H2', 'SURG', '2024-03-01T10:00:00Z', '2024-03-05T12:00:00Z', 'elective', 'died', ENC, 2],
      ['enc_dispo_02', 'p_other', 'H1', null, '2024-07-10T08:00:00Z', '2024-07-11T08:00:00Z', 'unknown', 'transfer', PART2, 8],
      ['enc_dispo_other', 'p_other', 'H1', null, '2024-07-01T08:00:00Z', '2024-07-03T08:00:00Z', 'acute', 'other', PART2, 7],
      // EMER from a date alone (midnight) to 13:00: 13 hours → admission, acute
      ['enc_emer_dateonly', 'p_other', 'H2', null, '2024-08-01', '2024-08-01T13:00:00', 'acute', 'unknown', PART2, 9],
      // EMER of 14 hours → admission; acute overrides priority EL
      ['enc_emer_long', 'p_unknown', 'H2', null, '2024-04-10T20:00:00Z', '2024-04-11T10:00:00Z', 'acute', 'transfer', ENC, 7],
      // serviceType wins over type; NUBC 01 → home; the offset is kept as in the source
      ['enc_imp', 'p_home', 'H1', 'CARD', '2024-01-10T08:00:00+01:00', '2024-01-12T10:00:00+01:00', 'acute', 'home', ENC, 1],
      // NONAC, priority R, NUBC code written as "4" → 04 → facility
      ['enc_nonac', 'p_other', 'H1', null, '2024-02-01', '2024-02-20', 'elective', 'facility', ENC, 3],
      // OBSENC of exactly 12 hours → admission, acute; NUBC 84 (planned readmission of 04) → facility
      ['enc_obs_long', 'p_other', 'H1', null, '2024-05-10T08:00:00', '2024-05-10T20:00:00', 'acute', 'facility', ENC, 9],
    ]);
  });

  it('maps ambulatory, virtual, observation and emergency encounters onto raw treatments with their first completed procedure', async () => {
    ({ db } = await run('fhir', DIR));
    expect(await tuples(db, TREATMENTS)).toEqual([
      // pr0 (not-done, earliest) is ignored; pr1 at 09:00 comes before pr2 at 10:00
      ['enc_amb', 'p_home', 'H1', 'DIAB', '2024-01-20T09:00:00Z', '2024-01-20T11:00:00Z', 'ambulatory', 'in_person', 'C-EARLY', ENC, 4],
      // 00:00-05:00 to 12:30-04:00 is 11.5 hours as instants and in UTC wall-clock time
      ['enc_emer_dst', 'p_other', 'H2', null, '2024-03-10T00:00:00-05:00', '2024-03-10T12:30:00-04:00', 'emergency', 'in_person', null, PART2, 10],
      // no end: under 12 hours
      ['enc_emer_noend', 'p_home', 'H1', null, '2024-06-01T08:00:00Z', null, 'emergency', 'in_person', null, PART2, 1],
      // procedure linked by urn:uuid, timed by performedPeriod.start
      ['enc_emer_short', 'p_unknown', 'H2', null, '2024-04-01T20:00:00Z', '2024-04-01T23:00:00Z', 'emergency', 'in_person', 'C-ER', ENC, 6],
      // OBSENC of 11:59:59 → ambulatory in person
      ['enc_obs_short', 'p_other', 'H1', null, '2024-05-01T08:00:00', '2024-05-01T19:59:59', 'ambulatory', 'in_person', null, ENC, 8],
      // two procedures at the same time: the smaller id (pr7) wins
      ['enc_vr', 'p_home', 'H1', null, '2024-01-21T09:00:00Z', '2024-01-21T09:20:00Z', 'ambulatory', 'virtual', 'C-A', ENC, 5],
    ]);
  });

  it('maps patients: birth year, gender, and the date of deceasedDateTime in the configured zone', async () => {
    ({ db } = await run('fhir', DIR));
    expect(await tuples(db, PATIENTS)).toEqual([
      // 2024-03-05T23:30-05:00 is 2024-03-06 04:30 UTC
      ['p_died', '1940', 'M', '2024-03-06', PAT, 2],
      ['p_home', '1950', 'F', null, PAT, 1],
      ['p_other', '1985', 'O', null, PAT, 3],
      ['p_unknown', '2001', 'U', null, PAT, 4],
    ]);
  });

  it('lists what it cannot map in rejects: skipped classes, broken encounters, procedures without a usable encounter', async () => {
    ({ db } = await run('fhir', DIR));
    expect(await tuples(db, REJECTS)).toEqual([
      ['Procedure', PROC, 5, 'without_encounter', 'encounter', null, 'skip'],
      ['Procedure', PROC, 6, 'encounter_not_in_export', 'encounter', 'Encounter/enc_missing', 'skip'],
      ['Encounter', PART2, 2, 'class_not_mapped', 'class', 'HH', 'skip'],
      ['Encounter', PART2, 4, 'class_not_mapped', 'class', null, 'skip'],
      ['admissions', PART2, 5, 'missing_period_start', 'period.start', '{"end":"2024-06-04T08:00:00Z"}', 'reject'],
      ['treatments', PART2, 6, 'patient_not_in_export', 'subject', 'Patient/p_ghost', 'reject'],
    ]);
  });

  it('reports every file read with its resource type and records, and counts every record by outcome', async () => {
    const r = await run('fhir', DIR);
    db = r.db;
    expect(r.report.files).toEqual([
      { path: ENC, table: 'Encounter', rows: 9 },
      { path: PAT, table: 'Patient', rows: 4 },
      { path: PROC, table: 'Procedure', rows: 9 },
      // recognised by its lines, not its name; one of its 10 lines is an Observation
      { path: PART2, table: 'Encounter', rows: 10 },
    ]);
    expect(r.report.counts).toEqual({
      'file:ignored:Observation': 1,
      'resource:ignored:Observation': 1,
      'patient:loaded': 4,
      'encounter:admission': 5,
      'encounter:admission_12h': 3,
      'encounter:ambulatory': 2,
      'encounter:virtual': 1,
      'encounter:emergency': 3,
      'encounter:skipped:HH': 1,
      'encounter:skipped:(none)': 1,
      'encounter:rejected:missing_period_start': 1,
      'encounter:rejected:patient_not_in_export': 1,
      'encounter_status:completed': 1,
      'encounter_status:finished': 16,
      'encounter_status:in-progress': 1,
      'procedure:code_used': 3,
      'procedure:not_first': 2,
      'procedure:not_completed': 1,
      'procedure:not_for_treatment': 1,
      'procedure:without_encounter': 1,
      'procedure:encounter_not_in_export': 1,
    });
    // 18 encounters, 9 procedures: every record has exactly one outcome
    const sum = (prefix: string) =>
      Object.entries(r.report.counts).filter(([k]) => k.startsWith(prefix)).reduce((s, [, n]) => s + n, 0);
    expect(sum('encounter:')).toBe(18);
    expect(sum('procedure:')).toBe(9);
  });
});

describe('FHIR adapter: time zones and export variants', () => {
  it('reads durations and death dates as wall-clock time in the configured zone', async () => {
    ({ db } = await run('fhir', DIR, { timezone: 'America/New_York' }));
    // In New York wall-clock time the DST-day visit lasts 00:00 → 12:30 = 12.5 hours: an admission.
    expect(await tuples(db, `SELECT admission_id, admission_type FROM raw_admissions WHERE admission_id = 'enc_emer_dst'`)).toEqual([
      ['enc_emer_dst', 'acute'],
    ]);
    expect(await tuples(db, `SELECT patient_id, death_date FROM raw_patients WHERE patient_id = 'p_died'`)).toEqual([['p_died', '2024-03-05']]);
  });

  it('without Patient resources: no raw_patients table and no patient check', async () => {
    const dir = tempDir('fhir-nopat');
    copyFileSync(ENC, join(dir, 'Encounter.ndjson'));
    const r = await run('fhir', dir);
    db = r.db;
    expect(await db.hasTable('raw_patients')).toBe(false);
    expect(Number(await db.scalar('SELECT count(*) FROM raw_admissions'))).toBe(5);
    expect(Number(await db.scalar('SELECT count(*) FROM raw_treatments'))).toBe(4);
    expect(r.report.counts['patient:loaded']).toBeUndefined();
  });

  it('reads gzipped NDJSON, and .jsonl files in sub-folders, and strips _history from references', async () => {
    const dir = tempDir('fhir-gz');
    writeFileSync(join(dir, 'a.ndjson.gz'), gzipSync(readFileSync(ENC)));
    const sub = join(dir, 'Patient');
    mkdirSync(sub);
    writeFileSync(
      join(sub, 'part1.jsonl'),
      '{"resourceType":"Patient","id":"p_home"}\n{"resourceType":"Patient","id":"p_other"}\n{"resourceType":"Patient","id":"p_died"}\n{"resourceType":"Patient","id":"p_unknown"}\n',
    );
    writeFileSync(
      join(dir, 'z.ndjson'),
      '{"resourceType":"Encounter","id":"v1","class":{"code":"AMB"},"subject":{"reference":"https://ehr.example/fhir/Patient/p_home/_history/3"},"serviceProvider":{"identifier":{"value":"H9"}},"period":{"start":"2024-09-01T10:00:00+02:00"}}\n',
    );
    const r = await run('fhir', dir);
    db = r.db;
    expect(r.report.files.map((f) => [f.table, f.rows])).toEqual([
      ['Patient', 4],
      ['Encounter', 9],
      ['Encounter', 1],
    ]);
    expect(await tuples(db, `SELECT treatment_id, patient_id, hospital_id FROM raw_treatments WHERE treatment_id = 'v1'`)).toEqual([['v1', 'p_home', 'H9']]);
    expect(Number(await db.scalar('SELECT count(*) FROM raw_admissions'))).toBe(5);
  });

  it('an export without Encounter resources is an input error naming what was found', async () => {
    const dir = tempDir('fhir-noenc');
    copyFileSync(PAT, join(dir, 'Patient.ndjson'));
    copyFileSync(`${DIR}/Observation.ndjson`, join(dir, 'Observation.ndjson'));
    const err = await run('fhir', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/no Encounter resources in .*found only Observation/);
  });

  it('a file with a byte order mark is an input error saying so', async () => {
    const dir = tempDir('fhir-bom');
    writeFileSync(join(dir, 'e.ndjson'), '\uFEFF' + readFileSync(ENC, 'utf8'));
    await expect(run('fhir', dir)).rejects.toThrow(/e\.ndjson starts with a byte order mark/);
  });

  it('a file that is not NDJSON is an input error naming the file', async () => {
    const dir = tempDir('fhir-bad');
    copyFileSync(ENC, join(dir, 'Encounter.ndjson'));
    writeFileSync(join(dir, 'broken.ndjson'), '{"resourceType":"Encounter","id":"x"}\n{not json\n');
    const err = await run('fhir', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('broken.ndjson');
  });
});
