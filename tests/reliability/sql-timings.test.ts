/**
 * OUTCOMES_SQL_TIMINGS (pipeline/core/db.ts): a developer's aid that must never break a run. Set to a
 * file, each statement appends its milliseconds and SQL; set to a path that cannot be written (a
 * folder), the statements run as ever and the timings are off with one warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { tempDir } from '../tmp.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('OUTCOMES_SQL_TIMINGS', () => {
  it('appends one line per statement: milliseconds, a tab, the SQL on one line', async () => {
    const file = join(tempDir(), 'timings.txt');
    vi.stubEnv('OUTCOMES_SQL_TIMINGS', file);
    const db = await Db.open(':memory:');
    try {
      await db.run('CREATE TABLE t AS\n  SELECT 42 AS x');
      expect(await db.scalar('SELECT x FROM t')).toBe(42);
    } finally {
      db.close();
    }
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => l.split('\t')[1])).toEqual(["SET TimeZone = 'UTC'", 'CREATE TABLE t AS SELECT 42 AS x', 'SELECT x FROM t']);
    expect(lines.every((l) => /^\d+\t/.test(l))).toBe(true);
  });

  it('a path that cannot be written leaves the statements running and warns once', async () => {
    const folder = tempDir();
    vi.stubEnv('OUTCOMES_SQL_TIMINGS', folder);
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const db = await Db.open(':memory:');
    try {
      await db.run('CREATE TABLE t AS SELECT 1 AS x');
      expect(await db.scalar('SELECT count(*) FROM t')).toBe(1);
    } finally {
      db.close();
    }
    const warnings = warn.mock.calls.map((c) => String(c[0])).filter((w) => w.startsWith('OUTCOMES_SQL_TIMINGS'));
    expect(warnings).toEqual([`OUTCOMES_SQL_TIMINGS: cannot write ${folder} (EISDIR); statement timings are off\n`]);
  });
});
