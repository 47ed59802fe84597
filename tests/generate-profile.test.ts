/** The generator's profiles (docs/generator.md, "Profiles"): region's rates per patient, light unchanged. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../fixtures/generate.js';
import { command } from '../pipeline/commands/generate.js';
import { Db, literal } from '../pipeline/core/db.js';
import { UsageError } from '../pipeline/core/errors.js';
import { TABLE_NAMES } from '../pipeline/ingest/schema.js';
import { runCommand } from '../pipeline/commands/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'outcomes-profile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytes = (dir: string, file: string) => readFileSync(join(dir, file));

describe('generate --profile region: 5000 patients, 3 years', () => {
  const patients = 5000;
  let region: GenerateResult;
  let light: GenerateResult;
  let db: Db;
  beforeAll(async () => {
    region = await generate({ patients, years: 3, seed: 7, outDir: join(tmp, 'region'), profile: 'region' });
    light = await generate({ patients, years: 3, seed: 7, outDir: join(tmp, 'light') });
    db = await Db.open(':memory:');
    await db.run(`CREATE VIEW t AS SELECT * FROM read_csv(${literal(join(tmp, 'region', 'treatments.csv'))}, header = true)`);
    await db.run(`CREATE VIEW p AS SELECT * FROM read_csv(${literal(join(tmp, 'region', 'patients.csv'))}, header = true, types = {'death_date': 'DATE'})`);
  });
  afterAll(() => db?.close());

  it('has about 0.4 admissions and 8.5 treatments per patient (within 0.06 and 0.5)', () => {
    expect(region.rows.patients).toBe(patients);
    // 5000 patients: the mean of a patient's treatments has a standard error of about 0.1.
    expect(Math.abs(region.rows.admissions / patients - 0.4)).toBeLessThan(0.06);
    expect(Math.abs(region.rows.treatments / patients - 8.5)).toBeLessThan(0.5);
    // The light profile of the same seed: 2.5 per patient.
    expect(Math.abs(light.rows.treatments / patients - 2.5)).toBeLessThan(0.3);
  });

  it('of which about 0.7 emergency visits and 7.8 ambulatory treatments per patient (within 0.15 and 0.5)', async () => {
    const bySetting = await db.all<{ setting: string; n: number }>(`SELECT setting, count(*) AS n FROM t GROUP BY 1 ORDER BY 1`);
    expect(bySetting.map((r) => r.setting)).toEqual(['ambulatory', 'emergency']);
    expect(Math.abs(Number(bySetting[0]!.n) / patients - 7.8)).toBeLessThan(0.5);
    expect(Math.abs(Number(bySetting[1]!.n) / patients - 0.7)).toBeLessThan(0.15);
  });

  it('has the same patients and admissions as the light profile; only treatments differ', () => {
    for (const f of ['patients.csv', 'admissions.csv']) expect(bytes(join(tmp, 'region'), f).equals(bytes(join(tmp, 'light'), f)), f).toBe(true);
    expect(bytes(join(tmp, 'region'), 'treatments.csv').equals(bytes(join(tmp, 'light'), 'treatments.csv'))).toBe(false);
  });

  it('keeps the canonical rules: consecutive ids in time order, ends after starts, nothing after a death', async () => {
    const r = await db.one<{ n: number; ids: number; bad_order: number; bad_end: number; after_death: number }>(
      `WITH o AS (SELECT *, row_number() OVER () AS k, lag(start_ts) OVER () AS prev FROM t)
       SELECT count(*) AS n,
         count(*) FILTER (treatment_id = printf('T%09d', k)) AS ids,
         count(*) FILTER (start_ts < prev) AS bad_order,
         count(*) FILTER (end_ts < start_ts) AS bad_end,
         count(*) FILTER (CAST(start_ts AS DATE) > (SELECT death_date FROM p WHERE p.patient_id = o.patient_id)) AS after_death
       FROM o`,
    );
    expect(Number(r!.n)).toBe(region.rows.treatments);
    expect(Number(r!.ids)).toBe(region.rows.treatments);
    expect([Number(r!.bad_order), Number(r!.bad_end), Number(r!.after_death)]).toEqual([0, 0, 0]);
  });
});

describe('generate --profile light', () => {
  it('is the default: the same bytes with and without it', async () => {
    const opts = { patients: 1500, years: 3, seed: 11 };
    await generate({ ...opts, outDir: join(tmp, 'default') });
    await generate({ ...opts, outDir: join(tmp, 'named'), profile: 'light' });
    for (const t of TABLE_NAMES) expect(bytes(join(tmp, 'default'), `${t}.csv`).equals(bytes(join(tmp, 'named'), `${t}.csv`)), t).toBe(true);
  });
});

describe('outcomes generate --profile', () => {
  it('passes the profile to the generator', async () => {
    const lines: string[] = [];
    await runCommand(command, { out: join(tmp, 'cli'), patients: '300', seed: '3', profile: 'region' }, (l) => lines.push(l));
    const r = await generate({ outDir: join(tmp, 'cli-check'), patients: 300, years: 3, seed: 3, profile: 'region' });
    expect(lines[2]).toBe(`${join(tmp, 'cli', 'treatments.csv')}: ${r.rows.treatments} rows`);
    expect(r.rows.treatments / 300).toBeGreaterThan(6);
    expect(bytes(join(tmp, 'cli'), 'treatments.csv').equals(bytes(join(tmp, 'cli-check'), 'treatments.csv'))).toBe(true);
  });

  it('rejects an unknown profile with a usage error naming the option', async () => {
    const run = runCommand(command, { out: join(tmp, 'never'), profile: 'heavy' }, () => {});
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow('--profile');
  });
});
