/**
 * p-charts with the special-cause rules of NHS England's "Making Data Count":
 * limits at 3 sigma around the centre line of the unit's own baseline, and three
 * signals — a point outside the limits, a shift (8 or more points in a row on one
 * side of the centre line), a trend (6 points in a row each higher, or each lower,
 * than the one before). Everything else is common-cause variation: noise.
 */
import type { Direction } from '../../metrics/types.js';

export interface SeriesPoint {
  period: string;
  /** null: hidden by small-cell suppression, or no row for the month. */
  numerator: number | null;
  denominator: number | null;
}

export type Rule = 'outside' | 'shift' | 'trend';
/** Improving/deteriorating for metrics with a direction; higher/lower for neutral ones. */
export type Signal = 'improving' | 'deteriorating' | 'higher' | 'lower';
export type Status = Signal | 'no_signal' | 'too_few';

export interface PChartPoint extends SeriesPoint {
  p: number | null;
  cl: number | null;
  ucl: number | null;
  lcl: number | null;
  /** The point belongs to the baseline the centre line and limits come from. */
  baseline: boolean;
  rule: Rule | null;
  signal: Signal | null;
  /** Which way the signal points: 1 above the centre line or rising, −1 below or falling. */
  side: 1 | -1 | null;
}

export interface PChart {
  points: PChartPoint[];
  centre: number | null;
  baseline: { from: string; to: string; count: number } | null;
  /** The reading of the latest shown month, as Making Data Count summarises a chart. */
  summary: { status: Status; rule: Rule | null; period: string | null };
}

export const PCHART_RULES = {
  /** The baseline is the first this many shown months; fewer shown months: no limits. */
  baselinePoints: 12,
  sigma: 3,
  shiftRun: 8,
  trendRun: 6,
} as const;

type Side = 1 | -1;

/**
 * The p-chart of one unit's monthly series (ordered by month, hidden months with null
 * counts; one null point may stand for several months without a row, since any number
 * of them breaks a run alike). A hidden month breaks runs: nothing is claimed
 * about what cannot be seen. A point on the centre line breaks a shift, and an equal
 * value breaks a trend.
 */
export function pchart(series: SeriesPoint[], direction: Direction, rules = PCHART_RULES): PChart {
  const points: PChartPoint[] = series.map((s) => ({
    ...s,
    p: s.numerator !== null && s.denominator !== null && s.denominator > 0 ? s.numerator / s.denominator : null,
    cl: null,
    ucl: null,
    lcl: null,
    baseline: false,
    rule: null,
    signal: null,
    side: null,
  }));
  const shown = points.filter((p) => p.p !== null);
  if (shown.length < rules.baselinePoints) {
    return { points, centre: null, baseline: null, summary: { status: 'too_few', rule: null, period: shown.at(-1)?.period ?? null } };
  }
  const base = shown.slice(0, rules.baselinePoints);
  const cl = sum(base.map((p) => p.numerator!)) / sum(base.map((p) => p.denominator!));
  const baseEnd = base[base.length - 1]!.period;
  for (const pt of points) {
    pt.baseline = pt.period <= baseEnd;
    if (pt.p === null) continue;
    const sd = Math.sqrt((cl * (1 - cl)) / pt.denominator!);
    pt.cl = cl;
    pt.ucl = Math.min(1, cl + rules.sigma * sd);
    pt.lcl = Math.max(0, cl - rules.sigma * sd);
  }

  const side: (Side | null)[] = points.map(() => null);
  const rule: (Rule | null)[] = points.map(() => null);
  const mark = (i: number, r: Rule, s: Side) => {
    // Precedence outside > shift > trend: the first rule to claim a point keeps it.
    if (rule[i] === null) {
      rule[i] = r;
      side[i] = s;
    }
  };
  points.forEach((pt, i) => {
    if (pt.p === null) return;
    if (pt.p > pt.ucl!) mark(i, 'outside', 1);
    else if (pt.p < pt.lcl!) mark(i, 'outside', -1);
  });
  for (const run of runs(points, (pt) => (pt.p === null || pt.p === cl ? null : pt.p > cl ? 1 : -1))) {
    if (run.end - run.start >= rules.shiftRun) for (let i = run.start; i < run.end; i++) mark(i, 'shift', run.side);
  }
  for (const run of trendRuns(points)) {
    if (run.end - run.start >= rules.trendRun) for (let i = run.start; i < run.end; i++) mark(i, 'trend', run.side);
  }
  points.forEach((pt, i) => {
    pt.rule = rule[i]!;
    pt.side = side[i]!;
    pt.signal = side[i] === null ? null : signalOf(side[i]!, direction);
  });

  const last = shown[shown.length - 1]!;
  return {
    points,
    centre: cl,
    baseline: { from: base[0]!.period, to: baseEnd, count: base.length },
    summary: { status: last.signal ?? 'no_signal', rule: last.rule, period: last.period },
  };
}

function signalOf(side: Side, direction: Direction): Signal {
  if (direction === 'neutral') return side > 0 ? 'higher' : 'lower';
  return (side > 0) === (direction === 'higher_is_better') ? 'improving' : 'deteriorating';
}

interface Run {
  start: number;
  /** Exclusive. */
  end: number;
  side: Side;
}

/** Maximal runs of consecutive points with the same non-null side. */
function runs<T>(items: T[], sideOf: (t: T) => Side | null): Run[] {
  const out: Run[] = [];
  let start = 0;
  let current: Side | null = null;
  items.forEach((t, i) => {
    const s = sideOf(t);
    if (s !== current) {
      if (current !== null) out.push({ start, end: i, side: current });
      start = i;
      current = s;
    }
  });
  if (current !== null) out.push({ start, end: items.length, side: current });
  return out;
}

/** Maximal runs of shown points each strictly above (or below) the one before. */
function trendRuns(points: PChartPoint[]): Run[] {
  // A step is the move into point i from i-1; a run of k equal steps spans k+1 points.
  const step = (i: number): Side | null => {
    const a = points[i - 1]?.p ?? null;
    const b = points[i]!.p;
    if (a === null || b === null || a === b) return null;
    return b > a ? 1 : -1;
  };
  const steps = points.map((_, i) => (i === 0 ? null : step(i)));
  return runs(steps, (s) => s).map((r) => ({ start: r.start - 1, end: r.end, side: r.side }));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
