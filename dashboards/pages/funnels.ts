/** funnels.html: the rate metrics as funnel plots of the hospitals (and the department funnels of a hospital page). */
import type { CatalogEntry } from '../../metrics/types.js';
import type { Unit } from '../data/changes.js';
import { funnelRows } from '../data/datasets.js';
import { COUNT_FORMAT } from '../format.js';
import { esc } from '../html.js';
import { funnelName } from '../names.js';
import { funnelSpec } from '../specs/funnel.js';
import type { Chart, Control, Page } from '../types.js';
import { controls, figure, page } from './layout.js';
import { chartMetrics, formats, hospitalUnits, periodControl, titles, type Built } from './parts.js';

/** Funnel charts of `units` around `centre` for the given rate metrics, every year period, sharing two datasets. */
export function funnelCharts(b: Built, metrics: CatalogEntry[], units: Unit[], centre: Unit, period: Control, unitTitle: string, prefix = ''): Chart[] {
  const years = b.index.periods.filter((p) => /^\d{4}$/.test(p));
  const { points, limits } = funnelRows(b.index, metrics, units, centre, years, b.t);
  const names = { points: `${prefix}funnel_points`, limits: `${prefix}funnel_limits` };
  return metrics.map((entry) => {
    const title = b.t.funnels.title(entry.title);
    const description = b.t.funnels.desc(entry.title);
    return {
      id: `funnel-${entry.id}`,
      title,
      description,
      spec: funnelSpec({ points: names.points, limits: names.limits, entry, title, description, period: period.value, periodSelect: period.id, unitTitle, t: b.t }),
      datasets: { [names.points]: points, [names.limits]: limits },
      keyMetrics: [entry.id],
      name: funnelName(b, entry, points, period.options, 'period', unitTitle === b.t.department ? 'department' : 'hospital'),
      table: {
        dataset: names.points,
        columns: [
          { field: 'label', label: unitTitle },
          { field: 'metric_id', label: b.t.metric, labels: titles(metrics) },
          { field: 'numerator', label: b.t.numerator, format: COUNT_FORMAT },
          { field: 'denominator', label: b.t.denominator, format: COUNT_FORMAT },
          { field: 'value', label: b.t.value, formatBy: { field: 'metric_id', formats: formats(metrics) } },
          { field: 'position', label: b.t.funnels.position },
        ],
        filters: [
          { field: 'period', param: 'period' },
          { field: 'metric_id', oneOf: [entry.id] },
        ],
      },
    };
  });
}

export function funnelsPage(b: Built): Page {
  const t = b.t;
  const file = 'funnels.html';
  const metrics = chartMetrics(b, 'funnel');
  const period = periodControl(b);
  const units = hospitalUnits(b);
  const centre = units[units.length - 1]!;
  const charts = period ? funnelCharts(b, metrics, units.slice(0, -1), centre, period, t.hospital) : [];
  const body = `<h1>${esc(t.funnels.h1)}</h1>
<p class="lead">${esc(t.funnels.intro)}</p>
${period ? controls([period], t.funnels.h1) : ''}
${charts.map((c) => figure(c, file, t, 2)).join('\n')}`;
  return { file, title: t.funnels.h1, html: page({ file, title: t.funnels.h1, body, charts, ctx: b.ctx, nav: b.nav }), charts };
}
