/**
 * Every code of the contract's mapping table, pushed through the adapters one
 * record each. The expected values are written here from docs/reference/contract.md#formats, not
 * read from the code files, so a wrong entry in a code file fails.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/core/db.js';
import { run, tempDir, tuples } from './helpers.js';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

const CONTACTS = `SELECT id, kind FROM (
  SELECT admission_id AS id, 'admission:' || admission_type AS kind FROM raw_admissions
  UNION ALL SELECT treatment_id, setting || ':' || mode FROM raw_treatments
  UNION ALL SELECT raw_value, 'skipped' FROM rejects WHERE kind = 'skip' AND rule LIKE '%not_mapped') ORDER BY id`;

describe('FHIR: every code', () => {
  const dispositions: Record<string, string> = {
    home: 'home', 'alt-home': 'home', '01': 'home', '06': 'home', '81': 'home', '86': 'home', '1': 'home',
    'other-hcf': 'transfer', '02': 'transfer', '05': 'transfer', '43': 'transfer', '66': 'transfer',
    '82': 'transfer', '85': 'transfer', '88': 'transfer', '94': 'transfer',
    hosp: 'facility', long: 'facility', snf: 'facility', rehab: 'facility', psy: 'facility', '03': 'facility',
    '04': 'facility', '50': 'facility', '51': 'facility', '61': 'facility', '62': 'facility', '63': 'facility',
    '64': 'facility', '65': 'facility', '83': 'facility', '84': 'facility', '89': 'facility', '90': 'facility',
    '91': 'facility', '92': 'facility', '93': 'facility',
    exp: 'died', '20': 'died', '40': 'died', '41': 'died', '42': 'died',
    aadvice: 'against_advice', '07': 'against_advice',
    '87': 'other', '95': 'other', oth: 'other', '09': 'other', '30': 'other', HOME: 'other',
  };

  it('discharge dispositions, FHIR and NUBC', async () => {
    const dir = tempDir('every-fhir-dispo');
    const line = (id: string, dispo: unknown) =>
      JSON.stringify({
        resourceType: 'Encounter', id, class: { code: 'IMP' }, subject: { reference: 'Patient/p' },
        serviceProvider: { reference: 'Organization/H' }, period: { start: '2024-01-01T08:00:00Z', end: '2024-01-02T08:00:00Z' },
        hospitalization: dispo === undefined ? undefined : { dischargeDisposition: dispo },
      });
    const lines = Object.keys(dispositions).map((c) => line(c, { coding: [{ code: c }] }));
    lines.push(line('none', undefined), line('text_only', { text: 'Home' }));
    writeFileSync(join(dir, 'e.ndjson'), lines.join('\n') + '\n');
    ({ db } = await run('fhir', dir));
    const got = Object.fromEntries(await tuples(db, 'SELECT admission_id, discharge_disposition FROM raw_admissions'));
    expect(got).toEqual({ ...dispositions, none: 'unknown', text_only: 'unknown' });
  });

  it('classes, priorities and genders', async () => {
    const dir = tempDir('every-fhir-class');
    const classes = ['IMP', 'ACUTE', 'NONAC', 'AMB', 'OBSENC', 'VR', 'EMER', 'HH', 'FLD', 'SS', 'imp'];
    const enc = classes.map((c) =>
      JSON.stringify({ resourceType: 'Encounter', id: c, class: { code: c }, subject: { reference: 'Patient/p' }, serviceProvider: { reference: 'Organization/H' }, period: { start: '2024-01-01T08:00:00Z', end: '2024-01-01T09:00:00Z' } }),
    );
    const prio = ['EM', 'UR', 'EL', 'R', 'A', 'em'].map((p) =>
      JSON.stringify({ resourceType: 'Encounter', id: `prio_${p}`, class: { code: 'IMP' }, priority: { coding: [{ code: p }] }, subject: { reference: 'Patient/p' }, serviceProvider: { reference: 'Organization/H' }, period: { start: '2024-01-01T08:00:00Z' } }),
    );
    writeFileSync(join(dir, 'e.ndjson'), [...enc, ...prio].join('\n') + '\n');
    const genders = ['female', 'male', 'other', 'unknown', 'Female', null];
    writeFileSync(
      join(dir, 'p.ndjson'),
      ['p', ...genders.map((_, i) => `g${i}`)].map((id, i) => JSON.stringify({ resourceType: 'Patient', id, gender: i === 0 ? 'female' : genders[i - 1] })).join('\n') + '\n',
    );
    ({ db } = await run('fhir', dir));
    expect(await tuples(db, CONTACTS)).toEqual([
      ['ACUTE', 'admission:unknown'],
      ['AMB', 'ambulatory:in_person'],
      ['EMER', 'emergency:in_person'],
      ['FLD', 'skipped'],
      ['HH', 'skipped'],
      ['IMP', 'admission:unknown'],
      ['NONAC', 'admission:unknown'],
      ['OBSENC', 'ambulatory:in_person'],
      ['SS', 'skipped'],
      ['VR', 'ambulatory:virtual'],
      ['imp', 'skipped'],
      ['prio_A', 'admission:unknown'],
      ['prio_EL', 'admission:elective'],
      ['prio_EM', 'admission:acute'],
      ['prio_R', 'admission:elective'],
      ['prio_UR', 'admission:acute'],
      ['prio_em', 'admission:unknown'],
    ]);
    expect(await tuples(db, `SELECT patient_id, sex FROM raw_patients WHERE patient_id LIKE 'g%' ORDER BY 1`)).toEqual([
      ['g0', 'F'],
      ['g1', 'M'],
      ['g2', 'O'],
      ['g3', 'U'],
      ['g4', 'U'],
      ['g5', 'U'],
    ]);
  });
});

describe('OMOP: every concept', () => {
  it('visit concepts (short visits), discharge concepts and genders', async () => {
    const dir = tempDir('every-omop');
    const visits = ['9201', '262', '8717', '32037', '581379', '9202', '38004207', '8883', '581385', '5083', '9203', '8870', '42898160', '0'];
    const discharged: Record<string, string> = {
      '8536': 'home', '581476': 'home',
      '8863': 'facility', '8546': 'facility', '8920': 'facility', '8971': 'facility', '8827': 'facility', '8676': 'facility',
      '38004285': 'facility', '38004277': 'facility',
      '8717': 'transfer', '9201': 'transfer', '38004279': 'transfer',
      '4216643': 'died', '40482021': 'against_advice', '0': 'unknown', '44814650': 'other',
    };
    const header = 'visit_occurrence_id,person_id,visit_concept_id,visit_start_datetime,visit_end_datetime,discharged_to_concept_id\n';
    const rows = [
      ...visits.map((v) => `${v},1,${v},2024-01-01 08:00:00,2024-01-01 09:00:00,`),
      ...Object.keys(discharged).map((d) => `d${d},1,9201,2024-01-01 08:00:00,2024-01-02 09:00:00,${d}`),
      'dnone,1,9201,2024-01-01 08:00:00,2024-01-02 09:00:00,',
    ];
    writeFileSync(join(dir, 'visit_occurrence.csv'), header + rows.join('\n') + '\n');
    writeFileSync(join(dir, 'person.csv'), 'person_id,gender_concept_id,year_of_birth\n1,8532,1950\n2,8507,1950\n3,8521,1950\n4,8570,1950\n5,8551,1950\n6,0,1950\n7,,1950\n');
    ({ db } = await run('omop', dir));
    expect(await tuples(db, `${CONTACTS.replace('ORDER BY id', "WHERE id NOT LIKE 'd%' ORDER BY id")}`)).toEqual([
      ['0', 'skipped'],
      ['262', 'admission:acute'],
      ['32037', 'admission:unknown'],
      ['38004207', 'ambulatory:in_person'],
      ['42898160', 'skipped'],
      ['5083', 'ambulatory:virtual'],
      ['581379', 'admission:unknown'],
      ['581385', 'ambulatory:in_person'],
      ['8717', 'admission:unknown'],
      ['8870', 'emergency:in_person'],
      ['8883', 'ambulatory:in_person'],
      ['9201', 'admission:unknown'],
      ['9202', 'ambulatory:in_person'],
      ['9203', 'emergency:in_person'],
    ]);
    const got = Object.fromEntries(await tuples(db, `SELECT substr(admission_id, 2), discharge_disposition FROM raw_admissions WHERE admission_id LIKE 'd%'`));
    expect(got).toEqual({ ...discharged, none: 'unknown' });
    expect(await tuples(db, 'SELECT patient_id, sex FROM raw_patients ORDER BY 1')).toEqual([
      ['1', 'F'],
      ['2', 'M'],
      ['3', 'O'],
      ['4', 'O'],
      ['5', 'U'],
      ['6', 'U'],
      ['7', 'U'],
    ]);
  });
});

describe('Synthea: every class', () => {
  it('encounter classes and genders', async () => {
    const dir = tempDir('every-synthea');
    const classes = ['inpatient', 'ambulatory', 'outpatient', 'wellness', 'urgentcare', 'virtual', 'emergency', 'home', 'hospice', 'snf', 'Inpatient'];
    writeFileSync(
      join(dir, 'encounters.csv'),
      'Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,ENCOUNTERCLASS,CODE\n' +
        // the emergency visit is another patient's, so that it does not make the admission acute
        classes.map((c) => `${c},2024-01-01T08:00:00Z,2024-01-01T09:00:00Z,${c === 'emergency' ? 's2' : 's1'},O1,,${c},1`).join('\n') + '\n',
    );
    writeFileSync(join(dir, 'patients.csv'), 'Id,BIRTHDATE,DEATHDATE,GENDER\ns1,1950-01-01,,F\ns2,1950-01-01,,M\ns3,1950-01-01,,\ns4,1950-01-01,,X\n');
    ({ db } = await run('synthea', dir));
    expect(await tuples(db, CONTACTS)).toEqual([
      ['Inpatient', 'skipped'],
      ['ambulatory', 'ambulatory:in_person'],
      ['emergency', 'emergency:in_person'],
      ['home', 'skipped'],
      ['hospice', 'skipped'],
      ['inpatient', 'admission:unknown'],
      ['outpatient', 'ambulatory:in_person'],
      ['snf', 'skipped'],
      ['urgentcare', 'ambulatory:in_person'],
      ['virtual', 'ambulatory:virtual'],
      ['wellness', 'ambulatory:in_person'],
    ]);
    expect(await tuples(db, 'SELECT patient_id, sex FROM raw_patients ORDER BY 1')).toEqual([
      ['s1', 'F'],
      ['s2', 'M'],
      ['s3', 'U'],
      ['s4', 'U'],
    ]);
  });
});
