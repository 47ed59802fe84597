import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDashboards } from '../../dashboards/build.js';
import { COMPILE_INDEX } from '../../dashboards/compile-cache.js';
import { readRows, RENDER_INDEX, renderKey, type KeyMemo } from '../../dashboards/render-cache.js';
import type { MetricRow } from '../../metrics/types.js';
import { tempDir } from '../tmp.js';
import { FIXTURE_CATALOG, FIXTURE_RUN, fixtureRows } from './fixture.js';
import { buildSite } from '../../dashboards/site.js';
import { CompiledShapes } from '../../dashboards/compile-cache.js';
import { defaultName, paramDefaults } from '../../dashboards/names.js';
import { renderRuntime } from '../../dashboards/svg.js';
import { suppress } from '../../metrics/suppress.js';

const OPTS = { catalog: FIXTURE_CATALOG, minCell: 5, locale: 'en' as const, ...FIXTURE_RUN };
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const images = (dir: string) => Object.fromEntries(readdirSync(join(dir, 'svg')).sort().map((f) => [f, readFileSync(join(dir, 'svg', f), 'utf8')]));
const build = async (out: string, rows: MetricRow[], previous?: string) => {
  await writeDashboards(rows, out, { ...OPTS, ...(previous ? { previous } : {}) });
  return images(out);
};

describe('the dashboards reuse the images of the previous build where their chart did not change', () => {
  const rows = fixtureRows({ hospitals: 2, departments: 2, months: 14 });
  let dir: string;
  let fresh: Record<string, string>;
  beforeAll(async () => {
    dir = tempDir('outcomes-render-cache-');
    fresh = await build(join(dir, 'fresh'), rows);
  }, 120_000);

  it('a second build from the first gives the same bytes, image for image', async () => {
    expect(Object.keys(fresh).length).toBeGreaterThan(30);
    expect(await build(join(dir, 'second'), rows, join(dir, 'fresh'))).toEqual(fresh);
    expect(readFileSync(join(dir, 'second', RENDER_INDEX), 'utf8')).toBe(readFileSync(join(dir, 'fresh', RENDER_INDEX), 'utf8'));
    // Nothing was rendered, yet the chart shapes are listed as a build from nothing lists them.
    expect(readFileSync(join(dir, 'second', COMPILE_INDEX), 'utf8')).toBe(readFileSync(join(dir, 'fresh', COMPILE_INDEX), 'utf8'));
  }, 120_000);

  it('takes an image from the previous folder when its key and its SHA-256 match, and renders it when not', async () => {
    const prev = join(dir, 'prev');
    await build(prev, rows);
    const index = JSON.parse(readFileSync(join(prev, RENDER_INDEX), 'utf8')) as { images: Record<string, { key: string; sha256: string }> };
    // An image whose bytes and recorded SHA-256 agree is taken as it is (this is how reuse shows itself) …
    const [reused, tampered] = Object.keys(index.images).filter((f) => f.startsWith('svg/index--')).slice(0, 2) as [string, string];
    writeFileSync(join(prev, reused), '<svg>kept</svg>');
    index.images[reused]!.sha256 = sha('<svg>kept</svg>');
    writeFileSync(join(prev, RENDER_INDEX), JSON.stringify(index));
    // … one changed after the index was written is rendered anew.
    writeFileSync(join(prev, tampered), '<svg>changed by hand</svg>');
    const next = await build(join(dir, 'next'), rows, prev);
    expect(next[reused.slice(4)]).toBe('<svg>kept</svg>');
    expect(next[tampered.slice(4)]).toBe(fresh[tampered.slice(4)]);
  }, 120_000);

  it('a chart whose data changed is rendered anew; an index that does not parse is ignored', async () => {
    const changed = rows.map((r) => (r.metric_id === 'admissions' && r.hospital_id === 'H1' && r.period === '2024-02' ? { ...r, numerator: 1e6, value: 1e6 } : r));
    const expected = await build(join(dir, 'changed-fresh'), changed);
    expect(expected).not.toEqual(fresh);
    expect(await build(join(dir, 'changed'), changed, join(dir, 'fresh'))).toEqual(expected);
    writeFileSync(join(dir, 'fresh', RENDER_INDEX), '{"renderer": 1');
    expect(await build(join(dir, 'broken-index'), rows, join(dir, 'fresh'))).toEqual(fresh);
  }, 240_000);
});

