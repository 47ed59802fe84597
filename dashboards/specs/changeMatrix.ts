/** The year-on-year change of every metric per unit: activity on the left, outcomes on the right. */
import type { CatalogEntry, View } from '../../metrics/types.js';
import { COUNT_FORMAT } from '../format.js';
import type { Strings } from '../i18n.js';
import { SCORE_CAP } from '../data/changes.js';
import type { Spec } from '../types.js';
import { base, boundParam } from './common.js';

export interface ChangeMatrixOptions {
  dataset: string;
  title: string;
  description: string;
  metrics: CatalogEntry[];
  /** Unit labels, top to bottom (never sorted by value: no league tables). */
  unitLabels: string[];
  unitTitle: string;
  year: string;
  yearSelect: string;
  t: Strings;
}

const SCHEMES: Record<View, { scheme: string; reverse: boolean }> = {
  // Purple–green for more/less activity, which is neither good nor bad in itself.
  activity: { scheme: 'purplegreen', reverse: false },
  // Blue for better, orange for worse: positive scores are better, so reverse blue→orange.
  outcome: { scheme: 'blueorange', reverse: true },
};

function panel(view: View, o: ChangeMatrixOptions): Spec {
  const metrics = o.metrics.filter((m) => m.view === view);
  const { scheme, reverse } = SCHEMES[view];
  return {
    title: { text: o.t.views[view], fontSize: 13 },
    width: metrics.length * 46,
    height: o.unitLabels.length * 24,
    transform: [{ filter: `datum.view == '${view}'` }],
    encoding: {
      x: {
        field: 'metric',
        type: 'nominal',
        sort: metrics.map((m) => m.title),
        scale: { domain: metrics.map((m) => m.title) },
        title: null,
        axis: { orient: 'bottom', labelAngle: -40, labelAlign: 'right', labelLimit: 260, domain: false, ticks: false },
      },
      y: {
        field: 'label',
        type: 'nominal',
        sort: o.unitLabels,
        scale: { domain: o.unitLabels },
        title: null,
        axis: { labelLimit: 260, domain: false, ticks: false },
      },
      tooltip: [
        { field: 'label', title: o.unitTitle },
        { field: 'metric', title: o.t.metric },
        { field: 'prev_text', title: o.t.yearBefore },
        { field: 'value_text', title: o.t.thisYear },
        { field: 'change_text', title: o.t.change },
        { field: 'numerator', title: o.t.numerator, format: COUNT_FORMAT },
        { field: 'denominator', title: o.t.denominator, format: COUNT_FORMAT },
        { field: 'value', title: o.t.value, format: '.4~f' },
      ],
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'score', type: 'quantitative', scale: { scheme, reverse, domain: [-SCORE_CAP, SCORE_CAP], clamp: true }, legend: null },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'change_text' },
          color: { condition: { test: `abs(datum.score) > ${SCORE_CAP * 0.6}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** The change matrix: one row per unit, one column per metric, two panels (activity | outcomes). */
export function changeMatrixSpec(o: ChangeMatrixOptions): Spec {
  return {
    ...base(o.title, o.description),
    data: { name: o.dataset },
    params: [boundParam('year', o.year, o.yearSelect)],
    transform: [{ filter: 'datum.year == year' }],
    hconcat: [panel('activity', o), panel('outcome', o)],
    spacing: 24,
    resolve: { scale: { color: 'independent' } },
  };
}
