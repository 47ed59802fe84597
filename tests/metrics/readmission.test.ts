import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { adm, exclusions, facts, ndv } from './metric-rows.js';

/**
 * One patient per case, H1/MED unless noted; the cutoff is 2024-03-15 00:00, so a
 * 30-day follow-up is complete for discharges up to 02-14 and a 7-day one up to 03-08.
 */
const admissions = [
  adm('r30a', 'readmit_day_30', '2024-01-01 08:00', '2024-01-05 10:00', { discharge_disposition: 'home' }),
  adm('r30b', 'readmit_day_30', '2024-02-04 09:00', '2024-02-06 10:00', { admission_type: 'acute' }),
  adm('r31a', 'readmit_day_31', '2024-01-01 08:00', '2024-01-05 10:00'),
  adm('r31b', 'readmit_day_31', '2024-02-05 09:00', '2024-02-07 10:00', { admission_type: 'acute' }),
  // the first later stay is planned: not readmitted although an acute stay follows on day 9
  adm('pf1', 'planned_first', '2024-01-02 08:00', '2024-01-06 10:00'),
  adm('pf2', 'planned_first', '2024-01-10 08:00', '2024-01-11 10:00', { admission_type: 'elective' }),
  adm('pf3', 'planned_first', '2024-01-15 08:00', '2024-01-17 10:00', { admission_type: 'acute' }),
  // back 5 hours after discharge, at another hospital: a separate stay, readmitted on day 0
  adm('sd1', 'same_day_5h', '2024-01-03 08:00', '2024-01-08 08:00'),
  adm('sd2', 'same_day_5h', '2024-01-08 13:00', '2024-01-09 10:00', { hospital_id: 'H2', department_id: 'CARD' }),
  // transferred 2 h later to H2: one stay, filed under H2/SURG, never a readmission
  adm('tc1', 'transfer_chain', '2024-01-10 08:00', '2024-01-12 10:00', { discharge_disposition: 'transfer', admission_type: 'acute' }),
  adm('tc2', 'transfer_chain', '2024-01-12 12:00', '2024-01-15 09:00', { hospital_id: 'H2', department_id: 'SURG', admission_type: 'acute', discharge_disposition: 'home' }),
  adm('dis', 'died_in_stay', '2024-01-04 08:00', '2024-01-07 10:00', { discharge_disposition: 'died' }),
  adm('dad', 'died_after_discharge', '2024-01-05 08:00', '2024-01-09 10:00', { discharge_disposition: 'home' }),
  adm('d31', 'died_day_31', '2024-01-08 08:00', '2024-01-10 10:00', { discharge_disposition: 'home' }),
  adm('aa1', 'against_advice', '2024-01-05 08:00', '2024-01-06 10:00', { discharge_disposition: 'against_advice' }),
  adm('aa2', 'against_advice', '2024-01-08 08:00', '2024-01-10 10:00', { admission_type: 'acute' }),
  adm('to1', 'transfer_out', '2024-01-06 08:00', '2024-01-08 10:00', { discharge_disposition: 'transfer' }),
  adm('fe1', 'follow_up_edge', '2024-02-12 08:00', '2024-02-14 23:00'),
  adm('fs1', 'follow_up_short', '2024-02-13 08:00', '2024-02-15 01:00'),
  adm('fm1', 'follow_up_march', '2024-03-09 08:00', '2024-03-10 10:00'),
  adm('op1', 'open_at_cutoff', '2024-03-12 08:00', null),
];
const patients = [
  { patient_id: 'died_after_discharge', birth_year: 1940, sex: 'F', death_date: '2024-01-20' },
  { patient_id: 'died_day_31', birth_year: 1940, sex: 'M', death_date: '2024-02-10' },
];

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
  await prepare(db, { patients, admissions, treatments: [] }, { cutoff: '2024-03-15T00:00' });
  await computeMetrics(db, { only: ['readmission_30d', 'readmission_7d', 'los_mean'] });
});
afterAll(() => db.close());

