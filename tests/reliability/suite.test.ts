/**
 * Tests that cannot hide a failure: the privacy default is pinned, no test skips
 * on the failure it exists to catch, golden files are never rewritten on CI, the
 * stay boundary has a hand-made case, temporary folders go, and the tests never
 * run a stale build (docs/operations.md, "What outcomes refuses, and why" → "Tests").
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAY_BOUNDARY_ADMISSIONS, STAY_BOUNDARY_EXPECTED } from '../../fixtures/stay-boundary.js';
import { prepare } from '../../fixtures/rows.js';
import { command as dashboardsCommand } from '../../pipeline/commands/dashboards.js';
import { command as exportCommand } from '../../pipeline/commands/export.js';
import { DEFAULT_MIN_CELL, parseConfig } from '../../pipeline/core/config.js';
import { Db } from '../../pipeline/core/db.js';
import { projectRoot } from '../../pipeline/core/paths.js';
import { loadMetricRows } from '../dashboards/db.js';
import { fixtureRows } from '../dashboards/fixture.js';
import { row } from '../exports/catalog.js';
import { insertMetrics } from '../exports/fixture.js';
import { mayRewriteGolden } from '../golden-rule.js';
import { SOURCE_FOLDERS, staleSources } from '../setup/build.js';
import { pendingTempDirs, removeTempDirs, tempDir } from '../tmp.js';
import { tempDir as loadTempDir } from '../load/helpers.js';
import { tempDir as adapterTempDir } from '../adapters/helpers.js';
import { runCommand } from '../../pipeline/commands/types.js';

const root = projectRoot();
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');

describe('min_cell: the default 5 and every fallback, from one source', () => {
  it('the config default is 5', () => {
    expect(DEFAULT_MIN_CELL).toBe(5);
    expect(parseConfig({}).min_cell).toBe(5);
  });

  it('no other file spells the default: export, dashboards and the options take it from config.ts', () => {
    for (const f of ['pipeline/commands/export.ts', 'pipeline/commands/dashboards.ts', 'pipeline/commands/published-options.ts']) {
      expect(read(f), f).not.toMatch(/\?\?\s*\d+\b|else \d+\)/);
    }
    expect(read('pipeline/core/config.ts')).toMatch(/min_cell: z\.number\(\)\.int\(\)\.min\(1\)\.default\(DEFAULT_MIN_CELL\)/);
  });

  it('outcomes export on a database without min_cell hides a count of 4 and shows a count of 5', async () => {
    const dir = tempDir('outcomes-mincell-');
    const file = join(dir, 'run.duckdb');
    const db = await Db.open(file);
    await insertMetrics(db, [
      row('admissions', '2024-01', 'H1', 'ALL', 4),
      row('admissions', '2024-01', 'ALL', 'ALL', 4),
      row('admissions', '2024-02', 'H1', 'ALL', 5),
      row('admissions', '2024-02', 'ALL', 'ALL', 5),
    ]);
    db.close();
    await runCommand(exportCommand, { db: file, out: join(dir, 'rep') }, () => {});
    const cells = readFileSync(join(dir, 'rep', 'all-hospitals.csv'), 'utf8')
      .split('\r\n')
      .filter((l) => /^2024-0[12],H1,ALL,admissions,/.test(l))
      .map((l) => l.split(','))
      // period, numerator, suppressed
      .map((c) => [c[0], c[6], c[c.length - 1]]);
    expect(cells).toEqual([
      ['2024-01', '', 'primary'],
      ['2024-02', '5', ''],
    ]);
    expect(readFileSync(join(dir, 'rep', 'README.txt'), 'utf8')).toContain('k = 5 (min_cell)');
  });

  it('outcomes dashboards on a database without min_cell hides counts from 1 to 4', async () => {
    const dir = tempDir('outcomes-mincell-');
    const file = join(dir, 'run.duckdb');
    const db = await Db.open(file);
    await loadMetricRows(db, fixtureRows({ hospitals: 1, departments: 1, months: 2 }));
    db.close();
    await runCommand(dashboardsCommand, { db: file, out: join(dir, 'dash') }, () => {});
    expect(readFileSync(join(dir, 'dash', 'index.html'), 'utf8')).toContain('a count from 1 to 4 is not shown');
  }, 120_000);

  it('the help of both commands states the default', () => {
    expect(exportCommand.options['min-cell']!.help).toContain('else 5');
    expect(dashboardsCommand.options['min-cell']!.help).toContain('else 5');
  });
});

describe('no test hides the failure it exists to catch', () => {
  it('tests/adapters/cli.test.ts never skips', () => {
    expect(read('tests/adapters/cli.test.ts')).not.toMatch(/\bskip\b/);
  });

  it('no test skips itself at run time', () => {
    const files = readdirSync(join(root, 'tests'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts'));
    const runtimeSkips = files.filter((f) => /\b(ctx|context|t)\.skip\(/.test(read(join('tests', f))));
    expect(runtimeSkips).toEqual([]);
  });
});

describe('golden files: one rule, never rewritten on CI', () => {
  it('rewrites only with UPDATE_GOLDEN=1 and no CI variable at all', () => {
    expect(mayRewriteGolden({ UPDATE_GOLDEN: '1' })).toBe(true);
    for (const CI of ['true', '1', 'false', '', 'yes']) expect(mayRewriteGolden({ UPDATE_GOLDEN: '1', CI }), `CI=${CI}`).toBe(false);
    expect(mayRewriteGolden({})).toBe(false);
    expect(mayRewriteGolden({ UPDATE_GOLDEN: 'true' })).toBe(false);
  });

  it('both golden tests use that rule and read no environment of their own', () => {
    for (const f of ['tests/exports/golden.test.ts', 'tests/dashboards/golden.test.ts']) {
      const text = read(f);
      expect(text, f).toContain('const UPDATE = mayRewriteGolden();');
      expect(text, f).not.toMatch(/process\.env/);
    }
  });
});

describe('the stay boundary, by hand', () => {
  it('a contact 4 h 00 min after discharge continues the stay; 4 h 01 min starts a new one', async () => {
    const db = await Db.open(':memory:');
    try {
      await prepare(db, { admissions: STAY_BOUNDARY_ADMISSIONS, treatments: [] });
      const stays = await db.all<{ patient_id: string; stay_id: string; n_contacts: number }>(
        'SELECT patient_id, stay_id, n_contacts FROM stays ORDER BY patient_id, admit_ts',
      );
      const got: Record<string, [string, number][]> = {};
      for (const s of stays) (got[s.patient_id] ??= []).push([s.stay_id, Number(s.n_contacts)]);
      expect(got).toEqual(STAY_BOUNDARY_EXPECTED);
      expect(got).toEqual({ gap_4h00: [['gap_4h00_first', 2]], gap_4h01: [['gap_4h01_first', 1], ['gap_4h01_second', 1]] });
    } finally {
      db.close();
    }
  });
});

describe('temporary folders are removed after each test file', () => {
  it('every temp-folder helper registers its folders for removal', () => {
    const made = [tempDir(), loadTempDir(), adapterTempDir('x')];
    for (const d of made) expect(pendingTempDirs()).toContain(d);
    removeTempDirs();
    for (const d of made) expect(existsSync(d)).toBe(false);
  });

  it('the clean-up runs after every test file, and no test makes a temp folder it never removes', () => {
    expect(read('vitest.config.ts')).toContain("setupFiles: ['tests/setup/cleanup.ts']");
    expect(read('tests/setup/cleanup.ts')).toContain('afterAll(() => removeTempDirs())');
    const files = readdirSync(join(root, 'tests'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'tmp.ts');
    const unremoved = files.filter((f) => {
      const text = read(join('tests', f));
      return /mkdtempSync\(/.test(text) && !/rmSync\(/.test(text);
    });
    expect(unremoved).toEqual([]);
  });
});

describe('the tests never run a stale build', () => {
  it('a source newer than its compiled copy, or one never compiled, is found', () => {
    const dir = tempDir('outcomes-stale-');
    mkdirSync(join(dir, 'pipeline'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'pipeline'), { recursive: true });
    writeFileSync(join(dir, 'pipeline', 'a.ts'), 'export const a = 1;');
    writeFileSync(join(dir, 'dist', 'pipeline', 'a.js'), 'export const a = 1;');
    writeFileSync(join(dir, 'pipeline', 'b.ts'), 'export const b = 1;');
    utimesSync(join(dir, 'pipeline', 'a.ts'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    utimesSync(join(dir, 'dist', 'pipeline', 'a.js'), new Date('2026-01-02T00:00:00Z'), new Date('2026-01-02T00:00:00Z'));
    expect(staleSources(dir)).toEqual(['pipeline/b.ts']);
    utimesSync(join(dir, 'pipeline', 'a.ts'), new Date('2026-01-03T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    expect(staleSources(dir)).toEqual(['pipeline/a.ts', 'pipeline/b.ts']);
  });

  it('the suite builds before any test when dist/ is stale, and dist/ is fresh now', () => {
    expect(read('vitest.config.ts')).toContain("globalSetup: ['tests/setup/build.ts']");
    expect(SOURCE_FOLDERS).toEqual(['pipeline', 'metrics', 'dashboards', 'fixtures']);
    expect(staleSources(root)).toEqual([]);
  });
});
