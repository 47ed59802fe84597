import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { blocksNeeded, buildSharedBlocks, loadSharedBlocks, parseSharedFile, type SharedBlock } from '../../metrics/shared.js';
import { adm, trt } from './metric-rows.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

/** Temporary tables and views left in the connection. */
async function tempObjects(): Promise<string[]> {
  const rows = await db.all<{ n: string }>(
    `SELECT table_name AS n FROM duckdb_tables() WHERE temporary AND NOT internal
     UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal ORDER BY n`,
  );
  return rows.map((r) => r.n);
}

describe('shared block files', () => {
  it('are the eight blocks, in build (name) order, each a table or a view', () => {
    expect(loadSharedBlocks().map((b) => `${b.name}:${b.materialize}`)).toEqual([
      'ambulatory_in_scope:view',
      'ambulatory_placed:table',
      'closed_stays:view',
      'index_stays:table',
      'readmission_facts:view',
      'readmission_strata:table',
      'treatment_rows:view',
      'trip_days:table',
    ]);
  });

  it('a header must name the file and say table or view', () => {
    const ok = '-- shared: demo\n-- materialize: view\n\n-- why\nSELECT 1 AS x;\n';
    expect(parseSharedFile(ok, 'metrics/shared/demo.sql')).toEqual({
      name: 'demo',
      file: 'metrics/shared/demo.sql',
      materialize: 'view',
      sql: '-- why\nSELECT 1 AS x',
    });
    expect(() => parseSharedFile(ok, 'metrics/shared/other.sql')).toThrow('metrics/shared/other.sql: the header must say "-- shared: other"');
    expect(() => parseSharedFile(ok.replace('view', 'index'), 'metrics/shared/demo.sql')).toThrow(/materialize: table" or/);
    expect(() => parseSharedFile(`-- version: 1\n${ok}`, 'metrics/shared/demo.sql')).toThrow('unknown header key "version"');
    expect(() => parseSharedFile(ok.replace('SELECT 1 AS x', 'CREATE TABLE t AS SELECT 1 AS x'), 'metrics/shared/demo.sql')).toThrow(
      'expected one SELECT',
    );
  });
});

describe('blocksNeeded', () => {
  const block = (name: string, sql: string): SharedBlock => ({ name, file: `metrics/shared/${name}.sql`, materialize: 'view', sql });
  const blocks = [block('base', 'SELECT 1 AS x'), block('on_base', 'SELECT * FROM base'), block('unread', 'SELECT 2 AS y')];

  it('follows blocks read through other blocks, keeps build order, and names the metric files that need each', () => {
    const needed = blocksNeeded(blocks, [
      { file: 'm1.sql', sql: 'SELECT * FROM on_base' },
      { file: 'm2.sql', sql: 'SELECT * FROM base JOIN stays USING (x)' },
    ]);
    expect(needed.map((n) => [n.block.name, n.readBy])).toEqual([
      ['base', ['m1.sql', 'm2.sql']],
      ['on_base', ['m1.sql']],
    ]);
  });

  it('matches whole words only: a name inside another name is not a read', () => {
    expect(blocksNeeded(blocks, [{ file: 'm.sql', sql: 'SELECT * FROM database_list, base_x' }])).toEqual([]);
  });
});

describe('the blocks on a hand-made fixture', () => {
  // cutoff 2024-03-31 00:00: a 7-day follow-up is complete for discharges up to 03-24, a 30-day one up to 03-01
  const CUTOFF = { cutoff: '2024-03-31T00:00' };
  const ADMISSIONS = [
    adm('ix1', 'readmit_day_10', '2024-01-01 08:00', '2024-01-05 10:00'),
    adm('ix2', 'readmit_day_10', '2024-01-15 08:00', '2024-01-16 10:00'), // day 10: a 30-day, not a 7-day readmission
    adm('fu1', 'follow_up_20_days', '2024-03-09 08:00', '2024-03-11 10:00'), // 20 days of follow-up: 7 complete, 30 not
    adm('dd1', 'died_in_stay', '2024-02-01 08:00', '2024-02-03 10:00', { discharge_disposition: 'died' }),
    adm('op1', 'next_stay_open', '2024-02-01 08:00', '2024-02-02 10:00'),
    adm('op2', 'next_stay_open', '2024-02-05 08:00', null), // open: no index stay itself, but the next stay of op1
    adm('ts1', 'treatments', '2024-03-10 08:00', '2024-03-12 12:00'),
  ];
  const TREATMENTS = [
    trt('t1', 'treatments', '2024-03-10 07:59'), // a minute before the admit: outside
    trt('t2', 'treatments', '2024-03-10 08:00'), // at the admit instant: inside
    trt('t3', 'treatments', '2024-03-12 12:00'), // at the discharge instant: inside
    trt('t4', 'treatments', '2024-03-12 12:01'), // a minute later: outside, same day as t3
    trt('t5', 'next_stay_open', '2024-03-01 09:00'), // after the admit of an open stay: inside
    trt('t6', 'readmit_day_10', '2024-01-10 09:00'), // between the stays of its patient: outside
    trt('t7', 'treatments', '2024-03-11 09:00', { mode: 'virtual' }), // not in person: not placed
    trt('t8', 'treatments', '2024-03-11 10:00', { setting: 'emergency' }), // not ambulatory: not placed
    trt('t9', 'treatments', '2024-04-02 10:00'), // after the cutoff
  ];

  it('ambulatory_placed: in-person ambulatory treatments in scope and the stay holding each', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await buildSharedBlocks(db);
    expect(await db.all('SELECT treatment_id, CAST(trip_date AS VARCHAR) AS d, during_stay_id FROM ambulatory_placed ORDER BY treatment_id')).toEqual([
      { treatment_id: 't1', d: '2024-03-10', during_stay_id: null },
      { treatment_id: 't2', d: '2024-03-10', during_stay_id: 'ts1' },
      { treatment_id: 't3', d: '2024-03-12', during_stay_id: 'ts1' },
      { treatment_id: 't4', d: '2024-03-12', during_stay_id: null },
      { treatment_id: 't5', d: '2024-03-01', during_stay_id: 'op2' },
      { treatment_id: 't6', d: '2024-01-10', during_stay_id: null },
    ]);
  });

  it("ambulatory_in_scope: the ambulatory treatments in scope with their patient's number; a patient without one stops the run", async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    // The numbers a run would show (here: chosen by hand, one patient left without one).
    await db.run(`CREATE TEMP TABLE my_keys AS SELECT * FROM (VALUES ('treatments', 7), ('readmit_day_10', 3), ('next_stay_open', 9)) k(patient_id, patient_key)`);
    await db.run(`CREATE TEMP VIEW patient_keys AS SELECT patient_id, patient_key FROM my_keys`);
    await buildSharedBlocks(db);
    expect(await db.all('SELECT treatment_id, patient_id, patient_key, mode FROM ambulatory_in_scope ORDER BY treatment_id')).toEqual([
      { treatment_id: 't1', patient_id: 'treatments', patient_key: 7, mode: 'in_person' },
      { treatment_id: 't2', patient_id: 'treatments', patient_key: 7, mode: 'in_person' },
      { treatment_id: 't3', patient_id: 'treatments', patient_key: 7, mode: 'in_person' },
      { treatment_id: 't4', patient_id: 'treatments', patient_key: 7, mode: 'in_person' },
      { treatment_id: 't5', patient_id: 'next_stay_open', patient_key: 9, mode: 'in_person' },
      { treatment_id: 't6', patient_id: 'readmit_day_10', patient_key: 3, mode: 'in_person' },
      { treatment_id: 't7', patient_id: 'treatments', patient_key: 7, mode: 'virtual' },
    ]);
    await db.run(`DELETE FROM my_keys WHERE patient_id = 'readmit_day_10'`);
    await expect(db.all('SELECT treatment_id, patient_key FROM ambulatory_in_scope')).rejects.toThrow('patient readmit_day_10 has no number in patient_keys');
    await db.run('DROP VIEW temp.patient_keys');
  });

  it('trip_days: per patient, hospital and date, treatments outside and inside stays', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await buildSharedBlocks(db);
    expect(
      await db.all('SELECT patient_id, CAST(trip_date AS VARCHAR) AS d, n_treatments, n_during_stay FROM trip_days ORDER BY ALL'),
    ).toEqual([
      { patient_id: 'next_stay_open', d: '2024-03-01', n_treatments: 0, n_during_stay: 1 },
      { patient_id: 'readmit_day_10', d: '2024-01-10', n_treatments: 1, n_during_stay: 0 },
      { patient_id: 'treatments', d: '2024-03-10', n_treatments: 1, n_during_stay: 1 },
      { patient_id: 'treatments', d: '2024-03-12', n_treatments: 1, n_during_stay: 1 },
    ]);
  });

  it('index_stays: each closed stay once per window, with its own exclusion and readmitted flag', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await buildSharedBlocks(db);
    const rows = await db.all<{ stay_id: string; window_days: number; exclusion: string | null; readmitted: boolean; next: string | null }>(
      'SELECT stay_id, window_days, exclusion, readmitted, next_stay_id AS next FROM index_stays ORDER BY stay_id, window_days',
    );
    expect(rows.map((r) => [r.stay_id, r.window_days, r.exclusion, r.readmitted, r.next])).toEqual([
      ['dd1', 7, 'died', false, null],
      ['dd1', 30, 'died', false, null],
      ['fu1', 7, null, false, null],
      ['fu1', 30, 'incomplete_follow_up', false, null],
      ['ix1', 7, null, false, 'ix2'],
      ['ix1', 30, null, true, 'ix2'],
      ['ix2', 7, null, false, null],
      ['ix2', 30, null, false, null],
      ['op1', 7, null, true, 'op2'],
      ['op1', 30, null, true, 'op2'],
      ['ts1', 7, null, false, null],
      ['ts1', 30, 'incomplete_follow_up', false, null],
    ]);
  });

  it('closed_stays: closed stays only, filed at discharge, num = length in days', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await buildSharedBlocks(db);
    expect(await db.all('SELECT stay_id, CAST(period_date AS VARCHAR) AS d, num FROM closed_stays ORDER BY stay_id')).toEqual([
      { stay_id: 'dd1', d: '2024-02-03', num: 2 },
      { stay_id: 'fu1', d: '2024-03-11', num: 2 },
      { stay_id: 'ix1', d: '2024-01-05', num: 4 },
      { stay_id: 'ix2', d: '2024-01-16', num: 1 },
      { stay_id: 'op1', d: '2024-02-02', num: 1 },
      { stay_id: 'ts1', d: '2024-03-12', num: 2 },
    ]);
  });

  it('treatment_rows: every treatments row, after_cutoff on those starting after a configured cutoff', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await buildSharedBlocks(db);
    const rows = await db.all<{ treatment_id: string; setting: string; exclusion: string | null }>(
      'SELECT treatment_id, setting, exclusion FROM treatment_rows ORDER BY treatment_id',
    );
    expect(rows.length).toBe(9);
    expect(rows.filter((r) => r.exclusion !== null)).toEqual([{ treatment_id: 't9', setting: 'ambulatory', exclusion: 'after_cutoff' }]);
    expect(rows.find((r) => r.treatment_id === 't8')?.setting).toBe('emergency');
  });

  it('computeMetrics builds only the blocks its metrics read, and leaves no temporary object behind', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    const logged: string[] = [];
    await computeMetrics(db, { only: ['trips_per_patient'], log: (m) => logged.push(m) });
    expect(logged.filter((m) => m.startsWith('shared '))).toEqual([
      'shared ambulatory_in_scope: view',
      expect.stringMatching(/^shared ambulatory_placed: 6 rows in \d+ ms$/),
      expect.stringMatching(/^shared trip_days: 4 rows in \d+ ms$/),
    ]);
    expect(await tempObjects()).toEqual([]);
    expect(await db.scalar(`SELECT count(*) FROM fact_trips_per_patient`)).toBe(4);
  });

  it('computeMetrics builds each block just before the first metric that reads it', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    const logged: string[] = [];
    await computeMetrics(db, { only: ['trips_per_patient', 'stays', 'los_mean'], log: (m) => logged.push(m) });
    expect(logged.map((m) => m.replace(/:.*/, ''))).toEqual([
      'metric stays',
      'shared closed_stays',
      'metric los_mean',
      'shared ambulatory_in_scope',
      'shared ambulatory_placed',
      'shared trip_days',
      'metric trips_per_patient',
    ]);
  });

  it('a block that fails names its file and the metrics that read it', async () => {
    await prepare(db, { admissions: ADMISSIONS, treatments: TREATMENTS }, CUTOFF);
    await db.run('DROP TABLE stays');
    await expect(computeMetrics(db, { only: ['los_p90', 'los_mean'] })).rejects.toThrow(
      'in metrics/shared/closed_stays.sql, read by metrics/outcome/los_mean.sql, metrics/outcome/los_p90.sql',
    );
  });
});
