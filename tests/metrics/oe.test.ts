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

const stay = (
  id: string,
  patient: string,
  hospital: string,
  admit: string,
  discharge: string,
  type: string,
  extra: FixtureRow = {},
): FixtureRow => ({
  admission_id: id,
  patient_id: patient,
  hospital_id: hospital,
  department_id: 'MED',
  admit_ts: `${admit} 10:00`,
  discharge_ts: `${discharge} 10:00`,
  admission_type: type,
  discharge_disposition: 'home',
  ...extra,
});
// Readmission stays end in a transfer, so they are not index stays themselves (transfer_out)
// and every stratum below holds exactly the index stays listed.
const readmit = (id: string, patient: string, admit: string, discharge: string): FixtureRow =>
  stay(id, patient, 'H1', admit, discharge, 'acute', { discharge_disposition: 'transfer' });

// Stratum A = 75-84 × F × acute: 4 index stays in 2023, 2 readmitted → reference rate 0.5.
// Stratum B = 45-64 × M × elective: 4 index stays in 2023, 1 readmitted → 0.25.
// Stratum C = unknown × U × unknown: 2 index stays in 2023, none readmitted → 0.
const PATIENTS: FixtureRow[] = [
  ...['a_readmitted_h1', 'a_readmitted_h2', 'a_not_h1', 'a_not_h2'].map((p) => ({ patient_id: p, birth_year: 1940, sex: 'F' })),
  ...['b_readmitted_h1', 'b_not_1', 'b_not_2', 'b_not_3'].map((p) => ({ patient_id: p, birth_year: 1970, sex: 'M' })),
  { patient_id: 'negative_age', birth_year: 2030, sex: 'U' },
];
const ADMISSIONS: FixtureRow[] = [
  stay('a1', 'a_readmitted_h1', 'H1', '2023-03-01', '2023-03-05', 'acute'),
  readmit('a1r', 'a_readmitted_h1', '2023-03-15', '2023-03-20'),
  stay('a2', 'a_readmitted_h2', 'H2', '2023-05-01', '2023-05-04', 'acute'),
  readmit('a2r', 'a_readmitted_h2', '2023-05-10', '2023-05-12'),
  stay('a3', 'a_not_h1', 'H1', '2023-03-10', '2023-03-12', 'acute'),
  stay('a4', 'a_not_h2', 'H2', '2023-05-02', '2023-05-06', 'acute'),
  stay('b1', 'b_readmitted_h1', 'H1', '2023-03-02', '2023-03-03', 'elective'),
  readmit('b1r', 'b_readmitted_h1', '2023-03-20', '2023-03-21'),
  stay('b2', 'b_not_1', 'H1', '2023-03-02', '2023-03-03', 'elective'),
  stay('b3', 'b_not_2', 'H1', '2023-03-02', '2023-03-03', 'elective', { department_id: 'SURG' }),
  stay('b4', 'b_not_3', 'H2', '2023-05-02', '2023-05-03', 'elective'),
  stay('c1', 'no_patient_row', 'H2', '2023-05-03', '2023-05-04', 'unknown'),
  stay('c2', 'negative_age', 'H2', '2023-05-03', '2023-05-04', 'unknown'),
  // 2024: stratum A again (age 84), not readmitted → the 2024 rate of A is 0, so E = 0
  stay('a5', 'a_not_h1', 'H1', '2024-02-01', '2024-02-03', 'acute'),
  stay('late', 'a_not_h2', 'H1', '2024-12-10', '2024-12-12', 'acute'),
];
const CUTOFF = { cutoff: '2024-12-31T23:59:59' };

describe('readmission_30d_oe facts', () => {
  it('stratum and reference rate per index stay', async () => {
    await prepare(db, { patients: PATIENTS, admissions: ADMISSIONS, treatments: [] }, CUTOFF);
    const def = loadMetricFile('metrics/outcome/readmission_30d_oe.sql');
    await buildSharedBlocks(db);
    await db.run(`CREATE TABLE f AS ${def.sql}`);
    const f = await db.all<Record<string, unknown>>(
      `SELECT stay_id, exclusion, num, den, age_band, sex, admission_type, ref_year FROM f ORDER BY stay_id`,
    );
    expect(f.map((r) => [r.stay_id, r.exclusion, r.num, r.den, `${r.age_band}|${r.sex}|${r.admission_type}|${r.ref_year}`])).toEqual([
      ['a1', null, 1, 0.5, '75-84|F|acute|2023'],
      ['a1r', 'transfer_out', 0, null, '75-84|F|acute|2023'],
      ['a2', null, 1, 0.5, '75-84|F|acute|2023'],
      ['a2r', 'transfer_out', 0, null, '75-84|F|acute|2023'],
      ['a3', null, 0, 0.5, '75-84|F|acute|2023'],
      ['a4', null, 0, 0.5, '75-84|F|acute|2023'],
      ['a5', null, 0, 0, '75-84|F|acute|2024'],
      ['b1', null, 1, 0.25, '45-64|M|elective|2023'],
      ['b1r', 'transfer_out', 0, null, '45-64|M|acute|2023'],
      ['b2', null, 0, 0.25, '45-64|M|elective|2023'],
      ['b3', null, 0, 0.25, '45-64|M|elective|2023'],
      ['b4', null, 0, 0.25, '45-64|M|elective|2023'],
      ['c1', null, 0, 0, 'unknown|U|unknown|2023'],
      ['c2', null, 0, 0, 'unknown|U|unknown|2023'],
      ['late', 'incomplete_follow_up', 0, null, '75-84|F|acute|2024'],
    ]);
  });
});

