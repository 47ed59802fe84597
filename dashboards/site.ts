/**
 * The whole site as a pure function of published metric rows and the catalog:
 * pages with their HTML and chart specs. No I/O here; `build.ts` writes it out.
 */
import { createHash } from 'node:crypto';
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
import type { Page, PublishedRow, SiteContext } from './types.js';

/**
 * A file name for an id: safe characters kept, anything else replaced, and a short
 * hash of the id added whenever the name had to change (so two ids never collide).
 */
export function fileFor(prefix: string, id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  const suffix = safe === id ? '' : '-' + createHash('sha256').update(id).digest('hex').slice(0, 8);
  return `${prefix}-${safe}${suffix}.html`;
}

/** The order metrics are listed in (the order of the metric definitions); others follow by id. */
export const METRIC_ORDER = [
  'admissions', 'stays', 'bed_days', 'ambulatory_visits', 'treatments', 'emergency_visits', 'drg_value',
  'readmission_30d', 'readmission_drg_share', 'readmission_7d', 'readmission_30d_oe', 'mortality_30d', 'los_mean', 'los_median', 'los_p90',
  'daoh_30', 'ed_return_72h', 'trips_per_patient', 'consolidation_ratio', 'avoidable_trips',
];

/** Catalog entries of the metrics present in the rows: activity first, then in METRIC_ORDER. */
function presentMetrics(rows: PublishedRow[], catalog: CatalogEntry[]): CatalogEntry[] {
  const ids = new Set(rows.map((r) => r.metric_id));
  const rank = (id: string) => (METRIC_ORDER.includes(id) ? METRIC_ORDER.indexOf(id) : METRIC_ORDER.length);
  const present = catalog.filter((c) => ids.has(c.id)).sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...present.filter((c) => c.view === 'activity'), ...present.filter((c) => c.view === 'outcome')];
}

/** Every page of the dashboards. */
export function buildSite(rows: PublishedRow[], ctx: SiteContext): Page[] {
  const index = new RowIndex(rows);
  const metrics = presentMetrics(rows, ctx.catalog);
  const nav: NavLinks = {
    hospitals: index.hospitals.map((id) => ({ id, file: fileFor('hospital', id) })),
    metrics: metrics.map((m) => ({ id: m.id, title: m.title, file: fileFor('metric', m.id) })),
  };
  const { pairs, latest } = yearPairs(yearsWithData(rows), ctx.cutoff);
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
