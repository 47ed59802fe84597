/**
 * Number formats: d3-format strings for the charts (Vega applies the page's
 * locale) and a small deterministic formatter for text written at build time,
 * so golden files do not depend on the ICU data of the machine. Dates on
 * Danish pages are written with date-fns' Danish month names.
 */
import { format } from 'date-fns';
import { da } from 'date-fns/locale';
import { isShare } from '../metrics/catalog.js';
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
  return isShare(entry) ? 'rate' : entry.kind;
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

/** The percent sign as each locale writes it: Danish puts a (non-breaking) space before it, as the charts do. */
const PERCENT: Record<Locale, string> = { en: '%', da: '\u00a0%' };

/** A metric value as text, as the charts show it. */
export function formatValue(v: number | null, entry: Shape, locale: Locale): string {
  if (v === null) return '';
  switch (displayKind(entry)) {
    case 'rate':
      return formatNumber(v * 100, 1, locale) + PERCENT[locale];
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
      return prev === 0 ? '' : formatSigned(((value - prev) / prev) * 100, 1, locale) + PERCENT[locale];
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

/**
 * A date or timestamp (`YYYY-MM-DD`, optionally with ` HH:MM[:SS]`) as a reader of the locale
 * writes it. English keeps the ISO text; Danish reads "31. december 2024" and, with a time,
 * "31. december 2024 kl. 17.45" (a cutoff at 23:59 is the whole day). Other text is returned as is.
 */
export function formatDate(text: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/.exec(text);
  if (locale === 'en' || !m) return text;
  const [, y, mo, d, h, mi] = m;
  // Noon: no time zone or daylight-saving change moves the day.
  const day = format(new Date(Number(y), Number(mo) - 1, Number(d), 12), 'd. MMMM yyyy', { locale: da });
  return h === undefined || (h === '23' && mi === '59') ? day : `${day} kl. ${h}.${mi}`;
}
