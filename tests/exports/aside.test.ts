import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskError, UsageError, exitCodeOf, isDiskError } from '../../pipeline/core/errors.js';
import { errorFrom, errorMessage } from '../../pipeline/publish/exports/aside.js';
import { generated } from '../nightly/helpers.js';
import { tempDir } from '../tmp.js';
import { workbookContent } from './zip.js';

const CLI = join(process.cwd(), 'dist/pipeline/cli.js');
const outcomes = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });

describe('errors of the thread writing the reports come back as what they were', () => {
  it('a full disk stays a DiskError naming the file (exit 2), a usage error a UsageError, a system error keeps its code', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const disk = errorFrom(errorMessage(new DiskError('/out/exports/H1.csv', full)));
    expect(disk).toBeInstanceOf(DiskError);
    expect((disk as DiskError).path).toBe('/out/exports/H1.csv');
    expect(disk.message).toBe('cannot write /out/exports/H1.csv: ENOSPC: no space left on device, write');
    expect(exitCodeOf(disk)).toBe(2);
    const usage = errorFrom(errorMessage(new UsageError('metrics table has metrics without a catalog entry: x')));
    expect(usage).toBeInstanceOf(UsageError);
    expect(usage.message).toBe('metrics table has metrics without a catalog entry: x');
    const raw = errorFrom(errorMessage(full));
    expect(isDiskError(raw)).toBe(true);
    const bug = errorFrom(errorMessage(new TypeError('x is undefined')));
    expect([bug.name, bug.message, exitCodeOf(bug)]).toEqual(['TypeError', 'x is undefined', 1]);
  });
});

describe('a run writes its reports on a thread of their own', () => {
  it('with the files `outcomes export` writes from the same database', async () => {
    const dir = tempDir('outcomes-aside-');
    const src = await generated(dir, 300, 5);
    const db = join(dir, 'db.duckdb');
    const run = outcomes(['run', '--input', src, '--out', join(dir, 'out'), '--db', db, '--verbose', '--log-format', 'text']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\[outputs\] outputs: .*exports [\d,]+ ms on a thread of their own \(csv/);
    const exp = outcomes(['export', '--db', db, '--out', join(dir, 'export')]);
    expect(exp.status, exp.stderr).toBe(0);
    const files = readdirSync(join(dir, 'export')).filter((f) => !f.startsWith('.'));
    expect(files.filter((f) => f.endsWith('.xlsx')).length).toBeGreaterThan(1);
    expect(readdirSync(join(dir, 'out', 'exports')).filter((f) => !f.startsWith('.'))).toEqual(files);
    for (const f of files) {
      const [ran, exported] = [join(dir, 'out', 'exports', f), join(dir, 'export', f)];
      if (f.endsWith('.xlsx')) expect(workbookContent(ran), f).toEqual(workbookContent(exported));
      else expect(readFileSync(ran, 'utf8'), f).toBe(readFileSync(exported, 'utf8'));
    }
  }, 120_000);
});