describe('readmission_30d', () => {
  it('has the expected cells at every grain', async () => {
    // H1/MED January index stays: r30a (readmitted day 30), r31a, pf1, pf2 (readmitted day 4),
    // pf3, sd1 (readmitted day 0), dad, d31, aa2 → 3 of 9.
    expect(await ndv(db, 'readmission_30d', '2024-01|H1|MED')).toEqual([3, 9, 3 / 9]);
    expect(await ndv(db, 'readmission_30d', '2024-01|H1|ALL')).toEqual([3, 9, 3 / 9]);
    expect(await ndv(db, 'readmission_30d', '2024-01|H2|SURG')).toEqual([0, 1, 0]);
    expect(await ndv(db, 'readmission_30d', '2024-01|H2|CARD')).toEqual([0, 1, 0]);
    expect(await ndv(db, 'readmission_30d', '2024-01|H2|ALL')).toEqual([0, 2, 0]);
    expect(await ndv(db, 'readmission_30d', '2024-01|ALL|ALL')).toEqual([3, 11, 3 / 11]);
    // February: r30b, r31b, fe1; fs1 lacks follow-up
    expect(await ndv(db, 'readmission_30d', '2024-02|H1|MED')).toEqual([0, 3, 0]);
    // March: fm1 lacks follow-up, op1 is open: nothing to count
    expect(await ndv(db, 'readmission_30d', '2024-03|ALL|ALL')).toBeUndefined();
    expect(await ndv(db, 'readmission_30d', '2024|ALL|ALL')).toEqual([3, 14, 3 / 14]);
    expect(await ndv(db, 'readmission_30d', '2024|H2|ALL')).toEqual([0, 2, 0]);
  });

  it('counts a readmission on day 30 and not on day 31', async () => {
    const [day30] = await facts(db, 'readmission_30d', 'readmit_day_30');
    expect(day30).toMatchObject({ stay_id: 'r30a', exclusion: null, readmitted: true, readmission_stay_id: 'r30b', days_to_readmission: 30, readmission_hospital: 'same' });
    const [day31] = await facts(db, 'readmission_30d', 'readmit_day_31');
    expect(day31).toMatchObject({ stay_id: 'r31a', exclusion: null, readmitted: false, readmission_stay_id: null, next_stay_id: 'r31b', days_to_next_stay: 31 });
  });

  it('a planned first later stay means not readmitted; the planned stay is itself an index', async () => {
    const f = await facts(db, 'readmission_30d', 'planned_first');
    expect(f.map((r) => [r.stay_id, r.readmitted, r.next_admission_type])).toEqual([
      ['pf1', false, 'elective'],
      ['pf2', true, 'acute'],
      ['pf3', false, null],
    ]);
  });

  it('a same-day return after a 5-hour gap counts, at the other hospital', async () => {
    const [first] = await facts(db, 'readmission_30d', 'same_day_5h');
    expect(first).toMatchObject({ stay_id: 'sd1', readmitted: true, days_to_readmission: 0, readmission_hospital: 'other', hospital_id: 'H1' });
  });

  it('a transfer chain is one index stay at the discharging hospital, never a readmission', async () => {
    const f = await facts(db, 'readmission_30d', 'transfer_chain');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ stay_id: 'tc1', hospital_id: 'H2', department_id: 'SURG', exclusion: null, readmitted: false, discharge_disposition: 'home' });
  });

  it('excludes deaths in stay, discharges against advice, transfers out and short follow-up, by reason', async () => {
    expect(await exclusions(db, 'readmission_30d')).toEqual({
      '2024-01|H1|died': 1,
      '2024-01|H1|against_advice': 1,
      '2024-01|H1|transfer_out': 1,
      '2024-01|ALL|died': 1,
      '2024-01|ALL|against_advice': 1,
      '2024-01|ALL|transfer_out': 1,
      '2024-02|H1|incomplete_follow_up': 1,
      '2024-02|ALL|incomplete_follow_up': 1,
      '2024-03|H1|incomplete_follow_up': 1,
      '2024-03|ALL|incomplete_follow_up': 1,
      '2024|H1|died': 1,
      '2024|H1|against_advice': 1,
      '2024|H1|transfer_out': 1,
      '2024|H1|incomplete_follow_up': 2,
      '2024|ALL|died': 1,
      '2024|ALL|against_advice': 1,
      '2024|ALL|transfer_out': 1,
      '2024|ALL|incomplete_follow_up': 2,
    });
    // the stay after a discharge against advice is an index of its own
    const aa = await facts(db, 'readmission_30d', 'against_advice');
    expect(aa.map((r) => [r.stay_id, r.exclusion, r.readmitted])).toEqual([
      ['aa1', 'against_advice', true],
      ['aa2', null, false],
    ]);
  });

  it('keeps a death after discharge in the denominator', async () => {
    const [f] = await facts(db, 'readmission_30d', 'died_after_discharge');
    expect(f).toMatchObject({ exclusion: null, readmitted: false });
  });
});

describe('readmission_7d', () => {
  it('uses 7 days for the window and for the follow-up rule', async () => {
    // January H1/MED: pf2 (day 4) and sd1 (day 0) of the same 9 index stays
    expect(await ndv(db, 'readmission_7d', '2024-01|H1|MED')).toEqual([2, 9, 2 / 9]);
    // February: fs1 now has its 7 days of follow-up
    expect(await ndv(db, 'readmission_7d', '2024-02|H1|MED')).toEqual([0, 4, 0]);
    expect(await ndv(db, 'readmission_7d', '2024|ALL|ALL')).toEqual([2, 15, 2 / 15]);
    expect(await exclusions(db, 'readmission_7d')).toMatchObject({ '2024|ALL|incomplete_follow_up': 1, '2024-03|H1|incomplete_follow_up': 1 });
  });
});

describe('length of stay of a transfer chain', () => {
  it('spans the chain and goes to the discharging hospital', async () => {
    // 2024-01-10 → 2024-01-15: 5 days
    expect(await ndv(db, 'los_mean', '2024-01|H2|SURG')).toEqual([5, 1, 5]);
  });
});
