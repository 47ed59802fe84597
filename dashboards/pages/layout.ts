/** The page shell: strict Content-Security-Policy, navigation, controls, chart figures, embedded data. */
import { encodeRows, type EncodedDataset } from '../encode.js';
import { attr, esc, jsonForScript, tableBox } from '../html.js';
import type { ChartName } from '../names.js';
import { strings, vegaLocale, type Strings } from '../i18n.js';
import type { Chart, Control, DataRow, Locale, SiteContext, TableDef } from '../types.js';

/**
 * No network, no inline script, no eval: scripts and styles only from the
 * folder itself (file:// pages count as 'self'); data comes from the page.
 */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'";

/** Scripts copied from node_modules into assets/, in load order (classic UMD builds: module scripts do not load from file://). */
export const LIBRARY_SCRIPTS = ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js'];

export interface NavLinks {
  hospitals: { id: string; file: string }[];
  metrics: { id: string; title: string; file: string }[];
}

export interface PageShell {
  file: string;
  title: string;
  body: string;
  charts: Chart[];
  ctx: SiteContext;
  nav: NavLinks;
}

/** What the page script reads from `#dashboard-data`. */
export interface PageData {
  locale: { number: Record<string, unknown>; time: Record<string, unknown> };
  text: { hidden: string; noRows: string };
  datasets: Record<string, EncodedDataset>;
  charts: { id: string; spec: Record<string, unknown>; datasets: string[]; table: TableDef; name: ChartName }[];
}

/** Datasets of a page's charts, each once; the same name must carry the same rows. */
export function pageDatasets(charts: Chart[]): Record<string, DataRow[]> {
  const out: Record<string, DataRow[]> = {};
  for (const c of charts) {
    for (const [name, rows] of Object.entries(c.datasets)) {
      if (out[name] !== undefined && out[name] !== rows) throw new Error(`dataset "${name}" is defined twice on one page`);
      out[name] = rows;
    }
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
}

/** The JSON embedded in a page: specs without data, datasets once, column-wise. */
export function pageData(charts: Chart[], locale: Locale): PageData {
  const t = strings(locale);
  const datasets = pageDatasets(charts);
  return {
    locale: vegaLocale(locale),
    text: { hidden: t.hidden, noRows: '—' },
    datasets: Object.fromEntries(Object.entries(datasets).map(([k, rows]) => [k, encodeRows(rows)])),
    charts: charts.map((c) => ({ id: c.id, spec: c.spec, datasets: Object.keys(c.datasets).sort(), table: c.table, name: c.name })),
  };
}

/** File name of a chart's static SVG image. */
export function svgFile(pageFile: string, chartId: string): string {
  return `svg/${pageFile.replace(/\.html$/, '')}--${chartId}.svg`;
}

/**
 * A chart's figure: title, text description, the chart, a link to its SVG and the table alternative.
 * `level` is the title's heading level: 2 where the figure follows the page's h1, 3 inside a section.
 */
export function figure(chart: Chart, pageFile: string, t: Strings, level: 2 | 3 = 3): string {
  const id = esc(chart.id);
  return `<figure class="chart" id="fig-${id}" aria-labelledby="title-${id}">
<figcaption><h${level} id="title-${id}">${esc(chart.title)}</h${level}><p class="desc" id="desc-${id}">${esc(chart.description)}</p></figcaption>
<div class="vis" id="chart-${id}" ${attr('aria-describedby', `desc-${chart.id}`)}><p class="loading">${esc(t.loading)}</p></div>
<p class="chart-links"><a ${attr('href', svgFile(pageFile, chart.id))}>${esc(t.svgLink)}</a></p>
<details class="table-alt" id="tablebox-${id}"><summary>${esc(t.showTable)}</summary>${tableBox(chart.title, '', `table-${chart.id}`)}</details>
</figure>`;
}

/** Labelled `<select>` elements the charts' parameters are bound to. */
export function controls(list: Control[], label: string): string {
  if (list.length === 0) return '';
  const one = (c: Control) =>
    `<div class="control"><label ${attr('for', c.id)}>${esc(c.label)}</label><select ${attr('id', c.id)}>${c.options
      .map((o) => `<option ${attr('value', o.value)}${o.value === c.value ? ' selected' : ''}>${esc(o.label)}</option>`)
      .join('')}</select></div>`;
  return `<div class="controls" role="group" ${attr('aria-label', label)}>${list.map(one).join('\n')}</div>`;
}

/** A whole HTML page. */
/**
 * The line of the page footer that names the run's date: the only text of a page that changes
 * when the same data are published on another day (a quiet night rewrites just this line).
 */
export function footerLine(locale: Locale, cutoff: string, runDate: string): string {
  return `<p>${esc(strings(locale).footer(cutoff, runDate))}</p>`;
}

export function page(p: PageShell): string {
  const t = strings(p.ctx.locale);
  const current = (f: string) => (f === p.file ? ' aria-current="page"' : '');
  const link = (f: string, text: string) => `<a ${attr('href', f)}${current(f)}>${esc(text)}</a>`;
  const scripts = p.charts.length
    ? `<script type="application/json" id="dashboard-data">${jsonForScript(pageData(p.charts, p.ctx.locale))}</script>
${LIBRARY_SCRIPTS.map((s) => `<script src="assets/${s}"></script>`).join('\n')}
<script src="assets/dashboard.js"></script>`
    : '';
  return `<!doctype html>
<html ${attr('lang', t.lang)}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" ${attr('content', CSP)}>
<meta name="referrer" content="no-referrer">
<title>${esc(p.title)} — ${esc(t.siteTitle)}</title>
<link rel="stylesheet" href="assets/dashboard.css">
</head>
<body>
<a class="skip" href="#main">${esc(t.skip)}</a>
<header class="site">
<p class="site-title">${esc(t.siteTitle)}</p>
<nav aria-label="${esc(t.siteTitle)}"><ul>
<li>${link('index.html', t.nav.overview)}</li>
<li>${link('funnels.html', t.nav.funnels)}</li>
<li>${link('control.html', t.nav.control)}</li>
<li>${link('help.html', t.nav.help)}</li>
</ul></nav>
</header>
<main id="main" tabindex="-1">
${p.charts.length ? `<noscript><p class="note">${esc(t.noscript)}</p></noscript>` : ''}
${p.body}
</main>
<footer class="site">
<p>${esc(t.smallNumbers(p.ctx.minCell))}</p>
${footerLine(p.ctx.locale, p.ctx.cutoff, p.ctx.runDate)}
</footer>
${scripts}
</body>
</html>
`;
}
