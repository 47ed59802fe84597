/**
 * Number formats: d3-format strings for the charts (Vega applies the page's
 * locale) and a small deterministic formatter for text written at build time,
 * so golden files do not depend on the ICU data of the machine.
 */
import type { CatalogEntry, MetricKind } from '../metrics/types.js';
import type { Locale } from './types.js';

const VEGA_FORMAT: Record<MetricKind, string> = {
  count: ',.0f',
  sum: ',.1f',
  rate: '.1%',
  mean: ',.2f',
  quantile: ',.0f',
  ratio: ',.2f',
  oe: ',.2f',
  share: '.1%',
};

type Shape = Pick<CatalogEntry, 'kind' | 'unit'>;

/**
 * How a metric's values read: a ratio whose unit is a share (avoidable trips: the
 * share of trips that could have been saved) reads as a rate, in percent, and so does
 * a share of a weight (the DRG value paid for readmissions).
 */
export function displayKind(entry: Shape): MetricKind {
  if (entry.kind === 'share') return 'rate';
  return entry.kind === 'ratio' && /^share\b/i.test(entry.unit) ? 'rate' : entry.kind;
}

/** d3-format string for a metric's values. */
export function vegaFormat(entry: Shape): string {
  return VEGA_FORMAT[displayKind(entry)];
}

/** d3-format for numerators and denominators (sums of days or DRG weights may be fractional). */
export const COUNT_FORMAT = ',.4~f';

const MINUS = '\u2212';

/** `x` with `decimals` decimals, thousands grouped, in the locale's separators. */
export function formatNumber(x: number, decimals: number, locale: Locale): string {
  const [group, point] = locale === 'da' ? ['.', ','] : [',', '.'];
  const fixed = Math.abs(x).toFixed(decimals);
  const [int, frac] = fixed.split('.') as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const negative = x < 0 && Number(fixed) !== 0;
  return (negative ? MINUS : '') + grouped + (frac ? point + frac : '');
}

/** A signed number: `+1.2`, `−0.4`, `0.0`. */
export function formatSigned(x: number, decimals: number, locale: Locale): string {
  const s = formatNumber(x, decimals, locale);
  return x > 0 && Number(Math.abs(x).toFixed(decimals)) !== 0 ? '+' + s : s;
}

/** A metric value as text, as the charts show it. */
export function formatValue(v: number | null, entry: Shape, locale: Locale): string {
  if (v === null) return '';
  switch (displayKind(entry)) {
    case 'rate':
      return formatNumber(v * 100, 1, locale) + '%';
    case 'count':
    case 'quantile':
      return formatNumber(v, 0, locale);
    case 'sum':
      return formatNumber(v, 1, locale);
    default:
      return formatNumber(v, 2, locale);
  }
}

/**
 * The change from one year to the next as text: relative for counts and sums
 * (`+4.1%`), in percentage points for rates (`−1.2 pp`), absolute otherwise.
 */
export function formatChange(prev: number, value: number, entry: Shape, locale: Locale): string {
  switch (displayKind(entry)) {
    case 'count':
    case 'sum':
      return prev === 0 ? '' : formatSigned(((value - prev) / prev) * 100, 1, locale) + '%';
    case 'rate':
      return formatSigned((value - prev) * 100, 1, locale) + (locale === 'da' ? ' %-point' : ' pp');
    case 'quantile':
      return formatSigned(value - prev, 0, locale);
    default:
      return formatSigned(value - prev, 2, locale);
  }
}

/** Round to 6 significant digits: enough for any chart, and stable in golden files. */
export function round6(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(6));
}

/** Round to 4 significant digits: for derived statistics (limits, changes, z), shown at most to 0.1%. */
export function round4(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(4));
}
