/** control.html: p-charts of the rate metrics per hospital, and the reading of each in words. */
import type { CatalogEntry } from '../../metrics/types.js';
import type { Unit } from '../data/changes.js';
import { pchartRows, type PChartSet } from '../data/datasets.js';
import { ALL } from '../data/rows.js';
import { esc, tableBox } from '../html.js';
import type { Strings } from '../i18n.js';
import { pchartName } from '../names.js';
import { pchartSpec } from '../specs/pchart.js';
import type { Chart, Control, Page } from '../types.js';
import { controls, figure, page } from './layout.js';
import { COUNT_FORMAT } from '../format.js';
import { chartMetrics, formats, hospitalUnits, unitControl, type Built } from './parts.js';

/** The reading of every (unit, metric) chart in words, as an HTML table. */
export function readingTable(set: PChartSet, metrics: CatalogEntry[], units: Unit[], unitTitle: string, t: Strings): string {
  const head = `<tr><th scope="col">${esc(unitTitle)}</th>${metrics.map((m) => `<th scope="col">${esc(m.title)}</th>`).join('')}</tr>`;
  const rows = units.map((u) => {
    const cells = metrics.map((m) => {
      const c = set.charts.get(m.id)?.get(u.id);
      if (!c) return '<td>—</td>';
      const s = c.summary;
      const rule = s.rule ? ` <span class="rule">(${esc(t.control.rules[s.rule])})</span>` : '';
      return `<td class="status status-${esc(s.status)}">${esc(t.control.status[s.status])}${rule}</td>`;
    });
    return `<tr><th scope="row">${esc(u.label)}</th>${cells.join('')}</tr>`;
  });
  return tableBox(t.control.summaryH, `<table class="readings"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table>`);
}

/** One p-chart per metric over a shared points/summary dataset. */
export function pchartCharts(b: Built, set: PChartSet, units: Unit[], metrics: CatalogEntry[], unitOf: (m: CatalogEntry) => { param: string; value: string; select: string } | { fixed: string }, prefix = ''): Chart[] {
  const names = { points: `${prefix}pchart`, summary: `${prefix}pchart_summary` };
  return metrics.map((entry) => {
    const title = b.t.control.title(entry.title);
    const description = b.t.control.desc(entry.title);
    const unit = unitOf(entry);
    return {
      id: `pchart-${entry.id}`,
      title,
      description,
      spec: pchartSpec({ points: names.points, summary: names.summary, entry, title, description, unit, t: b.t }),
      datasets: { [names.points]: set.points, [names.summary]: set.summary },
      keyMetrics: [entry.id],
      name: pchartName(b, entry, set, units, 'fixed' in unit ? { fixed: unit.fixed } : { param: unit.param }),
      table: {
        dataset: names.points,
        columns: [
          { field: 'period', label: b.t.month },
          { field: 'p', label: entry.title, formatBy: { field: 'metric_id', formats: formats(metrics) }, hiddenWhenNull: true },
          { field: 'numerator', label: b.t.numerator, format: COUNT_FORMAT },
          { field: 'denominator', label: b.t.denominator, format: COUNT_FORMAT },
          { field: 'cl', label: b.t.control.centre, formatBy: { field: 'metric_id', formats: formats(metrics) } },
          { field: 'lcl', label: b.t.control.lower, formatBy: { field: 'metric_id', formats: formats(metrics) } },
          { field: 'ucl', label: b.t.control.upper, formatBy: { field: 'metric_id', formats: formats(metrics) } },
          { field: 'reading', label: b.t.control.signal },
          { field: 'rule', label: b.t.control.rule },
        ],
        filters: [
          'fixed' in unit ? { field: 'unit', oneOf: [unit.fixed] } : { field: 'unit', param: unit.param },
          { field: 'metric_id', oneOf: [entry.id] },
        ],
      },
    };
  });
}

export function controlPage(b: Built): Page {
  const t = b.t;
  const file = 'control.html';
  const metrics = chartMetrics(b, 'control');
  const units = hospitalUnits(b);
  const set = pchartRows(b.index, metrics, units, t);
  const select: Control = unitControl('sel-hospital', t.hospital, units, ALL);
  const charts = pchartCharts(b, set, units, metrics, () => ({ param: 'hospital', value: ALL, select: select.id }));
  const body = `<h1>${esc(t.control.h1)}</h1>
<p class="lead">${esc(t.control.intro)}</p>
<section aria-labelledby="readings-h"><h2 id="readings-h">${esc(t.control.summaryH)}</h2>
<p class="note">${esc(t.control.summaryNote)}</p>
${readingTable(set, metrics, units, t.hospital, t)}</section>
${controls([select], t.control.h1)}
${charts.map((c) => figure(c, file, t, 2)).join('\n')}`;
  return { file, title: t.control.h1, html: page({ file, title: t.control.h1, body, charts, ctx: b.ctx, nav: b.nav }), charts };
}
