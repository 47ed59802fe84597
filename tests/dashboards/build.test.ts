import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDashboards } from '../../dashboards/build.js';
import { readAllMetricRows, writeRunInfo } from '../../metrics/read.js';
import { LIBRARY_SCRIPTS } from '../../dashboards/pages/layout.js';
import { command } from '../../pipeline/commands/dashboards.js';
import { Db } from '../../pipeline/core/db.js';
import { UsageError } from '../../pipeline/core/errors.js';
import { writeMarker } from '../../pipeline/core/marker.js';
import { loadMetricRows } from './db.js';
import { FIXTURE_CATALOG, FIXTURE_RUN, fixtureRows } from './fixture.js';
import { runCommand } from '../../pipeline/commands/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dashboards-build-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeDashboards', () => {
  it('reads the metrics table, writes pages, the libraries and one SVG per chart, and reports the size', async () => {
    const db = await Db.open(':memory:');
    try {
      await loadMetricRows(db, fixtureRows());
      const out = join(dir, 'dashboards');
      const r = await writeDashboards(await readAllMetricRows(db), out, { catalog: FIXTURE_CATALOG, minCell: 5, locale: 'en', ...FIXTURE_RUN });
      expect(r.files).toContain('index.html');
      expect(r.files).toContain('help.html');
      for (const s of [...LIBRARY_SCRIPTS, 'dashboard.js', 'dashboard.css']) expect(r.files).toContain(`assets/${s}`);
      // 4 + 5 + 5 charts, 13 per hospital page, 1 per metric page (20 metrics today: the count follows the registry)
      expect(FIXTURE_CATALOG.length).toBeGreaterThanOrEqual(20);
      expect(r.files.filter((f) => f.startsWith('svg/'))).toHaveLength(14 + 4 * 13 + FIXTURE_CATALOG.length);
      expect(r.bytes).toBeGreaterThan(1_000_000);
      const svg = readFileSync(join(out, 'svg', 'hospital-H2--change.svg'), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('<title>');
      expect(svg).toContain('&lt;img src=x onerror=');
      for (const f of r.files.filter((f) => f.startsWith('svg/'))) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain('<img');
      // The page links only to files that exist beside it.
      const html = readFileSync(join(out, 'hospital-H1.html'), 'utf8');
      for (const m of html.matchAll(/(?:href|src)="([^"#]+)"/g)) {
        if (m[1]!.startsWith('../')) continue;
        expect(existsSync(join(out, m[1]!)), m[1]).toBe(true);
      }
    } finally {
      db.close();
    }
  }, 120_000);

  it('fails clearly without a metrics table', async () => {
    const db = await Db.open(':memory:');
    try {
      await expect(readAllMetricRows(db)).rejects.toThrow(/no metrics table/);
    } finally {
      db.close();
    }
  });
});

describe('outcomes dashboards', () => {
  it('rebuilds the folder from a database file, with the run date, cutoff and locale of run_info', async () => {
    const file = join(dir, 'run.duckdb');
    const db = await Db.open(file);
    await loadMetricRows(db, fixtureRows({ hospitals: 2, departments: 2, months: 24 }));
    await writeRunInfo(db, { runId: 'test', startedAt: new Date(`${FIXTURE_RUN.runDate}T08:00:00Z`), cutoff: FIXTURE_RUN.cutoff, minCell: 5, locale: 'da', timezone: 'UTC' });
    db.close();
    // A dashboards folder an earlier build wrote (it carries our marker).
    const out = join(dir, 'cli-out');
    mkdirSync(out);
    writeMarker(out, '20250101T000000Z-0001', 'dashboards');
    writeFileSync(join(out, 'index.html'), 'old');
    writeFileSync(join(out, 'stale.html'), 'old');
    const lines: string[] = [];
    await runCommand(command, { db: file, out }, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/wrote \d+ files/);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('lang="da"');
    // the run date of run_info, written the Danish way
    expect(index).toContain('Dannet 1. februar 2025.');
    expect(existsSync(join(out, 'stale.html'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('cli-out.'))).toEqual([]);
  }, 120_000);

  it('refuses a missing database, a bad locale and an --out folder that is not a dashboards folder', async () => {
    await expect(runCommand(command, { db: join(dir, 'missing.duckdb'), out: join(dir, 'x') }, () => {})).rejects.toThrow(UsageError);
    await expect(runCommand(command, { db: join(dir, 'run.duckdb'), out: join(dir, 'x'), locale: 'fr' }, () => {})).rejects.toThrow(/--locale/);
    const work = join(dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'notes.txt'), 'mine');
    await expect(runCommand(command, { db: join(dir, 'run.duckdb'), out: work }, () => {})).rejects.toThrow(/holds files that outcomes did not write/);
    expect(readFileSync(join(work, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'missing.duckdb'))).toBe(false);
  });
});
