import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare, type FixtureRow } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { loadMetricFile } from '../../metrics/registry.js';
import { buildSharedBlocks } from '../../metrics/shared.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

let seq = 0;
/** In-person ambulatory treatments of one patient in one department on the given dates (09:00). */
const visits = (patient: string, hospital: string, department: string, dates: string[]): FixtureRow[] =>
  dates.map((d) => ({
    treatment_id: `t${String(++seq).padStart(3, '0')}`,
    patient_id: patient,
    hospital_id: hospital,
    department_id: department,
    start_ts: `${d} 09:00`,
    setting: 'ambulatory',
    mode: 'in_person',
  }));

// 2024-01-08 is a Monday.
const TREATMENTS: FixtureRow[] = [
  // docs/reference/metrics.md#avoidable-trips worked examples
  ...visits('cardiology_and_diabetes', 'H1', 'CARD', ['2024-01-08']),
  ...visits('cardiology_and_diabetes', 'H1', 'DIAB', ['2024-01-10']),
  ...visits('dialysis_and_eye', 'H1', 'DIAL', ['2024-01-08', '2024-01-10', '2024-01-12']),
  ...visits('dialysis_and_eye', 'H1', 'EYE', ['2024-01-09']),
  ...visits('dialysis_alone', 'H2', 'DIAL', ['2024-01-08', '2024-01-10', '2024-01-12', '2024-01-15', '2024-01-17', '2024-01-19']),
  // course boundaries: 7 days apart is the same course, 8 days apart a new one
  ...visits('gap_of_7_days', 'H1', 'CARD', ['2024-01-08']),
  ...visits('gap_of_7_days', 'H1', 'DIAB', ['2024-01-15']),
  ...visits('gap_of_8_days', 'H1', 'CARD', ['2024-01-08']),
  ...visits('gap_of_8_days', 'H1', 'DIAB', ['2024-01-16']),
  // a course is filed under the month of its first trip
  ...visits('course_across_months', 'H1', 'CARD', ['2024-01-29']),
  ...visits('course_across_months', 'H1', 'DIAB', ['2024-02-02']),
  // two departments on the same day are one trip
  ...visits('two_clinics_same_day', 'H1', 'CARD', ['2024-01-08']),
  ...visits('two_clinics_same_day', 'H1', 'DIAB', ['2024-01-08']),
  ...visits('february_courses', 'H2', 'CARD', ['2024-02-05']),
  ...visits('february_courses', 'H2', 'ORTHO', ['2024-02-06', '2024-02-20']),
];
const CUTOFF = { cutoff: '2024-12-31T23:59:59' };

async function facts(): Promise<Record<string, unknown>[]> {
  const def = loadMetricFile('metrics/outcome/avoidable_trips.sql');
  await buildSharedBlocks(db);
  await db.run(`CREATE OR REPLACE TABLE f AS ${def.sql}`);
  return db.all(
    `SELECT patient_id, hospital_id, CAST(period_date AS VARCHAR) AS period_date, trips, busiest_department_days AS m,
            num AS avoidable, den, busiest_department_id, exclusion
     FROM f ORDER BY patient_id, course_no NULLS LAST`,
  );
}

