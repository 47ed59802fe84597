/**
 * The whole site as a pure function of published metric rows and the catalog:
 * pages with their HTML and chart specs. No I/O here; `build.ts` writes it out.
 */
import { createHash } from 'node:crypto';
import { compareEntries, inLocale } from '../metrics/catalog.js';
import { spreadMetricIds } from '../metrics/registry.js';
import type { CatalogEntry } from '../metrics/types.js';
import { yearPairs, yearsWithData } from './data/periods.js';
import { RowIndex } from './data/rows.js';
import { strings } from './i18n.js';
import { controlPage } from './pages/control.js';
import { funnelsPage } from './pages/funnels.js';
import { helpPage } from './pages/help.js';
import { hospitalPage } from './pages/hospital.js';
import type { NavLinks } from './pages/layout.js';
import { metricPage } from './pages/metric.js';
import { overviewPage } from './pages/overview.js';
import type { Built } from './pages/parts.js';
import type { Locale, Page, PublishedRow, SiteContext } from './types.js';

/**
 * A file name for an id: safe characters kept, anything else replaced, and a short
 * hash of the id added whenever the name had to change (so two ids never collide).
 */
export function fileFor(prefix: string, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  const suffix = safe === id ? '' : '-' + createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${prefix}-${safe}${suffix}.html`;
}

/**
 * Catalog entries of the metrics present in the rows, in listing order (activity first, then
 * each header's `order`), with their texts in the site's locale.
 */
function presentMetrics(rows: PublishedRow[], catalog: CatalogEntry[], locale: Locale): CatalogEntry[] {
  const ids = new Set(rows.map((r) => r.metric_id));
  return catalog
    .filter((c) => ids.has(c.id))
    .sort(compareEntries)
    .map((c) => inLocale(c, locale));
}

/** Every page of the dashboards. */
export function buildSite(rows: PublishedRow[], ctx: SiteContext): Page[] {
  const index = new RowIndex(rows);
  const metrics = presentMetrics(rows, ctx.catalog, ctx.locale);
  const nav: NavLinks = {
    hospitals: index.hospitals.map((id) => ({ id, file: fileFor('hospital', id) })),
    metrics: metrics.map((m) => ({ id: m.id, title: m.title, file: fileFor('metric', m.id) })),
  };
  const { pairs, latest } = yearPairs(yearsWithData(rows, spreadMetricIds()), ctx.cutoff);
  const b: Built = { index, ctx, t: strings(ctx.locale), nav, metrics, pairs, latest };
  return [
    overviewPage(b),
    funnelsPage(b),
    controlPage(b),
    helpPage(b),
    ...nav.hospitals.map((h) => hospitalPage(b, h.id, h.file)),
    ...metrics.map((m, i) => metricPage(b, m, nav.metrics[i]!.file)),
  ];
}

/** A chart's full Vega-Lite spec with its data inlined (`datasets`): what the SVG renderer and the golden files use. */
export function fullSpec(chart: Page['charts'][number]): Record<string, unknown> {
  return { ...chart.spec, datasets: chart.datasets };
}
