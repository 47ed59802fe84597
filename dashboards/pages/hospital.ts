/** hospital-<id>.html: the comparison per department, department funnels and p-charts, LOS, DAOH and trips. */
import type { CatalogEntry } from '../../metrics/types.js';
import { changeRows } from '../data/changes.js';
import { monthRows, pchartRows } from '../data/datasets.js';
import { ALL } from '../data/rows.js';
import { esc } from '../html.js';
import { changeMatrixSpec } from '../specs/changeMatrix.js';
import { linesName, matrixName } from '../names.js';
import { overlaySpec, stackedSpec } from '../specs/series.js';
import type { Chart, Control, Page } from '../types.js';
import { pchartCharts, readingTable } from './control.js';
import { funnelCharts } from './funnels.js';
import { controls, figure, page } from './layout.js';
import { chartMetrics, departmentUnits, entryOf, changesTable, monthTable, periodControl, unitControl, yearControl, type Built } from './parts.js';
import { valueSection } from './value.js';

export function hospitalPage(b: Built, hospital: string, file: string): Page {
  const t = b.t;
  const units = departmentUnits(b, hospital);
  const whole = units[units.length - 1]!;
  const departments = units.slice(0, -1);
  const charts: Chart[] = [];
  const sections: string[] = [];
  const ctrls: Control[] = [];
  const fig = (c: Chart) => figure(c, file, t);

  const year = yearControl(b);
  if (b.latest && year) {
    ctrls.push(year);
    const changes = changeRows(b.index, b.metrics, units, b.pairs, b.ctx.locale);
    const c: Chart = {
      id: 'change',
      title: t.hospitalPage.matrixTitle,
      description: t.hospitalPage.matrixDesc,
      spec: changeMatrixSpec({
        dataset: 'changes',
        title: t.hospitalPage.matrixTitle,
        description: t.hospitalPage.matrixDesc,
        metrics: b.metrics,
        unitLabels: units.map((u) => u.label),
        unitTitle: t.department,
        year: b.latest.year,
        yearSelect: year.id,
        t,
      }),
      datasets: { changes },
      table: changesTable(t, t.department),
      name: matrixName(b, b.metrics, units, 'department', changes, b.pairs, 'year'),
    };
    charts.push(c);
    sections.push(figure(c, file, t, 2));
  }

  const dept = unitControl('sel-department', t.department, units, ALL);
  ctrls.push(dept);
  const rates = chartMetrics(b, 'control');
  const deptRates = chartMetrics(b, 'funnel').filter((m) => m.level === 'department');

  const period = periodControl(b);
  if (period && departments.length && deptRates.length) {
    ctrls.push(period);
    const fc = funnelCharts(b, deptRates, departments, whole, period, t.department);
    charts.push(...fc);
    sections.push(`<section aria-labelledby="funnels-h"><h2 id="funnels-h">${esc(t.hospitalPage.funnelH)}</h2>
<p class="note">${esc(t.funnels.deptIntro)}</p>
${fc.map(fig).join('\n')}</section>`);
  }

  if (rates.length) {
    const set = pchartRows(b.index, rates, units, t);
    const pc = pchartCharts(b, set, units, rates, (m) => (m.level === 'department' ? { param: 'department', value: ALL, select: dept.id } : { fixed: ALL }));
    charts.push(...pc);
    sections.push(`<section aria-labelledby="control-h"><h2 id="control-h">${esc(t.hospitalPage.controlH)}</h2>
<p class="note">${esc(t.control.summaryNote)} <a href="help.html#control">${esc(t.nav.help)}</a></p>
${readingTable(set, rates, units, t.department, t)}
<p class="note">${esc(t.hospitalPage.controlNote)}</p>
${pc.map(fig).join('\n')}</section>`);
  }

  const pick = (ids: string[]) => ids.map((id) => entryOf(b, id)).filter((m): m is CatalogEntry => m !== undefined);
  const los = pick(['los_median', 'los_p90']);
  const daoh = pick(['daoh_30']);
  const trips = pick(['trips_per_patient', 'consolidation_ratio']);
  const series = monthRows(b.index, [...los, ...daoh, ...trips], units);
  const byDept = { param: 'department', value: ALL, select: dept.id };
  const seriesChart = (id: string, title: string, description: string, metrics: CatalogEntry[], overlay: boolean, unit: typeof byDept | { fixed: string }): Chart => ({
    id,
    title,
    description,
    spec: (overlay ? overlaySpec : stackedSpec)({ dataset: 'series', title, description, metrics, unit, t }),
    datasets: { series },
    keyMetrics: metrics.map((m) => m.id),
    table: monthTable('series', metrics, t, 'fixed' in unit ? { fixed: unit.fixed } : { param: unit.param }),
    name: 'fixed' in unit ? linesName(b, metrics, series, units, null, unit.fixed) : linesName(b, metrics, series, units, unit.param),
  });
  const more: Chart[] = [];
  if (los.length) more.push(seriesChart('los', t.hospitalPage.losTitle, t.hospitalPage.losDesc, los, true, byDept));
  if (daoh.length) more.push(seriesChart('daoh', t.hospitalPage.daohTitle, t.hospitalPage.daohDesc, daoh, false, byDept));
  if (trips.length) more.push(seriesChart('trips', t.hospitalPage.tripsTitle, t.hospitalPage.tripsDesc, trips, false, { fixed: ALL }));
  charts.push(...more);
  sections.push(...more.map((c) => figure(c, file, t, 2)));

  const body = `<p class="breadcrumb"><a href="index.html">${esc(t.nav.overview)}</a> › ${esc(t.nav.hospitals)}</p>
<h1>${esc(hospital)}</h1>
${departments.length ? '' : `<p class="note">${esc(t.hospitalPage.noDepartments)}</p>`}
${valueSection(b, [hospital])}
${controls(ctrls, hospital)}
${sections.join('\n')}`;
  return { file, title: hospital, html: page({ file, title: hospital, body, charts, ctx: b.ctx, nav: b.nav }), charts };
}
