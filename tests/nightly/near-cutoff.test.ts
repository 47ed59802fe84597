/**
 * The treatments near a moved cutoff (pipeline/ingest/affected.ts, findNear and findAffected;
 * docs/architecture.md#nightly-recompute): a treatment whose start or end lies in
 * (old cutoff - follow-up days, new cutoff] makes its patient recomputed, once, whichever of the two
 * lies there; one with neither does not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { AFFECTED, dropNear, findAffected, findNear } from '../../pipeline/ingest/affected.js';
import { tableDdl } from '../../pipeline/ingest/schema.js';

describe('treatments near a moved cutoff', () => {
  let db: Db;
  beforeEach(async () => {
    db = await Db.open(':memory:');
    await db.run(`CREATE TABLE params AS SELECT TIMESTAMP '2024-03-10 12:00' AS cutoff`);
    await db.run('CREATE TABLE changed_patients (table_name VARCHAR NOT NULL, patient_id VARCHAR)');
    await db.run(tableDdl('treatments'));
    // The old cutoff is 2024-03-09 12:00; with 2 days of follow-up the window is (2024-03-07 12:00, 2024-03-10 12:00].
    await db.run(`INSERT INTO treatments (treatment_id, patient_id, hospital_id, department_id, start_ts, end_ts, setting, mode, _source_file, _line) VALUES
      ('t1', 'starts_in', 'H1', 'MED', '2024-03-08 09:00', NULL, 'ambulatory', 'in_person', 'f', 2),
      ('t2', 'ends_in', 'H1', 'MED', '2024-03-01 09:00', '2024-03-08 10:00', 'ambulatory', 'in_person', 'f', 3),
      ('t3', 'both_in', 'H1', 'MED', '2024-03-08 09:00', '2024-03-09 10:00', 'ambulatory', 'in_person', 'f', 4),
      ('t4', 'before', 'H1', 'MED', '2024-03-01 09:00', '2024-03-07 12:00', 'ambulatory', 'in_person', 'f', 5),
      ('t5', 'after', 'H1', 'MED', '2024-03-10 12:01', NULL, 'ambulatory', 'in_person', 'f', 6)`);
  });
  afterEach(() => db.close());

  it('a start or an end in the window recomputes the patient; the window is open at its old end and closed at the new cutoff', async () => {
    await findNear(db, '2024-03-09 12:00', 2, ['treatments']);
    expect(await db.all(`SELECT patient_id, CAST(ts AS VARCHAR) AS ts FROM pfacts_near ORDER BY patient_id`)).toEqual([
      { patient_id: 'both_in', ts: '2024-03-09 10:00:00' },
      { patient_id: 'ends_in', ts: '2024-03-08 10:00:00' },
      { patient_id: 'starts_in', ts: '2024-03-08 09:00:00' },
    ]);
    expect(await findAffected(db, '2024-03-09 12:00', 2, ['treatments'])).toBe(3);
    expect((await db.all<{ patient_id: string }>(`SELECT patient_id FROM ${AFFECTED} ORDER BY 1`)).map((r) => r.patient_id)).toEqual(['both_in', 'ends_in', 'starts_in']);
    await dropNear(db);
  });
});
