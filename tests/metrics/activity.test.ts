import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { adm, cells, exclusions, facts, ndv, trt } from './metric-rows.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

const ACTIVITY = ['admissions', 'stays', 'bed_days', 'ambulatory_visits', 'treatments', 'emergency_visits', 'drg_value'];

/** value of every cell of a count metric, keyed period|hospital|department */
async function counts(metric: string): Promise<Record<string, number | null>> {
  const c = await cells(db, metric);
  for (const row of Object.values(c)) {
    expect(row.denominator).toBeNull();
    expect(row.numerator).toBe(row.value);
  }
  return Object.fromEntries(Object.entries(c).map(([k, r]) => [k, r.value]));
}

describe('admissions and stays', () => {
  it('count contacts by admit month and stays by their first contact', async () => {
    await prepare(db, {
      admissions: [
        // transfer_chain: two contacts 2 h apart, one stay filed under its first contact
        adm('a1', 'transfer_chain', '2024-01-10 08:00', '2024-01-12 10:00', { discharge_disposition: 'transfer' }),
        adm('a2', 'transfer_chain', '2024-01-12 12:00', '2024-01-15 09:00', { hospital_id: 'H2', department_id: 'SURG' }),
        adm('b1', 'two_admissions', '2024-01-20 08:00', '2024-01-22 08:00'),
        adm('b2', 'two_admissions', '2024-02-05 08:00', '2024-02-06 08:00'),
        adm('c1', 'open_contact', '2024-02-20 08:00', null, { department_id: 'ICU' }),
      ],
      treatments: [],
    });
    await computeMetrics(db, { only: ['admissions', 'stays'] });
    expect(await counts('admissions')).toEqual({
      '2024-01|ALL|ALL': 3,
      '2024-01|H1|ALL': 2,
      '2024-01|H1|MED': 2,
      '2024-01|H2|ALL': 1,
      '2024-01|H2|SURG': 1,
      '2024-02|ALL|ALL': 2,
      '2024-02|H1|ALL': 2,
      '2024-02|H1|ICU': 1,
      '2024-02|H1|MED': 1,
      '2024|ALL|ALL': 5,
      '2024|H1|ALL': 4,
      '2024|H1|ICU': 1,
      '2024|H1|MED': 3,
      '2024|H2|ALL': 1,
      '2024|H2|SURG': 1,
    });
    expect(await counts('stays')).toEqual({
      '2024-01|ALL|ALL': 2,
      '2024-01|H1|ALL': 2,
      '2024-01|H1|MED': 2,
      '2024-02|ALL|ALL': 2,
      '2024-02|H1|ALL': 2,
      '2024-02|H1|ICU': 1,
      '2024-02|H1|MED': 1,
      '2024|ALL|ALL': 4,
      '2024|H1|ALL': 4,
      '2024|H1|ICU': 1,
      '2024|H1|MED': 3,
    });
  });
});

