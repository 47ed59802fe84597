/**
 * Period filters. A period is a month (`YYYY-MM`) or a calendar year (`YYYY`). A
 * range FROM:TO keeps the periods that lie wholly inside it: `2024-03:2024-12`
 * keeps those months but not the year 2024; `2024:2024` keeps the year and its
 * months. Either end may be left open (`2024-01:`, `:2023`).
 */
import { UsageError } from '../../core/errors.js';

export interface PeriodRange {
  from?: string;
  to?: string;
}

const PERIOD = /^(\d{4,})(?:-(0[1-9]|1[0-2]))?$/;

/** First and last month of a period as month numbers (year × 12 + month − 1); undefined if malformed. */
export function periodMonths(period: string): [number, number] | undefined {
  const m = PERIOD.exec(period);
  if (!m) return undefined;
  const y = Number(m[1]) * 12;
  return m[2] === undefined ? [y, y + 11] : [y + Number(m[2]) - 1, y + Number(m[2]) - 1];
}

/** Check a range's ends; throws UsageError naming a malformed one. */
export function checkRange(range: PeriodRange | undefined): void {
  for (const end of [range?.from, range?.to]) {
    if (end !== undefined && periodMonths(end) === undefined) {
      throw new UsageError(`period "${end}" is not YYYY or YYYY-MM`);
    }
  }
}

/** Parse `--period FROM:TO` (or a single period, meaning FROM = TO). */
export function parsePeriodOption(text: string): PeriodRange {
  const parts = text.split(':');
  if (parts.length > 2) throw new UsageError(`--period "${text}": expected FROM:TO, e.g. 2024-01:2024-12`);
  const [from, to = from] = parts.map((p) => p.trim());
  const range: PeriodRange = {};
  if (from) range.from = from;
  if (to) range.to = to;
  checkRange(range);
  return range;
}

/** A predicate for periods inside the range (every period when there is no range). */
export function periodFilter(range: PeriodRange | undefined): (period: string) => boolean {
  checkRange(range);
  if (range?.from === undefined && range?.to === undefined) return () => true;
  const lo = range?.from === undefined ? -Infinity : periodMonths(range.from)![0];
  const hi = range?.to === undefined ? Infinity : periodMonths(range.to)![1];
  return (period) => {
    const p = periodMonths(period);
    return p !== undefined && p[0] >= lo && p[1] <= hi;
  };
}
