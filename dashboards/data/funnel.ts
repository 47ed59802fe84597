/**
 * Funnel plots: each unit's rate against its volume, with control limits around
 * the overall rate from the normal approximation to the binomial,
 * p ± z·√(p(1−p)/n), at 95% (z = 1.96) and 99.8% (z = 3.09). Units are never ranked.
 */
import type { Direction } from '../../metrics/types.js';

export const Z95 = 1.959964;
export const Z998 = 3.090232;

/** Where a unit falls: inside the 95% limits, between 95% and 99.8%, or beyond 99.8%. */
export type FunnelBand = 'within' | 'beyond95' | 'beyond998';
/** Which way a point outside the limits lies, read with the metric's direction. */
export type FunnelSide = 'better' | 'worse' | 'higher' | 'lower';

export interface FunnelInput {
  unit: string;
  numerator: number;
  denominator: number;
}

export interface FunnelPoint extends FunnelInput {
  value: number;
  band: FunnelBand;
  side: FunnelSide | null;
}

export interface FunnelLimit {
  n: number;
  lo95: number;
  hi95: number;
  lo998: number;
  hi998: number;
}

export interface Funnel {
  centre: number;
  points: FunnelPoint[];
  /** The limit curves sampled over the volumes shown. */
  limits: FunnelLimit[];
}

/** Control limits at volume n around rate p, clipped to [0, 1]. */
export function limitsAt(p: number, n: number): FunnelLimit {
  const sd = Math.sqrt((p * (1 - p)) / n);
  const clip = (x: number) => Math.min(1, Math.max(0, x));
  return { n, lo95: clip(p - Z95 * sd), hi95: clip(p + Z95 * sd), lo998: clip(p - Z998 * sd), hi998: clip(p + Z998 * sd) };
}

/**
 * Funnel of units (with denominator > 0) around `centre`, the overall rate of the
 * population they belong to. The limit curves run from half the smallest to a
 * tenth beyond the largest volume, `samples` points spaced evenly on a log scale.
 */
export function funnel(units: FunnelInput[], centre: number, direction: Direction, samples = 40): Funnel {
  const shown = units.filter((u) => u.denominator > 0);
  const points = shown.map((u) => {
    const value = u.numerator / u.denominator;
    const l = limitsAt(centre, u.denominator);
    const band: FunnelBand = value > l.hi998 || value < l.lo998 ? 'beyond998' : value > l.hi95 || value < l.lo95 ? 'beyond95' : 'within';
    return { ...u, value, band, side: band === 'within' ? null : sideOf(value > centre, direction) };
  });
  const limits: FunnelLimit[] = [];
  if (shown.length > 0) {
    const lo = Math.max(1, Math.min(...shown.map((u) => u.denominator)) / 2);
    const hi = Math.max(...shown.map((u) => u.denominator)) * 1.1;
    for (let i = 0; i < samples; i++) {
      const n = lo * Math.pow(hi / lo, i / (samples - 1));
      limits.push(limitsAt(centre, n));
    }
  }
  return { centre, points, limits };
}

function sideOf(above: boolean, direction: Direction): FunnelSide {
  if (direction === 'neutral') return above ? 'higher' : 'lower';
  return above === (direction === 'higher_is_better') ? 'better' : 'worse';
}
