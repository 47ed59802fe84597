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
const tr = (patient: string, hospital: string, department: string, start: string, extra: FixtureRow = {}): FixtureRow => ({
  treatment_id: `t${String(++seq).padStart(3, '0')}`,
  patient_id: patient,
  hospital_id: hospital,
  department_id: department,
  start_ts: start,
  setting: 'ambulatory',
  mode: 'in_person',
  ...extra,
});
const adm = (id: string, patient: string, hospital: string, admit: string, discharge: string | null): FixtureRow => ({
  admission_id: id,
  patient_id: patient,
  hospital_id: hospital,
  department_id: 'MED',
  admit_ts: admit,
  discharge_ts: discharge,
});

const ADMISSIONS: FixtureRow[] = [
  adm('s1', 'treatment_during_stay', 'H1', '2024-03-10 08:00', '2024-03-12 12:00'),
  adm('s2', 'at_admit_instant', 'H1', '2024-03-20 10:00', '2024-03-21 10:00'),
  adm('s3', 'open_stay', 'H1', '2024-12-01 10:00', null),
  adm('s4', 'stay_elsewhere', 'H2', '2024-03-01 10:00', '2024-03-03 10:00'),
];
const TREATMENTS: FixtureRow[] = [
  tr('two_clinics_one_day', 'H1', 'CARD', '2024-03-04 09:00'),
  tr('two_clinics_one_day', 'H1', 'DIAB', '2024-03-04 14:00'),
  tr('two_clinics_one_day', 'H1', 'DIAB', '2024-03-07 14:00', { mode: 'virtual' }),
  tr('two_clinics_one_day', 'H1', 'ED', '2024-03-08 02:00', { setting: 'emergency' }),
  tr('treatment_during_stay', 'H1', 'XRAY', '2024-03-11 10:00'), // inside the stay
  tr('treatment_during_stay', 'H1', 'CARD', '2024-03-12 12:00'), // at the discharge instant: inside
  tr('treatment_during_stay', 'H1', 'CARD', '2024-03-12 12:01'), // a minute later: a trip
  tr('at_admit_instant', 'H1', 'CARD', '2024-03-20 09:59'), // a trip
  tr('at_admit_instant', 'H1', 'XRAY', '2024-03-20 10:00'), // at the admit instant: inside
  tr('open_stay', 'H1', 'CARD', '2024-12-15 10:00'), // after the admit of an open stay: inside
  tr('stay_elsewhere', 'H1', 'CARD', '2024-03-02 10:00'), // inside a stay at another hospital
  tr('two_hospitals', 'H1', 'CARD', '2024-03-05 10:00'),
  tr('two_hospitals', 'H2', 'EYE', '2024-03-05 15:00'),
  tr('two_hospitals', 'H2', 'EYE', '2024-03-06 10:00'),
  tr('frequent_flyer', 'H1', 'DIAL', '2024-03-01 08:00'),
  tr('frequent_flyer', 'H1', 'DIAL', '2024-03-08 08:00'),
  tr('frequent_flyer', 'H1', 'DIAL', '2024-03-15 08:00'),
  tr('frequent_flyer', 'H1', 'DIAL', '2024-04-02 08:00'),
];
const CUTOFF = { cutoff: '2024-12-31T23:59:59' };

async function facts(id: string, cols: string): Promise<Record<string, unknown>[]> {
  const def = loadMetricFile(`metrics/outcome/${id}.sql`);
  await buildSharedBlocks(db);
  await db.run(`CREATE OR REPLACE TABLE f AS ${def.sql}`);
  return db.all(`SELECT ${cols} FROM f ORDER BY ALL`);
}

async function cells(id: string): Promise<Record<string, unknown>[]> {
  return db.all(
    `SELECT period, hospital_id, department_id, numerator, denominator, value FROM metrics
     WHERE metric_id = $id ORDER BY period, hospital_id`,
    { id },
  );
}

describe('trips_per_patient facts', () => {
  it('one fact per (patient, hospital, date); a day with only in-stay treatments is excluded as during_stay', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    const f = await facts('trips_per_patient', `patient_id, hospital_id, CAST(period_date AS VARCHAR) AS d, exclusion, num, den_distinct, n_treatments, n_during_stay`);
    expect(f.map((r) => [r.patient_id, r.hospital_id, r.d, r.exclusion, r.n_treatments, r.n_during_stay])).toEqual([
      ['at_admit_instant', 'H1', '2024-03-20', null, 1, 1],
      ['frequent_flyer', 'H1', '2024-03-01', null, 1, 0],
      ['frequent_flyer', 'H1', '2024-03-08', null, 1, 0],
      ['frequent_flyer', 'H1', '2024-03-15', null, 1, 0],
      ['frequent_flyer', 'H1', '2024-04-02', null, 1, 0],
      ['open_stay', 'H1', '2024-12-15', 'during_stay', 0, 1],
      ['stay_elsewhere', 'H1', '2024-03-02', 'during_stay', 0, 1],
      ['treatment_during_stay', 'H1', '2024-03-11', 'during_stay', 0, 1],
      ['treatment_during_stay', 'H1', '2024-03-12', null, 1, 1],
      ['two_clinics_one_day', 'H1', '2024-03-04', null, 2, 0],
      ['two_hospitals', 'H1', '2024-03-05', null, 1, 0],
      ['two_hospitals', 'H2', '2024-03-05', null, 1, 0],
      ['two_hospitals', 'H2', '2024-03-06', null, 1, 0],
    ]);
    expect(f.every((r) => r.den_distinct === r.patient_id)).toBe(true);
  });
});

