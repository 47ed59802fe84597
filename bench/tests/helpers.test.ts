/** The bench's pure helpers: parsing what the child processes report, checking targets, comparing with the peer. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePeer } from '../compare.js';
import { parseCpuTimeV, parseProcStatCpu, parseTimeV, parseVmHwm } from '../measure.js';
import { bindingPackage } from '../polars-binding.js';
import { checkTargets, type SizeResult } from '../report.js';
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

describe('checkTargets', () => {
  it('checks the floor ratio and RSS at 1M, and growth per step against 1.1× the data', () => {
    const t = checkTargets([size(100_000, 1000, 5000, 500), size(1_000_000, 10_000, 31_000, 2100), size(5_000_000, 50_000, 170_000, 2000)]);
    expect(t.map((x) => [x.measured, x.met])).toEqual([
      ['3.1× wall', false], // 31 s over a 10 s floor
      ["2,100 MB in 31.0 s with DuckDB's default memory_limit", false],
      ['6.2×', true], // 10× patients: 6.2× time, limit 11×
      ['5.5×', true], // 5× patients: 5.48× time, limit 5.5×
    ]);
  });
});

describe('checkTargets with a limited run', () => {
  it('meets the RSS target when the run with a memory limit stays under it', () => {
    const r = size(1_000_000, 10_000, 31_000, 2100);
    r.limited = { ms: 40_000, cpuMs: undefined, rssMb: 1400, memoryLimit: '1GB', stages: [], metricMs: {} };
    const rss = checkTargets([r]).find((t) => t.target.includes('RSS'))!;
    expect(rss.measured).toBe("2,100 MB in 31.0 s with DuckDB's default memory_limit; 1,400 MB in 40.0 s with memory_limit 1GB");
    expect(rss.met).toBe(true);
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
