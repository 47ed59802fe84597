/** index.html: the two views side by side per hospital, where they disagree, and monthly trends of both. */
import { changeRows, quadrantRows } from '../data/changes.js';
import { monthRows } from '../data/datasets.js';
import { ALL } from '../data/rows.js';
import { attr, esc } from '../html.js';
import { changeMatrixSpec } from '../specs/changeMatrix.js';
import { quadrantSpec } from '../specs/quadrant.js';
import { trendsSpec } from '../specs/trends.js';
import type { Chart, Control, DataRow, Page } from '../types.js';
import { controls, figure, page } from './layout.js';
import { hospitalUnits, changesTable, monthTable, unitControl, yearControl, type Built } from './parts.js';
import { valueSection } from './value.js';

/** An activity change of at least this much (relative) counts as a story. */
export const STORY_THRESHOLD = 0.05;
/**
 * An outcome change counts only when it is unlikely to be chance: a rate whose
 * two-proportion z is beyond 3.09 (the 99.8% of the funnel plots). Means, medians
 * and ratios carry no variance here, so they never make a story on their own.
 */
export const STORY_Z = 3.090232;

/** Plain-language list of hospitals whose activity and outcomes moved in opposite directions. */
export function stories(b: Built, changes: DataRow[], year: string): string[] {
  const t = b.t;
  const out: string[] = [];
  for (const h of b.index.hospitals) {
    const rows = changes.filter((c) => c.year === year && c.unit === h);
    const activity = rows.filter((c) => c.view === 'activity' && typeof c.rel === 'number' && Math.abs(c.rel as number) >= STORY_THRESHOLD);
    const up = activity.filter((c) => (c.rel as number) > 0);
    const down = activity.filter((c) => (c.rel as number) < 0);
    const real = rows.filter((c) => c.view === 'outcome' && typeof c.z === 'number' && Math.abs(c.z as number) >= STORY_Z);
    const worse = real.filter((c) => c.status === 'worse');
    const better = real.filter((c) => c.status === 'better');
    // The three largest changes of each side tell the story; the matrix has the rest.
    const top = (xs: DataRow[]) => [...xs].sort((a, b) => Math.abs(b.rel as number) - Math.abs(a.rel as number)).slice(0, 3);
    const list = (xs: DataRow[]) => top(xs).map((c) => `${c.metric} ${c.change_text}`).join(', ');
    const said = (xs: DataRow[], how: (metric: string, text: string) => string) => top(xs).map((c) => how(String(c.metric), String(c.change_text))).join(', ');
    if (up.length && worse.length) out.push(t.overview.differItem(h, list(up), said(worse, t.overview.worse)));
    if (down.length && better.length) out.push(t.overview.differItem(h, list(down), said(better, t.overview.better)));
  }
  return out;
}

