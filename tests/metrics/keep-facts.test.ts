import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { loadRegistry } from '../../metrics/registry.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

const DATA = {
  admissions: [
    { admission_id: 'a1', patient_id: 'readmit_day_3', hospital_id: 'H1', department_id: 'MED', admit_ts: '2024-01-01 08:00', discharge_ts: '2024-01-03 08:00', admission_type: 'acute' },
    { admission_id: 'a2', patient_id: 'readmit_day_3', hospital_id: 'H1', department_id: 'MED', admit_ts: '2024-01-06 08:00', discharge_ts: '2024-01-07 08:00', admission_type: 'acute' },
  ],
  treatments: [{ treatment_id: 't1', patient_id: 'p2', hospital_id: 'H1', department_id: 'CARD', start_ts: '2024-06-01 09:00', setting: 'ambulatory' }],
};

async function snapshot() {
  const metrics = await db.all('SELECT * FROM metrics ORDER BY ALL');
  const exclusions = await db.all('SELECT * FROM exclusions ORDER BY ALL');
  const facts = await db.all<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'fact\\_%' ESCAPE '\\' AND NOT temporary`);
  return { metrics, exclusions, facts: Number(facts[0]!.n) };
}

describe('keepFacts', () => {
  it('false gives the same metrics and exclusions without leaving fact tables in the database', async () => {
    await prepare(db, DATA);
    await computeMetrics(db);
    const kept = await snapshot();
    // Every metric but those needing weights or patients (drg_value, mortality_30d, readmission_30d_oe, …): DATA has neither.
    const computable = loadRegistry().filter((d) => d.entry.requires.length === 0);
    expect(computable.length).toBeGreaterThanOrEqual(16);
    expect(kept.facts).toBe(computable.length);
    expect(kept.metrics.length).toBeGreaterThan(20);
    // Facts grouped on the patient's number (metrics/shared/ambulatory_in_scope.sql) name the patient by patient_id in an audit table.
    expect(await db.all(`SELECT patient_id FROM fact_ambulatory_visits`)).toEqual([{ patient_id: 'p2' }]);
    for (const t of ['fact_ambulatory_visits', 'fact_trips_per_patient', 'fact_avoidable_trips', 'fact_consolidation_ratio']) {
      expect(await db.scalar(`SELECT count(*) FROM information_schema.columns WHERE table_name = $t AND column_name = 'patient_key'`, { t })).toBe(0);
    }
    await computeMetrics(db, { keepFacts: false });
    const dropped = await snapshot();
    expect(dropped.facts).toBe(0);
    expect(dropped.metrics).toEqual(kept.metrics);
    expect(dropped.exclusions).toEqual(kept.exclusions);
  });
});