describe('bed_days', () => {
  it('counts nights whose ending midnight lies in (admit, discharge], each patient night once', async () => {
    await prepare(
      db,
      {
        admissions: [
          // midnight in, midnight out: the nights of 06-01 and 06-02
          adm('m1', 'midnight_both', '2024-06-01 00:00', '2024-06-03 00:00'),
          // no midnight inside: no night
          adm('s1', 'same_day', '2024-06-05 08:00', '2024-06-05 18:00', { department_id: 'DAY' }),
          // o1 holds the nights of 06-10..06-13; o2 (admitted later) takes 06-12 from it
          adm('o1', 'overlap', '2024-06-10 10:00', '2024-06-14 10:00'),
          adm('o2', 'overlap', '2024-06-12 09:00', '2024-06-13 15:00', { hospital_id: 'H2', department_id: 'SURG' }),
          // same admit time: the night goes to the larger admission_id
          adm('x1', 'overlap_tie', '2024-06-20 08:00', '2024-06-21 08:00'),
          adm('x2', 'overlap_tie', '2024-06-20 08:00', '2024-06-21 08:00', { department_id: 'ICU' }),
          // open at the cutoff (06-30 12:00): nights of 06-28 and 06-29; 06-30 ends after the cutoff
          adm('q1', 'open_to_cutoff', '2024-06-28 20:00', null),
          // discharged after the cutoff counts as still admitted: the night of 06-29 only
          adm('q2', 'discharged_after_cutoff', '2024-06-29 10:00', '2024-07-02 10:00'),
          // admitted after the configured cutoff: no nights here (counted under admissions)
          adm('q3', 'after_cutoff', '2024-07-01 08:00', '2024-07-05 08:00'),
        ],
        treatments: [],
      },
      { cutoff: '2024-06-30T12:00' },
    );
    await computeMetrics(db, { only: ['bed_days', 'admissions'] });
    expect(await counts('bed_days')).toEqual({
      '2024-06|ALL|ALL': 10,
      '2024-06|H1|ALL': 9,
      '2024-06|H1|ICU': 1,
      '2024-06|H1|MED': 8,
      '2024-06|H2|ALL': 1,
      '2024-06|H2|SURG': 1,
      '2024|ALL|ALL': 10,
      '2024|H1|ALL': 9,
      '2024|H1|ICU': 1,
      '2024|H1|MED': 8,
      '2024|H2|ALL': 1,
      '2024|H2|SURG': 1,
    });
    // A fact row is a run of nights of one contact within one month: first night, last night, nights.
    const day = (v: unknown) => (v as Date).toISOString().slice(0, 10);
    const nights = (f: Record<string, unknown>) => [day(f.first_night), day(f.last_night), f.records];
    const overlap = await facts(db, 'bed_days', 'overlap');
    expect(overlap.map((f) => [...nights(f), f.admission_id, f.contacts_that_night])).toEqual([
      ['2024-06-10', '2024-06-11', 2, 'o1', 1],
      ['2024-06-12', '2024-06-12', 1, 'o2', 2],
      ['2024-06-13', '2024-06-13', 1, 'o1', 1],
    ]);
    expect((await facts(db, 'bed_days', 'midnight_both')).map(nights)).toEqual([['2024-06-01', '2024-06-02', 2]]);
    // the contact after the configured cutoff is counted once, under admissions
    expect(await exclusions(db, 'admissions')).toEqual({
      '2024-07|H1|after_cutoff': 1,
      '2024-07|ALL|after_cutoff': 1,
      '2024|H1|after_cutoff': 1,
      '2024|ALL|after_cutoff': 1,
    });
    expect(await exclusions(db, 'bed_days')).toEqual({});
    expect(await ndv(db, 'admissions', '2024-07|ALL|ALL')).toBeUndefined();
    expect(await ndv(db, 'admissions', '2024|ALL|ALL')).toEqual([8, null, 8]);
  });
});

