import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../pipeline/commands/export.js';
import { Db } from '../../pipeline/core/db.js';
import { UsageError } from '../../pipeline/core/errors.js';
import type { RawValue as OptionValue } from '../../pipeline/commands/options.js';
import { row } from './catalog.js';
import { insertMetrics } from './fixture.js';
import { runCommand } from '../../pipeline/commands/types.js';

let tmp: string;
let dbFile: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'outcomes-export-cmd-'));
  dbFile = join(tmp, 'run.duckdb');
  const db = await Db.open(dbFile);
  // Real metric ids, since the command takes the catalog from the metric registry.
  await insertMetrics(db, [
    row('admissions', '2024-01', 'H1', 'ALL', 12.0),
    row('admissions', '2024-01', 'H2', 'ALL', 3),
    row('admissions', '2024-01', 'ALL', 'ALL', 15),
    row('readmission_30d', '2024-01', 'H1', 'ALL', 3, 10, 0.3),
  ]);
  await db.run(`CREATE TABLE run_info AS SELECT 'r1' AS run_id, '2025-02-01' AS run_date, '2025-01-31 12:00:00' AS cutoff, 3 AS min_cell, 'da' AS locale`);
  db.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(opts: Record<string, OptionValue>): Promise<string[]> {
  const lines: string[] = [];
  await runCommand(command, { db: dbFile, ...opts }, (l) => lines.push(l));
  return lines;
}

describe('outcomes export', () => {
  it('takes locale, min_cell, run date and cutoff from run_info, and leaves the database file as it was', async () => {
    const before = readFileSync(dbFile);
    const mtime = statSync(dbFile).mtimeMs;
    const out = join(tmp, 'a');
    expect(await run({ out })).toEqual([`wrote 7 files to ${out}`]);
    const all = readFileSync(join(out, 'all-hospitals.csv'), 'utf8').split('\r\n');
    expect(all[0]).toMatch(/^\uFEFFperiode;hospital_id;afdeling_id;/);
    // min_cell 3 from run_info: H2's 3 admissions are shown, H1's rate with 3 of 10 too.
    // locale da from run_info: the metric's Danish title, view and unit.
    expect(all[1]).toBe('2024-01;ALL;ALL;admissions;Indlæggelser;aktivitet;15;;15;;;kontakter;');
    expect(all.filter((l) => l.startsWith('2024-01;H2;ALL;admissions;'))[0]).toMatch(/;3;;3;;;kontakter;$/);
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toContain('2025-02-01');
    expect(readme).toContain('2025-01-31 12:00:00');
    expect(readme).toContain('k = 3');
    expect(readFileSync(dbFile).equals(before)).toBe(true);
    expect(statSync(dbFile).mtimeMs).toBe(mtime);
  });

  it('lets options override run_info', async () => {
    const out = join(tmp, 'b');
    await run({ out, locale: 'en', 'min-cell': '5', hospital: ['H2'], metric: ['admissions'], period: '2024-01:2024-12' });
    const h2 = readFileSync(join(out, 'H2.csv'), 'utf8').split('\r\n');
    expect(h2[0]).toMatch(/^\uFEFFperiod,hospital_id,department_id,/);
    expect(h2[1]).toMatch(/^2024-01,H2,ALL,admissions,.*,activity,,,,,,contacts,primary$/);
    expect(h2).toHaveLength(3);
  });

  it('names what is wrong: unknown metric or hospital, bad options, missing database', async () => {
    const out = join(tmp, 'c');
    await expect(run({ out, metric: ['no_such_metric'] })).rejects.toThrow(/no_such_metric/);
    await expect(run({ out, hospital: ['H9'] })).rejects.toThrow(/H9/);
    await expect(run({ out, locale: 'fr' })).rejects.toThrow(UsageError);
    await expect(run({ out, 'min-cell': '0' })).rejects.toThrow(/min-cell/);
    await expect(run({ out, period: '2024-13' })).rejects.toThrow(/2024-13/);
    await expect(runCommand(command, { db: join(tmp, 'missing.duckdb'), out }, () => undefined)).rejects.toThrow(/does not exist/);
  });
});
