/**
 * Adapters followed by the shared pipeline: validation into canonical tables,
 * stays and metrics.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../metrics/compute.js';
import { parseConfig } from '../../pipeline/core/config.js';
import type { Db } from '../../pipeline/core/db.js';
import { validate } from '../../pipeline/ingest/load/validate.js';
import { writeParams } from '../../pipeline/ingest/params.js';
import { buildStays } from '../../pipeline/ingest/stays.js';
import { run, tempDir, tuples } from './helpers.js';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

const STAYS = `SELECT stay_id, patient_id, CAST(admit_ts AS VARCHAR), CAST(discharge_ts AS VARCHAR), admission_type,
  discharge_disposition, died_in_stay, los_days, n_contacts FROM stays ORDER BY patient_id, admit_ts`;

async function staysOf(format: 'fhir' | 'omop' | 'synthea', dir: string): Promise<unknown[][]> {
  ({ db } = await run(format, dir));
  await validate(db);
  await writeParams(db, parseConfig({}));
  await buildStays(db);
  return tuples(db, STAYS);
}

describe('adapter → validation → stays', () => {
  it('FHIR: offsets become UTC wall-clock time; a death disposition is a death in the stay', async () => {
    expect(await staysOf('fhir', 'fixtures/fhir')).toEqual([
      ['enc_acute_r5', 'p_died', '2024-03-01 10:00:00', '2024-03-05 12:00:00', 'elective', 'died', true, 4, 1],
      ['enc_imp', 'p_home', '2024-01-10 07:00:00', '2024-01-12 09:00:00', 'acute', 'home', false, 2, 1],
      ['enc_nonac', 'p_other', '2024-02-01 00:00:00', '2024-02-20 00:00:00', 'elective', 'facility', false, 19, 1],
      ['enc_obs_long', 'p_other', '2024-05-10 08:00:00', '2024-05-10 20:00:00', 'acute', 'facility', false, 1, 1],
      ['enc_dispo_other', 'p_other', '2024-07-01 08:00:00', '2024-07-03 08:00:00', 'acute', 'other', false, 2, 1],
      ['enc_dispo_02', 'p_other', '2024-07-10 08:00:00', '2024-07-11 08:00:00', 'unknown', 'transfer', false, 1, 1],
      ['enc_emer_dateonly', 'p_other', '2024-08-01 00:00:00', '2024-08-01 13:00:00', 'acute', 'unknown', false, 1, 1],
      ['enc_emer_long', 'p_unknown', '2024-04-10 20:00:00', '2024-04-11 10:00:00', 'acute', 'transfer', false, 1, 1],
    ]);
    expect(Number(await db!.scalar('SELECT count(*) FROM treatments'))).toBe(6);
    expect(await tuples(db!, `SELECT patient_id, CAST(death_date AS VARCHAR) FROM patients WHERE death_date IS NOT NULL`)).toEqual([
      ['p_died', '2024-03-06'],
    ]);
  });

  it('OMOP: the death table gives the death date', async () => {
    expect(await staysOf('omop', 'fixtures/omop/cdm54')).toEqual([
      ['101', '1', '2024-01-10 08:00:00', '2024-01-12 10:00:00', 'unknown', 'home', false, 2, 1],
      ['105', '1', '2024-07-10 08:00:00', '2024-07-11 08:00:00', 'unknown', 'unknown', false, 1, 1],
      ['102', '2', '2024-03-01 10:00:00', '2024-03-05 12:00:00', 'acute', 'died', true, 4, 1],
      ['103', '3', '2024-02-01 00:00:00', '2024-02-20 00:00:00', 'acute', 'facility', false, 19, 1],
      ['113', '3', '2024-05-10 00:00:00', '2024-05-11 00:00:00', 'acute', 'facility', false, 1, 1],
      ['104', '3', '2024-07-01 08:00:00', '2024-07-03 08:00:00', 'acute', 'transfer', false, 2, 1],
      ['111', '4', '2024-04-10 20:00:00', '2024-04-11 10:00:00', 'acute', 'against_advice', false, 1, 1],
      ['118', '4', '2024-07-10 00:00:00', '2024-07-11 00:00:00', 'unknown', 'other', false, 1, 1],
    ]);
    expect(Number(await db!.scalar('SELECT count(*) FROM treatments'))).toBe(7);
  });

  it('Synthea: DEATHDATE within the stay makes it a death in the stay', async () => {
    expect(await staysOf('synthea', 'fixtures/synthea/v3')).toEqual([
      ['e_inp_before_death', 'p_died', '2024-02-01 10:00:00', '2024-02-03 08:00:00', 'unknown', 'unknown', false, 2, 1],
      ['e_inp_died', 'p_died', '2024-03-01 10:00:00', '2024-03-05 08:00:00', 'unknown', 'died', true, 4, 1],
      ['e_inp_after_er', 'p_home', '2024-01-10 12:00:00', '2024-01-12 10:00:00', 'acute', 'unknown', false, 2, 1],
      ['e_inp_er_too_early', 'p_home', '2024-02-10 12:00:00', '2024-02-11 12:00:00', 'unknown', 'unknown', false, 1, 1],
      ['e_er_long', 'p_other', '2024-04-10 20:00:00', '2024-04-11 09:00:00', 'acute', 'unknown', false, 1, 1],
    ]);
    expect(Number(await db!.scalar('SELECT count(*) FROM treatments'))).toBe(8);
  });

  it('OMOP as converted from MIMIC-IV: a long emergency visit and the admission after it are one acute stay', async () => {
    const dir = tempDir('omop-mimic');
    writeFileSync(join(dir, 'person.csv'), 'person_id,gender_concept_id,year_of_birth\n1,8532,1960\n2,8507,1970\n');
    writeFileSync(
      join(dir, 'visit_occurrence.csv'),
      'visit_occurrence_id,person_id,visit_concept_id,visit_start_date,visit_start_datetime,visit_end_date,visit_end_datetime,care_site_id,admitted_from_concept_id,admitted_from_source_value,discharged_to_concept_id\n' +
        // 14 hours in the emergency department, then admitted 2 hours later: one stay of two contacts, acute
        '1,1,8870,2024-01-01,2024-01-01 08:00:00,2024-01-01,2024-01-01 22:00:00,5,,,\n' +
        '2,1,9201,2024-01-02,2024-01-02 00:00:00,2024-01-05,2024-01-05 10:00:00,6,,,8536\n' +
        // 5 hours in the emergency department stays an emergency visit; the admission names the emergency room
        '3,2,8870,2024-02-01,2024-02-01 08:00:00,2024-02-01,2024-02-01 13:00:00,5,,,\n' +
        '4,2,9201,2024-02-01,2024-02-01 14:00:00,2024-02-03,2024-02-03 10:00:00,6,0,EMERGENCY ROOM,8536\n',
    );
    expect(await staysOf('omop', dir)).toEqual([
      ['1', '1', '2024-01-01 08:00:00', '2024-01-05 10:00:00', 'acute', 'home', false, 4, 2],
      ['4', '2', '2024-02-01 14:00:00', '2024-02-03 10:00:00', 'acute', 'home', false, 2, 1],
    ]);
    expect(await tuples(db!, 'SELECT treatment_id, setting FROM treatments')).toEqual([['3', 'emergency']]);
  });
});

async function yearTotals(format: 'fhir' | 'omop' | 'synthea', dir: string): Promise<Record<string, number>> {
  ({ db } = await run(format, dir));
  await validate(db);
  await writeParams(db, parseConfig({}));
  await buildStays(db);
  await computeMetrics(db, { only: ['admissions', 'stays', 'treatments', 'emergency_visits', 'ambulatory_visits'] });
  const rows = await db.all<{ metric_id: string; numerator: number }>(
    `SELECT metric_id, numerator FROM metrics WHERE period = '2024' AND hospital_id = 'ALL' AND department_id = 'ALL' ORDER BY metric_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.metric_id, Number(r.numerator)]));
}

describe('adapter → metrics', () => {
  // ambulatory_visits: distinct (patient, hospital, department, date) of ambulatory treatments
  it('FHIR', async () => {
    expect(await yearTotals('fhir', 'fixtures/fhir')).toEqual({ admissions: 8, stays: 8, treatments: 3, emergency_visits: 3, ambulatory_visits: 3 });
  });
  it('OMOP', async () => {
    expect(await yearTotals('omop', 'fixtures/omop/cdm54')).toEqual({ admissions: 8, stays: 8, treatments: 5, emergency_visits: 2, ambulatory_visits: 5 });
  });
  it('Synthea', async () => {
    expect(await yearTotals('synthea', 'fixtures/synthea/v3')).toEqual({ admissions: 5, stays: 5, treatments: 5, emergency_visits: 3, ambulatory_visits: 5 });
  });
});
