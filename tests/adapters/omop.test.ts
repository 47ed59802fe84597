import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Db, literal } from '../../pipeline/core/db.js';
import { InputError } from '../../pipeline/core/errors.js';
import { ADMISSIONS, PATIENTS, REJECTS, TREATMENTS, run, tempDir, tuples } from './helpers.js';

const DIR = 'fixtures/omop/cdm54';
const V = `${DIR}/visit_occurrence.csv`;
const P = `${DIR}/PERSON.csv`;
const D = `${DIR}/death.csv`;

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

const EXPECTED_ADMISSIONS = (v: string) => [
  // 9201, discharged to 8536 → home; care site 10 → location 1
  ['101', '1', '1', '10', '2024-01-10 08:00:00', '2024-01-12 10:00:00', 'unknown', 'home', v, 2],
  // 262 (ER and inpatient) → acute; 4216643 → died
  ['102', '2', '2', '20', '2024-03-01 10:00:00', '2024-03-05 12:00:00', 'acute', 'died', v, 3],
  // 8717 admitted from 8870 (emergency room) → acute; dates only; 8863 → facility
  ['103', '3', '1', '10', '2024-02-01', '2024-02-20', 'acute', 'facility', v, 4],
  // 32037 admitted from source value "EMERGENCY ROOM" → acute; 8717 → transfer
  ['104', '3', '1', '10', '2024-07-01 08:00:00', '2024-07-03 08:00:00', 'acute', 'transfer', v, 5],
  // 581379, no care site → UNKNOWN department and hospital; discharged 0 → unknown
  ['105', '1', 'UNKNOWN', 'UNKNOWN', '2024-07-10 08:00:00', '2024-07-11 08:00:00', 'unknown', 'unknown', v, 6],
  // 8870 of 14 hours → admission, acute; 40482021 → against_advice
  ['111', '4', '2', '20', '2024-04-10 20:00:00', '2024-04-11 10:00:00', 'acute', 'against_advice', v, 12],
  // 581385 (observation) from date to next date: 24 hours → admission, acute; 38004285 → facility
  ['113', '3', '1', '10', '2024-05-10', '2024-05-11', 'acute', 'facility', v, 14],
  // person 4.0 and concept 9201.0 read as integers; discharged to 999 → other
  ['118', '4', '1', '10', '2024-07-10', '2024-07-11', 'unknown', 'other', v, 19],
];

const EXPECTED_TREATMENTS = (v: string) => [
  // 9202; care site 30 has no location → UNKNOWN hospital
  ['106', '1', 'UNKNOWN', '30', '2024-01-20 09:00:00', '2024-01-20 11:00:00', 'ambulatory', 'in_person', null, v, 7],
  ['107', '1', 'UNKNOWN', '30', '2024-01-22 09:00:00', '2024-01-22 09:30:00', 'ambulatory', 'in_person', null, v, 8],
  // care site 99 is not in care_site → UNKNOWN hospital, department 99
  ['108', '2', 'UNKNOWN', '99', '2024-02-22 09:00:00', '2024-02-22 15:00:00', 'ambulatory', 'in_person', null, v, 9],
  ['109', '1', 'UNKNOWN', '30', '2024-01-21 09:00:00', '2024-01-21 09:20:00', 'ambulatory', 'virtual', null, v, 10],
  ['110', '4', '2', '20', '2024-04-01 20:00:00', '2024-04-01 23:00:00', 'emergency', 'in_person', null, v, 11],
  // 581385 of 11 hours → ambulatory in person
  ['112', '3', '1', '10', '2024-05-01 08:00:00', '2024-05-01 19:00:00', 'ambulatory', 'in_person', null, v, 13],
  ['114', '1', '2', '20', '2024-06-01 08:00:00', null, 'emergency', 'in_person', null, v, 15],
];

describe('OMOP adapter on fixtures/omop/cdm54 (CSV, file names in mixed case)', () => {
  it('maps visits onto raw admissions and treatments', async () => {
    ({ db } = await run('omop', DIR));
    expect(await tuples(db, ADMISSIONS)).toEqual(EXPECTED_ADMISSIONS(V));
    expect(await tuples(db, TREATMENTS)).toEqual(EXPECTED_TREATMENTS(V));
  });

  it('maps persons with the earliest death date', async () => {
    ({ db } = await run('omop', DIR));
    expect(await tuples(db, PATIENTS)).toEqual([
      ['1', '1950', 'F', null, P, 2],
      ['2', '1940', 'M', '2024-03-05', P, 3],
      ['3', '1985', 'O', null, P, 4],
      ['4', '2001', 'U', null, P, 5],
    ]);
  });

  it('lists skipped concepts, broken visits and deaths of unknown persons in rejects', async () => {
    ({ db } = await run('omop', DIR));
    expect(await tuples(db, REJECTS)).toEqual([
      ['death', D, 4, 'patient_not_in_export', 'person_id', '77', 'skip'],
      ['visit_occurrence', V, 16, 'concept_not_mapped', 'visit_concept_id', '42898160', 'skip'],
      ['admissions', V, 17, 'missing_visit_start', 'visit_start_date', null, 'reject'],
      ['admissions', V, 18, 'patient_not_in_export', 'person_id', '99', 'reject'],
      ['visit_occurrence', V, 20, 'concept_not_mapped', 'visit_concept_id', '0', 'skip'],
    ]);
  });

  it('reports files and counts', async () => {
    const r = await run('omop', DIR);
    db = r.db;
    expect(r.report.files).toEqual([
      { path: P, table: 'person', rows: 4 },
      { path: V, table: 'visit_occurrence', rows: 19 },
      { path: D, table: 'death', rows: 3 },
      { path: `${DIR}/Care_Site.csv`, table: 'care_site', rows: 3 },
    ]);
    expect(r.report.counts).toEqual({
      'person:loaded': 4,
      'visit:admission': 6,
      'visit:admission_12h': 2,
      'visit:ambulatory': 4,
      'visit:virtual': 1,
      'visit:emergency': 2,
      'visit:skipped:42898160': 1,
      'visit:skipped:0': 1,
      'visit:rejected:missing_visit_start': 1,
      'visit:rejected:patient_not_in_export': 1,
      'visit_hospital:unknown': 5,
      'death:used': 1,
      'death:later_duplicate': 1,
      'death:person_not_in_export': 1,
    });
  });
});

