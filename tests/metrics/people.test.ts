/**
 * The people behind a share metric's cells (metrics/people.ts), by hand on a small fact table:
 * a patient counts once per cell, where their facts have a positive weight (numerator,
 * denominator) or more denominator than numerator (complement); a fact without a patient makes
 * its cell but counts nobody; department and hospital levels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { PEOPLE_DDL, PEOPLE_TABLE, peopleSql } from '../../metrics/people.js';

describe('people per cell of a share metric', () => {
  let db: Db;
  beforeAll(async () => {
    db = await Db.open(':memory:');
    await db.run(PEOPLE_DDL);
    await db.run(`CREATE TABLE f (period_date DATE, hospital_id VARCHAR, department_id VARCHAR, exclusion VARCHAR, num DOUBLE, den DOUBLE, patient_id VARCHAR)`);
    await db.run(`INSERT INTO f VALUES
      -- p1: all of its weight readmitted (num = den): numerator, denominator, no complement
      ('2024-01-05', 'H1', 'MED', NULL, 2.0, 2.0, 'p1'),
      -- p2: two contacts in MED, one readmitted: counted once in each of the three
      ('2024-01-06', 'H1', 'MED', NULL, 0.0, 1.0, 'p2'),
      ('2024-01-20', 'H1', 'MED', NULL, 1.5, 1.5, 'p2'),
      -- p3: no weight at all (num = den = 0): in no count
      ('2024-01-07', 'H1', 'MED', NULL, 0.0, 0.0, 'p3'),
      -- p4: in MED and SURG of H1 in January: once per department, once for the hospital
      ('2024-01-08', 'H1', 'MED', NULL, 0.0, 1.0, 'p4'),
      ('2024-01-09', 'H1', 'SURG', NULL, 0.0, 1.0, 'p4'),
      -- a fact without a patient: its cell (H2 SURG) exists, with nobody in it
      ('2024-02-01', 'H2', 'SURG', NULL, 1.0, 1.0, NULL),
      -- p5: excluded facts count nobody
      ('2024-01-10', 'H1', 'MED', 'died', 1.0, 1.0, 'p5'),
      -- p2 again in February at H2
      ('2024-02-02', 'H2', 'MED', NULL, 0.5, 1.0, 'p2')`);
  });
  afterAll(() => db.close());

  const cells = async (id: string) =>
    (
      await db.all<{ c: string }>(
        `SELECT concat_ws(' ', period, hospital_id, department_id, numerator_people, denominator_people, complement_people) AS c
         FROM ${PEOPLE_TABLE} WHERE metric_id = $id ORDER BY period, hospital_id, department_id`,
        { id },
      )
    ).map((r) => r.c);

  it('department level: every month and year cell, each patient once', async () => {
    await db.run(peopleSql('f', 'department'), { metric_id: 'd' });
    expect(await cells('d')).toEqual([
      '2024 ALL ALL 2 3 2',
      '2024 H1 ALL 2 3 2',
      '2024 H1 MED 2 3 2',
      '2024 H1 SURG 0 1 1',
      '2024 H2 ALL 1 1 1',
      '2024 H2 MED 1 1 1',
      '2024 H2 SURG 0 0 0',
      '2024-01 ALL ALL 2 3 2',
      '2024-01 H1 ALL 2 3 2',
      '2024-01 H1 MED 2 3 2',
      '2024-01 H1 SURG 0 1 1',
      '2024-02 ALL ALL 1 1 1',
      '2024-02 H2 ALL 1 1 1',
      '2024-02 H2 MED 1 1 1',
      '2024-02 H2 SURG 0 0 0',
    ]);
  });

  it('hospital level: no department cells', async () => {
    await db.run(peopleSql('f', 'hospital'), { metric_id: 'h' });
    expect(await cells('h')).toEqual([
      '2024 ALL ALL 2 3 2',
      '2024 H1 ALL 2 3 2',
      '2024 H2 ALL 1 1 1',
      '2024-01 ALL ALL 2 3 2',
      '2024-01 H1 ALL 2 3 2',
      '2024-02 ALL ALL 1 1 1',
      '2024-02 H2 ALL 1 1 1',
    ]);
  });
});
