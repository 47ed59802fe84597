/** The bench's pure helpers: parsing what the child processes report, checking targets, comparing with the peer. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePeer } from '../compare.js';
import { parseCpuTimeV, parseProcStatCpu, parseTimeV, parseVmHwm } from '../measure.js';
import { bindingPackage } from '../polars-binding.js';
import { checkTargets, type RunResult, type SizeResult, type TargetPlan } from '../report.js';
import { parseOptions } from '../run.js';
import { metricTimes } from '../steps.js';

describe('peak memory', () => {
  it('reads GNU time -v and /proc VmHWM in MiB', () => {
    expect(parseTimeV('\tUser time (seconds): 1.00\n\tMaximum resident set size (kbytes): 2048000\n')).toBe(2000);
    expect(parseVmHwm('VmPeak:\t 9000 kB\nVmHWM:\t  10240 kB\nVmRSS:\t 5000 kB\n')).toBe(10);
    expect(parseTimeV('no such line')).toBeUndefined();
  });
  it('reads CPU time from GNU time -v and /proc/<pid>/stat in ms', () => {
    expect(parseCpuTimeV('\tUser time (seconds): 12.50\n\tSystem time (seconds): 0.75\n')).toBe(13_250);
    // utime 150 and stime 25 ticks of 10 ms; the command name holds a space and a parenthesis.
    expect(parseProcStatCpu('42 (node (x) y) S 1 42 42 0 -1 4194304 100 0 0 0 150 25 0 0 20 0 11 0')).toBe(1750);
  });
});

describe('metricTimes', () => {
  it('gives each metric and shared block the time since the event before it, and skips absent metrics', () => {
    const log = [
      '{"time":"2026-01-01T00:00:00.000Z","level":"debug","msg":"started","stage":"metrics"}',
      '{"time":"2026-01-01T00:00:00.250Z","level":"debug","msg":"shared index_stays: 7 rows in 240 ms","stage":"metrics"}',
      '{"time":"2026-01-01T00:00:01.750Z","level":"debug","msg":"metric admissions: 10 rows (any wording)","stage":"metrics"}',
      '{"time":"2026-01-01T00:00:01.700Z","level":"debug","msg":"metric mortality_30d is absent: needs patients","stage":"metrics"}',
      'not json',
      '{"time":"2026-01-01T00:00:04.700Z","level":"debug","msg":"metric stays: 3 rows","stage":"metrics"}',
    ].join('\n');
    expect(metricTimes(log)).toEqual({ 'shared index_stays': 250, admissions: 1500, stays: 3000 });
  });
});

describe('bindingPackage', () => {
  it('names the napi-rs package of a platform', () => {
    expect(bindingPackage('linux', 'x64', true)).toBe('nodejs-polars-linux-x64-gnu');
    expect(bindingPackage('linux', 'arm64', false)).toBe('nodejs-polars-linux-arm64-musl');
    expect(bindingPackage('darwin', 'arm64', false)).toBe('nodejs-polars-darwin-arm64');
    expect(bindingPackage('win32', 'x64', false)).toBe('nodejs-polars-win32-x64-msvc');
  });
});

function size(patients: number, floorMs: number, runMs: number, rssMb: number): SizeResult {
  return {
    patients,
    inputRows: 0,
    inputBytes: 0,
    floor: { ms: floorMs, cpuMs: undefined, rssMb: 100 },
    run: { ms: runMs, cpuMs: undefined, rssMb, memoryLimit: undefined, stages: [], metricMs: {} },
    peer: undefined,
  };
}

const run = (ms: number, extra: Partial<RunResult> = {}): RunResult => ({ ms, cpuMs: undefined, rssMb: 300, memoryLimit: undefined, stages: [], metricMs: {}, ...extra });

const plan: TargetPlan = { targetSize: 1_000_000, profile: 'region', command: 'npm run bench', largeCommand: 'npm run bench -- --large', memoryLimit: undefined };

describe('checkTargets', () => {
  it('reports every row of the targets table, each with its command, when nothing but the sizes is measured', () => {
    const t = checkTargets([size(100_000, 1000, 5000, 500)], plan);
    expect(t.map((x) => [x.what, x.measured, x.met, x.command])).toEqual([
      ['first run, 1,000,000 patients, region profile', 'not measured', undefined, 'npm run bench'],
      ['peak RSS of that run', 'not measured', undefined, 'npm run bench'],
      ['typical night: the 1,000,000 patients database + one new file with one day of treatments', 'not measured', undefined, 'npm run bench'],
      ['quiet night (no new files)', 'not measured', undefined, 'npm run bench'],
      ['same work as the polars peer (1,000,000 patients)', 'not measured', undefined, 'npm run bench'],
      ['3,000,000 patients, region profile', 'not measured', undefined, 'npm run bench -- --large'],
      ['database file (1,000,000 patients)', 'not measured', undefined, 'npm run bench'],
    ]);
  });

  it('checks the first run, its RSS, both nights, the peer, the large size and the database file against their limits', () => {
    const at = size(1_000_000, 10_000, 31_000, 2100);
    at.inputBytes = 800 * 2 ** 20;
    at.inputRows = 9_000_000;
    at.run = run(31_000, { rssMb: 2100, dbBytes: 900 * 2 ** 20, stages: [{ stage: 'load', ms: 1500 }, { stage: 'validate', ms: 1000 }, { stage: 'stays', ms: 500 }], metricMs: { readmission_30d: 300, los_mean: 200, bed_days: 9000 } });
    at.quiet = run(1500); // 4.8% of 31 s
    at.night = { ...run(4700, { dbBytes: 901 * 2 ** 20 }), day: '2025-01-01', newRows: 10_123, newBytes: 1, tries: [5100, 4700, 4500] }; // 15.2%
    at.peer = { ms: 3900, cpuMs: undefined, rssMb: 800, stagesMs: {}, comparison: { cells: 720, mismatches: 0, examples: [] } };
    const large = size(3_000_000, 30_000, 102_000, 2500); // 3.29× the 1M time
    large.inputRows = 28_000_000;
    const t = checkTargets([at, large], plan);
    expect(t.map((x) => [x.measured, x.met])).toEqual([
      ['31.0 s = 3.1× the floor (10.0 s)', false],
      ['2,100 MB', false],
      ['4.7 s = 15.2% of 31.0 s (median of 3: 4.5, 4.7, 5.1 s)', false],
      ['1.5 s = 4.8% of 31.0 s', true],
      ['ours 3.5 s (full run 31.0 s) vs polars 3.9 s = 0.9×; peer check equal, 720 cells', true], // load 1.5 + validate 1 + stays 0.5 + the two metrics 0.3 + 0.2
      // The floors (10.0 and 30.0 s) tell whether the machine's speed moved between the two sizes.
      ['102.0 s = 3.29× 31.0 s; 2,500 MB; the load floor 3.00× for 3.11× the rows', true],
      ['900 MB after the first run for 800 MB of CSV (1.1×); 901 MB after the two nights', false],
    ]);
    expect(t[2]!.what).toBe('typical night: the 1,000,000 patients database + one new file with one day of treatments (10,123 rows)');
    expect(t[5]!.what).toBe('3,000,000 patients, region profile (28,000,000 rows)');
    expect(t.every((x) => x.command === 'npm run bench')).toBe(true);
  });

  it('checks at the size it is told (a small trial), and a set memory_limit is not the default config', () => {
    const small = size(20_000, 1000, 2000, 300);
    small.run.dbBytes = 10;
    small.inputBytes = 20;
    const t = checkTargets([small], { ...plan, targetSize: 20_000, memoryLimit: '1GB' });
    expect(t[0]!).toMatchObject({ what: 'first run, 20,000 patients, region profile', measured: '2.0 s = 2.0× the floor (1.0 s)', met: true });
    expect(t[1]!).toMatchObject({ measured: '300 MB (with memory_limit 1GB, not the default config)', met: undefined });
    expect(t[5]!.what).toBe('60,000 patients, region profile');
    expect(t[6]!.met).toBe(true);
  });
});

describe('parseOptions', () => {
  const root = '/repo';
  it('measures 100k and 1M of the region profile, with nights, into bench/results.md', () => {
    const o = parseOptions([], root);
    expect([o.sizes, o.targetSize, o.profile, o.nights, o.limited, o.results, o.command, o.largeCommand]).toEqual([
      [100_000, 1_000_000], 1_000_000, 'region', true, undefined, '/repo/bench/results.md', 'npm run bench', 'npm run bench -- --large',
    ]);
    expect(parseOptions(['--large'], root).sizes).toEqual([100_000, 1_000_000, 3_000_000]);
  });
  it('writes a trial at another size or profile beside the data, not into bench/results.md', () => {
    const o = parseOptions(['--target-size', '20000', '--large'], root);
    expect([o.sizes, o.results, o.command, o.largeCommand]).toEqual([[2000, 20_000, 60_000], '/repo/bench/data/results.md', 'npm run bench -- --target-size 20000 --large', 'npm run bench -- --target-size 20000 --large']);
    expect(parseOptions(['--profile', 'light'], root).results).toBe('/repo/bench/data/results.md');
    expect(parseOptions(['--sizes', '10000'], root).results).toBe('/repo/bench/data/results.md');
    expect(() => parseOptions(['--profile', 'heavy'], root)).toThrow('--profile');
  });
});

describe('comparePeer', () => {
  it('counts cells that differ in numerator, denominator or presence; ignores other grains and metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-'));
    try {
      writeFileSync(
        join(dir, 'metrics.csv'),
        [
          'metric_id,view,period,hospital_id,department_id,numerator,denominator,value,lower,upper',
          'los_mean,outcome,2024-01,H1,ALL,10,4,2.5,,',
          'los_mean,outcome,2024-01,H1,MED,10,4,2.5,,', // department grain: not compared
          'los_mean,outcome,2024-01,ALL,ALL,10,4,2.5,,', // all hospitals: not compared
          'los_mean,outcome,2024,H1,ALL,10,4,2.5,,', // year: not compared
          'readmission_30d,outcome,2024-01,H1,ALL,1,4,0.25,,',
          'readmission_30d,outcome,2024-02,H1,ALL,0,2,0,,',
          'stays,activity,2024-01,H1,ALL,5,,5,,', // another metric
        ].join('\n') + '\n',
      );
      writeFileSync(
        join(dir, 'peer.csv'),
        [
          'metric_id,period,hospital_id,numerator,denominator,value',
          'los_mean,2024-01,H1,10.0,4.0,2.5',
          'readmission_30d,2024-01,H1,2.0,4.0,0.5', // numerator differs
          'readmission_30d,2024-03,H1,0.0,1.0,0.0', // only the peer has it; ours lacks 2024-02
        ].join('\n') + '\n',
      );
      const c = await comparePeer(join(dir, 'metrics.csv'), join(dir, 'peer.csv'));
      expect(c.cells).toBe(4);
      expect(c.mismatches).toBe(3);
      expect(c.examples.map((e) => `${e.metric_id} ${e.period}`)).toEqual(['readmission_30d 2024-01', 'readmission_30d 2024-02', 'readmission_30d 2024-03']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
