/** One point per unit: change in a chosen activity metric against change in a chosen outcome metric. */
import type { CatalogEntry } from '../../metrics/types.js';
import type { Strings } from '../i18n.js';
import type { Spec } from '../types.js';
import { COLOURS, base, boundParam, exprString } from './common.js';

export interface QuadrantOptions {
  dataset: string;
  title: string;
  description: string;
  activity: CatalogEntry[];
  outcome: CatalogEntry[];
  act: string;
  out: string;
  year: string;
  selects: { act: string; out: string; year: string };
  unitTitle: string;
  t: Strings;
}

/** Axis range: ±30%, changes beyond it sit on the edge. */
const RANGE = 0.3;

function titleMap(entries: CatalogEntry[]): string {
  return '{' + entries.map((e) => `${exprString(e.id)}: ${exprString(e.title)}`).join(', ') + '}';
}

export function quadrantSpec(o: QuadrantOptions): Spec {
  const [upRightText, downRightText, upLeftText, downLeftText] = o.t.overview.quadrants;
  const corner = (text: string, right: boolean, top: boolean) => ({
    mark: { type: 'text', align: right ? 'right' : 'left', baseline: top ? 'top' : 'bottom', dx: right ? -4 : 4, dy: top ? 4 : -4, color: '#555555', fontStyle: 'italic' },
    data: { values: [{}] },
    encoding: { x: { value: right ? 'width' : 0 }, y: { value: top ? 0 : 'height' }, text: { value: text } },
  });
  const scale = { domain: [-RANGE, RANGE], clamp: true, nice: false };
  return {
    ...base(o.title, o.description),
    width: 520,
    height: 360,
    params: [boundParam('act', o.act, o.selects.act), boundParam('out', o.out, o.selects.out), boundParam('year', o.year, o.selects.year)],
    layer: [
      { mark: { type: 'rule', color: '#999999' }, data: { values: [{ zero: 0 }] }, encoding: { x: { field: 'zero', type: 'quantitative', scale } } },
      { mark: { type: 'rule', color: '#999999' }, data: { values: [{ zero: 0 }] }, encoding: { y: { field: 'zero', type: 'quantitative', scale } } },
      corner(upRightText, true, true),
      corner(downRightText, true, false),
      corner(upLeftText, false, true),
      corner(downLeftText, false, false),
      {
        data: { name: o.dataset },
        transform: [
          { filter: 'datum.year == year' },
          { calculate: "datum['s_' + act]", as: 'x' },
          { calculate: "datum['s_' + out]", as: 'y' },
          { calculate: "datum['t_' + act]", as: 'x_text' },
          { calculate: "datum['t_' + out]", as: 'y_text' },
          { calculate: `${titleMap(o.activity)}[act]`, as: 'act_title' },
          { calculate: `${titleMap(o.outcome)}[out]`, as: 'out_title' },
          { filter: 'isValid(datum.x) && isValid(datum.y)' },
        ],
        encoding: {
          x: { field: 'x', type: 'quantitative', scale, title: o.t.overview.quadX, axis: { format: '+.0%' } },
          y: { field: 'y', type: 'quantitative', scale, title: o.t.overview.quadY, axis: { format: '+.0%' } },
          tooltip: [
            { field: 'label', title: o.unitTitle },
            { field: 'act_title', title: o.t.activityMetric },
            { field: 'x_text', title: o.t.change },
            { field: 'out_title', title: o.t.outcomeMetric },
            { field: 'y_text', title: o.t.change },
          ],
        },
        layer: [
          {
            mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
            encoding: {
              color: {
                condition: { test: 'datum.y < 0', value: COLOURS.worse },
                value: COLOURS.better,
              },
              shape: { condition: { test: 'datum.y < 0', value: 'triangle-down' }, value: 'circle' },
            },
          },
          { mark: { type: 'text', align: 'left', dx: 7, fontSize: 10 }, encoding: { text: { field: 'label' } } },
        ],
      },
    ],
  };
}
