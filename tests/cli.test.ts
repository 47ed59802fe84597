import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADM_HEADER, csv, goodInput, tempDir, writeFiles } from './load/helpers.js';

const CLI = join(process.cwd(), 'dist/pipeline/cli.js');

function outcomes(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line', () => {
  it('prints help with exit 0, and exits 2 on an unknown command, option or missing argument', () => {
    expect(outcomes(['--help'])).toMatchObject({ code: 0 });
    expect(outcomes(['run', '--help']).stdout).toMatch(/--input DIR/);
    expect(outcomes(['check', '--help']).code).toBe(0);
    expect(outcomes(['frobnicate']).code).toBe(2);
    expect(outcomes(['run', '--input']).code).toBe(2);
    expect(outcomes(['run']).stderr).toMatch(/--input is required/);
    expect(outcomes(['run', '--input', 'x', '--bogus']).code).toBe(2);
    expect(outcomes(['run', '--input', 'x', '--format', 'hl7']).stderr).toMatch(/--format must be native, fhir, omop or synthea, got \\?"hl7/);
  });

  it('rejects a config file with an unknown key or a wrong type, naming the key (exit 2)', () => {
    const dir = writeFiles(tempDir(), { ...goodInput(10), 'bad1.json': '{"stay_gap_hour": 4}', 'bad2.json': '{"min_cell": "five"}' });
    const r1 = outcomes(['run', '--input', dir, '--config', join(dir, 'bad1.json'), '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb'), '--log-format', 'text']);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/unknown key "stay_gap_hour"/);
    const r2 = outcomes(['run', '--input', dir, '--config', join(dir, 'bad2.json'), '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb'), '--log-format', 'text']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/key "min_cell"/);
  });

  it('exit 2 for a missing input file, naming it; exit 3 when too many rows are rejected', () => {
    const dir = tempDir();
    const missing = outcomes(['run', '--input', join(dir, 'nope'), '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope/);
  });

  it('a failed run keeps the previous outputs and writes only rejects.csv and a failed manifest', () => {
    const dir = tempDir();
    const input = writeFiles(join(dir, 'in'), goodInput(200));
    const args = ['--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb')];
    const ok = outcomes(['run', '--input', input, ...args]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/succeeded/);
    const metricsBefore = readFileSync(join(dir, 'out/metrics.csv'), 'utf8');
    expect(JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8')).status).toBe('succeeded');

    // 3 bad rows of 203: 1.5% > 1%
    const good = goodInput(200)['admissions.csv']!;
    writeFileSync(join(input, 'admissions.csv'), good + ['b1,p1,H1,MED,garbage,,acute,home', 'b2,p1,H1,MED,garbage,,acute,home', 'b3,p1,H1,MED,garbage,,acute,home'].join('\n') + '\n');
    const bad = outcomes(['run', '--input', input, ...args]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/admissions: 3 of 203 rows rejected/);
    expect(readFileSync(join(dir, 'out/metrics.csv'), 'utf8')).toBe(metricsBefore);
    const manifest = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8'));
    expect(manifest.status).toBe('failed');
    expect(manifest.reason).toMatch(/max_reject_share/);
    expect(readFileSync(join(dir, 'out/rejects.csv'), 'utf8').trim().split('\n')).toHaveLength(4);

    // an unreadable input (exit 2) also leaves everything in place
    writeFileSync(join(input, 'admissions.csv'), csv(ADM_HEADER.replace('admit_ts', 'admitted'), []));
    const unreadable = outcomes(['run', '--input', input, ...args, '--log-format', 'text']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/admissions\.csv: required column "admit_ts"/);
    expect(readFileSync(join(dir, 'out/metrics.csv'), 'utf8')).toBe(metricsBefore);
    expect(existsSync(join(dir, 'out/catalog.json'))).toBe(true);
  });

  it('check validates and reports without writing outputs', () => {
    const dir = tempDir();
    const input = writeFiles(join(dir, 'in'), goodInput(20));
    const r = outcomes(['check', '--input', input], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/admissions: 20 rows read, 20 valid, 0 rejected/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'outcomes.duckdb'))).toBe(false);
  });
});
