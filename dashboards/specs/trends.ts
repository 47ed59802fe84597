/** Monthly lines of several metrics for one chosen unit: one small chart per metric, each with its own scale. */
import type { CatalogEntry } from '../../metrics/types.js';
import { COUNT_FORMAT, vegaFormat } from '../format.js';
import type { Strings } from '../i18n.js';
import type { Spec } from '../types.js';
import { COLOURS, base, boundParam, exprString, monthX } from './common.js';

export interface TrendsOptions {
  dataset: string;
  title: string;
  description: string;
  metrics: CatalogEntry[];
  /** Name of the parameter choosing the unit, its default and the `<select>` it is bound to. */
  param: string;
  value: string;
  select: string;
  t: Strings;
}

/** Tooltip of a monthly point: month, value, numerator, denominator. */
export function monthTooltip(entry: CatalogEntry, t: Strings, valueField = 'value'): Record<string, unknown>[] {
  return [
    { field: 'period', type: 'temporal', timeUnit: 'utcyearmonth', title: t.month, format: '%B %Y' },
    { field: valueField, type: 'quantitative', title: entry.title, format: vegaFormat(entry) },
    { field: 'numerator', type: 'quantitative', title: t.numerator, format: COUNT_FORMAT },
    { field: 'denominator', type: 'quantitative', title: t.denominator, format: COUNT_FORMAT },
  ];
}

function small(entry: CatalogEntry, t: Strings): Spec {
  return {
    title: { text: entry.title, fontSize: 12, fontWeight: 'normal' },
    width: 300,
    height: 70,
    transform: [{ filter: `datum.metric_id == ${exprString(entry.id)}` }],
    encoding: {
      x: monthX(),
      y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false }, axis: { format: vegaFormat(entry), tickCount: 3 } },
    },
    layer: [
      { mark: { type: 'line', color: COLOURS.line, strokeWidth: 1.5 } },
      { mark: { type: 'point', filled: true, size: 18, color: COLOURS.line }, encoding: { tooltip: monthTooltip(entry, t) } },
    ],
  };
}

/** Small multiples of monthly values, two columns, following the unit parameter. */
export function trendsSpec(o: TrendsOptions): Spec {
  return {
    ...base(o.title, o.description),
    data: { name: o.dataset },
    params: [boundParam(o.param, o.value, o.select)],
    transform: [{ filter: `datum.unit == ${o.param}` }],
    concat: o.metrics.map((m) => small(m, o.t)),
    columns: 2,
    spacing: { row: 16, column: 32 },
    resolve: { scale: { y: 'independent' } },
  };
}