describe('OMOP adapter: CDM versions and file formats', () => {
  it('reads CDM 5.3 columns (discharge_to_concept_id, admitting_source_value), tab-separated, without care_site or death', async () => {
    const dir = 'fixtures/omop/cdm53';
    const r = await run('omop', dir);
    db = r.db;
    const v = `${dir}/VISIT_OCCURRENCE.csv`;
    expect(await tuples(db, ADMISSIONS)).toEqual([
      // admitting_source_value "Emergency Room" → acute; 8536 → home; no care_site file → hospital UNKNOWN
      ['201', '1', 'UNKNOWN', '5', '2023-05-01 08:00:00', '2023-05-04 12:00:00', 'acute', 'home', v, 2],
      // "PHYSICIAN REFERRAL" → unknown; 8546 (hospice) → facility
      ['202', '2', 'UNKNOWN', '5', '2023-06-01 08:00:00', '2023-06-02 12:00:00', 'unknown', 'facility', v, 3],
    ]);
    expect(await tuples(db, TREATMENTS)).toEqual([
      ['203', '2', 'UNKNOWN', 'UNKNOWN', '2023-06-10 08:00:00', '2023-06-10 12:00:00', 'emergency', 'in_person', null, v, 4],
    ]);
    expect(r.report.files.map((f) => f.table)).toEqual(['person', 'visit_occurrence']);
  });

  it('reads Parquet files and folders of parts with upper-case names, rows numbered from 1', async () => {
    const dir = tempDir('omop-parquet');
    const conv = await Db.open(':memory:');
    const copy = async (src: string, dest: string) =>
      conv.run(`COPY (SELECT * FROM read_csv(${literal(src)}, header = true)) TO ${literal(dest)} (FORMAT parquet)`);
    await copy(P, join(dir, 'PERSON.parquet'));
    mkdirSync(join(dir, 'VISIT_OCCURRENCE'));
    await copy(V, join(dir, 'VISIT_OCCURRENCE', 'part-0.parquet'));
    await copy(D, join(dir, 'Death.parquet'));
    await copy(`${DIR}/Care_Site.csv`, join(dir, 'care_site.parquet'));
    conv.close();
    ({ db } = await run('omop', dir));
    const v = join(dir, 'VISIT_OCCURRENCE', 'part-0.parquet');
    // Parquet lines are row numbers: one less than the CSV line, which counts the header.
    const shift = (rows: unknown[][]) => rows.map((r) => [...r.slice(0, -2), v, (r.at(-1) as number) - 1]);
    expect(await tuples(db, ADMISSIONS)).toEqual(shift(EXPECTED_ADMISSIONS(V)));
    expect(await tuples(db, TREATMENTS)).toEqual(shift(EXPECTED_TREATMENTS(V)));
    expect(await tuples(db, 'SELECT patient_id, death_date FROM raw_patients ORDER BY 1')).toEqual([
      ['1', null],
      ['2', '2024-03-05'],
      ['3', null],
      ['4', null],
    ]);
  });

  it('a missing visit_occurrence, a missing required column or two files for one table is an input error', async () => {
    const noVisit = tempDir('omop-novisit');
    copyFileSync(P, join(noVisit, 'person.csv'));
    await expect(run('omop', noVisit)).rejects.toThrow(/no visit_occurrence file/);

    const noColumn = tempDir('omop-nocol');
    writeFileSync(join(noColumn, 'visit_occurrence.csv'), 'visit_occurrence_id,person_id,visit_start_date\n1,1,2024-01-01\n');
    const err = await run('omop', noColumn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(/visit_occurrence\.csv: missing required column visit_concept_id/);
    expect((err as InputError).column).toBe('visit_concept_id');

    const twice = tempDir('omop-twice');
    copyFileSync(V, join(twice, 'visit_occurrence.csv'));
    copyFileSync(V, join(twice, 'VISIT_OCCURRENCE.csv'));
    await expect(run('omop', twice)).rejects.toThrow(/more than one file for table visit_occurrence/);
  });
});
