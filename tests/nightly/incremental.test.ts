import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { tempDir } from '../load/helpers.js';
import { generated, run, snapshot, splitIntoNights, workbookSnapshot } from './helpers.js';

describe('nightly runs', () => {
  it('a week of nightly deliveries ends with the same outputs as one full run over the final files', async () => {
    const dir = tempDir();
    const src = await generated(dir, 400);
    const all = join(dir, 'all');
    const nights = await splitIntoNights(src, all, 7);
    // Night by night: the input folder grows by one delivery each night.
    const input = join(dir, 'input');
    const out = join(dir, 'out');
    const db = join(dir, 'nightly.duckdb');
    let last;
    for (const files of nights) {
      for (const f of files) {
        mkdirSync(join(input, f, '..'), { recursive: true });
        writeFileSync(join(input, f), readFileSync(join(all, f)));
      }
      last = await run(input, out, db);
    }
    const counts = Object.fromEntries(last!.manifest.inputs.map((f) => [f.path.slice(input.length + 1), f.action]));
    expect(counts['admissions/night-07.csv']).toBe('new');
    expect(counts['admissions/night-01.csv']).toBe('unchanged');
    const adm = last!.manifest.tables.find((t) => t.table === 'admissions')!;
    expect(adm.rows_superseded).toBeGreaterThan(0);
    expect(adm.replaced).toBeGreaterThan(0);

    const fullOut = join(dir, 'full-out');
    await run(input, fullOut, join(dir, 'full.duckdb'));
    expect(snapshot(out)).toEqual(snapshot(fullOut));
    // and the full run over the original (unsplit) files agrees on every metric
    const origOut = join(dir, 'orig-out');
    await run(src, origOut, join(dir, 'orig.duckdb'));
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(origOut, 'metrics.csv'), 'utf8'));
    // Nine whole runs: on a shared 2-core machine they take about two minutes.
  }, 300_000);

  it('incremental equals full for random splits into nightly files (property)', async () => {
    const dir = tempDir();
    const src = await generated(dir, 150, 11);
    const fullOut = join(dir, 'full-out');
    await run(src, fullOut, join(dir, 'full.duckdb'));
    const expected = readFileSync(join(fullOut, 'metrics.csv'), 'utf8');
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 1000 }), async (n, seed) => {
        const case_ = join(dir, `case-${k++}`);
        const nights = await splitIntoNights(src, join(case_, 'all'), n, seed);
        const input = join(case_, 'input');
        for (const files of nights) {
          for (const f of files) {
            mkdirSync(join(input, f, '..'), { recursive: true });
            writeFileSync(join(input, f), readFileSync(join(case_, 'all', f)));
          }
          await run(input, join(case_, 'out'), join(case_, 'db.duckdb'));
        }
        expect(readFileSync(join(case_, 'out', 'metrics.csv'), 'utf8')).toBe(expected);
        rmSync(case_, { recursive: true, force: true });
      }),
      { numRuns: 3, seed: 20261127 },
    );
  }, 180_000);

  it('running twice on the same inputs gives byte-identical outputs (all but the manifest)', async () => {
    const dir = tempDir();
    const src = await generated(dir, 200, 3);
    const out = join(dir, 'out');
    const db = join(dir, 'db.duckdb');
    const firstRun = await run(src, out, db);
    const first = snapshot(out);
    const firstBooks = await workbookSnapshot(out, firstRun.manifest.run_id);
    expect(Object.keys(first)).toContain('metrics.csv');
    expect(Object.keys(firstBooks)).toContain('exports/all-hospitals.xlsx');
    const second = await run(src, out, db);
    expect(second.manifest.inputs.every((f) => f.action === 'unchanged')).toBe(true);
    expect(second.manifest.tables.every((t) => t.inserted === 0 && t.replaced === 0 && t.removed === 0)).toBe(true);
    expect(snapshot(out)).toEqual(first);
    expect(await workbookSnapshot(out, second.manifest.run_id)).toEqual(firstBooks);
    // a quiet night reuses the last run's tables and metrics instead of recomputing them
    expect(second.manifest.stages.map((s) => s.stage)).toEqual(['load', 'outputs']);
    // a changed setting is not a quiet night
    const third = await run(src, out, db, { course_gap_days: 3 });
    expect(third.manifest.stages.map((s) => s.stage)).toEqual(['load', 'validate', 'params', 'stays', 'metrics', 'outputs']);
    const fourth = await run(src, out, db);
    expect(fourth.manifest.stages.map((s) => s.stage)).toContain('metrics');
    expect(snapshot(out)).toEqual(first);
    expect(await workbookSnapshot(out, fourth.manifest.run_id)).toEqual(firstBooks);
  }, 180_000);

  it('a changed file replaces the rows it brought before; a removed file keeps its rows', async () => {
    const dir = tempDir();
    const input = join(dir, 'in');
    mkdirSync(join(input, 'admissions'), { recursive: true });
    const header = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
    writeFileSync(join(input, 'admissions', 'a.csv'), `${header}\na1,p1,H1,MED,2024-01-01 08:00,2024-01-02 08:00,acute,home\na2,p2,H1,MED,2024-01-03 08:00,2024-01-04 08:00,acute,home\n`);
    writeFileSync(join(input, 'admissions', 'b.csv'), `${header}\nb1,p3,H1,MED,2024-01-05 08:00,2024-01-06 08:00,acute,home\n`);
    writeFileSync(join(input, 'treatments.csv'), 'treatment_id,patient_id,hospital_id,start_ts,setting\nt1,p1,H1,2024-01-10,ambulatory\n');
    const out = join(dir, 'out');
    const dbPath = join(dir, 'db.duckdb');
    await run(input, out, dbPath);
    // a.csv is corrected: a2 is gone, a1 got another discharge, a3 is new
    writeFileSync(join(input, 'admissions', 'a.csv'), `${header}\na1,p1,H1,MED,2024-01-01 08:00,2024-01-03 08:00,acute,home\na3,p4,H1,MED,2024-01-07 08:00,2024-01-08 08:00,acute,home\n`);
    const second = await run(input, out, dbPath);
    expect(second.manifest.inputs.map((f) => [f.path.split('/').pop(), f.action])).toEqual([
      ['a.csv', 'changed'],
      ['b.csv', 'unchanged'],
      ['treatments.csv', 'unchanged'],
    ]);
    expect(second.manifest.tables.find((t) => t.table === 'admissions')).toMatchObject({ inserted: 1, replaced: 1, unchanged: 1, removed: 1, rows_loaded: 3 });
    rmSync(join(input, 'admissions', 'b.csv'));
    const third = await run(input, out, dbPath);
    expect(third.manifest.inputs.find((f) => f.path.endsWith('b.csv'))?.action).toBe('missing');
    const db = await Db.open(dbPath);
    try {
      expect(await db.all(`SELECT admission_id, CAST(discharge_ts AS VARCHAR) AS d FROM admissions ORDER BY 1`)).toEqual([
        { admission_id: 'a1', d: '2024-01-03 08:00:00' },
        { admission_id: 'a3', d: '2024-01-08 08:00:00' },
        { admission_id: 'b1', d: '2024-01-06 08:00:00' },
      ]);
    } finally {
      db.close();
    }
    expect(existsSync(join(out, 'metrics.csv'))).toBe(true);
  }, 180_000);
});
