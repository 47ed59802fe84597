/**
 * Vega's expression code generator with each expression compiled once per process (svg.ts CODEGEN):
 * the charts of a build share their compiled expressions, and must still draw exactly what Vega's
 * own generator draws, chart by chart, whatever was drawn before.
 */
import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { fullSpec } from '../../dashboards/site.js';
import { CODEGEN, compileSpec } from '../../dashboards/svg.js';
import { fixtureSite } from './helpers.js';

async function draw(spec: vega.Spec, expr?: unknown): Promise<string> {
  const view = new vega.View(vega.parse(spec), { renderer: 'none', ...(expr ? { expr } : {}) } as never);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

describe('expressions compiled once per process', () => {
  it('every chart of the fixture site, drawn in turn with the shared code, is the SVG of Vega’s own generator', async () => {
    const charts = fixtureSite('en', { hospitals: 2, departments: 2, months: 14 }).flatMap((p) => p.charts);
    const specs = await Promise.all(charts.map(async (c) => (await compileSpec(fullSpec(c))).vega));
    // Twice over, the second time in reverse: a chart drawn after others reuses their functions.
    const order = [...specs.keys(), ...[...specs.keys()].reverse()];
    expect(CODEGEN).toBeDefined();
    const shared: string[] = [];
    for (const i of order) shared.push(await draw(specs[i]!, CODEGEN));
    const own: string[] = [];
    for (const i of order) own.push(await draw(specs[i]!));
    expect(shared).toEqual(own);
    expect(new Set(own).size).toBe(new Set(specs.map((s) => JSON.stringify(s))).size);
  }, 120_000);

  it('each view gets functions of its own: Vega sets properties on them', () => {
    const ctx1 = { functions: { a: 1 } };
    const ctx2 = { functions: { a: 2 } };
    const e = { code: 'this.a + datum.x' } as never;
    const f1 = CODEGEN!.parameter(ctx1, e) as (d: unknown) => number;
    const f2 = CODEGEN!.parameter(ctx2, e) as (d: unknown) => number;
    expect(f1).not.toBe(f2);
    expect([f1({ x: 10 }), f2({ x: 10 })]).toEqual([11, 12]);
  });
});
