import { beforeAll, describe, expect, it } from 'vitest';
import * as vega from 'vega';
import { decodeRows, encodeRows } from '../../dashboards/encode.js';
import { esc, jsonForScript } from '../../dashboards/html.js';
import { CSP, pageData } from '../../dashboards/pages/layout.js';
import { fileFor, fullSpec } from '../../dashboards/site.js';
import { compileSpec } from '../../dashboards/svg.js';
import type { DataRow, Page } from '../../dashboards/types.js';
import { FIXTURE_CATALOG, TINY_CELL, XSS_DEPARTMENT } from './fixture.js';
import { fixtureSite } from './helpers.js';

let pages: Page[];
beforeAll(() => {
  pages = fixtureSite('en');
});
const pageOf = (file: string) => pages.find((p) => p.file === file)!;

describe('the fixture site', () => {
  it('has the overview, funnels, control charts, help, one page per hospital and per metric', () => {
    expect(pages.map((p) => p.file).slice(0, 8)).toEqual([
      'index.html',
      'funnels.html',
      'control.html',
      'help.html',
      'hospital-H1.html',
      'hospital-H2.html',
      'hospital-H3.html',
      'hospital-H4.html',
    ]);
    expect(pages.filter((p) => p.file.startsWith('metric-'))).toHaveLength(FIXTURE_CATALOG.length);
    expect(pages.map((p) => p.charts.length).slice(0, 5)).toEqual([4, 5, 5, 0, 13]);
  });

  it('every spec compiles with Vega-Lite without a warning and has a title and a text description', async () => {
    for (const p of pages) {
      for (const c of p.charts) {
        const { warnings } = await compileSpec(fullSpec(c));
        expect(warnings, `${p.file} ${c.id}`).toEqual([]);
        expect(c.spec['title'], `${p.file} ${c.id}`).toBeTruthy();
        expect(String(c.spec['description']).length, `${p.file} ${c.id}`).toBeGreaterThan(40);
      }
    }
  });

  it('every chart has a table alternative over a dataset of its page, with fields that exist', () => {
    for (const p of pages) {
      const data = pageData(p.charts, 'en');
      for (const c of p.charts) {
        const ds = data.datasets[c.table.dataset];
        expect(ds, `${p.file} ${c.id}`).toBeDefined();
        for (const col of c.table.columns) expect(Object.keys(ds!.cols), `${p.file} ${c.id} ${col.field}`).toContain(col.field);
        for (const f of c.table.filters) expect(Object.keys(ds!.cols)).toContain(f.field);
        expect(p.html).toContain(`id="tablebox-${c.id}"`);
      }
    }
  });

  it('periods are plain YYYY-MM or YYYY strings and time units are UTC', () => {
    for (const p of pages) {
      for (const [name, rows] of Object.entries(pageData(p.charts, 'en').datasets)) {
        for (const r of decodeRows(rows)) if (r['period'] !== undefined) expect(String(r['period']), name).toMatch(/^\d{4}(-\d{2})?$/);
      }
      const json = JSON.stringify(p.charts.map((c) => c.spec));
      expect(json).not.toMatch(/"timeUnit":"(?!utc)/);
    }
  });
});

describe('the overview', () => {
  it('names the hospital whose activity grew while a rate got worse beyond chance, and no other', () => {
    const html = pageOf('index.html').html;
    const items = [...html.matchAll(/<li>(H\d: [^<]*)<\/li>/g)].map((m) => m[1]);
    // H3: admissions and the rest grow ~17%, 30-day mortality rises from 7% to ~10% (fixture.ts).
    // H1's readmissions fall well beyond chance, but its activity moved less than 5%.
    expect(items).toEqual([
      'H3: Bed days +18.9%, DRG production value +18.0%, Hospital stays +17.5%, while 30-day mortality after discharge got worse (+3.0 pp)',
    ]);
  });
});

describe('labels are data', () => {
  it('a department called <img src=x onerror=alert(1)> is escaped in every page', () => {
    for (const p of pages) {
      expect(p.html, p.file).not.toContain('<img');
      expect(p.html, p.file).not.toMatch(/<script(?![^>]*\bsrc="assets\/)(?![^>]*type="application\/json")/);
    }
    const h2 = pageOf('hospital-H2.html').html;
    expect(h2).toContain(`<option value="${esc(XSS_DEPARTMENT)}">&lt;img src=x onerror=alert(1)&gt;</option>`);
    // inside the JSON data block, < and > are \u003c and \u003e
    expect(h2).toContain('\\u003cimg src=x onerror=alert(1)\\u003e');
  });

  it('JSON in a script element cannot close it', () => {
    const s = jsonForScript({ a: '</script><script>alert(1)</script>', b: 'x\u2028y&' });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ a: '</script><script>alert(1)</script>', b: 'x\u2028y&' });
  });

  it('file names of ids are safe and distinct', () => {
    expect(fileFor('hospital', 'H1')).toBe('hospital-H1.html');
    expect(fileFor('hospital', '../x')).toMatch(/^hospital-___x-[0-9a-f]{8}\.html$/);
    expect(fileFor('hospital', 'a/b')).not.toBe(fileFor('hospital', 'a_b'));
  });
});

describe('privacy', () => {
  it('pages hold aggregated numbers only, and the tiny cell is hidden everywhere', () => {
    const h1 = pageOf('hospital-H1.html');
    const data = pageData(h1.charts, 'en');
    const fields = new Set<string>();
    let tinyRows = 0;
    for (const [name, ds] of Object.entries(data.datasets)) {
      for (const r of decodeRows(ds)) {
        Object.keys(r).forEach((k) => fields.add(k));
        if (r['unit'] === TINY_CELL.department && r['period'] === TINY_CELL.period) {
          tinyRows += 1;
          for (const k of ['value', 'numerator', 'denominator', 'p']) if (k in r) expect(r[k], `${name} ${r['metric_id']} ${k}`).toBe(null);
        }
      }
    }
    // LOS median, LOS p90 and DAOH (series) and the four department-level rates (p-charts)
    expect(tinyRows).toBe(7);
    expect([...fields].filter((f) => /patient|admission_id|treatment_id|birth|death|sex/.test(f))).toEqual([]);
  });

  it('a hidden cell draws no mark: the p-chart of H1 / CARD has no point for 2024-03 but has 2024-02', async () => {
    const chart = pageOf('hospital-H1.html').charts.find((c) => c.id === 'pchart-readmission_30d')!;
    const spec = fullSpec(chart) as { params: { name: string; value: string }[] };
    spec.params = spec.params.map((p) => (p.name === 'department' ? { ...p, value: TINY_CELL.department } : p));
    const view = new vega.View(vega.parse((await compileSpec(spec)).vega), { renderer: 'none' });
    await view.runAsync();
    const periods: string[] = [];
    const walk = (node: { marktype?: string; items?: unknown[]; datum?: Record<string, unknown> }) => {
      if (node.marktype === 'symbol') {
        for (const it of (node.items ?? []) as { datum: DataRow }[]) {
          // Vega-Lite has parsed the YYYY-MM period into a UTC timestamp.
          const t = it.datum['period'];
          if (typeof t === 'number') periods.push(new Date(t).toISOString().slice(0, 7));
        }
      }
      for (const child of (node.items ?? []) as object[]) walk(child as never);
    };
    walk((view.scenegraph() as unknown as { root: never }).root);
    view.finalize();
    expect(periods).toContain('2024-02');
    expect(periods).not.toContain('2024-03');
    expect(periods.length).toBe(23);
  });

  it('the CSP allows no eval, no inline script and no network', () => {
    expect(CSP).not.toContain('unsafe');
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain("connect-src 'none'");
    for (const p of pages) expect(p.html).toContain('http-equiv="Content-Security-Policy"');
  });
});

describe('column encoding', () => {
  it('round-trips rows, with text as a dictionary', () => {
    const rows: DataRow[] = [
      { unit: 'H1', value: 0.5, flag: true },
      { unit: 'H2', value: null },
      { unit: 'H1', value: 2, extra: 'x' },
    ];
    const enc = encodeRows(rows);
    expect(enc.cols['unit']).toEqual({ d: ['H1', 'H2'], k: [0, 1, 0] });
    expect(decodeRows(enc)).toEqual([
      { unit: 'H1', value: 0.5, flag: true, extra: null },
      { unit: 'H2', value: null, flag: null, extra: null },
      { unit: 'H1', value: 2, flag: null, extra: 'x' },
    ]);
  });
});
