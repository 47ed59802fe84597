import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { adm, exclusions, facts, ndv } from './metric-rows.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

const admissions = [
  adm('m1', 'died_after_discharge', '2024-01-05 08:00', '2024-01-09 10:00', { discharge_disposition: 'home' }),
  adm('m2', 'died_day_30', '2024-01-08 08:00', '2024-01-10 10:00', { discharge_disposition: 'home' }),
  adm('m3', 'died_day_31', '2024-01-08 08:00', '2024-01-10 10:00', { discharge_disposition: 'home' }),
  // death on the discharge date: a death in the stay, so not an index stay
  adm('m4', 'death_on_discharge_date', '2024-01-05 08:00', '2024-01-09 10:00', { discharge_disposition: 'home' }),
  adm('m5', 'alive_without_patient_row', '2024-01-05 08:00', '2024-01-09 10:00'),
  adm('m6', 'against_advice_then_died', '2024-01-05 08:00', '2024-01-09 10:00', { discharge_disposition: 'against_advice' }),
  adm('m7', 'alive_with_patient_row', '2024-01-05 08:00', '2024-01-09 10:00'),
];
const patients = [
  { patient_id: 'died_after_discharge', death_date: '2024-01-20' },
  { patient_id: 'died_day_30', death_date: '2024-02-09' },
  { patient_id: 'died_day_31', death_date: '2024-02-10' },
  { patient_id: 'death_on_discharge_date', death_date: '2024-01-09' },
  { patient_id: 'against_advice_then_died', death_date: '2024-01-15' },
  { patient_id: 'alive_with_patient_row', birth_year: 1960 },
];

describe('mortality_30d', () => {
  it('counts deaths up to day 30 after the discharge date among the index stays of readmission_30d', async () => {
    await prepare(db, { patients, admissions, treatments: [] }, { cutoff: '2024-06-30T00:00' });
    await computeMetrics(db, { only: ['mortality_30d', 'readmission_30d'] });
    // index stays: m1, m2, m3, m5, m7; deaths by day 30: m1 (day 11), m2 (day 30)
    expect(await ndv(db, 'mortality_30d', '2024-01|H1|MED')).toEqual([2, 5, 0.4]);
    expect(await ndv(db, 'mortality_30d', '2024|ALL|ALL')).toEqual([2, 5, 0.4]);
    expect((await facts(db, 'mortality_30d', 'died_day_30'))[0]).toMatchObject({ num: 1, days_to_death: 30 });
    expect((await facts(db, 'mortality_30d', 'died_day_31'))[0]).toMatchObject({ num: 0, days_to_death: 31 });
    const reasons = { '2024-01|H1|died': 1, '2024-01|H1|against_advice': 1 };
    expect(await exclusions(db, 'mortality_30d')).toMatchObject(reasons);
    // the same index stays for readmissions: the deaths after discharge stay in its denominator
    expect(await ndv(db, 'readmission_30d', '2024-01|H1|MED')).toEqual([0, 5, 0]);
    expect(await exclusions(db, 'readmission_30d')).toMatchObject(reasons);
  });

  it('is absent, and says so, without a patients table', async () => {
    await prepare(db, { admissions, treatments: [] }, { cutoff: '2024-06-30T00:00' });
    const r = await computeMetrics(db, { only: ['mortality_30d', 'readmission_30d'] });
    expect(r.absent).toEqual([{ id: 'mortality_30d', reason: 'needs the patients table, which the input lacks' }]);
    expect(r.catalog.map((e) => e.id)).toEqual(['readmission_30d']);
    expect(await ndv(db, 'mortality_30d', '2024|ALL|ALL')).toBeUndefined();
    expect(await db.hasTable('fact_mortality_30d')).toBe(false);
    // without death dates, m4 is an index stay (its disposition is home)
    expect(await ndv(db, 'readmission_30d', '2024-01|H1|MED')).toEqual([0, 6, 0]);
  });
});
