import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/core/db.js';
import { InputError } from '../../pipeline/core/errors.js';
import { ADMISSIONS, PATIENTS, REJECTS, TREATMENTS, run, tempDir, tuples } from './helpers.js';

const V3 = 'fixtures/synthea/v3';
const E = `${V3}/encounters.csv`;
const PR = `${V3}/procedures.csv`;
const PA = `${V3}/patients.csv`;

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

describe('Synthea adapter on fixtures/synthea/v3 (procedures with START and SYSTEM, providers.csv)', () => {
  it('maps inpatient and long emergency encounters onto raw admissions', async () => {
    ({ db } = await run('synthea', V3));
    expect(await tuples(db, ADMISSIONS)).toEqual([
      // emergency of 13 hours → admission, acute; department = speciality of its provider
      ['e_er_long', 'p_other', 'H2', 'EMERGENCY MEDICINE', '2024-04-10T20:00:00Z', '2024-04-11T09:00:00Z', 'acute', 'unknown', E, 8],
      // emergency visit 06:00-08:30 ends 3.5 hours before the 12:00 admission → acute
      ['e_inp_after_er', 'p_home', 'H1', 'CARDIOLOGY', '2024-01-10T12:00:00Z', '2024-01-12T10:00:00Z', 'acute', 'unknown', E, 3],
      ['e_inp_before_death', 'p_died', 'H1', 'CARDIOLOGY', '2024-02-01T10:00:00Z', '2024-02-03T08:00:00Z', 'unknown', 'unknown', E, 7],
      // DEATHDATE 2024-03-05 is the date of STOP → died
      ['e_inp_died', 'p_died', 'H1', 'CARDIOLOGY', '2024-03-01T10:00:00Z', '2024-03-05T08:00:00Z', 'unknown', 'died', E, 6],
      // emergency visit ended at 07:59, 4 hours and 1 minute before the 12:00 admission → unknown
      ['e_inp_er_too_early', 'p_home', 'H1', 'CARDIOLOGY', '2024-02-10T12:00:00Z', '2024-02-11T12:00:00Z', 'unknown', 'unknown', E, 5],
    ]);
  });

  it('maps the other classes onto raw treatments with the first procedure of each', async () => {
    ({ db } = await run('synthea', V3));
    expect(await tuples(db, TREATMENTS)).toEqual([
      // procedures at 09:30 with codes 999 and 1000: "1000" < "999" as text
      ['e_amb', 'p_home', 'H1', 'GENERAL PRACTICE', '2024-01-20T09:00:00Z', '2024-01-20T11:00:00Z', 'ambulatory', 'in_person', '1000', E, 9],
      ['e_er_before', 'p_home', 'H2', 'EMERGENCY MEDICINE', '2024-01-10T06:00:00Z', '2024-01-10T08:30:00Z', 'emergency', 'in_person', null, E, 2],
      ['e_er_early', 'p_home', 'H2', 'EMERGENCY MEDICINE', '2024-02-10T05:00:00Z', '2024-02-10T07:59:00Z', 'emergency', 'in_person', null, E, 4],
      // 11:59:59 → stays an emergency visit
      ['e_er_short', 'p_other', 'H2', 'EMERGENCY MEDICINE', '2024-01-25T09:00:00Z', '2024-01-25T20:59:59Z', 'emergency', 'in_person', '4242', E, 14],
      ['e_out', 'p_home', 'H1', 'CARDIOLOGY', '2024-01-21T09:00:00Z', '2024-01-21T10:00:00Z', 'ambulatory', 'in_person', null, E, 10],
      // provider with an empty SPECIALITY → UNKNOWN
      ['e_urgent', 'p_other', 'H2', 'UNKNOWN', '2024-01-23T09:00:00Z', '2024-01-23T10:00:00Z', 'ambulatory', 'in_person', null, E, 12],
      // provider not in providers.csv → UNKNOWN
      ['e_virtual', 'p_other', 'H1', 'UNKNOWN', '2024-01-24T09:00:00Z', '2024-01-24T09:15:00Z', 'ambulatory', 'virtual', null, E, 13],
      ['e_well', 'p_other', 'H1', 'GENERAL PRACTICE', '2024-01-22T09:00:00Z', '2024-01-22T09:30:00Z', 'ambulatory', 'in_person', null, E, 11],
    ]);
  });

  it('maps patients and lists skipped classes, unknown patients and orphan procedures', async () => {
    ({ db } = await run('synthea', V3));
    expect(await tuples(db, PATIENTS)).toEqual([
      ['p_died', '1940', 'M', '2024-03-05', PA, 3],
      ['p_home', '1950', 'F', null, PA, 2],
      ['p_other', '1985', 'M', null, PA, 4],
    ]);
    expect(await tuples(db, REJECTS)).toEqual([
      ['encounters', E, 15, 'class_not_mapped', 'ENCOUNTERCLASS', 'home', 'skip'],
      ['encounters', E, 16, 'class_not_mapped', 'ENCOUNTERCLASS', 'snf', 'skip'],
      ['encounters', E, 17, 'class_not_mapped', 'ENCOUNTERCLASS', 'hospice', 'skip'],
      ['treatments', E, 18, 'patient_not_in_export', 'PATIENT', 'p_ghost', 'reject'],
      ['procedures', PR, 7, 'without_encounter', 'ENCOUNTER', null, 'skip'],
      ['procedures', PR, 8, 'encounter_not_in_export', 'ENCOUNTER', 'e_lost', 'skip'],
    ]);
  });

  it('reports files and counts', async () => {
    const r = await run('synthea', V3);
    db = r.db;
    expect(r.report.files).toEqual([
      { path: PA, table: 'patients', rows: 3 },
      { path: E, table: 'encounters', rows: 17 },
      { path: `${V3}/providers.csv`, table: 'providers', rows: 4 },
      { path: PR, table: 'procedures', rows: 7 },
    ]);
    expect(r.report.counts).toEqual({
      'patient:loaded': 3,
      'encounter:admission': 4,
      'encounter:admission_12h': 1,
      'encounter:ambulatory': 4,
      'encounter:virtual': 1,
      'encounter:emergency': 3,
      'encounter:skipped:home': 1,
      'encounter:skipped:snf': 1,
      'encounter:skipped:hospice': 1,
      'encounter:rejected:patient_not_in_export': 1,
      'encounter_department:provider_not_found': 1,
      'procedure:code_used': 2,
      'procedure:not_first': 2,
      'procedure:not_for_treatment': 1,
      'procedure:without_encounter': 1,
      'procedure:encounter_not_in_export': 1,
    });
  });
});

