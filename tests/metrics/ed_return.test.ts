import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare, type FixtureRow } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { loadMetricFile } from '../../metrics/registry.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

let seq = 0;
const ed = (patient: string, start: string, end: string | null, extra: FixtureRow = {}): FixtureRow => ({
  treatment_id: `e${String(++seq).padStart(3, '0')}`,
  patient_id: patient,
  hospital_id: 'H1',
  department_id: 'ED',
  start_ts: start,
  end_ts: end,
  setting: 'emergency',
  ...extra,
});
const adm = (id: string, patient: string, admit: string): FixtureRow => ({
  admission_id: id,
  patient_id: patient,
  hospital_id: 'H1',
  department_id: 'MED',
  admit_ts: admit,
  discharge_ts: '2024-03-20 10:00',
});

const TREATMENTS: FixtureRow[] = [
  ed('ed_return_71h', '2024-03-01 10:00', '2024-03-01 14:00'),
  ed('ed_return_71h', '2024-03-04 09:00', '2024-03-04 11:00', { hospital_id: 'H2' }), // any hospital
  ed('ed_return_72h_exact', '2024-03-01 10:00', '2024-03-01 12:00'),
  ed('ed_return_72h_exact', '2024-03-04 10:00', '2024-03-04 12:00'),
  ed('ed_return_73h', '2024-03-01 10:00', '2024-03-01 12:00'),
  ed('ed_return_73h', '2024-03-04 11:00', '2024-03-04 12:00'),
  ed('ed_became_admission', '2024-03-05 10:00', '2024-03-05 12:00'), // admitted 3 h after the end
  ed('admitted_5h_after', '2024-03-05 10:00', '2024-03-05 12:00'), // admitted 5 h after the end
  ed('admission_before_visit', '2024-03-05 10:00', '2024-03-05 12:00', { department_id: 'PED' }),
  ed('no_end_ts', '2024-03-06 10:00', null), // admitted exactly 4 h after the start
  ed('return_then_admitted', '2024-03-10 10:00', '2024-03-10 11:00'),
  ed('return_then_admitted', '2024-03-11 10:00', '2024-03-11 12:00'),
  ed('same_start_twice', '2024-03-12 10:00', '2024-03-12 11:00'),
  ed('same_start_twice', '2024-03-12 10:00', '2024-03-12 11:00', { hospital_id: 'H2' }),
  ed('ambulatory_not_return', '2024-03-15 10:00', '2024-03-15 11:00'),
  {
    treatment_id: 'a001',
    patient_id: 'ambulatory_not_return',
    hospital_id: 'H1',
    department_id: 'CARD',
    start_ts: '2024-03-16 10:00',
    setting: 'ambulatory',
  },
  ed('follow_up_exactly_72h', '2024-06-27 23:59:59', '2024-06-28 01:00'),
  ed('near_cutoff', '2024-06-28 00:00', '2024-06-28 01:00'),
];
const ADMISSIONS: FixtureRow[] = [
  adm('ad1', 'ed_became_admission', '2024-03-05 15:00'),
  adm('ad2', 'admitted_5h_after', '2024-03-05 17:00'),
  adm('ad3', 'admission_before_visit', '2024-03-05 09:59'),
  adm('ad4', 'no_end_ts', '2024-03-06 14:00'),
  adm('ad5', 'return_then_admitted', '2024-03-11 13:00'),
];
const CUTOFF = { cutoff: '2024-06-30T23:59:59' };

