import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { tempDir } from '../load/helpers.js';
import { generated, snapshot, splitIntoNights } from './helpers.js';

const CLI = join(process.cwd(), 'dist/pipeline/cli.js');

function runSync(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start a run; resolve with its exit code (or signal) and stderr. `killWhen` sends SIGKILL on the first matching log event. */
function runAsync(args: string[], killWhen?: (e: Record<string, unknown>) => boolean) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string; killed: boolean }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TZ: 'UTC' } });
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!killWhen || killed) return;
      for (const line of chunk.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          if (killWhen(JSON.parse(line) as Record<string, unknown>)) {
            killed = true;
            child.kill('SIGKILL');
            return;
          }
        } catch {
          /* a partial line */
        }
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, killed }));
  });
}

describe('one run at a time', () => {
  it('a second run while one holds the lock exits 2 naming the holder; a dead holder is taken over', async () => {
    const dir = tempDir();
    const src = await generated(dir, 150);
    const db = join(dir, 'db.duckdb');
    // held by a live process (this test)
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'run' }));
    const held = runSync(['run', '--input', src, '--out', join(dir, 'out'), '--db', db]);
    expect(held.code).toBe(2);
    expect(held.stderr).toContain(`process ${process.pid} on ${hostname()}, started 2026-01-01T00:00:00Z`);
    // left by a process that is gone
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'run' }));
    const takeover = runSync(['run', '--input', src, '--out', join(dir, 'out'), '--db', db, '--log-format', 'json']);
    expect(takeover.code).toBe(0);
    expect(takeover.stderr).toMatch(/took over the lock left by process/);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('a database file another run is making (empty, its lock held) is that run\'s: exit 2 naming the holder, not "an empty file"', () => {
    // The moment between DuckDB creating the file and writing its header, as a second run started then sees it.
    const dir = tempDir();
    const db = join(dir, 'db.duckdb');
    writeFileSync(db, '');
    writeFileSync(`${db}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'run' }));
    const r = runSync(['run', '--input', join(dir, 'in'), '--out', join(dir, 'out'), '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/another run holds the lock .* process \d+/);
    expect(r.stderr).not.toMatch(/empty file/);
    expect(readFileSync(`${db}.lock`, 'utf8')).toContain(`"pid":${process.pid}`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('two concurrent runs on one database: one succeeds, the other exits 2', async () => {
    const dir = tempDir();
    const src = await generated(dir, 3000);
    const args = ['run', '--input', src, '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb')];
    const [a, b] = await Promise.all([runAsync(args), runAsync(args)]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    expect((a.code === 2 ? a : b).stderr).toMatch(/another run holds the lock .* process \d+/);
  }, 120_000);
});

describe('crash safety', () => {
  it('a run killed at any stage leaves the previous outputs and a readable database; the next run completes', async () => {
    const dir = tempDir();
    const src = await generated(dir, 600, 5);
    const all = join(dir, 'all');
    const nights = await splitIntoNights(src, all, 2);
    const input = join(dir, 'input');
    const copyNight = (files: string[]) => {
      for (const f of files) {
        mkdirSync(join(input, f, '..'), { recursive: true });
        cpSync(join(all, f), join(input, f));
      }
    };
    copyNight(nights[0]!);
    const out = join(dir, 'out');
    const db = join(dir, 'db.duckdb');
    const args = ['run', '--input', input, '--out', out, '--db', db, '--log-format', 'json', '--verbose'];
    expect(runSync(args).code).toBe(0);
    const before = snapshot(out);
    copyNight(nights[1]!);
    // the outputs a clean run over the grown folder gives
    const expected = runSync(['run', '--input', input, '--out', join(dir, 'expected'), '--db', join(dir, 'fresh.duckdb')]);
    expect(expected.code).toBe(0);

    const stages: [string, (e: Record<string, unknown>) => boolean][] = [
      ['mid-load', (e) => e['stage'] === 'load' && String(e['msg']).startsWith('new file')],
      ['validate', (e) => e['stage'] === 'validate' && e['msg'] === 'started'],
      ['metrics', (e) => e['stage'] === 'metrics' && e['msg'] === 'started'],
      ['outputs', (e) => e['stage'] === 'outputs' && e['msg'] === 'started'],
    ];
    for (const [name, when] of stages) {
      const r = await runAsync(args, when);
      expect(r.killed, `${name}: the kill point was reached`).toBe(true);
      expect(r.signal, name).toBe('SIGKILL');
      expect(snapshot(out), `${name}: previous outputs intact`).toEqual(before);
      const handle = await Db.open(db);
      try {
        expect(Number(await handle.scalar('SELECT count(*) FROM loaded_files')), name).toBeGreaterThan(0);
      } finally {
        handle.close();
      }
    }
    const next = runSync(args);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/took over the lock/);
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8')).toBe(readFileSync(join(dir, 'expected', 'metrics.csv'), 'utf8'));
    expect(snapshot(out)).toEqual(snapshot(join(dir, 'expected')));
  }, 180_000);
});

describe('logs', () => {
  it('--log-format json writes one parseable JSON object per line with stage, ms and level', () => {
    const dir = tempDir();
    const input = join(dir, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'admissions.csv'), 'admission_id,patient_id,hospital_id,admit_ts\na1,p1,H1,2024-01-01\n');
    writeFileSync(join(input, 'treatments.csv'), 'treatment_id,patient_id,hospital_id,start_ts,setting\nt1,p1,H1,2024-01-10,ambulatory\n');
    const r = runSync(['run', '--input', input, '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb'), '--log-format', 'json']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(['debug', 'info', 'warn', 'error']).toContain(l['level']);
    const done = lines.filter((l) => l['msg'] === 'done').map((l) => l['stage']);
    expect(done).toEqual(['load', 'validate', 'params', 'stays', 'metrics', 'outputs']);
    expect(lines.find((l) => l['stage'] === 'metrics' && l['msg'] === 'done')?.['ms']).toEqual(expect.any(Number));
  });
});
