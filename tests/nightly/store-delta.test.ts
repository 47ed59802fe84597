/**
 * A night writes only the difference between a patient's old and new facts into a metric's store
 * (metrics/incremental.ts, replacePatients): equal facts stay where they are, the k-th copy of a
 * fact is matched with the k-th copy on the other side, NULLs are equal to NULLs, and the years
 * of every fact added or taken away are the years aggregated again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { AFFECTED } from '../../pipeline/ingest/affected.js';
import { addPatientKeys, inYears, keyAffected, keyedSelect, PATIENT_KEYS, replacePatients, storeTable } from '../../metrics/incremental.js';

const COLS = ['period_date', 'hospital_id', 'exclusion', 'num', 'patient_id'];

describe('a store takes only the facts that changed', () => {
  let db: Db;
  beforeEach(async () => {
    db = await Db.open(':memory:');
    await db.run(`CREATE TABLE ${storeTable('m')} (period_date DATE, hospital_id VARCHAR, exclusion VARCHAR, num DOUBLE, patient_id VARCHAR)`);
    await db.run(`INSERT INTO ${storeTable('m')} VALUES
      ('2023-05-01', 'H1', NULL, 1, 'p1'),
      ('2023-05-01', 'H1', NULL, 1, 'p1'),
      ('2024-01-02', 'H1', 'incomplete_follow_up', NULL, 'p1'),
      ('2024-02-03', 'H2', NULL, 2, 'p2'),
      ('2022-07-01', 'H1', NULL, 5, 'p3')`);
    await db.run(`CREATE TEMP TABLE ${AFFECTED} AS SELECT * FROM (VALUES ('p1'), ('p2')) t(patient_id)`);
  });
  afterEach(() => db.close());

  const rows = async () =>
    (
      await db.all<{ r: string }>(
        `SELECT concat_ws('|', period_date, coalesce(hospital_id, '-'), coalesce(exclusion, '-'), coalesce(CAST(num AS VARCHAR), '-'), patient_id) AS r
         FROM ${storeTable('m')} ORDER BY rowid`,
      )
    ).map((x) => x.r);

  it('keeps equal facts in place, drops one of two copies, and reports the years that changed', async () => {
    // p1: one copy of the 2023 fact goes, the excluded 2024 fact (NULL num) stays; p2 unchanged; a new 2025 fact.
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2024-01-02', 'H1', 'incomplete_follow_up', NULL, 'p1'),
      (DATE '2024-02-03', 'H2', NULL, 2.0, 'p2'),
      (DATE '2025-01-01', 'H2', NULL, 1.0, 'p2')) t(${COLS.join(', ')})`);
    const years = await replacePatients(db, 'm', 'fresh', COLS);
    expect(years).toEqual([2023, 2025]);
    expect(await rows()).toEqual([
      '2023-05-01|H1|-|1.0|p1',
      '2024-01-02|H1|incomplete_follow_up|-|p1',
      '2024-02-03|H2|-|2.0|p2',
      '2022-07-01|H1|-|5.0|p3',
      '2025-01-01|H2|-|1.0|p2',
    ]);
  });

  it('reports no year for an excluded fact without a date (no grain reads it), and stores it', async () => {
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2024-01-02', 'H1', 'incomplete_follow_up', NULL, 'p1'),
      (DATE '2024-02-03', 'H2', NULL, 2.0, 'p2'),
      (CAST(NULL AS DATE), 'H2', 'no_date', NULL, 'p2')) t(${COLS.join(', ')})`);
    const years = await replacePatients(db, 'm', 'fresh', COLS);
    expect(years).toEqual([]);
    expect(inYears(years)).toBe('false');
    expect((await rows()).filter((r) => r.includes('no_date'))).toEqual(['H2|no_date|-|p2']);
  });

  it('appends the copies the store lacks and deletes those it holds too many of', async () => {
    // p1's 2023 fact: two copies in the store, three now; p2's 2024 fact: one copy, none now, and
    // a 2025 fact twice; p1's excluded fact (NULL num) twice now.
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2024-01-02', 'H1', 'incomplete_follow_up', NULL, 'p1'),
      (DATE '2024-01-02', 'H1', 'incomplete_follow_up', NULL, 'p1'),
      (DATE '2025-03-04', 'H2', NULL, 2.0, 'p2'),
      (DATE '2025-03-04', 'H2', NULL, 2.0, 'p2')) t(${COLS.join(', ')})`);
    expect(await replacePatients(db, 'm', 'fresh', COLS)).toEqual([2023, 2024, 2025]);
    expect((await rows()).sort()).toEqual(
      [
        '2022-07-01|H1|-|5.0|p3',
        '2023-05-01|H1|-|1.0|p1',
        '2023-05-01|H1|-|1.0|p1',
        '2023-05-01|H1|-|1.0|p1',
        '2024-01-02|H1|incomplete_follow_up|-|p1',
        '2024-01-02|H1|incomplete_follow_up|-|p1',
        '2025-03-04|H2|-|2.0|p2',
        '2025-03-04|H2|-|2.0|p2',
      ].sort(),
    );
    // From three copies back to one: two of them go, the store keeps one.
    await db.run(`CREATE OR REPLACE TEMP TABLE fresh AS SELECT * FROM (VALUES (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1')) t(${COLS.join(', ')})`);
    expect(await replacePatients(db, 'm', 'fresh', COLS)).toEqual([2023, 2024, 2025]);
    expect((await rows()).sort()).toEqual(['2022-07-01|H1|-|5.0|p3', '2023-05-01|H1|-|1.0|p1']);
  });

  it('changes nothing and reports no year when the facts are the same', async () => {
    await db.run(`CREATE TEMP TABLE fresh AS SELECT period_date, hospital_id, exclusion, num, patient_id FROM ${storeTable('m')} WHERE patient_id <> 'p3'`);
    const before = await rows();
    expect(await replacePatients(db, 'm', 'fresh', COLS)).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('takes away every fact of a patient who has none any more, and only that patient', async () => {
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM ${storeTable('m')} WHERE patient_id = 'p2'`);
    expect(await replacePatients(db, 'm', 'fresh', COLS)).toEqual([2023, 2024]);
    expect(await rows()).toEqual(['2024-02-03|H2|-|2.0|p2', '2022-07-01|H1|-|5.0|p3']);
  });
});

describe('a slim store names patients by number', () => {
  let db: Db;
  const KEYED = ['period_date', 'hospital_id', 'exclusion', 'num', 'patient_key'];
  beforeEach(async () => {
    db = await Db.open(':memory:');
    await db.run(`CREATE TABLE ${PATIENT_KEYS} AS SELECT * FROM (VALUES ('p1', 1), ('p2', 2), ('p3', 7)) t(patient_id, patient_key)`);
    await db.run(`CREATE TEMP TABLE facts AS SELECT * FROM (VALUES
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2024-02-03', 'H2', NULL, 2.0, 'p2'),
      (DATE '2022-07-01', 'H1', NULL, 5.0, 'p3')) t(${COLS.join(', ')})`);
    await db.run(`CREATE TABLE ${storeTable('m')} AS ${keyedSelect(KEYED, 'facts')}`);
  });
  afterEach(() => db.close());

  const rows = async () =>
    (
      await db.all<{ r: string }>(
        `SELECT concat_ws('|', s.period_date, s.hospital_id, CAST(s.num AS VARCHAR), s.patient_key, k.patient_id) AS r
         FROM ${storeTable('m')} s LEFT JOIN ${PATIENT_KEYS} k USING (patient_key) ORDER BY s.rowid`,
      )
    ).map((x) => x.r);

  it('keeps the number of each patient, and a night numbers a new patient after the highest number', async () => {
    expect(await rows()).toEqual(['2023-05-01|H1|1.0|1|p1', '2024-02-03|H2|2.0|2|p2', '2022-07-01|H1|5.0|7|p3']);
    // p2's fact changes, p4 is new; p1 (affected, unchanged) keeps its row.
    await db.run(`CREATE TEMP TABLE ${AFFECTED} AS SELECT * FROM (VALUES ('p1'), ('p2'), ('p4')) t(patient_id)`);
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES
      (DATE '2023-05-01', 'H1', NULL, 1.0, 'p1'),
      (DATE '2025-02-03', 'H2', NULL, 2.0, 'p2'),
      (DATE '2025-03-01', 'H3', NULL, 4.0, 'p4')) t(${COLS.join(', ')})`);
    await addPatientKeys(db, AFFECTED);
    await addPatientKeys(db, AFFECTED);
    await keyAffected(db);
    expect(await db.all(`SELECT patient_id, patient_key FROM ${PATIENT_KEYS} ORDER BY patient_key`)).toEqual([
      { patient_id: 'p1', patient_key: 1 },
      { patient_id: 'p2', patient_key: 2 },
      { patient_id: 'p3', patient_key: 7 },
      { patient_id: 'p4', patient_key: 8 },
    ]);
    expect(await replacePatients(db, 'm', 'fresh', KEYED)).toEqual([2024, 2025]);
    expect(await rows()).toEqual(['2023-05-01|H1|1.0|1|p1', '2022-07-01|H1|5.0|7|p3', '2025-02-03|H2|2.0|2|p2', '2025-03-01|H3|4.0|8|p4']);
  });

  it('stops when a fact has a patient without a number, instead of storing it without one', async () => {
    await db.run(`CREATE TEMP TABLE ${AFFECTED} AS SELECT * FROM (VALUES ('p5')) t(patient_id)`);
    await db.run(`CREATE TEMP TABLE fresh AS SELECT * FROM (VALUES (DATE '2025-03-01', 'H3', NULL, 4.0, 'p5')) t(${COLS.join(', ')})`);
    await keyAffected(db);
    await expect(replacePatients(db, 'm', 'fresh', KEYED)).rejects.toThrow(/patient p5 is not among the patients this night recomputes/);
    await expect(db.run(`CREATE TABLE other AS ${keyedSelect(KEYED, 'fresh')}`)).rejects.toThrow(/patient p5 has no number/);
    // A fact of a numbered patient the night does not recompute (p1) stops it too: only the affected patients' facts come in.
    await db.run(`CREATE OR REPLACE TEMP TABLE fresh AS SELECT * FROM (VALUES (DATE '2025-03-01', 'H3', NULL, 4.0, 'p1')) t(${COLS.join(', ')})`);
    await expect(replacePatients(db, 'm', 'fresh', KEYED)).rejects.toThrow(/patient p1 is not among the patients this night recomputes/);
  });

  it("stores den_distinct as the number of its fact's patient, and stops on any other value", async () => {
    await db.run(`CREATE TEMP TABLE trips AS SELECT * FROM (VALUES
      (DATE '2024-01-01', 'H1', NULL, 1.0, 'p3', 'p3'),
      (DATE '2024-01-02', 'H1', 'during_stay', NULL, 'p1', NULL)) t(${COLS.join(', ')}, den_distinct)`);
    const cols = [...KEYED, 'den_distinct'];
    expect(await db.all(`SELECT exclusion, patient_key, den_distinct FROM (${keyedSelect(cols, 'trips')}) ORDER BY period_date`)).toEqual([
      { exclusion: null, patient_key: 7, den_distinct: 7 },
      { exclusion: 'during_stay', patient_key: 1, den_distinct: null },
    ]);
    await db.run(`UPDATE trips SET den_distinct = 'p1' WHERE patient_id = 'p3'`);
    await expect(db.all(keyedSelect(cols, 'trips'))).rejects.toThrow(/den_distinct p1 is not the patient_id of its fact/);
  });
});

describe('inYears: the facts of the years a night aggregates again', () => {
  it('is year(period_date) IN (years) for dates and timestamps at every year boundary', async () => {
    const db = await Db.open(':memory:');
    try {
      expect(inYears([2025, 2023, 2024, 2027])).toBe(
        "((period_date >= DATE '2023-01-01' AND period_date < DATE '2026-01-01') OR (period_date >= DATE '2027-01-01' AND period_date < DATE '2028-01-01'))",
      );
      expect(inYears([])).toBe('false');
      expect(() => inYears([2024.5])).toThrow(/not a list of years/);
      for (const type of ['DATE', 'TIMESTAMP']) {
        await db.run(`CREATE OR REPLACE TABLE f AS SELECT CAST(d AS ${type}) AS period_date FROM (
          SELECT make_timestamp(y, m, dd, h, 59, 59.999999) AS d FROM range(2021, 2030) a(y), (VALUES (1, 1, 0), (12, 31, 23)) b(m, dd, h)
          UNION ALL SELECT TIMESTAMP '2026-01-01 00:00:00' UNION ALL SELECT NULL)`);
        for (const years of [[2024], [2023, 2024, 2025], [2022, 2025, 2027], [2029]]) {
          const got = await db.scalar<number>(`SELECT count(*) FROM f WHERE ${inYears(years)}`);
          const want = await db.scalar<number>(`SELECT count(*) FROM f WHERE year(period_date) IN (${years.join(', ')})`);
          expect(Number(got), `${type} ${years.join(',')}`).toBe(Number(want));
          expect(Number(got)).toBeGreaterThan(0);
        }
      }
    } finally {
      db.close();
    }
  });
});