describe('consolidation_ratio facts', () => {
  it('one fact per in-person treatment; the first of each trip carries den = 1', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    const f = await facts('consolidation_ratio', `treatment_id, patient_id, exclusion, num, den, during_stay_id`);
    const excluded = f.filter((r) => r.exclusion !== null).map((r) => [r.patient_id, r.during_stay_id]);
    expect(excluded).toEqual([
      ['treatment_during_stay', 's1'],
      ['treatment_during_stay', 's1'],
      ['at_admit_instant', 's2'],
      ['open_stay', 's3'],
      ['stay_elsewhere', 's4'],
    ]);
    const counted = f.filter((r) => r.exclusion === null);
    expect(counted).toHaveLength(11);
    expect(counted.filter((r) => r.den === 1)).toHaveLength(10);
    const clinics = counted.filter((r) => r.patient_id === 'two_clinics_one_day').map((r) => [r.treatment_id, r.den]);
    expect(clinics).toEqual([
      ['t001', 1],
      ['t002', 0],
    ]);
  });
});

describe('trip metrics grains', () => {
  it('trips per patient counts distinct patients at each level; consolidation is treatments over trips', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await computeMetrics(db, { only: ['trips_per_patient', 'consolidation_ratio', 'avoidable_trips'] });
    expect(await cells('trips_per_patient')).toEqual([
      { period: '2024', hospital_id: 'ALL', department_id: 'ALL', numerator: 10, denominator: 5, value: 2 },
      { period: '2024', hospital_id: 'H1', department_id: 'ALL', numerator: 8, denominator: 5, value: 1.6 },
      { period: '2024', hospital_id: 'H2', department_id: 'ALL', numerator: 2, denominator: 1, value: 2 },
      // two_hospitals is one patient of the 5 at ALL, though a patient of both H1 and H2
      { period: '2024-03', hospital_id: 'ALL', department_id: 'ALL', numerator: 9, denominator: 5, value: 1.8 },
      { period: '2024-03', hospital_id: 'H1', department_id: 'ALL', numerator: 7, denominator: 5, value: 1.4 },
      { period: '2024-03', hospital_id: 'H2', department_id: 'ALL', numerator: 2, denominator: 1, value: 2 },
      { period: '2024-04', hospital_id: 'ALL', department_id: 'ALL', numerator: 1, denominator: 1, value: 1 },
      { period: '2024-04', hospital_id: 'H1', department_id: 'ALL', numerator: 1, denominator: 1, value: 1 },
    ]);
    expect(await cells('consolidation_ratio')).toEqual([
      { period: '2024', hospital_id: 'ALL', department_id: 'ALL', numerator: 11, denominator: 10, value: 1.1 },
      { period: '2024', hospital_id: 'H1', department_id: 'ALL', numerator: 9, denominator: 8, value: 1.125 },
      { period: '2024', hospital_id: 'H2', department_id: 'ALL', numerator: 2, denominator: 2, value: 1 },
      { period: '2024-03', hospital_id: 'ALL', department_id: 'ALL', numerator: 10, denominator: 9, value: 10 / 9 },
      { period: '2024-03', hospital_id: 'H1', department_id: 'ALL', numerator: 8, denominator: 7, value: 8 / 7 },
      { period: '2024-03', hospital_id: 'H2', department_id: 'ALL', numerator: 2, denominator: 2, value: 1 },
      { period: '2024-04', hospital_id: 'ALL', department_id: 'ALL', numerator: 1, denominator: 1, value: 1 },
      { period: '2024-04', hospital_id: 'H1', department_id: 'ALL', numerator: 1, denominator: 1, value: 1 },
    ]);
    const excl = await db.all(
      `SELECT metric_id, period, count FROM exclusions WHERE hospital_id = 'ALL' AND reason = 'during_stay' ORDER BY ALL`,
    );
    expect(excl).toEqual([
      { metric_id: 'avoidable_trips', period: '2024', count: 3 },
      { metric_id: 'avoidable_trips', period: '2024-03', count: 2 },
      { metric_id: 'avoidable_trips', period: '2024-12', count: 1 },
      { metric_id: 'consolidation_ratio', period: '2024', count: 5 },
      { metric_id: 'consolidation_ratio', period: '2024-03', count: 4 },
      { metric_id: 'consolidation_ratio', period: '2024-12', count: 1 },
      { metric_id: 'trips_per_patient', period: '2024', count: 3 },
      { metric_id: 'trips_per_patient', period: '2024-03', count: 2 },
      { metric_id: 'trips_per_patient', period: '2024-12', count: 1 },
    ]);
  });

  it('the three trip metrics agree on the trips: counted trips = Σ den of consolidation = Σ T of courses', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await computeMetrics(db, { only: ['trips_per_patient', 'consolidation_ratio', 'avoidable_trips'] });
    const n = await db.one(`SELECT
      (SELECT count(*) FROM fact_trips_per_patient WHERE exclusion IS NULL) AS trips,
      (SELECT sum(den) FROM fact_consolidation_ratio WHERE exclusion IS NULL) AS consolidation,
      (SELECT sum(den) FROM fact_avoidable_trips WHERE exclusion IS NULL) AS courses`);
    expect(n).toEqual({ trips: 10, consolidation: 10, courses: 10 });
  });
});
