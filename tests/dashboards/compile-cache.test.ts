import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILE_INDEX, CompiledShapes } from '../../dashboards/compile-cache.js';
import { fullSpec } from '../../dashboards/site.js';
import { renderRuntime, renderSvg } from '../../dashboards/svg.js';
import type { Locale, Page } from '../../dashboards/types.js';
import { tempDir } from '../tmp.js';
import { fixtureRows } from './fixture.js';
import { fixtureSite } from './helpers.js';

const SIZE = { hospitals: 2, departments: 2, months: 14 };
const charts = (pages: Page[]) => pages.flatMap((p) => p.charts.map((c) => ({ page: p.file, chart: c })));

/** Every chart of a site rendered through `shapes`, and compiled whole, by page and chart. */
async function bothWays(pages: Page[], shapes: CompiledShapes, locale: Locale): Promise<{ cached: string[]; whole: string[] }> {
  const cached: string[] = [];
  const whole: string[] = [];
  for (const { chart } of charts(pages)) {
    cached.push(await renderRuntime(await shapes.runtime(chart.spec, chart.datasets), chart.spec, locale));
    whole.push(await renderSvg(fullSpec(chart), locale));
  }
  return { cached, whole };
}

describe('charts are compiled and parsed once per shape, and their data put back in', () => {
  it.each(['en', 'da'] as const)('every chart of the fixture site gives the same SVG bytes as compiling its whole spec (%s)', async (locale) => {
    const pages = fixtureSite(locale, SIZE);
    const shapes = new CompiledShapes();
    const { cached, whole } = await bothWays(pages, shapes, locale);
    expect(cached).toEqual(whole);
    // Hospital pages repeat their charts' shapes: fewer compilations than charts, and all kept.
    expect(shapes.compiled).toBeLessThan(cached.length);
    expect(shapes.compiled).toBeGreaterThan(5);
  }, 120_000);

  it('shapes read back from a previous build carry the data of this build, not of the previous one', async () => {
    const dir = tempDir('outcomes-compile-cache-');
    const before = fixtureSite('en', SIZE);
    const first = new CompiledShapes();
    for (const { chart } of charts(before)) await first.runtime(chart.spec, chart.datasets);
    writeFileSync(join(dir, COMPILE_INDEX), first.index());
    // A shape that reads a dataset nowhere (the quadrant's second one) is not kept, only listed: its charts are compiled whole.
    const index = JSON.parse(first.index()) as { shapes: object; whole: string[] };
    expect(index.whole.length).toBeLessThan(3);
    expect(Object.keys(index.shapes).length + index.whole.length).toBe(first.compiled);

    // The next night: every count of one hospital grows, so its charts change but keep their shapes.
    const rows = fixtureRows(SIZE).map((r) => (r.hospital_id === 'H1' && r.numerator !== null ? { ...r, numerator: r.numerator * 3 + 7 } : r));
    const after = fixtureSite('en', SIZE, rows);
    const next = new CompiledShapes(dir);
    const { cached, whole } = await bothWays(after, next, 'en');
    expect(next.compiled).toBe(0);
    expect(cached).toEqual(whole);
    const old = await Promise.all(charts(before).map(({ chart }) => renderSvg(fullSpec(chart), 'en')));
    expect(cached.filter((svg, i) => svg !== old[i]).length).toBeGreaterThan(5);
  }, 120_000);

  it('an index of another renderer, or one that does not parse, is not used', async () => {
    const dir = tempDir('outcomes-compile-cache-');
    const pages = fixtureSite('en', SIZE);
    const first = new CompiledShapes();
    for (const { chart } of charts(pages)) await first.runtime(chart.spec, chart.datasets);
    const index = JSON.parse(first.index()) as { renderer: string };
    writeFileSync(join(dir, COMPILE_INDEX), JSON.stringify({ ...index, renderer: 'another' }));
    const other = new CompiledShapes(dir);
    for (const { chart } of charts(pages)) await other.runtime(chart.spec, chart.datasets);
    expect(other.compiled).toBe(first.compiled);
    writeFileSync(join(dir, COMPILE_INDEX), '{"renderer": ');
    const broken = new CompiledShapes(dir);
    for (const { chart } of charts(pages)) await broken.runtime(chart.spec, chart.datasets);
    expect(broken.compiled).toBe(first.compiled);
  }, 120_000);
});
