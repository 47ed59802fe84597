import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../pipeline/core/config.js';
import { Db } from '../pipeline/core/db.js';
import { UsageError } from '../pipeline/core/errors.js';
import { insertRows } from '../fixtures/rows.js';
import { writeParams } from '../pipeline/ingest/params.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:', { timezone: 'Europe/Copenhagen' });
  await insertRows(db, {
    admissions: [{ admission_id: 'a1', patient_id: 'p1', hospital_id: 'H1', admit_ts: '2024-03-01 08:00', discharge_ts: '2024-03-04 10:00' }],
    treatments: [{ treatment_id: 't1', patient_id: 'p1', hospital_id: 'H1', start_ts: '2024-03-05 09:30', setting: 'ambulatory' }],
  });
});
afterEach(() => db.close());

describe('params', () => {
  it('the default cutoff is the latest admit, discharge or treatment start', async () => {
    const p = await writeParams(db, parseConfig({}));
    expect(p).toMatchObject({ cutoff: '2024-03-05 09:30:00', cutoffFromConfig: false, hasPatients: false, hasDrg: false });
    expect(await db.one('SELECT CAST(cutoff_date AS VARCHAR) AS d, stay_gap_hours, course_gap_days FROM params')).toEqual({ d: '2024-03-05', stay_gap_hours: 4, course_gap_days: 7 });
  });

  it('a configured cutoff: a date is midnight, an offset is converted to the configured zone', async () => {
    expect((await writeParams(db, parseConfig({ cutoff: '2024-02-29' }))).cutoff).toBe('2024-02-29 00:00:00');
    expect((await writeParams(db, parseConfig({ cutoff: '2024-06-30T21:59:59Z' }))).cutoff).toBe('2024-06-30 23:59:59');
    expect((await writeParams(db, parseConfig({ cutoff: '2024-06-30T23:59:59+02:00' }))).cutoff).toBe('2024-06-30 23:59:59');
    expect(() => parseConfig({ cutoff: '30/06/2024' })).toThrow(UsageError);
  });
});
