/** Server-side rendering of a chart to SVG with Vega's headless View (no browser), for reports and e-mail. */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { esc } from './html.js';
import { vegaLocale } from './i18n.js';
import type { Locale, Spec } from './types.js';

/** Compile a Vega-Lite spec; warnings are collected rather than printed. */
export function compileSpec(spec: Spec): { vega: vega.Spec; warnings: string[] } {
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
  const out = compile(spec as never, { logger: logger as never });
  return { vega: out.spec, warnings };
}

/** The SVG text of a chart in its default state (parameters at their initial values), named by `name`. */
export async function renderSvg(spec: Spec, locale: Locale, name = ''): Promise<string> {
  return renderRuntime(vega.parse(compileSpec(spec).vega), spec, locale, name);
}

/** The SVG text of a chart already compiled and parsed (`runtime`); `spec` gives its title and description. */
export async function renderRuntime(runtime: vega.Runtime, spec: Spec, locale: Locale, name = ''): Promise<string> {
  const loc = vegaLocale(locale);
  const view = new vega.View(runtime, { renderer: 'none', locale: { number: loc.number, time: loc.time } as never });
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
