/**
 * The datasets embedded in pages, built from published rows: monthly values,
 * funnel points and limits, p-chart points and summaries. Hidden cells stay as
 * rows with null numbers where a line must break; funnel and p-chart statistics
 * use the numerators and denominators of shown cells only.
 */
import type { CatalogEntry } from '../../metrics/types.js';
import { round4, round6 } from '../format.js';
import type { Strings } from '../i18n.js';
import type { DataRow } from '../types.js';
import type { Unit } from './changes.js';
import { funnel } from './funnel.js';
import { pchart, type PChart, type SeriesPoint } from './pchart.js';
import type { RowIndex } from './rows.js';

/** Monthly rows {unit, metric_id, period, value, numerator, denominator} of the given units and metrics. */
export function monthRows(index: RowIndex, metrics: CatalogEntry[], units: Unit[], extra: (u: Unit) => DataRow = () => ({})): DataRow[] {
  const out: DataRow[] = [];
  for (const m of metrics) {
    for (const u of units) {
      for (const period of index.months(m.id, u.hospital, u.department)) {
        const r = index.get(m.id, period, u.hospital, u.department)!;
        out.push({
          unit: u.id,
          ...extra(u),
          metric_id: m.id,
          period,
          value: round6(r.value),
          numerator: round6(r.numerator),
          denominator: round6(r.denominator),
        });
      }
    }
  }
  return out;
}

/**
 * Funnel plot data of `units` (points) around `centre` (the unit whose rate is the
 * overall rate), for every metric and period. When the centre cell is hidden, the
 * overall rate is the pooled rate of the shown points.
 */
export function funnelRows(
  index: RowIndex,
  metrics: CatalogEntry[],
  units: Unit[],
  centre: Unit,
  periods: string[],
  t: Strings,
): { points: DataRow[]; limits: DataRow[] } {
  const points: DataRow[] = [];
  const limits: DataRow[] = [];
  for (const m of metrics) {
    for (const period of periods) {
      const inputs = units.flatMap((u) => {
        const r = index.get(m.id, period, u.hospital, u.department);
        return r && r.numerator !== null && r.denominator !== null && r.denominator > 0 ? [{ unit: u.id, numerator: r.numerator, denominator: r.denominator }] : [];
      });
      if (inputs.length === 0) continue;
      const c = index.get(m.id, period, centre.hospital, centre.department);
      const pooled = inputs.reduce((a, u) => [a[0]! + u.numerator, a[1]! + u.denominator], [0, 0]);
      const p = c && c.numerator !== null && c.denominator ? c.numerator / c.denominator : pooled[0]! / pooled[1]!;
      const f = funnel(inputs, p, m.direction);
      const label = new Map(units.map((u) => [u.id, u.label]));
      for (const pt of f.points) {
        const key = pt.band === 'within' ? 'within' : `${pt.band}_${pt.side}`;
        points.push({
          metric_id: m.id,
          period,
          unit: pt.unit,
          label: label.get(pt.unit)!,
          numerator: round6(pt.numerator),
          denominator: round6(pt.denominator),
          value: round4(pt.value),
          band: pt.band,
          position: key === 'within' ? t.funnels.bands.within! : `${t.funnels.bands[pt.band]}: ${t.funnels.sides[pt.side!]}`,
        });
      }
      for (const l of f.limits) {
        limits.push({
          metric_id: m.id,
          period,
          n: round4(l.n),
          centre: round4(p),
          lo95: round4(l.lo95),
          hi95: round4(l.hi95),
          lo998: round4(l.lo998),
          hi998: round4(l.hi998),
        });
      }
    }
  }
  return { points, limits };
}

export interface PChartSet {
  points: DataRow[];
  summary: DataRow[];
  /** Per metric, per unit id: the computed chart (for the HTML summary table). */
  charts: Map<string, Map<string, PChart>>;
}

const nextMonth = (p: string): string => {
  const [y, m] = p.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * A unit's monthly series from its rows, with one empty point wherever months without a
 * row lie between two rows. A run of empty months breaks a p-chart's runs exactly as one
 * empty point does, so the chart is the same as over every calendar month, at a cost that
 * grows with the rows instead of with the span of dates (a stay open since 1900).
 */
function unitSeries(index: RowIndex, metric: string, u: Unit): { series: SeriesPoint[]; hasRow: boolean[] } {
  const series: SeriesPoint[] = [];
  const hasRow: boolean[] = [];
  let prev: string | undefined;
  for (const period of index.months(metric, u.hospital, u.department)) {
    if (prev !== undefined && period !== nextMonth(prev)) {
      series.push({ period: nextMonth(prev), numerator: null, denominator: null });
      hasRow.push(false);
    }
    const r = index.get(metric, period, u.hospital, u.department)!;
    series.push({ period, numerator: r.numerator, denominator: r.denominator });
    hasRow.push(true);
    prev = period;
  }
  return { series, hasRow };
}

/** p-charts of every (metric, unit) over the months of the data; units without rows for a metric are left out. */
export function pchartRows(index: RowIndex, metrics: CatalogEntry[], units: Unit[], t: Strings): PChartSet {
  const points: DataRow[] = [];
  const summary: DataRow[] = [];
  const charts = new Map<string, Map<string, PChart>>();
  for (const m of metrics) {
    const perUnit = new Map<string, PChart>();
    charts.set(m.id, perUnit);
    for (const u of units) {
      const { series, hasRow } = unitSeries(index, m.id, u);
      if (series.length === 0) continue;
      const chart = pchart(series, m.direction);
      perUnit.set(u.id, chart);
      for (const [i, pt] of chart.points.entries()) {
        if (!hasRow[i]) continue;
        const cls = pt.p === null ? null : (pt.signal ?? 'common');
        points.push({
          unit: u.id,
          metric_id: m.id,
          period: pt.period,
          p: round4(pt.p),
          numerator: round6(pt.numerator),
          denominator: round6(pt.denominator),
          cl: round4(pt.cl),
          ucl: round4(pt.ucl),
          lcl: round4(pt.lcl),
          cls,
          dir: pt.side === null ? null : pt.side > 0 ? 'up' : 'down',
          reading: cls === null ? null : t.control.classes[cls]!,
          rule: pt.rule === null ? null : t.control.rules[pt.rule],
        });
      }
      const s = chart.summary;
      summary.push({
        unit: u.id,
        metric_id: m.id,
        status: s.status,
        status_text: `${t.control.latest}: ${t.control.status[s.status]}${s.rule ? ` (${t.control.rules[s.rule]})` : ''}`,
        baseline_from: chart.baseline?.from ?? null,
        baseline_end: chart.baseline ? nextMonth(chart.baseline.to) : null,
        baseline_text: chart.baseline ? `${chart.baseline.from} – ${chart.baseline.to}` : null,
      });
    }
  }
  return { points, summary, charts };
}
