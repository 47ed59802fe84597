/**
 * Work stays proportional to the input (docs/operations.md, "Cost grows with rows, not with
 * dates" and "Events in the future"): a handful of rows whose legal dates span 1900–2999
 * runs in seconds, a newest event far after the run date is named, and the dashboards
 * compare the newest years that hold data.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../pipeline/core/config.js';
import { Db } from '../../pipeline/core/db.js';
import { QualityError } from '../../pipeline/core/errors.js';
import { memoryLogger } from '../../pipeline/core/log.js';
import { runPipeline } from '../../pipeline/compose/run.js';
import { csv, tempDir, writeFiles } from '../load/helpers.js';
import { SPAN_ADM_HEADER, SPAN_NEWEST, SPAN_TRT_HEADER, spanInput } from './span-data.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = tempDir('outcomes-span-');
  dirs.push(d);
  return d;
}

const NOW = new Date('2026-01-01T02:00:00Z');

async function run(input: string, dir: string, config: Record<string, unknown> = {}) {
  const log = memoryLogger();
  const result = await runPipeline({
    input,
    format: 'native',
    out: join(dir, 'out'),
    db: join(dir, 'db.duckdb'),
    config: parseConfig(config),
    log,
    now: NOW,
  });
  return { result, log };
}

/** Warnings about the newest event (others, such as absent metrics, are not this test's business). */
const futureWarnings = (log: ReturnType<typeof memoryLogger>) =>
  log.events.filter((e) => e.level === 'warn' && /newest event/.test(e.msg)).map((e) => e.msg);

async function query<T>(dbFile: string, sql: string): Promise<T[]> {
  const db = await Db.open(dbFile);
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}

describe('a data set spanning 1900–2999', () => {
  it('runs in seconds of CPU time: no step walks every night or month of the span', async () => {
    const dir = temp();
    const input = writeFiles(join(dir, 'in'), spanInput());
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { result } = await run(input, dir, { keep_facts: true });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const wallSeconds = (performance.now() - t0) / 1000;
    expect(result.manifest.status).toBe('succeeded');
    expect(result.manifest.cutoff).toBe(SPAN_NEWEST);
    // CPU time of this process (DuckDB's threads included), so that a busy machine does not
    // decide the test: ~40 s when bed days were listed night by night and the p-charts
    // walked every month from 1900 to 2999, ~10 s now (most of it the ~66,000 published
    // bed-day months, one per occupied month of the two long stays and their totals).
    expect(cpuSeconds, `CPU ${cpuSeconds.toFixed(1)} s, wall ${wallSeconds.toFixed(1)} s`).toBeLessThan(25);

    // Bed days are counted as intervals: one fact row per contact and occupied month.
    const db = join(dir, 'db.duckdb');
    const [facts] = await query<{ rows: number; nights: number }>(
      db,
      `SELECT count(*)::INTEGER AS rows, sum(records)::INTEGER AS nights FROM fact_bed_days WHERE admission_id IN ('long', 'open')`,
    );
    // 1900-01 … 2999-12 is 1,100 years of 12 months. 1900-01-01 to 3000-01-01 is 1,100 × 365
    // days plus 267 leap days (275 multiples of 4, less 1900, 2100, 2200, 2300, 2500, 2600,
    // 2700, 2900) = 401,767; the long stay's nights end on 2999-12-29 (2 fewer), the open
    // stay's too (its cutoff is the same instant) and it starts a day later.
    expect(facts).toEqual({ rows: 13_200 + 13_200, nights: 401_765 + 401_764 });
    const months = await query<{ period: string; value: number }>(
      db,
      `SELECT period, value FROM metrics WHERE metric_id = 'bed_days' AND hospital_id = 'ALL' AND period IN ('1900-01', '1900', '2000-02', '2999-12', '2999') ORDER BY period`,
    );
    expect(months).toEqual([
      // long: 31 nights from 01-01; open: 30 nights from 01-02; each year also holds the six
      // hospitals' two stays of two nights (February)
      { period: '1900', value: 365 + 364 + 6 * 2 * 2 },
      { period: '1900-01', value: 31 + 30 },
      { period: '2000-02', value: 29 + 29 },
      // both end on 2999-12-30 10:00: the nights of 12-01 … 12-29
      { period: '2999', value: 363 + 363 + 6 * 2 * 2 },
      { period: '2999-12', value: 29 + 29 },
    ]);

    // The dashboards compare years that hold data: here no two consecutive years do.
    const index = readFileSync(join(dir, 'out/dashboards/index.html'), 'utf8');
    expect(index).not.toMatch(/2998 compared with 2997/);
    expect(index).toMatch(/<h1>Activity and outcomes<\/h1>/);
  }, 600_000);
});

