/**
 * The change of every metric from one year to the next, per unit: the
 * comparison of docs/reference/metrics.md#comparing that puts the activity view beside the outcome view.
 */
import type { CatalogEntry } from '../../metrics/types.js';
import { displayKind, formatChange, formatValue, round4, round6 } from '../format.js';
import type { DataRow, Locale } from '../types.js';
import type { YearPair } from './periods.js';
import type { RowIndex } from './rows.js';

/** Colour intensity saturates at this relative change (25%). */
export const SCORE_CAP = 0.25;
/** A relative change smaller than this (half a percent) reads as "no change". */
export const SAME = 0.005;

export type ChangeStatus = 'better' | 'worse' | 'up' | 'down' | 'same';

export interface Unit {
  /** hospital or department id, or ALL. */
  id: string;
  label: string;
  hospital: string;
  department: string;
}

export interface Change {
  rel: number | null;
  /** Relative change, signed so that positive is better for patients (activity: growth), capped. */
  score: number | null;
  status: ChangeStatus | null;
  text: string;
}

/**
 * z statistic of the difference between two proportions (two-proportion test with
 * the pooled rate), or null when either denominator is missing or zero.
 */
export function proportionZ(n1: number | null, d1: number | null, n2: number | null, d2: number | null): number | null {
  if (n1 === null || d1 === null || n2 === null || d2 === null || d1 <= 0 || d2 <= 0) return null;
  const p = (n1 + n2) / (d1 + d2);
  const se = Math.sqrt(p * (1 - p) * (1 / d1 + 1 / d2));
  if (se === 0) return n1 / d1 === n2 / d2 ? 0 : null;
  return (n2 / d2 - n1 / d1) / se;
}

/** Compare two values of a metric. A relative change of a zero value is undefined. */
export function change(prev: number, value: number, entry: CatalogEntry, locale: Locale): Change {
  const rel = prev === 0 ? (value === 0 ? 0 : null) : (value - prev) / Math.abs(prev);
  const sign = entry.direction === 'lower_is_better' ? -1 : 1;
  const score = rel === null ? null : Math.max(-SCORE_CAP, Math.min(SCORE_CAP, rel * sign));
  let status: ChangeStatus | null = null;
  if (rel !== null) {
    if (Math.abs(rel) < SAME) status = 'same';
    else if (entry.direction === 'neutral') status = rel > 0 ? 'up' : 'down';
    else status = rel * sign > 0 ? 'better' : 'worse';
  }
  return { rel, score, status, text: formatChange(prev, value, entry, locale) };
}

/**
 * One row per (unit, metric, year pair) with both years published. Cells with a
 * hidden or missing year are left out: the chart shows no mark for them.
 */
export function changeRows(index: RowIndex, catalog: CatalogEntry[], units: Unit[], pairs: YearPair[], locale: Locale): DataRow[] {
  const out: DataRow[] = [];
  for (const pair of pairs) {
    for (const u of units) {
      for (const entry of catalog) {
        const now = index.get(entry.id, pair.year, u.hospital, u.department);
        const before = index.get(entry.id, pair.previous, u.hospital, u.department);
        if (!now || !before || now.value === null || before.value === null) continue;
        const c = change(before.value, now.value, entry, locale);
        // A share of weights is no proportion of records: the two-proportion test would take
        // DRG weights for people and overstate its certainty, so it makes no story.
        const z = displayKind(entry) === 'rate' && entry.kind !== 'share' ? proportionZ(before.numerator, before.denominator, now.numerator, now.denominator) : null;
        out.push({
          year: pair.year,
          unit: u.id,
          label: u.label,
          metric_id: entry.id,
          metric: entry.title,
          view: entry.view,
          value: round6(now.value),
          numerator: round6(now.numerator),
          denominator: round6(now.denominator),
          prev: round6(before.value),
          prev_numerator: round6(before.numerator),
          prev_denominator: round6(before.denominator),
          value_text: formatValue(now.value, entry, locale),
          prev_text: formatValue(before.value, entry, locale),
          change_text: c.text,
          rel: round4(c.rel),
          score: round4(c.score),
          status: c.status,
          z: round4(z),
        });
      }
    }
  }
  return out;
}

/** Wide rows for the quadrant chart: per (unit, year), the score and change text of every metric. */
export function quadrantRows(changes: DataRow[]): DataRow[] {
  const byKey = new Map<string, DataRow>();
  for (const c of changes) {
    const k = `${c.year}\u0000${c.unit}`;
    let row = byKey.get(k);
    if (!row) byKey.set(k, (row = { year: c.year, unit: c.unit, label: c.label }));
    row[`s_${c.metric_id}`] = c.view === 'activity' ? c.rel! : c.score;
    row[`t_${c.metric_id}`] = c.change_text;
  }
  return [...byKey.values()];
}