describe('renderKey', () => {
  it('tells charts apart by spec, data, dataset names, locale and name, hashing a shared dataset once per build', () => {
    const spec = { mark: 'line', data: { name: 'series' } };
    const rows = [{ period: '2024-01', value: 1 }];
    const memo: KeyMemo = new WeakMap();
    const key = renderKey(spec, { series: rows }, 'en', 'n', memo);
    // The same rows in another array give the same key; a changed row, another name, locale or spec another.
    expect(renderKey(spec, { series: rows.map((r) => ({ ...r })) }, 'en', 'n', memo)).toBe(key);
    expect(renderKey(spec, { series: [{ period: '2024-01', value: 2 }] }, 'en', 'n', memo)).not.toBe(key);
    expect(renderKey(spec, { other: rows }, 'en', 'n', memo)).not.toBe(key);
    expect(renderKey(spec, { series: rows }, 'da', 'n', memo)).not.toBe(key);
    expect(renderKey(spec, { series: rows }, 'en', 'm', memo)).not.toBe(key);
    expect(renderKey({ ...spec, mark: 'bar' }, { series: rows }, 'en', 'n', memo)).not.toBe(key);
    expect(renderKey(spec, { series: rows, more: [] }, 'en', 'n', memo)).not.toBe(key);
    // Without a memo, the same key.
    expect(renderKey(spec, { series: rows }, 'en', 'n')).toBe(key);
  });

  it('with keyMetrics, reads only those metrics\' rows (and rows without a metric_id) of each dataset', () => {
    const spec = { mark: 'line', data: { name: 'series' } };
    const a = { metric_id: 'a', period: '2024-01', value: 1 };
    const b = { metric_id: 'b', period: '2024-01', value: 5 };
    const other = { period: '2024-01', label: 'x' };
    const memo: KeyMemo = new WeakMap();
    const rows = [a, b, other];
    const key = renderKey(spec, { series: rows }, 'en', 'n', memo, ['a']);
    // Another metric's rows changed, added or gone: the same key.
    expect(renderKey(spec, { series: [a, { ...b, value: 6 }, other] }, 'en', 'n', memo, ['a'])).toBe(key);
    expect(renderKey(spec, { series: [a, other] }, 'en', 'n', memo, ['a'])).toBe(key);
    // Its own row, or a row without a metric_id, changed: another key.
    expect(renderKey(spec, { series: [{ ...a, value: 2 }, b, other] }, 'en', 'n', memo, ['a'])).not.toBe(key);
    expect(renderKey(spec, { series: [a, b, { ...other, label: 'y' }] }, 'en', 'n', memo, ['a'])).not.toBe(key);
    // The same array read for other metrics, or whole, is another key (the memo keeps them apart).
    expect(renderKey(spec, { series: rows }, 'en', 'n', memo)).not.toBe(key);
    expect(renderKey(spec, { series: rows }, 'en', 'n', memo, ['b'])).toBe(renderKey(spec, { series: [b, other] }, 'en', 'n', new WeakMap(), ['b']));
    expect(renderKey(spec, { series: rows }, 'en', 'n', memo, ['b'])).not.toBe(key);
    expect(renderKey(spec, { series: rows }, 'en', 'n', memo, ['a', 'a'])).toBe(key);
    expect(readRows(rows, new Set(['b']))).toEqual([b, other]);
  });
});

describe('a chart with keyMetrics draws only those metrics\' rows', () => {
  it('each such chart of a fixture build is the same image drawn from only the rows its key reads as from all of them', async () => {
    const rows = fixtureRows({ hospitals: 3, departments: 2, months: 14 });
    const pages = buildSite(suppress(rows, FIXTURE_CATALOG, 5), { catalog: FIXTURE_CATALOG, locale: 'en', minCell: 5, ...FIXTURE_RUN, docsBase: 'docs/' });
    const shapes = new CompiledShapes(undefined);
    let checked = 0;
    const kinds = new Set<string>();
    for (const p of pages) {
      for (const c of p.charts) {
        if (!c.keyMetrics) continue;
        const metrics = new Set(c.keyMetrics);
        const only = Object.fromEntries(Object.entries(c.datasets).map(([n, r]) => [n, readRows(r, metrics)]));
        // The test means something only where the chart's datasets hold other metrics' rows.
        if (Object.entries(c.datasets).some(([n, r]) => r.length > only[n]!.length)) kinds.add(c.id.replace(/-.*/, ''));
        const name = defaultName(c.name, paramDefaults(c.spec));
        const whole = await renderRuntime(await shapes.runtime(c.spec, c.datasets), c.spec, 'en', name);
        const part = await renderRuntime(await shapes.runtime(c.spec, only), c.spec, 'en', name);
        expect(part, `${p.file} ${c.id}`).toBe(whole);
        checked += 1;
      }
    }
    // p-charts, funnels and the hospital pages' series, each drawn from datasets shared with other metrics.
    expect([...kinds].sort()).toEqual(['daoh', 'funnel', 'los', 'pchart', 'trips']);
    expect(checked).toBeGreaterThan(40);
  }, 240_000);
});