describe('ambulatory_visits, treatments, emergency_visits', () => {
  it('counts visits as distinct (patient, hospital, department, date) tuples at every grain', async () => {
    await prepare(
      db,
      {
        admissions: [],
        treatments: [
          // two OPD treatments on one day are one visit; the eye clinic the same day is another
          trt('t1', 'two_clinics_one_day', '2024-03-04 09:00'),
          trt('t2', 'two_clinics_one_day', '2024-03-04 14:00', { mode: 'virtual' }),
          trt('t3', 'two_clinics_one_day', '2024-03-04 10:00', { department_id: 'EYE' }),
          trt('t4', 'two_clinics_one_day', '2024-03-05 09:00'),
          trt('t5', 'other_patient_same_day', '2024-03-04 09:00'),
          trt('e1', 'emergency', '2024-03-06 22:00', { setting: 'emergency', department_id: 'ED' }),
          trt('t6', 'after_cutoff', '2024-04-02 09:00'),
          trt('e2', 'after_cutoff', '2024-04-02 10:00', { setting: 'emergency', department_id: 'ED' }),
        ],
      },
      { cutoff: '2024-03-31T23:59' },
    );
    await computeMetrics(db, { only: ['ambulatory_visits', 'treatments', 'emergency_visits'] });
    expect(await counts('ambulatory_visits')).toEqual({
      '2024-03|ALL|ALL': 4,
      '2024-03|H1|ALL': 4,
      '2024-03|H1|EYE': 1,
      '2024-03|H1|OPD': 3,
      '2024|ALL|ALL': 4,
      '2024|H1|ALL': 4,
      '2024|H1|EYE': 1,
      '2024|H1|OPD': 3,
    });
    expect(await counts('treatments')).toEqual({
      '2024-03|ALL|ALL': 5,
      '2024-03|H1|ALL': 5,
      '2024-03|H1|EYE': 1,
      '2024-03|H1|OPD': 4,
      '2024|ALL|ALL': 5,
      '2024|H1|ALL': 5,
      '2024|H1|EYE': 1,
      '2024|H1|OPD': 4,
    });
    expect(await counts('emergency_visits')).toEqual({
      '2024-03|ALL|ALL': 1,
      '2024-03|H1|ALL': 1,
      '2024-03|H1|ED': 1,
      '2024|ALL|ALL': 1,
      '2024|H1|ALL': 1,
      '2024|H1|ED': 1,
    });
    const afterCutoff = { '2024-04|H1|after_cutoff': 1, '2024-04|ALL|after_cutoff': 1, '2024|H1|after_cutoff': 1, '2024|ALL|after_cutoff': 1 };
    expect(await exclusions(db, 'treatments')).toEqual(afterCutoff);
    expect(await exclusions(db, 'emergency_visits')).toEqual(afterCutoff);
    expect(await exclusions(db, 'ambulatory_visits')).toEqual({});
    expect(await facts(db, 'ambulatory_visits', 'two_clinics_one_day')).toHaveLength(3);
  });
});

describe('drg_value', () => {
  it('sums DRG weights by discharge month; open contacts and contacts without a weight add nothing', async () => {
    await prepare(db, {
      admissions: [
        adm('d1', 'weighted', '2024-01-10 08:00', '2024-01-15 08:00', { drg_weight: 1.25 }),
        adm('d2', 'weighted', '2024-01-30 08:00', '2024-02-01 08:00', { drg_weight: 0.5 }),
        adm('d3', 'no_weight', '2024-01-12 08:00', '2024-01-14 08:00'),
        adm('d4', 'open_weighted', '2024-02-10 08:00', null, { drg_weight: 2 }),
      ],
      treatments: [],
    });
    const r = await computeMetrics(db, { only: ['drg_value'] });
    expect(r.absent).toEqual([]);
    expect(await ndv(db, 'drg_value', '2024-01|H1|MED')).toEqual([1.25, null, 1.25]);
    expect(await ndv(db, 'drg_value', '2024-02|H1|MED')).toEqual([0.5, null, 0.5]);
    expect(await ndv(db, 'drg_value', '2024|ALL|ALL')).toEqual([1.75, null, 1.75]);
  });

  it('is absent, and says so, when the input has no DRG weights', async () => {
    await prepare(db, { admissions: [adm('d1', 'unweighted', '2024-01-10 08:00', '2024-01-15 08:00')], treatments: [] });
    const logged: string[] = [];
    const r = await computeMetrics(db, { only: ACTIVITY, log: (m) => logged.push(m) });
    expect(r.absent).toEqual([{ id: 'drg_value', reason: 'needs DRG weights (admissions.drg_weight), which the input lacks' }]);
    expect(r.catalog.map((e) => e.id)).not.toContain('drg_value');
    expect(logged.some((m) => m.startsWith('metric drg_value is absent'))).toBe(true);
    expect(await db.hasTable('fact_drg_value')).toBe(false);
    expect(Number(await db.scalar("SELECT count(*) FROM metrics WHERE metric_id = 'drg_value'"))).toBe(0);
    expect(await ndv(db, 'admissions', '2024|ALL|ALL')).toEqual([1, null, 1]);
  });
});