describe('Synthea adapter: older versions and broken exports', () => {
  it('reads an older export: procedures with DATE, no providers.csv (department = encounter CODE)', async () => {
    const dir = 'fixtures/synthea/v2';
    ({ db } = await run('synthea', dir));
    const e = `${dir}/encounters.csv`;
    expect(await tuples(db, ADMISSIONS)).toEqual([
      // the 11-hour emergency visit ends 1 hour before the admission → acute; DEATHDATE 2020-06-02 in the stay → died
      ['f_inp', 'q_two', 'O1', '32485007', '2020-06-01T08:00:00Z', '2020-06-03T08:00:00Z', 'acute', 'died', e, 3],
    ]);
    expect(await tuples(db, TREATMENTS)).toEqual([
      // the earlier of two procedures by DATE
      ['f_amb', 'q_one', 'O1', '185345009', '2020-01-05T08:00:00Z', '2020-01-05T08:30:00Z', 'ambulatory', 'in_person', '710824005', e, 2],
      ['f_er', 'q_two', 'O1', '50849002', '2020-05-31T20:00:00Z', '2020-06-01T07:00:00Z', 'emergency', 'in_person', null, e, 4],
    ]);
  });

  it('reads dates and durations as wall-clock time in the configured zone', async () => {
    const dir = tempDir('syn-tz');
    writeFileSync(join(dir, 'patients.csv'), 'Id,BIRTHDATE,DEATHDATE,GENDER\nz1,1950-01-01,2020-06-02,F\n');
    writeFileSync(
      join(dir, 'encounters.csv'),
      'Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,ENCOUNTERCLASS,CODE\n' +
        // 12 hours as instants, across the end of New Zealand daylight time (03:00 NZDT → 02:00 NZST on 2020-04-05)
        'g_er,2020-04-04T13:00:00Z,2020-04-05T01:00:00Z,z1,O1,c1,emergency,50849002\n' +
        // ends on 2020-06-01 in UTC, on 2020-06-02 (the death date) in Auckland
        'g_inp,2020-06-01T08:00:00Z,2020-06-01T13:00:00Z,z1,O1,c1,inpatient,32485007\n',
    );
    const q = `SELECT id, kind, admission_type, discharge_disposition FROM (
                 SELECT admission_id AS id, 'admission' AS kind, admission_type, discharge_disposition FROM raw_admissions
                 UNION ALL SELECT treatment_id, setting, NULL, NULL FROM raw_treatments) ORDER BY id`;
    ({ db } = await run('synthea', dir));
    expect(await tuples(db, q)).toEqual([
      ['g_er', 'admission', 'acute', 'unknown'],
      ['g_inp', 'admission', 'unknown', 'unknown'],
    ]);
    db.close();
    // In Auckland the emergency visit runs 02:00 NZDT → 13:00 NZST, 11 hours of wall-clock time.
    ({ db } = await run('synthea', dir, { timezone: 'Pacific/Auckland' }));
    expect(await tuples(db, q)).toEqual([
      ['g_er', 'emergency', null, null],
      ['g_inp', 'admission', 'unknown', 'died'],
    ]);
  });

  it('a missing patients.csv or ORGANIZATION column is an input error', async () => {
    const noPatients = tempDir('syn-nopat');
    copyFileSync(E, join(noPatients, 'encounters.csv'));
    await expect(run('synthea', noPatients)).rejects.toThrow(/no patients\.csv/);

    const noOrg = tempDir('syn-noorg');
    copyFileSync(PA, join(noOrg, 'patients.csv'));
    writeFileSync(join(noOrg, 'encounters.csv'), 'Id,START,STOP,PATIENT,ENCOUNTERCLASS\ne1,2020-01-01T09:00:00Z,2020-01-01T10:00:00Z,p_home,wellness\n');
    const err = await run('synthea', noOrg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/encounters\.csv: missing required column ORGANIZATION/);
  });
});
