/**
 * Every failure has the right exit code and names its cause: exit 1 means a bug,
 * so a wrong setting, path or a full disk is exit 2 naming the config key or path
 * (docs/operations.md, "What outcomes refuses, and why" → "Exit codes").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipeline/core/config.js';
import { DiskError, exitCodeOf } from '../../pipeline/core/errors.js';
import { goodInput, writeFiles } from '../load/helpers.js';
import { tempDir } from '../tmp.js';
import { CLI, outcomes } from './helpers.js';

function setup() {
  const dir = tempDir('outcomes-exit-');
  const input = writeFiles(join(dir, 'in'), goodInput(20));
  return { dir, input, out: join(dir, 'out'), db: join(dir, 'db.duckdb') };
}

/** Run with a config file holding `config`; returns the result. */
function withConfig(config: string) {
  const { dir, input, out, db } = setup();
  writeFileSync(join(dir, 'config.json'), config);
  return outcomes(['run', '--input', input, '--out', out, '--db', db, '--config', join(dir, 'config.json')]);
}

describe('a wrong setting is exit 2 naming the config key', () => {
  it('an unknown timezone', () => {
    const r = withConfig('{"timezone": "Mars/Olympus"}');
    expect([r.code, r.last]).toEqual([2, expect.stringContaining('config key "timezone"')]);
    expect(r.last).toContain('Mars/Olympus');
  });

  it('a cutoff that is not a calendar date (2024-02-30), or an impossible time or offset', () => {
    for (const cutoff of ['2024-02-30', '2023-02-29', '2024-06-30T24:00', '2024-06-30T08:30+15:00']) {
      const r = withConfig(JSON.stringify({ cutoff }));
      expect([cutoff, r.code, r.last]).toEqual([cutoff, 2, expect.stringContaining('key "cutoff"')]);
    }
    expect(loadConfigText('{"cutoff": "2024-02-29T23:59:59+14:00"}').cutoff).toBe('2024-02-29T23:59:59+14:00');
  });

  it('an invalid memory_limit', () => {
    const r = withConfig('{"memory_limit": "lots"}');
    expect([r.code, r.last]).toEqual([2, expect.stringContaining('config key "memory_limit"')]);
  });

  it('a temp_directory that is a file', () => {
    const { dir, input, out, db } = setup();
    writeFileSync(join(dir, 'afile'), 'x');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ temp_directory: join(dir, 'afile') }));
    const r = outcomes(['run', '--input', input, '--out', out, '--db', db, '--config', join(dir, 'config.json')]);
    expect([r.code, r.last]).toEqual([2, expect.stringContaining(`config key "temp_directory": ${join(dir, 'afile')} is a file`)]);
  });
});

describe('a --db that cannot be a database is exit 2 naming the path', () => {
  it('under /proc', () => {
    const { input, out } = setup();
    const r = outcomes(['run', '--input', input, '--out', out, '--db', '/proc/outcomes.duckdb']);
    expect([r.code, r.last]).toEqual([2, expect.stringContaining('/proc/outcomes.duckdb')]);
  });

  it('a folder, an empty file, and a CSV file (never a silent in-memory run; the file untouched)', () => {
    const { dir, input, out } = setup();
    mkdirSync(join(dir, 'dbdir'));
    writeFileSync(join(dir, 'empty.duckdb'), '');
    writeFileSync(join(dir, 'admissions.csv'), goodInput(3)['admissions.csv']!);
    const cases: [string, RegExp][] = [
      [join(dir, 'dbdir'), /is a folder/],
      [join(dir, 'empty.duckdb'), /is an empty file, not a DuckDB database/],
      [join(dir, 'admissions.csv'), /is not a DuckDB database/],
    ];
    for (const [db, why] of cases) {
      const r = outcomes(['run', '--input', input, '--out', out, '--db', db]);
      expect([db, r.code]).toEqual([db, 2]);
      expect(r.last).toContain(`--db ${db}`);
      expect(r.last).toMatch(why);
    }
    expect(readFileSync(join(dir, 'admissions.csv'), 'utf8')).toBe(goodInput(3)['admissions.csv']);
    expect(readFileSync(join(dir, 'empty.duckdb'), 'utf8')).toBe('');
    expect(existsSync(out)).toBe(false);
    // export and dashboards read the database the same way.
    const e = outcomes(['export', '--db', join(dir, 'admissions.csv'), '--out', join(dir, 'rep')]);
    expect([e.code, e.last]).toEqual([2, expect.stringContaining('is not a DuckDB database')]);
  });
});

