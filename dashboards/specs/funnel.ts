/** A funnel plot of one rate metric: units at their volume and rate, limits around the overall rate. */
import type { CatalogEntry } from '../../metrics/types.js';
import { COUNT_FORMAT, vegaFormat } from '../format.js';
import type { Strings } from '../i18n.js';
import type { Spec } from '../types.js';
import { COLOURS, base, boundParam, exprString } from './common.js';

export interface FunnelSpecOptions {
  points: string;
  limits: string;
  entry: CatalogEntry;
  title: string;
  description: string;
  period: string;
  periodSelect: string;
  unitTitle: string;
  t: Strings;
}

/** Text of a point's position, in the order the legend lists them, with its colour. */
export function funnelPositions(t: Strings): { key: string; label: string; colour: string }[] {
  const f = t.funnels;
  const at = (band: string, side: string) => `${f.bands[band]}: ${f.sides[side]}`;
  return [
    { key: 'within', label: f.bands.within!, colour: COLOURS.common },
    { key: 'beyond95_better', label: at('beyond95', 'better'), colour: '#56B4E9' },
    { key: 'beyond998_better', label: at('beyond998', 'better'), colour: COLOURS.better },
    { key: 'beyond95_worse', label: at('beyond95', 'worse'), colour: '#E69F00' },
    { key: 'beyond998_worse', label: at('beyond998', 'worse'), colour: COLOURS.worse },
    { key: 'beyond95_higher', label: at('beyond95', 'higher'), colour: COLOURS.neutral },
    { key: 'beyond998_higher', label: at('beyond998', 'higher'), colour: COLOURS.neutral },
    { key: 'beyond95_lower', label: at('beyond95', 'lower'), colour: COLOURS.neutral },
    { key: 'beyond998_lower', label: at('beyond998', 'lower'), colour: COLOURS.neutral },
  ];
}

export function funnelSpec(o: FunnelSpecOptions): Spec {
  const metric = `datum.metric_id == ${exprString(o.entry.id)} && datum.period == period`;
  const fmt = vegaFormat(o.entry);
  const x = { field: 'n', type: 'quantitative', title: o.t.funnels.x, axis: { format: ',.0f' } };
  const y = { type: 'quantitative', title: o.t.funnels.y, axis: { format: fmt }, scale: { zero: false } };
  const limit = (field: string, dashed: boolean) => ({
    mark: { type: 'line', color: COLOURS.limit, strokeWidth: 1.2, ...(dashed ? { strokeDash: [5, 4] } : {}) },
    encoding: { x, y: { ...y, field } },
  });
  const positions = funnelPositions(o.t).filter((p) => p.key === 'within' || p.key.endsWith(o.entry.direction === 'neutral' ? 'higher' : 'better') || p.key.endsWith(o.entry.direction === 'neutral' ? 'lower' : 'worse'));
  return {
    ...base(o.title, o.description),
    width: 480,
    height: 300,
    params: [boundParam('period', o.period, o.periodSelect)],
    layer: [
      {
        data: { name: o.limits },
        transform: [{ filter: metric }],
        layer: [
          limit('lo998', false),
          limit('hi998', false),
          limit('lo95', true),
          limit('hi95', true),
          {
            mark: { type: 'line', color: COLOURS.centre, strokeWidth: 1 },
            encoding: { x, y: { ...y, field: 'centre' }, tooltip: [{ field: 'centre', title: o.t.funnels.centre, format: fmt }] },
          },
        ],
      },
      {
        data: { name: o.points },
        transform: [{ filter: metric }],
        encoding: {
          x: { ...x, field: 'denominator' },
          y: { ...y, field: 'value' },
          tooltip: [
            { field: 'label', title: o.unitTitle },
            { field: 'numerator', type: 'quantitative', title: o.t.numerator, format: COUNT_FORMAT },
            { field: 'denominator', type: 'quantitative', title: o.t.denominator, format: COUNT_FORMAT },
            { field: 'value', type: 'quantitative', title: o.entry.title, format: fmt },
            { field: 'position', title: o.t.funnels.position },
          ],
        },
        layer: [
          {
            mark: { type: 'point', filled: true, opacity: 0.9 },
            encoding: {
              color: {
                field: 'position',
                type: 'nominal',
                title: o.t.funnels.position,
                legend: { orient: 'right', direction: 'vertical', labelLimit: 280 },
                scale: { domain: positions.map((p) => p.label), range: positions.map((p) => p.colour) },
              },
              shape: { condition: { test: "datum.band == 'within'", value: 'circle' }, value: 'diamond' },
              size: { condition: { test: "datum.band == 'beyond998'", value: 110 }, value: 55 },
            },
          },
          {
            // Labels only beyond 99.8%, by condition rather than filter: an empty layer would warn about its extent.
            mark: { type: 'text', align: 'left', dx: 8, fontSize: 11 },
            encoding: { text: { condition: { test: "datum.band == 'beyond998'", field: 'label' }, value: '' } },
          },
        ],
      },
    ],
  };
}
