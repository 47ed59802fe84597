/** metric-<id>.html: one metric's definition from the catalog, a link to the docs, its monthly lines and yearly values. */
import type { CatalogEntry } from '../../metrics/types.js';
import { monthRows } from '../data/datasets.js';
import { isYear } from '../data/periods.js';
import { formatNumber, formatValue } from '../format.js';
import { attr, esc } from '../html.js';
import { metricTrendSpec } from '../specs/series.js';
import type { Chart, Page } from '../types.js';
import { controls, figure, page } from './layout.js';
import { hospitalUnits, monthTable, unitControl, type Built } from './parts.js';

export function metricPage(b: Built, entry: CatalogEntry, file: string): Page {
  const t = b.t;
  const m = t.metricPage;
  const units = hospitalUnits(b);
  const first = b.index.hospitals[0] ?? 'ALL';
  const select = unitControl('sel-hospital', t.hospital, units, first);
  const rows = monthRows(b.index, [entry], units, (u) => ({ label: u.label }));
  const title = m.trendTitle(entry.title);
  const description = m.trendDesc(entry.title);
  const chart: Chart = {
    id: 'trend',
    title,
    description,
    spec: metricTrendSpec({ dataset: 'metric', title, description, entry, hospital: { value: first, select: select.id }, allLabel: t.allHospitals, t }),
    datasets: { metric: rows },
    table: monthTable('metric', [entry], t, { param: 'hospital' }),
  };

  const years = b.index.periods.filter(isYear);
  const cell = (u: (typeof units)[number], y: string) => {
    const r = b.index.get(entry.id, y, u.hospital, u.department);
    if (!r) return '<td>—</td>';
    if (r.suppressed) return `<td class="hidden-cell">${esc(t.hidden)}</td>`;
    const nd =
      r.denominator !== null && r.numerator !== null
        ? ` <span class="nd">(${esc(formatNumber(r.numerator, Number.isInteger(r.numerator) ? 0 : 1, b.ctx.locale))} / ${esc(formatNumber(r.denominator, Number.isInteger(r.denominator) ? 0 : 1, b.ctx.locale))})</span>`
        : '';
    return `<td>${esc(formatValue(r.value, entry, b.ctx.locale))}${nd}</td>`;
  };
  const yearTable = years.length
    ? `<section aria-labelledby="years-h"><h2 id="years-h">${esc(m.yearsH(entry.title))}</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">${esc(t.hospital)}</th>${years.map((y) => `<th scope="col">${esc(y)}</th>`).join('')}</tr></thead>
<tbody>${units.map((u) => `<tr><th scope="row">${esc(u.label)}</th>${years.map((y) => cell(u, y)).join('')}</tr>`).join('\n')}</tbody></table></div>
<p class="note">${esc(t.numerator)} / ${esc(t.denominator)}</p></section>`
    : '';

  const docs = entry.docs;
  const dd = (label: string, value: string | undefined) => (value ? `<dt>${esc(label)}</dt><dd>${esc(value)}</dd>` : '');
  const body = `<p class="breadcrumb"><a href="index.html">${esc(t.nav.overview)}</a> › ${esc(t.nav.metrics)}</p>
<h1>${esc(entry.title)}</h1>
<section aria-labelledby="def-h"><h2 id="def-h">${esc(m.definition)}</h2>
<p class="lead">${esc(entry.description)}</p>
<dl class="definition">
${dd(m.view, t.viewLong[entry.view])}
${dd(m.numerator, entry.numerator)}
${dd(m.denominator, entry.denominator)}
${dd(m.exclusions, entry.exclusions ? (entry.exclusions.length ? entry.exclusions.join(', ') : m.none) : undefined)}
${dd(m.unit, entry.unit)}
${dd(m.direction, t.directions[entry.direction])}
${dd(m.grain, entry.grain)}
${dd(m.version, entry.version)}
</dl>
<p><a ${attr('href', `${b.ctx.docsBase}${docs.replace(/\.md$/, '.html')}`)}>${esc(m.docs)}</a> (<code>docs/${esc(docs)}</code>, <code>${esc(entry.id)}</code>) · <a href="help.html">${esc(m.howTo)}</a></p>
</section>
${controls([select], entry.title)}
${figure(chart, file, t)}
${yearTable}`;
  return { file, title: entry.title, html: page({ file, title: entry.title, body, charts: [chart], ctx: b.ctx, nav: b.nav }), charts: [chart] };
}
