/**
 * Stale results and mixed inputs: a changed build is never served old metrics; a
 * database holds one input folder; the data team's CSV files are safe to open in
 * a spreadsheet (docs/operations.md, "What outcomes refuses, and why").
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Db, literal } from '../../pipeline/core/db.js';
import { FORMULA_START, defuse, defuseSql } from '../../pipeline/publish/defuse.js';
import { defuse as exportsDefuse } from '../../pipeline/publish/exports/csv.js';
import { dependencyFiles } from '../../pipeline/compose/fingerprint.js';
import { projectRoot } from '../../pipeline/core/paths.js';
import { goodInput, writeFiles } from '../load/helpers.js';
import { tempDir } from '../tmp.js';
import { outcomes } from './helpers.js';

describe('the quiet-night fingerprint covers the code that builds the tables', () => {
  it('is taken over every module the run loads (found from its imports) and every SQL file', () => {
    const root = projectRoot();
    const files = dependencyFiles().map((f) => relative(root, f).replace(/\.[jt]s$/, ''));
    // SQL built in TypeScript: aggregation, validation, loading, stays, adapters.
    for (const m of ['metrics/aggregate', 'metrics/compute', 'pipeline/ingest/load/validate', 'pipeline/ingest/load/native', 'pipeline/ingest/stays', 'pipeline/ingest/params', 'pipeline/ingest/adapters/fhir']) {
      expect(files, m).toContain(m);
    }
    for (const sql of ['pipeline/ingest/stays.sql', 'metrics/outcome/readmission_30d.sql', 'pipeline/ingest/adapters/fhir.codes.json']) {
      expect(files.map((f) => f), sql).toContain(sql.replace(/\.[jt]s$/, ''));
    }
  });

  it('a changed compiled module makes the next run recompute instead of reusing the old metrics', () => {
    // A copy of the built project, so that its compiled code can be changed.
    const root = tempDir('outcomes-build-copy-');
    const src = projectRoot();
    for (const p of ['package.json', 'metrics', 'pipeline', 'dashboards', 'docs']) cpSync(join(src, p), join(root, p), { recursive: true });
    for (const p of ['pipeline', 'metrics', 'dashboards', 'fixtures']) cpSync(join(src, 'dist', p), join(root, 'dist', p), { recursive: true });
    symlinkSync(join(src, 'node_modules'), join(root, 'node_modules'));
    const input = writeFiles(join(root, 'in'), goodInput(20));
    const run = () =>
      spawnSync(process.execPath, [join(root, 'dist/pipeline/cli.js'), 'run', '--input', input, '--out', join(root, 'out'), '--db', join(root, 'db.duckdb'), '--log-format', 'text'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
    expect(run().status).toBe(0);
    const quiet = run();
    expect([quiet.status, quiet.stderr]).toEqual([0, expect.stringContaining('nothing changed since run')]);
    // The aggregation into grains is SQL built in TypeScript: no .sql file changes.
    appendFileSync(join(root, 'dist/metrics/aggregate.js'), '\n// a new build\n');
    const rebuilt = run();
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stderr).not.toContain('nothing changed since run');
  }, 180_000);
});

describe('the database remembers its input folder', () => {
  it('another --input on the same database: exit 2 with the folder it holds; --reset starts over', () => {
    const dir = tempDir('outcomes-mixed-');
    const first = writeFiles(join(dir, 'first'), goodInput(20));
    const second = writeFiles(join(dir, 'second'), goodInput(30));
    const db = join(dir, 'outcomes.duckdb');
    const out = join(dir, 'out');
    expect(outcomes(['run', '--input', first, '--out', out, '--db', db]).code).toBe(0);
    const mixed = outcomes(['run', '--input', second, '--out', out, '--db', db]);
    expect(mixed.code).toBe(2);
    expect(mixed.last).toContain(`this database holds ${first}; use another --db, or --reset to start over`);
    const metricsBefore = readFileSync(join(out, 'metrics.csv'), 'utf8');
    expect(metricsBefore).toContain('admissions,activity,2024,ALL,ALL,20,');
    const reset = outcomes(['run', '--input', second, '--out', out, '--db', db, '--reset']);
    expect(reset.code).toBe(0);
    // Only the second folder's rows: 30 admissions, not 20 + 30 (or 30 corrected over 20).
    expect(reset.stdout).toContain('admissions: 30 rows loaded');
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8')).toContain('admissions,activity,2024,ALL,ALL,30,');
    expect(outcomes(['run', '--input', first, '--out', out, '--db', db]).last).toContain(`this database holds ${second}`);
  }, 180_000);

  it('--reset is documented in the help and the README', () => {
    expect(outcomes(['run', '--help']).stdout).toMatch(/--reset\s+empty the database/);
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    // The usage block of `outcomes run` (up to the next command) lists the flag.
    expect(readme.split('outcomes run ')[1]?.split('outcomes check')[0]).toContain('[--reset]');
  });
});

describe('metrics.csv and exclusions.csv defuse what a spreadsheet would run', () => {
  it('one rule: the SQL defusing equals the JavaScript one used by the exports, for any text', async () => {
    expect(exportsDefuse).toBe(defuse);
    const db = await Db.open(':memory:');
    try {
      const text = fc.oneof(fc.string(), fc.tuple(fc.constantFrom(...FORMULA_START), fc.string()).map(([a, b]) => a + b));
      await fc.assert(
        fc.asyncProperty(text, async (t) => {
          expect(await db.scalar(`SELECT ${defuseSql(literal(t))}`)).toBe(defuse(t));
        }),
        { numRuns: 300 },
      );
      expect(await db.scalar(`SELECT ${defuseSql('NULL::VARCHAR')}`)).toBe(null);
    } finally {
      db.close();
    }
  });

  it('a hospital or department id that starts like a formula is defused in both files; metrics.parquet keeps the raw id', async () => {
    const dir = tempDir('outcomes-defuse-');
    const adm: string[] = [];
    for (let i = 0; i < 12; i++) {
      const d = String(1 + i).padStart(2, '0');
      adm.push(`f${i},p${i},"=HYPERLINK(""http://x"")",@SUM,2024-01-${d} 08:00,2024-01-${d} 18:00,acute,home`);
    }
    // Admitted after the cutoff: an exclusion counted under the hospital id.
    adm.push(`late,p99,"=HYPERLINK(""http://x"")",-MED,2024-03-01 08:00,2024-03-02 08:00,acute,home`);
    const input = writeFiles(join(dir, 'in'), {
      ...goodInput(20),
      'admissions.csv': goodInput(20)['admissions.csv'] + adm.join('\n') + '\n',
    });
    writeFiles(dir, { 'config.json': '{"cutoff": "2024-02-28"}' });
    const r = outcomes(['run', '--input', input, '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb'), '--config', join(dir, 'config.json')]);
    expect([r.code, r.last]).toEqual([0, expect.any(String)]);
    const metrics = readFileSync(join(dir, 'out', 'metrics.csv'), 'utf8');
    expect(metrics).toContain(`admissions,activity,2024-01,"'=HYPERLINK(""http://x"")",'@SUM,12,`);
    expect(metrics).not.toMatch(/,"=HYPERLINK|,@SUM/);
    const exclusions = readFileSync(join(dir, 'out', 'exclusions.csv'), 'utf8');
    expect(exclusions).toContain(`admissions,2024-03,"'=HYPERLINK(""http://x"")",after_cutoff,1`);
    expect(exclusions).not.toMatch(/,"=HYPERLINK/);
    const db = await Db.open(':memory:');
    try {
      const ids = await db.all<{ h: string }>(`SELECT DISTINCT hospital_id AS h FROM read_parquet(${literal(join(dir, 'out', 'metrics.parquet'))}) ORDER BY h`);
      expect(ids.map((x) => x.h)).toEqual(['=HYPERLINK("http://x")', 'ALL', 'H1']);
    } finally {
      db.close();
    }
  });
});