export function overviewPage(b: Built): Page {
  const t = b.t;
  const file = 'index.html';
  const units = hospitalUnits(b);
  const activity = b.metrics.filter((m) => m.view === 'activity');
  const outcome = b.metrics.filter((m) => m.view === 'outcome');
  const charts: Chart[] = [];
  const ctrls: Control[] = [];
  const year = yearControl(b);
  let storyHtml = '';

  if (b.latest && year) {
    ctrls.push(year);
    const changes = changeRows(b.index, b.metrics, units, b.pairs, b.ctx.locale);
    const matrixTitle = t.overview.matrixTitle;
    charts.push({
      id: 'change',
      title: matrixTitle,
      description: t.overview.matrixDesc,
      spec: changeMatrixSpec({
        dataset: 'changes',
        title: matrixTitle,
        description: t.overview.matrixDesc,
        metrics: b.metrics,
        unitLabels: units.map((u) => u.label),
        unitTitle: t.hospital,
        year: b.latest.year,
        yearSelect: year.id,
        t,
      }),
      datasets: { changes },
      table: changesTable(t, t.hospital),
    });
    if (activity.length && outcome.length) {
      // The first metric of each view (by its header's order) is the one shown first.
      const act = activity[0]!.id;
      const out = outcome[0]!.id;
      ctrls.push(
        { id: 'sel-act', label: t.activityMetric, options: activity.map((m) => ({ value: m.id, label: m.title })), value: act },
        { id: 'sel-out', label: t.outcomeMetric, options: outcome.map((m) => ({ value: m.id, label: m.title })), value: out },
      );
      charts.push({
        id: 'quadrant',
        title: t.overview.quadTitle,
        description: t.overview.quadDesc,
        spec: quadrantSpec({
          dataset: 'quad',
          title: t.overview.quadTitle,
          description: t.overview.quadDesc,
          activity,
          outcome,
          act,
          out,
          year: b.latest.year,
          selects: { act: 'sel-act', out: 'sel-out', year: year.id },
          unitTitle: t.hospital,
          t,
        }),
        datasets: { quad: quadrantRows(changes), changes },
        table: {
          dataset: 'changes',
          columns: [
            { field: 'label', label: t.hospital },
            { field: 'metric', label: t.metric },
            { field: 'prev_text', label: t.yearBefore },
            { field: 'value_text', label: t.thisYear },
            { field: 'change_text', label: t.change },
          ],
          filters: [
            { field: 'year', param: 'year' },
            { field: 'metric_id', params: ['act', 'out'] },
          ],
        },
      });
    }
    const found = stories(b, changes, b.latest.year);
    storyHtml = `<section aria-labelledby="stories-h"><h2 id="stories-h">${esc(t.overview.differH)} (${esc(t.yearOption(b.latest.year, b.latest.previous, b.latest.partial))})</h2>
${found.length ? `<ul class="stories">${found.map((s) => `<li>${esc(s)}</li>`).join('\n')}</ul>` : `<p>${esc(t.overview.differNone)}</p>`}
<p class="note">${esc(t.overview.differNote)} <a href="control.html">${esc(t.nav.control)}</a></p></section>`;
  }

  const hospitalSelect = unitControl('sel-hospital', t.hospital, units, ALL);
  ctrls.push(hospitalSelect);
  const trend = monthRows(b.index, b.metrics, units);
  for (const [id, title, metrics] of [
    ['trends-activity', t.overview.trendsActivity, activity],
    ['trends-outcome', t.overview.trendsOutcome, outcome],
  ] as const) {
    if (metrics.length === 0) continue;
    charts.push({
      id,
      title,
      description: t.overview.trendsDesc,
      spec: trendsSpec({ dataset: 'trend', title, description: t.overview.trendsDesc, metrics, param: 'hospital', value: ALL, select: hospitalSelect.id, t }),
      datasets: { trend },
      table: monthTable('trend', metrics, t, { param: 'hospital' }),
    });
  }

  const fig = (id: string) => {
    const c = charts.find((x) => x.id === id);
    return c ? figure(c, file, t) : '';
  };
  const h1 = b.latest ? t.overview.h1(b.latest.year, b.latest.previous) : t.siteTitle;
  const body = `<h1>${esc(h1)}</h1>
<p class="lead">${esc(t.overview.intro)}</p>
${b.latest ? '' : `<p class="note">${esc(t.overview.noPair)}</p>`}
<nav class="hospital-links" ${attr('aria-label', t.overview.hospitalsH)}><span>${esc(t.overview.hospitalsH)}:</span> ${b.nav.hospitals.map((h) => `<a ${attr('href', h.file)}>${esc(h.id)}</a>`).join(' ')}</nav>
${valueSection(b, b.index.hospitals)}
${controls(ctrls, t.siteTitle)}
${b.latest ? `<p class="key"><span class="swatch swatch-activity" aria-hidden="true"></span>${esc(t.overview.keyActivity)} <span class="swatch swatch-outcome" aria-hidden="true"></span>${esc(t.overview.keyOutcome)}</p>` : ''}
${fig('change')}
${storyHtml}
${fig('quadrant')}
${fig('trends-activity')}
${fig('trends-outcome')}
<section aria-labelledby="metrics-h"><h2 id="metrics-h">${esc(t.overview.metricsH)}</h2>
<ul class="links">${b.nav.metrics.map((m) => `<li><a ${attr('href', m.file)}>${esc(m.title)}</a></li>`).join('')}</ul></section>`;
  return { file, title: h1, html: page({ file, title: h1, body, charts, ctx: b.ctx, nav: b.nav }), charts };
}