describe('readmission_30d_oe grains', () => {
  it('O, E, O/E and exact Poisson limits divided by E; no cell when E = 0', async () => {
    await prepare(db, { patients: PATIENTS, admissions: ADMISSIONS, treatments: [] }, CUTOFF);
    await computeMetrics(db, { only: ['readmission_30d_oe'] });
    const rows = await db.all<Record<string, unknown>>(
      `SELECT period, hospital_id, department_id, numerator, denominator, value, lower, upper FROM metrics
       WHERE metric_id = 'readmission_30d_oe' ORDER BY period, hospital_id, department_id`,
    );
    const cell = (period: string, h: string, d: string) =>
      rows.find((r) => r.period === period && r.hospital_id === h && r.department_id === d);
    // Limits of O = 0, 1, 2, 3 (see poisson.test.ts): [0, 3.6888794541139363], [0.025317807984289875,
    // 5.5716433909388986], [0.24220927854396490, 7.2246876677239608], [0.61867212289560129, 8.7672730697423260]
    const close = (o: Record<string, unknown> | undefined, exp: Record<string, number>) => {
      expect(o).toBeDefined();
      for (const [k, v] of Object.entries(exp)) expect(o![k]).toBeCloseTo(v, 12);
    };
    close(cell('2023-03', 'H1', 'MED'), { numerator: 2, denominator: 1.5, value: 2 / 1.5, lower: 0.2422092785439649 / 1.5, upper: 7.2246876677239608 / 1.5 });
    close(cell('2023-03', 'H1', 'SURG'), { numerator: 0, denominator: 0.25, value: 0, lower: 0, upper: 3.6888794541139363 / 0.25 });
    close(cell('2023-03', 'H1', 'ALL'), { numerator: 2, denominator: 1.75, value: 2 / 1.75 });
    close(cell('2023-05', 'H2', 'ALL'), { numerator: 1, denominator: 1.25, value: 0.8, lower: 0.025317807984289875 / 1.25, upper: 5.5716433909388986 / 1.25 });
    close(cell('2023', 'ALL', 'ALL'), { numerator: 3, denominator: 3, value: 1, lower: 0.61867212289560129 / 3, upper: 8.767273069742326 / 3 });
    // 2024: only a5, whose stratum rate in 2024 is 0: E = 0, so no cell at all
    expect(rows.filter((r) => String(r.period).startsWith('2024'))).toEqual([]);
    // 2023-03: H1 MED, H1 SURG, H1 ALL, ALL; 2023-05: H2 MED, H2 ALL, ALL; 2023: those six
    expect(rows).toHaveLength(13);
  });

  it('is absent without a patients table', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: [] }, CUTOFF);
    const r = await computeMetrics(db, { only: ['readmission_30d_oe'] });
    expect(r.absent).toEqual([{ id: 'readmission_30d_oe', reason: expect.stringContaining('patients') }]);
    expect(await db.scalar(`SELECT count(*) FROM metrics WHERE metric_id = 'readmission_30d_oe'`)).toBe(0);
  });

  it('counts exactly the index stays and readmissions of readmission_30d (no drift between the two files)', async () => {
    await prepare(db, { patients: PATIENTS, admissions: ADMISSIONS, treatments: [] }, CUTOFF);
    await computeMetrics(db, { only: ['readmission_30d', 'readmission_30d_oe'] });
    const diff = await db.all(`
      (SELECT stay_id, period_date, hospital_id, department_id, exclusion, CASE WHEN exclusion IS NULL THEN num END AS o FROM fact_readmission_30d
       EXCEPT ALL
       SELECT stay_id, period_date, hospital_id, department_id, exclusion, CASE WHEN exclusion IS NULL THEN num END FROM fact_readmission_30d_oe)
      UNION ALL
      (SELECT stay_id, period_date, hospital_id, department_id, exclusion, CASE WHEN exclusion IS NULL THEN num END FROM fact_readmission_30d_oe
       EXCEPT ALL
       SELECT stay_id, period_date, hospital_id, department_id, exclusion, CASE WHEN exclusion IS NULL THEN num END FROM fact_readmission_30d)`);
    expect(diff).toEqual([]);
    const o = await db.all(`
      SELECT a.period, a.hospital_id, a.department_id, a.numerator AS rate_o, b.numerator AS oe_o
      FROM metrics a JOIN metrics b USING (period, hospital_id, department_id)
      WHERE a.metric_id = 'readmission_30d' AND b.metric_id = 'readmission_30d_oe' AND a.numerator <> b.numerator`);
    expect(o).toEqual([]);
    expect(await db.scalar(`SELECT count(*) FROM fact_readmission_30d_oe`)).toBe(15);
  });
});
