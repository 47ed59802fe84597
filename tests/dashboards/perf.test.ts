/**
 * A large region's size, the one docs/dashboards.md#measured-size-and-speed reports:
 * 20 hospitals × 15 departments × 36 months. Builds the
 * whole folder (pages, libraries, SVG images), measures it, and opens every page in
 * Chromium from disk, timing it until every chart is drawn. Heavy (about a minute),
 * so it runs only with DASHBOARD_PERF=1; results go to tests/artifacts/dashboards-perf.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeSite } from '../../dashboards/build.js';
import { browserTestMode, launch, visit } from './browser.js';
import { fixtureSite } from './helpers.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
const run = process.env['DASHBOARD_PERF'] === '1' && browserTestMode() === 'run';

describe('dashboards at 20 hospitals × 15 departments × 36 months', () => {
  it.skipIf(!run)('every page loads in under 2 s and the folder stays small (DASHBOARD_PERF=1 to run)', async () => {
    const dir = join(ARTIFACTS, 'dashboards-large');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let t0 = performance.now();
    const pages = fixtureSite('en', { hospitals: 20, departments: 15, months: 36 });
    const buildMs = performance.now() - t0;
    t0 = performance.now();
    const { files, bytes } = await writeSite(pages, dir, { locale: 'en' });
    const writeMs = performance.now() - t0;
    const sum = (pred: (f: string) => boolean) => files.filter(pred).length;
    const browser = await launch();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const loads: Record<string, number> = {};
    try {
      for (const p of pages) {
        const v = await visit(ctx, pathToFileURL(join(dir, p.file)).href);
        expect(v.problems, p.file).toEqual([]);
        expect(v.rendered, p.file).toBe(p.charts.length);
        loads[p.file] = v.ms;
        await v.page.close();
      }
    } finally {
      await browser.close();
    }
    const ms = Object.values(loads).sort((a, b) => a - b);
    const report = {
      pages: pages.length,
      charts: pages.reduce((s, p) => s + p.charts.length, 0),
      files: files.length,
      svgFiles: sum((f) => f.startsWith('svg/')),
      bytes,
      buildMs: Math.round(buildMs),
      writeMs: Math.round(writeMs),
      loadMs: { median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] },
      loads,
    };
    writeFileSync(join(ARTIFACTS, 'dashboards-perf.json'), JSON.stringify(report, null, 2) + '\n');
    console.log(JSON.stringify({ ...report, loads: undefined }));
    for (const [file, t] of Object.entries(loads)) expect(t, file).toBeLessThan(2000);
    expect(bytes).toBeLessThan(25_000_000);
  }, 600_000);
});
