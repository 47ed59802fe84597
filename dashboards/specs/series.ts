/** Monthly lines on a hospital page (length of stay, days alive out of hospital, trips) and on a metric page. */
import type { CatalogEntry } from '../../metrics/types.js';
import { vegaFormat } from '../format.js';
import type { Strings } from '../i18n.js';
import type { Spec } from '../types.js';
import { COLOURS, base, boundParam, exprString, monthX } from './common.js';
import { monthTooltip } from './trends.js';

export type UnitChoice = { param: string; value: string; select: string } | { fixed: string };

export interface SeriesOptions {
  dataset: string;
  title: string;
  description: string;
  /** Metrics sharing one unit of measure, drawn in one chart with a line each. */
  metrics: CatalogEntry[];
  unit: UnitChoice;
  t: Strings;
}

const LINE_STYLES = [
  { colour: COLOURS.better, dash: [] as number[] },
  { colour: COLOURS.worse, dash: [6, 3] },
];

function unitFilter(unit: UnitChoice): string {
  return 'fixed' in unit ? `datum.unit == ${exprString(unit.fixed)}` : `datum.unit == ${unit.param}`;
}

function unitParams(unit: UnitChoice): Spec {
  return 'fixed' in unit ? {} : { params: [boundParam(unit.param, unit.value, unit.select)] };
}

/** Metrics of one unit of measure overlaid (e.g. LOS median and p90): colour and dash tell them apart. */
export function overlaySpec(o: SeriesOptions): Spec {
  const ids = o.metrics.map((m) => m.id);
  const first = o.metrics[0]!;
  return {
    ...base(o.title, o.description),
    width: 560,
    height: 200,
    data: { name: o.dataset },
    ...unitParams(o.unit),
    transform: [{ filter: unitFilter(o.unit) }, { filter: { field: 'metric_id', oneOf: ids } }],
    layer: o.metrics.map((m, i) => ({
      transform: [{ filter: `datum.metric_id == ${exprString(m.id)}` }],
      encoding: {
        x: monthX(),
        y: { field: 'value', type: 'quantitative', title: first.unit, axis: { format: vegaFormat(first) }, scale: { zero: false } },
        color: { datum: m.title, type: 'nominal', title: null, scale: { domain: o.metrics.map((x) => x.title), range: o.metrics.map((_, j) => LINE_STYLES[j % 2]!.colour) } },
      },
      layer: [
        { mark: { type: 'line', strokeWidth: 2, strokeDash: LINE_STYLES[i % 2]!.dash } },
        { mark: { type: 'point', filled: true, size: 24 }, encoding: { tooltip: monthTooltip(m, o.t) } },
      ],
    })),
  };
}

/** Metrics of different units of measure stacked, one small chart each. */
export function stackedSpec(o: SeriesOptions): Spec {
  return {
    ...base(o.title, o.description),
    data: { name: o.dataset },
    ...unitParams(o.unit),
    transform: [{ filter: unitFilter(o.unit) }],
    vconcat: o.metrics.map((m) => ({
      title: { text: m.title, fontSize: 12, fontWeight: 'normal' },
      width: 560,
      height: 110,
      transform: [{ filter: `datum.metric_id == ${exprString(m.id)}` }],
      encoding: {
        x: monthX(),
        y: { field: 'value', type: 'quantitative', title: m.unit, axis: { format: vegaFormat(m) }, scale: { zero: false } },
      },
      layer: [
        { mark: { type: 'line', color: COLOURS.line, strokeWidth: 2 } },
        { mark: { type: 'point', filled: true, size: 24, color: COLOURS.line }, encoding: { tooltip: monthTooltip(m, o.t) } },
      ],
    })),
    spacing: 16,
  };
}

export interface MetricTrendOptions {
  dataset: string;
  title: string;
  description: string;
  entry: CatalogEntry;
  hospital: { value: string; select: string };
  allLabel: string;
  t: Strings;
}

/** Every hospital as a thin grey line, the chosen one in blue, all hospitals together in black. */
export function metricTrendSpec(o: MetricTrendOptions): Spec {
  const y = { field: 'value', type: 'quantitative', title: o.entry.unit, axis: { format: vegaFormat(o.entry) }, scale: { zero: false } };
  const tooltip = [{ field: 'label', title: o.t.hospital }, ...monthTooltip(o.entry, o.t)];
  return {
    ...base(o.title, o.description),
    width: 600,
    height: 280,
    data: { name: o.dataset },
    params: [boundParam('hospital', o.hospital.value, o.hospital.select)],
    encoding: { x: monthX(), y },
    layer: [
      {
        transform: [{ filter: "datum.unit != 'ALL' && datum.unit != hospital" }],
        mark: { type: 'line', color: COLOURS.background, strokeWidth: 1 },
        encoding: { detail: { field: 'unit' } },
      },
      {
        transform: [{ filter: "datum.unit == 'ALL'" }],
        layer: [
          { mark: { type: 'line', color: COLOURS.centre, strokeWidth: 2 } },
          { mark: { type: 'point', filled: true, size: 20, color: COLOURS.centre }, encoding: { tooltip } },
        ],
      },
      {
        transform: [{ filter: "datum.unit == hospital && datum.unit != 'ALL'" }],
        layer: [
          { mark: { type: 'line', color: COLOURS.highlight, strokeWidth: 2.5 } },
          { mark: { type: 'point', filled: true, size: 30, color: COLOURS.highlight }, encoding: { tooltip } },
        ],
      },
    ],
  };
}