describe('ed_return_72h facts', () => {
  it('flags returns within (start, start + 72 h] and excludes admissions and censored visits', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    const def = loadMetricFile('metrics/outcome/ed_return_72h.sql');
    await db.run(`CREATE TABLE f AS ${def.sql}`);
    const f = await db.all<Record<string, unknown>>(
      `SELECT treatment_id, patient_id, hospital_id, department_id, exclusion, num, became_admission_id, hours_to_return
       FROM f ORDER BY treatment_id`,
    );
    expect(f.map((r) => [r.patient_id, r.exclusion, r.num])).toEqual([
      ['ed_return_71h', null, 1],
      ['ed_return_71h', null, 0],
      ['ed_return_72h_exact', null, 1],
      ['ed_return_72h_exact', null, 0],
      ['ed_return_73h', null, 0],
      ['ed_return_73h', null, 0],
      ['ed_became_admission', 'became_admission', null],
      ['admitted_5h_after', null, 0],
      ['admission_before_visit', null, 0],
      ['no_end_ts', 'became_admission', null],
      ['return_then_admitted', null, 1], // the return itself became an admission: still a return
      ['return_then_admitted', 'became_admission', null],
      ['same_start_twice', null, 0], // a visit at the same instant is not "after"
      ['same_start_twice', null, 0],
      ['ambulatory_not_return', null, 0],
      ['follow_up_exactly_72h', null, 0],
      ['near_cutoff', 'incomplete_follow_up', null],
    ]);
    expect(f[0]).toMatchObject({ hours_to_return: 71 });
    expect(f[2]).toMatchObject({ hours_to_return: 72 });
    expect(f[6]).toMatchObject({ became_admission_id: 'ad1' });
  });
});

describe('ed_return_72h grains', () => {
  it('rates per month and year, hospital and department of the first visit', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await computeMetrics(db, { only: ['ed_return_72h'] });
    const rows = await db.all(
      `SELECT period, hospital_id, department_id, numerator, denominator, value FROM metrics
       WHERE metric_id = 'ed_return_72h' ORDER BY period, hospital_id, department_id`,
    );
    expect(rows).toEqual([
      { period: '2024', hospital_id: 'ALL', department_id: 'ALL', numerator: 3, denominator: 13, value: 3 / 13 },
      { period: '2024', hospital_id: 'H1', department_id: 'ALL', numerator: 3, denominator: 11, value: 3 / 11 },
      { period: '2024', hospital_id: 'H1', department_id: 'ED', numerator: 3, denominator: 10, value: 0.3 },
      { period: '2024', hospital_id: 'H1', department_id: 'PED', numerator: 0, denominator: 1, value: 0 },
      { period: '2024', hospital_id: 'H2', department_id: 'ALL', numerator: 0, denominator: 2, value: 0 },
      { period: '2024', hospital_id: 'H2', department_id: 'ED', numerator: 0, denominator: 2, value: 0 },
      { period: '2024-03', hospital_id: 'ALL', department_id: 'ALL', numerator: 3, denominator: 12, value: 0.25 },
      { period: '2024-03', hospital_id: 'H1', department_id: 'ALL', numerator: 3, denominator: 10, value: 0.3 },
      { period: '2024-03', hospital_id: 'H1', department_id: 'ED', numerator: 3, denominator: 9, value: 1 / 3 },
      { period: '2024-03', hospital_id: 'H1', department_id: 'PED', numerator: 0, denominator: 1, value: 0 },
      { period: '2024-03', hospital_id: 'H2', department_id: 'ALL', numerator: 0, denominator: 2, value: 0 },
      { period: '2024-03', hospital_id: 'H2', department_id: 'ED', numerator: 0, denominator: 2, value: 0 },
      { period: '2024-06', hospital_id: 'ALL', department_id: 'ALL', numerator: 0, denominator: 1, value: 0 },
      { period: '2024-06', hospital_id: 'H1', department_id: 'ALL', numerator: 0, denominator: 1, value: 0 },
      { period: '2024-06', hospital_id: 'H1', department_id: 'ED', numerator: 0, denominator: 1, value: 0 },
    ]);
    const excl = await db.all(
      `SELECT period, reason, count FROM exclusions WHERE metric_id = 'ed_return_72h' AND hospital_id = 'H1' ORDER BY ALL`,
    );
    expect(excl).toEqual([
      { period: '2024', reason: 'became_admission', count: 3 },
      { period: '2024', reason: 'incomplete_follow_up', count: 1 },
      { period: '2024-03', reason: 'became_admission', count: 3 },
      { period: '2024-06', reason: 'incomplete_follow_up', count: 1 },
    ]);
  });
});