describe('avoidable_trips facts', () => {
  it('one fact per course: T trips, m busiest-department days, avoidable = T - m', async () => {
    await prepare(db, { admissions: [], treatments: TREATMENTS }, CUTOFF);
    const f = await facts();
    expect(f.map((r) => [r.patient_id, r.period_date, r.trips, r.m, r.avoidable])).toEqual([
      ['cardiology_and_diabetes', '2024-01-08', 2, 1, 1],
      ['course_across_months', '2024-01-29', 2, 1, 1],
      ['dialysis_alone', '2024-01-08', 6, 6, 0],
      ['dialysis_and_eye', '2024-01-08', 4, 3, 1],
      ['february_courses', '2024-02-05', 2, 1, 1],
      ['february_courses', '2024-02-20', 1, 1, 0],
      ['gap_of_7_days', '2024-01-08', 2, 1, 1],
      ['gap_of_8_days', '2024-01-08', 1, 1, 0],
      ['gap_of_8_days', '2024-01-16', 1, 1, 0],
      ['two_clinics_same_day', '2024-01-08', 1, 1, 0],
    ]);
    expect(f.find((r) => r.patient_id === 'dialysis_and_eye')).toMatchObject({ busiest_department_id: 'DIAL', den: 4 });
    // Among departments tied for the most days, the last by text (CARD 1 and DIAB 1 give DIAB).
    expect(f.map((r) => r.busiest_department_id)).toEqual(['DIAB', 'DIAB', 'DIAL', 'DIAL', 'ORTHO', 'ORTHO', 'DIAB', 'CARD', 'DIAB', 'DIAB']);
  });

  it('course_gap_days comes from the config', async () => {
    await prepare(db, { admissions: [], treatments: TREATMENTS }, { ...CUTOFF, course_gap_days: 1 });
    const f = await facts();
    // Mon/Wed/Fri are two days apart: with a 1-day gap every dialysis trip is its own course
    expect(f.filter((r) => r.patient_id === 'dialysis_alone')).toHaveLength(6);
    expect(f.filter((r) => r.patient_id === 'dialysis_and_eye').map((r) => [r.trips, r.avoidable])).toEqual([
      [3, 1], // Mon, Tue, Wed are a day apart: one course, dialysis on 2 of its 3 dates
      [1, 0], // Friday is 2 days after Wednesday: a course of its own
    ]);
  });

  it('trips during an inpatient stay are not part of any course, and are counted as excluded days', async () => {
    await prepare(
      db,
      {
        admissions: [
          {
            admission_id: 's1',
            patient_id: 'cardiology_and_diabetes',
            hospital_id: 'H1',
            admit_ts: '2024-01-09 12:00',
            discharge_ts: '2024-01-10 12:00',
          },
        ],
        treatments: TREATMENTS.filter((t) => t.patient_id === 'cardiology_and_diabetes'),
      },
      CUTOFF,
    );
    const f = await facts();
    expect(f.map((r) => [r.exclusion, r.period_date, r.trips, r.avoidable])).toEqual([
      [null, '2024-01-08', 1, 0],
      ['during_stay', '2024-01-10', null, null],
    ]);
    await computeMetrics(db, { only: ['avoidable_trips'] });
    expect(await db.all(`SELECT period, hospital_id, reason, count FROM exclusions WHERE metric_id = 'avoidable_trips' ORDER BY 1, 2`)).toEqual([
      { period: '2024', hospital_id: 'ALL', reason: 'during_stay', count: 1 },
      { period: '2024', hospital_id: 'H1', reason: 'during_stay', count: 1 },
      { period: '2024-01', hospital_id: 'ALL', reason: 'during_stay', count: 1 },
      { period: '2024-01', hospital_id: 'H1', reason: 'during_stay', count: 1 },
    ]);
  });
});

describe('avoidable_trips grains', () => {
  it('sums avoidable trips over trips per month of first trip and hospital', async () => {
    await prepare(db, { admissions: [], treatments: TREATMENTS }, CUTOFF);
    await computeMetrics(db, { only: ['avoidable_trips'] });
    const rows = await db.all(
      `SELECT period, hospital_id, department_id, numerator, denominator, value FROM metrics
       WHERE metric_id = 'avoidable_trips' ORDER BY period, hospital_id`,
    );
    expect(rows).toEqual([
      { period: '2024', hospital_id: 'ALL', department_id: 'ALL', numerator: 5, denominator: 22, value: 5 / 22 },
      { period: '2024', hospital_id: 'H1', department_id: 'ALL', numerator: 4, denominator: 13, value: 4 / 13 },
      { period: '2024', hospital_id: 'H2', department_id: 'ALL', numerator: 1, denominator: 9, value: 1 / 9 },
      { period: '2024-01', hospital_id: 'ALL', department_id: 'ALL', numerator: 4, denominator: 19, value: 4 / 19 },
      { period: '2024-01', hospital_id: 'H1', department_id: 'ALL', numerator: 4, denominator: 13, value: 4 / 13 },
      { period: '2024-01', hospital_id: 'H2', department_id: 'ALL', numerator: 0, denominator: 6, value: 0 },
      { period: '2024-02', hospital_id: 'ALL', department_id: 'ALL', numerator: 1, denominator: 3, value: 1 / 3 },
      { period: '2024-02', hospital_id: 'H2', department_id: 'ALL', numerator: 1, denominator: 3, value: 1 / 3 },
    ]);
  });
});
