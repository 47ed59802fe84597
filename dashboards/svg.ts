/** Server-side rendering of a chart to SVG with Vega's headless View (no browser), for reports and e-mail. */
import * as vega from 'vega';
import { esc } from './html.js';
import { vegaLocale } from './i18n.js';
import type { Locale, Spec } from './types.js';

let vegaLite: typeof import('vega-lite') | undefined;

/**
 * Compile a Vega-Lite spec; warnings are collected rather than printed. Vega-Lite is loaded on
 * the first call (a quarter of a second): a night whose chart shapes are all cached
 * (compile-cache.ts) never compiles one.
 */
export async function compileSpec(spec: Spec): Promise<{ vega: vega.Spec; warnings: string[] }> {
  vegaLite ??= await import('vega-lite');
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...args: unknown[]) => {
      throw new Error(args.map(String).join(' '));
    },
    warn: (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const out = vegaLite.compile(spec as never, { logger: logger as never });
  return { vega: out.spec, warnings };
}

/** The SVG text of a chart in its default state (parameters at their initial values), named by `name`. */
export async function renderSvg(spec: Spec, locale: Locale, name = ''): Promise<string> {
  return renderRuntime(vega.parse((await compileSpec(spec)).vega), spec, locale, name);
}

type Generated = (...args: unknown[]) => unknown;
const KINDS = ['operator', 'parameter', 'event', 'handler', 'encode'] as const;
type Codegen = Record<(typeof KINDS)[number], (ctx: { functions?: object } | undefined, spec: never) => Generated>;

/**
 * Vega's own code generator for the expressions of a chart: the one a View uses when given none.
 * `runtimeContext` is exported by vega (vega-runtime's `context`) but not in its type declarations;
 * should a later Vega not have it, the Views make their functions themselves, as before.
 */
function vegaCodegen(): Codegen | undefined {
  const make = (vega as unknown as { runtimeContext?: (df: unknown, transforms: object) => { expr?: Partial<Codegen> } }).runtimeContext;
  const expr = typeof make === 'function' ? make({ events: () => undefined }, {}).expr : undefined;
  return expr && KINDS.every((k) => typeof expr[k] === 'function') ? (expr as Codegen) : undefined;
}

/**
 * Vega's code generator, each expression compiled once per process: a View turns every expression of
 * its chart into a JavaScript function (`Function(code)`), and the charts of a build share most of
 * them (the same p-chart for every hospital). The function Vega makes for a code text is the same
 * whatever the chart, and each View gets its own copy bound to its own context, as Vega's own
 * generator gives; so the SVG is the same byte for byte, and the later charts run code the engine
 * has already compiled. Keys: the kind and the code (for an encoding, its mark type and channels,
 * from which Vega writes the code).
 */
function compiledOnce(vegaGen: Codegen): Codegen {
  const compiled = new Map<string, Generated>();
  const once =
    (kind: keyof Codegen, key: (spec: never) => string) =>
    (ctx: { functions?: object } | undefined, spec: never): Generated => {
      // Without a function context Vega hands out its function as it is: not shared, as there.
      if (!ctx?.functions) return vegaGen[kind](ctx, spec);
      const k = `${kind}\n${key(spec)}`;
      let fn = compiled.get(k);
      if (fn === undefined) compiled.set(k, (fn = vegaGen[kind]({}, spec)));
      return fn.bind(ctx.functions) as Generated;
    };
  const code = (e: { code: string }) => e.code;
  return {
    ...vegaGen,
    operator: once('operator', code),
    parameter: once('parameter', code),
    event: once('event', code),
    handler: once('handler', code),
    encode: once('encode', (e: { marktype: string; channels: Record<string, { code: string }> }) =>
      JSON.stringify([e.marktype, Object.entries(e.channels).map(([n, c]) => [n, c.code])]),
    ),
  };
}

const VEGA_CODEGEN = vegaCodegen();
/** The generator every chart is drawn with (undefined: Vega's own, made per View). */
export const CODEGEN = VEGA_CODEGEN && compiledOnce(VEGA_CODEGEN);

/** The SVG text of a chart already compiled and parsed (`runtime`); `spec` gives its title and description. */
export async function renderRuntime(runtime: vega.Runtime, spec: Spec, locale: Locale, name = ''): Promise<string> {
  const loc = vegaLocale(locale);
  const view = new vega.View(runtime, { renderer: 'none', locale: { number: loc.number, time: loc.time }, ...(CODEGEN ? { expr: CODEGEN } : {}) } as never);
  try {
    return labelSvg(await view.toSVG(), spec, name);
  } finally {
    view.finalize();
  }
}

/**
 * Give the SVG root a role, a <title> (the spec's title) and a <desc> (what the chart shows in its
 * default state, then the spec's description), so the image explains itself outside the page.
 */
export function labelSvg(svg: string, spec: Spec, name = ''): string {
  const t = spec['title'];
  const title = typeof t === 'string' ? t : t && typeof t === 'object' && 'text' in t ? String((t as { text: unknown }).text) : '';
  const desc = [name, typeof spec['description'] === 'string' ? spec['description'] : ''].filter((x) => x !== '').join('. ');
  return svg.replace(/^<svg([^>]*)>/, (_, attrs: string) => `<svg${attrs} role="img"><title>${esc(title)}</title><desc>${esc(desc)}</desc>`);
}
