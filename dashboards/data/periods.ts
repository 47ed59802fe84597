/** Periods are plain `YYYY-MM` and `YYYY` strings: no Date object, so no time zone can shift them. */

export const isMonth = (p: string): boolean => /^\d{4}-\d{2}$/.test(p);
export const isYear = (p: string): boolean => /^\d{4}$/.test(p);

/** Every month from the first to the last given one, gaps filled, sorted. */
export function monthRange(periods: Iterable<string>): string[] {
  const months = [...periods].filter(isMonth).sort();
  if (months.length === 0) return [];
  const out: string[] = [];
  let [y, m] = months[0]!.split('-').map(Number) as [number, number];
  const last = months[months.length - 1]!;
  for (;;) {
    const p = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    out.push(p);
    if (p >= last) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** The previous calendar year of a `YYYY` period. */
export const previousYear = (year: string): string => String(Number(year) - 1).padStart(4, '0');

/**
 * The latest calendar year the cutoff covers to its last day: the cutoff's year
 * when the cutoff is on 31 December (at any time), else the year before.
 */
export function lastCompleteYear(cutoff: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(cutoff)) return null;
  const date = cutoff.slice(0, 10);
  const year = date.slice(0, 4);
  return date.slice(5) >= '12-31' ? year : previousYear(year);
}

/**
 * The years that hold data, sorted: years with a row of a metric filed at an event
 * (an admission, a discharge, a treatment). Only these years are compared, so one
 * stray date far from the rest (an open stay since 1900, an event in 2999) offers no
 * comparison of empty years and never becomes the default one. `spread` names the
 * metrics that file a record under every period a stay spans (bed days count every
 * night; header `periods: spread`): a stay left open for decades (a registration never
 * closed) would otherwise make each of those years look like a year with data.
 */
export function yearsWithData(
  rows: Iterable<{ metric_id: string; period: string }>,
  spread: ReadonlySet<string>,
): string[] {
  const years = new Set<string>();
  for (const r of rows) if (isYear(r.period) && !spread.has(r.metric_id)) years.add(r.period);
  return [...years].sort();
}

export interface YearPair {
  year: string;
  previous: string;
  /** The year ends after the cutoff, so its figures are not final. */
  partial: boolean;
}

/**
 * Years that can be compared with the year before (both present), newest first,
 * and the default: the latest complete year, else the latest pair. Without a
 * readable cutoff every year counts as complete.
 */
export function yearPairs(years: Iterable<string>, cutoff: string): { pairs: YearPair[]; latest: YearPair | null } {
  const set = new Set([...years].filter(isYear));
  const complete = lastCompleteYear(cutoff);
  const pairs = [...set]
    .filter((y) => set.has(previousYear(y)))
    .sort()
    .reverse()
    .map((year) => ({ year, previous: previousYear(year), partial: complete !== null && year > complete }));
  return { pairs, latest: pairs.find((p) => !p.partial) ?? pairs[0] ?? null };
}