describe('a --db that is a device or a pipe', () => {
  it('is exit 2 naming it, and no lock is taken beside it (such a file is empty to stat, like a database being made)', () => {
    const { dir, input, out } = setup();
    const r = outcomes(['run', '--input', input, '--out', out, '--db', '/dev/null']);
    expect([r.code, r.last]).toEqual([2, expect.stringContaining('--db /dev/null is not a regular file')]);
    expect(existsSync('/dev/null.lock')).toBe(false);
    // A pipe with a lock beside it held by a live process: taking that lock would report its holder instead.
    const fifo = join(dir, 'db.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    writeFileSync(`${fifo}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'run' }));
    const p = outcomes(['run', '--input', input, '--out', out, '--db', fifo]);
    expect([p.code, p.last]).toEqual([2, expect.stringContaining(`--db ${fifo} is not a regular file`)]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a full disk is exit 2 naming the path', () => {
  it('a write that finds the disk full names the file, and maps to exit 2', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(exitCodeOf(full)).toBe(2);
    expect(exitCodeOf(new Error('IO Error: Could not write file "/x/metrics.csv": No space left on device'))).toBe(2);
    expect(exitCodeOf(new Error('a bug'))).toBe(1);
    const e = new DiskError('/x/out/metrics.csv', full);
    expect([exitCodeOf(e), e.message]).toEqual([2, 'cannot write /x/out/metrics.csv: ENOSPC: no space left on device, write']);
  });

  // A real full disk: a tmpfs of 100 kB (16 kB for the database) mounted in a private mount namespace (no root needed where
  // unprivileged user namespaces are allowed, as on the CI image and Debian's default).
  const canMount = spawnSync('unshare', ['-rm', 'true']).status === 0;
  it.skipIf(!canMount)('on a real full disk under --out or --db: exit 2 naming the path, the staging folder removed', () => {
    const { dir, input } = setup();
    const full = join(dir, 'full');
    mkdirSync(full);
    const script = (args: string, size: string) =>
      `mount -t tmpfs -o size=${size} tmpfs ${full} && node ${CLI} run --input ${input} ${args} --log-format text; echo "exit=$?"; ls -a ${full}`;
    const run = (args: string, size = '100k') => spawnSync('unshare', ['-rm', 'sh', '-c', script(args, size)], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const underOut = run(`--out ${join(full, 'out')} --db ${join(dir, 'a.duckdb')}`);
    expect(underOut.stdout).toContain('exit=2');
    expect(underOut.stderr).toMatch(/no space left on device/i);
    expect(underOut.stderr).toContain(`${full}/out.tmp-`);
    expect(underOut.stdout).not.toMatch(/out\.tmp-/);
    const underDb = run(`--out ${join(dir, 'out')} --db ${join(full, 'db.duckdb')}`, '16k');
    expect(underDb.stdout).toContain('exit=2');
    expect(underDb.stderr).toContain(`${full}/db.duckdb`);
    expect(underDb.stderr).toMatch(/no space left on device/i);
  }, 120_000);
});

describe('the final error and the config file', () => {
  it('with --log-format json the final error is a JSON line naming the cause and the exit code', () => {
    const { dir, input, out } = setup();
    writeFileSync(join(dir, 'config.json'), '{"timezone": "Mars/Olympus"}');
    const r = outcomes(['run', '--input', input, '--out', out, '--db', join(dir, 'db.duckdb'), '--config', join(dir, 'config.json'), '--log-format', 'json']);
    expect(r.code).toBe(2);
    for (const line of r.stderr.trimEnd().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    const last = JSON.parse(r.last) as Record<string, unknown>;
    expect(last).toMatchObject({ level: 'error', command: 'run', exit_code: 2, msg: expect.stringContaining('config key "timezone"') });
    // A usage error found before the options are read is a JSON line too.
    const u = outcomes(['run', '--input', input, '--bogus', '--log-format', 'json']);
    expect(JSON.parse(u.last)).toMatchObject({ level: 'error', exit_code: 2 });
  });

  it('a config file with a UTF-8 byte-order mark is read', () => {
    const dir = tempDir('outcomes-exit-');
    writeFileSync(join(dir, 'config.json'), '\uFEFF{"min_cell": 11, "timezone": "Europe/Copenhagen"}');
    expect(loadConfig(join(dir, 'config.json'))).toMatchObject({ min_cell: 11, timezone: 'Europe/Copenhagen' });
    const { input } = setup();
    const r = outcomes(['check', '--input', input, '--config', join(dir, 'config.json')]);
    expect([r.code, r.stderr]).toEqual([0, expect.any(String)]);
  });
});

function loadConfigText(text: string) {
  const dir = tempDir('outcomes-exit-');
  writeFileSync(join(dir, 'c.json'), text);
  return loadConfig(join(dir, 'c.json'));
}
