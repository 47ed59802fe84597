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

const adm = (id: string, patient: string, admit: string, discharge: string | null, extra: FixtureRow = {}): FixtureRow => ({
  admission_id: id,
  patient_id: patient,
  hospital_id: 'H1',
  department_id: 'MED',
  admit_ts: admit,
  discharge_ts: discharge,
  discharge_disposition: 'home',
  ...extra,
});

const CUTOFF = { cutoff: '2024-12-31T23:59:59' };

const ADMISSIONS: FixtureRow[] = [
  adm('home1', 'home_after_3_nights', '2024-03-01 10:00', '2024-03-04 12:00'),
  adm('ra', 'readmitted_in_window', '2024-03-01 10:00', '2024-03-03 10:00'),
  adm('rb', 'readmitted_in_window', '2024-03-10 10:00', '2024-03-12 10:00', { department_id: 'SURG' }),
  adm('rc', 'readmitted_in_window', '2024-04-05 10:00', '2024-04-06 10:00', { hospital_id: 'H2' }),
  // two stays 12 hours apart share the date 2024-05-02, which counts once
  adm('sa', 'same_day_boundary', '2024-05-01 08:00', '2024-05-02 08:00', { hospital_id: 'H2' }),
  adm('sb', 'same_day_boundary', '2024-05-02 20:00', '2024-05-03 10:00', { hospital_id: 'H2' }),
  adm('d30', 'death_on_day_30', '2024-06-01 10:00', '2024-06-05 10:00'),
  adm('d31', 'death_on_day_31', '2024-06-01 10:00', '2024-06-05 10:00'),
  adm('da', 'dies_on_readmission', '2024-08-01 10:00', '2024-08-03 10:00'),
  adm('db', 'dies_on_readmission', '2024-08-20 10:00', '2024-08-25 10:00', { discharge_disposition: 'died' }),
  adm('open1', 'open_stay', '2024-11-20 08:00', null, { hospital_id: 'H2' }),
  adm('fu30', 'follow_up_exactly_30', '2024-12-01 10:00', '2024-12-02 10:00'),
  adm('fu29', 'follow_up_29', '2024-12-02 10:00', '2024-12-03 10:00'),
  // a transfer is one stay, filed under the admitting hospital and department
  adm('t1', 'transfer', '2024-09-01 08:00', '2024-09-02 12:00'),
  adm('t2', 'transfer', '2024-09-02 14:00', '2024-09-05 10:00', { hospital_id: 'H2', department_id: 'ICU' }),
];
const PATIENTS: FixtureRow[] = [
  { patient_id: 'death_on_day_30', birth_year: 1940, death_date: '2024-06-30' },
  { patient_id: 'death_on_day_31', birth_year: 1940, death_date: '2024-07-01' },
];

async function facts(): Promise<Record<string, unknown>[]> {
  const def = loadMetricFile('metrics/outcome/daoh_30.sql');
  await db.run(`CREATE OR REPLACE TABLE f AS ${def.sql}`);
  return db.all(
    `SELECT patient_id, stay_id, CAST(period_date AS VARCHAR) AS period_date, hospital_id, department_id,
            exclusion, num, hospital_days, died_in_window
     FROM f ORDER BY patient_id, stay_id`,
  );
}