describe('events in the future', () => {
  const admissions = (newest: string) =>
    csv(SPAN_ADM_HEADER, ['a1,p1,H1,MED,2025-11-01 08:00,2025-11-03 10:00,acute,home,,,', `a2,p2,H1,MED,2025-11-05 08:00,${newest},acute,home,,,`]);
  const treatments = (start: string) => csv(SPAN_TRT_HEADER, ['t1,p1,H1,OPD,2025-10-01 09:00,,ambulatory,in_person,', `t2,p1,H1,OPD,${start},,ambulatory,in_person,`]);

  it('warns, naming the file and line of the newest event, when it lies more than 31 days after the run date', async () => {
    const dir = temp();
    const input = writeFiles(join(dir, 'in'), { 'admissions.csv': admissions('2025-11-06 10:00'), 'treatments.csv': treatments('2099-06-01 09:00') });
    const { result, log } = await run(input, dir);
    expect(result.manifest.status).toBe('succeeded');
    const warnings = futureWarnings(log);
    expect(warnings).toEqual([
      expect.stringContaining(`the newest event, treatments.start_ts 2099-06-01 09:00:00 in ${join(input, 'treatments.csv')} line 3, lies 26814 days after the run date`),
    ]);
    expect(warnings[0]).toMatch(/set "cutoff" in the config/);
  });

  it('stays quiet within 31 days of the run date, and when the cutoff is configured', async () => {
    const dir = temp();
    // 2026-02-01 is 31 days after the run date 2026-01-01: not more than 31.
    const input = writeFiles(join(dir, 'in'), { 'admissions.csv': admissions('2026-02-01 23:00'), 'treatments.csv': treatments('2025-12-01 09:00') });
    const quiet = await run(input, dir);
    expect(futureWarnings(quiet.log)).toEqual([]);

    const dir2 = temp();
    const far = writeFiles(join(dir2, 'in'), { 'admissions.csv': admissions('2026-02-02 08:00'), 'treatments.csv': treatments('2025-12-01 09:00') });
    const warned = await run(far, dir2);
    expect(futureWarnings(warned.log)).toEqual([
      expect.stringContaining(`admissions.discharge_ts 2026-02-02 08:00:00 in ${join(far, 'admissions.csv')} line 3, lies 32 days`),
    ]);
    const dir3 = temp();
    const configured = await run(far, dir3, { cutoff: '2025-12-31T23:59' });
    expect(futureWarnings(configured.log)).toEqual([]);
  });

  it('fail_on_future: true stops the run with exit 3, a failed manifest and the previous outputs kept', async () => {
    const dir = temp();
    const input = writeFiles(join(dir, 'in'), { 'admissions.csv': admissions('2025-11-06 10:00'), 'treatments.csv': treatments('2025-12-01 09:00') });
    const first = await run(input, dir, { fail_on_future: true });
    expect(first.result.manifest.status).toBe('succeeded');
    const metricsBefore = readFileSync(join(dir, 'out/metrics.csv'), 'utf8');

    writeFiles(input, { 'treatments.csv': treatments('2999-06-01 09:00') });
    const failed = run(input, dir, { fail_on_future: true });
    await expect(failed).rejects.toBeInstanceOf(QualityError);
    await expect(failed).rejects.toThrow(/treatments\.start_ts 2999-06-01 09:00:00 in .*treatments\.csv line 3.*\(fail_on_future is set\)/);
    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest.status).toBe('failed');
    expect(manifest.reason).toMatch(/fail_on_future is set/);
    expect(readFileSync(join(dir, 'out/metrics.csv'), 'utf8')).toBe(metricsBefore);

    const cli = spawnSync(
      process.execPath,
      [join(process.cwd(), 'dist/pipeline/cli.js'), 'check', '--input', input, '--config', writeFiles(temp(), { 'c.json': '{"fail_on_future": true}' }) + '/c.json'],
      { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
    );
    expect(cli.status).toBe(3);
    expect(cli.stderr).toMatch(/treatments\.csv line 3/);
  });

  it('the config key fail_on_future is a boolean, off by default', () => {
    expect(parseConfig({}).fail_on_future).toBe(false);
    expect(() => parseConfig({ fail_on_future: 'yes' })).toThrow(/key "fail_on_future"/);
  });
});
