/** A p-chart of one rate metric for one chosen unit, with its signals marked (Making Data Count). */
import type { CatalogEntry } from '../../metrics/types.js';
import { COUNT_FORMAT, vegaFormat } from '../format.js';
import type { Strings } from '../i18n.js';
import type { Spec } from '../types.js';
import { COLOURS, base, boundParam, exprString, monthX } from './common.js';

export interface PChartSpecOptions {
  points: string;
  summary: string;
  entry: CatalogEntry;
  title: string;
  description: string;
  /** Follow a unit parameter, or show one fixed unit (hospital-level metrics on a hospital page). */
  unit: { param: string; value: string; select: string } | { fixed: string };
  t: Strings;
}

/** Point classes in legend order, with their colour. */
export function pchartClasses(t: Strings): { key: string; label: string; colour: string }[] {
  const c = t.control.classes;
  return [
    { key: 'common', label: c.common!, colour: COLOURS.common },
    { key: 'improving', label: c.improving!, colour: COLOURS.better },
    { key: 'deteriorating', label: c.deteriorating!, colour: COLOURS.worse },
    { key: 'higher', label: c.higher!, colour: COLOURS.neutral },
    { key: 'lower', label: c.lower!, colour: COLOURS.neutral },
  ];
}

export function pchartSpec(o: PChartSpecOptions): Spec {
  const unitTest = 'fixed' in o.unit ? `datum.unit == ${exprString(o.unit.fixed)}` : `datum.unit == ${o.unit.param}`;
  const filter = `${unitTest} && datum.metric_id == ${exprString(o.entry.id)}`;
  const fmt = vegaFormat(o.entry);
  const y = { type: 'quantitative', title: null, axis: { format: fmt }, scale: { zero: false } };
  const limitLine = (field: string, dashed: boolean, colour: string) => ({
    mark: { type: 'line', color: colour, strokeWidth: 1.2, ...(dashed ? { strokeDash: [5, 4] } : {}) },
    encoding: { x: monthX(), y: { ...y, field } },
  });
  const classes = pchartClasses(o.t).filter((c) =>
    o.entry.direction === 'neutral' ? c.key !== 'improving' && c.key !== 'deteriorating' : c.key !== 'higher' && c.key !== 'lower',
  );
  return {
    ...base(o.title, o.description),
    title: { text: o.title, offset: 20 },
    width: 560,
    height: 220,
    ...('fixed' in o.unit ? {} : { params: [boundParam(o.unit.param, o.unit.value, o.unit.select)] }),
    layer: [
      {
        data: { name: o.summary },
        transform: [{ filter }, { filter: 'isValid(datum.baseline_from)' }],
        mark: { type: 'rect', color: COLOURS.baseline },
        encoding: {
          x: { ...monthX(), field: 'baseline_from' },
          x2: { field: 'baseline_end', timeUnit: 'utcyearmonth' },
          tooltip: [{ field: 'baseline_text', title: o.t.control.baseline }],
        },
      },
      {
        data: { name: o.points },
        transform: [{ filter }],
        layer: [
          limitLine('ucl', true, COLOURS.limit),
          limitLine('lcl', true, COLOURS.limit),
          limitLine('cl', false, COLOURS.centre),
          { mark: { type: 'line', color: COLOURS.background, strokeWidth: 1.5 }, encoding: { x: monthX(), y: { ...y, field: 'p' } } },
          {
            mark: { type: 'point', filled: true, opacity: 1 },
            encoding: {
              x: monthX(),
              y: { ...y, field: 'p' },
              color: { field: 'reading', type: 'nominal', title: null, scale: { domain: classes.map((c) => c.label), range: classes.map((c) => c.colour) } },
              // Colour says better or worse; the triangle points the way the rate moved.
              shape: {
                condition: [
                  { test: "datum.dir == 'up'", value: 'triangle-up' },
                  { test: "datum.dir == 'down'", value: 'triangle-down' },
                ],
                value: 'circle',
              },
              size: { condition: { test: "datum.cls != 'common'", value: 70 }, value: 30 },
              tooltip: [
                { field: 'period', type: 'temporal', timeUnit: 'utcyearmonth', title: o.t.month, format: '%B %Y' },
                { field: 'p', type: 'quantitative', title: o.entry.title, format: fmt },
                { field: 'numerator', type: 'quantitative', title: o.t.numerator, format: COUNT_FORMAT },
                { field: 'denominator', type: 'quantitative', title: o.t.denominator, format: COUNT_FORMAT },
                { field: 'cl', type: 'quantitative', title: o.t.control.centre, format: fmt },
                { field: 'lcl', type: 'quantitative', title: o.t.control.lower, format: fmt },
                { field: 'ucl', type: 'quantitative', title: o.t.control.upper, format: fmt },
                { field: 'reading', title: o.t.control.signal },
                { field: 'rule', title: o.t.control.rule },
              ],
            },
          },
        ],
      },
      {
        data: { name: o.summary },
        transform: [{ filter }],
        mark: { type: 'text', align: 'left', baseline: 'bottom', fontSize: 12, fontWeight: 'bold' },
        encoding: { x: { value: 0 }, y: { value: -4 }, text: { field: 'status_text' } },
      },
    ],
  };
}