describe('daoh_30 facts', () => {
  it('counts distinct hospital dates in the 30-day window, 0 on death, and censors late stays', async () => {
    await prepare(db, { patients: PATIENTS, admissions: ADMISSIONS, treatments: [] }, CUTOFF);
    const f = await facts();
    const byStay = Object.fromEntries(f.map((r) => [r.stay_id, [r.num, r.exclusion]]));
    expect(byStay).toEqual({
      home1: [26, null], // 03-01 … 03-04 = 4 dates
      ra: [24, null], // 3 dates of ra + 3 of rb (03-10 … 03-12)
      rb: [25, null], // 3 of rb + 2 of rc (04-05, 04-06), window ends 04-08
      rc: [28, null],
      sa: [27, null], // 05-01, 05-02, 05-03: the shared date once
      sb: [28, null], // 05-02, 05-03
      d30: [0, null], // death on the 30th date of the window
      d31: [25, null], // death the day after the window: 5 hospital dates
      da: [0, null], // the readmission ends in death on 08-25, inside da's window
      db: [0, null],
      open1: [0, null], // open stay covers every date up to the cutoff
      fu30: [28, null], // 12-01 + 30 = 12-31 = cutoff date: complete
      fu29: [null, 'incomplete_follow_up'],
      t1: [25, null], // one stay 09-01 … 09-05
    });
    const t1 = f.find((r) => r.stay_id === 't1');
    expect(t1).toMatchObject({ period_date: '2024-09-01', hospital_id: 'H1', department_id: 'MED', hospital_days: 5 });
    expect(f.find((r) => r.stay_id === 'sa')).toMatchObject({ hospital_days: 3, died_in_window: false });
    expect(f.find((r) => r.stay_id === 'd30')).toMatchObject({ hospital_days: 5, died_in_window: true });
  });

  it('without a patients table, a stay that ends in death still zeroes the windows it falls in', async () => {
    await prepare(
      db,
      {
        admissions: [
          adm('x1', 'earlier_stay', '2024-06-01 10:00', '2024-06-02 10:00'),
          adm('x2', 'earlier_stay', '2024-07-02 10:00', '2024-07-05 10:00', { discharge_disposition: 'died' }),
          adm('y1', 'died_in_stay', '2024-06-01 10:00', '2024-06-10 10:00', { discharge_disposition: 'died' }),
        ],
        treatments: [],
      },
      CUTOFF,
    );
    const f = await facts();
    // x2 ends 07-05, after x1's window (06-01 … 06-30): x1 keeps 28
    expect(f.map((r) => [r.stay_id, r.num]).sort()).toEqual([
      ['x1', 28],
      ['x2', 0],
      ['y1', 0],
    ]);
  });
});

describe('daoh_30 grains', () => {
  it('means per month and year, hospital and department, from the records', async () => {
    await prepare(db, { patients: PATIENTS, admissions: ADMISSIONS, treatments: [] }, CUTOFF);
    await computeMetrics(db, { only: ['daoh_30'] });
    const rows = await db.all<Record<string, unknown>>(
      `SELECT period, hospital_id, department_id, numerator, denominator, value FROM metrics
       WHERE metric_id = 'daoh_30' ORDER BY period, hospital_id, department_id`,
    );
    const cell = (period: string, h: string, d: string) =>
      rows.find((r) => r.period === period && r.hospital_id === h && r.department_id === d);
    expect(cell('2024-03', 'H1', 'MED')).toMatchObject({ numerator: 50, denominator: 2, value: 25 });
    expect(cell('2024-03', 'H1', 'SURG')).toMatchObject({ numerator: 25, denominator: 1, value: 25 });
    expect(cell('2024-03', 'H1', 'ALL')).toMatchObject({ numerator: 75, denominator: 3, value: 25 });
    expect(cell('2024-03', 'ALL', 'ALL')).toMatchObject({ numerator: 75, denominator: 3, value: 25 });
    expect(cell('2024-05', 'H2', 'MED')).toMatchObject({ numerator: 55, denominator: 2, value: 27.5 });
    expect(cell('2024-06', 'H1', 'MED')).toMatchObject({ numerator: 25, denominator: 2, value: 12.5 });
    expect(cell('2024-08', 'ALL', 'ALL')).toMatchObject({ numerator: 0, denominator: 2, value: 0 });
    expect(cell('2024-09', 'H2', 'ICU')).toBeUndefined();
    expect(cell('2024-12', 'H1', 'MED')).toMatchObject({ numerator: 28, denominator: 1, value: 28 });
    expect(cell('2024', 'H1', 'ALL')).toMatchObject({ numerator: 153, denominator: 9, value: 17 });
    expect(cell('2024', 'H2', 'ALL')).toMatchObject({ numerator: 83, denominator: 4, value: 20.75 });
    expect(cell('2024', 'ALL', 'ALL')).toMatchObject({ numerator: 236, denominator: 13, value: 236 / 13 });
    const excl = await db.all(
      `SELECT period, hospital_id, reason, count FROM exclusions WHERE metric_id = 'daoh_30' ORDER BY period, hospital_id`,
    );
    expect(excl).toEqual([
      { period: '2024', hospital_id: 'ALL', reason: 'incomplete_follow_up', count: 1 },
      { period: '2024', hospital_id: 'H1', reason: 'incomplete_follow_up', count: 1 },
      { period: '2024-12', hospital_id: 'ALL', reason: 'incomplete_follow_up', count: 1 },
      { period: '2024-12', hospital_id: 'H1', reason: 'incomplete_follow_up', count: 1 },
    ]);
  });
});
