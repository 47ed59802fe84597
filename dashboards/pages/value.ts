/**
 * The bridge between the two views, in words: per hospital and year, the share of its DRG
 * value that paid for unplanned readmissions, beside its 30-day readmission rate
 * (docs/reference/metrics.md#comparing, docs/metrics/readmission-value.md). Built from
 * published rows only: a hidden cell is said to be hidden, never worked around.
 */
import type { CatalogEntry } from '../../metrics/types.js';
import { isYear, lastCompleteYear, previousYear } from '../data/periods.js';
import { ALL } from '../data/rows.js';
import { formatValue } from '../format.js';
import { esc } from '../html.js';
import type { SaidValue, ValueSentence } from '../i18n.js';
import type { PublishedRow } from '../types.js';
import { entryOf, type Built } from './parts.js';

export const VALUE_METRIC = 'readmission_drg_share';
export const RATE_METRIC = 'readmission_30d';

const shown = (r: PublishedRow | undefined): r is PublishedRow & { value: number } => r !== undefined && r.suppressed === null && r.value !== null;

/** A value as the sentence says it, compared with the year before at the precision shown (0.1%). */
function said(b: Built, entry: CatalogEntry, year: string, hospital: string): SaidValue | undefined {
  const now = b.index.get(entry.id, year, hospital, ALL);
  if (!now) return undefined;
  if (!shown(now)) return { value: null };
  const value = formatValue(now.value, entry, b.ctx.locale);
  const prev = b.index.get(entry.id, previousYear(year), hospital, ALL);
  if (!prev) return { value };
  if (!shown(prev)) return { value, before: { value: null, dir: 'same' } };
  const [a, z] = [Math.round(prev.value * 1000), Math.round(now.value * 1000)];
  return { value, before: { value: formatValue(prev.value, entry, b.ctx.locale), dir: z > a ? 'up' : z < a ? 'down' : 'same' } };
}

/** The sentences of one hospital, newest year first; none when the data has no DRG weights. */
export function valueSentences(b: Built, hospital: string): ValueSentence[] {
  const share = entryOf(b, VALUE_METRIC);
  if (!share) return [];
  const rate = entryOf(b, RATE_METRIC);
  const complete = lastCompleteYear(b.ctx.cutoff);
  const out: ValueSentence[] = [];
  for (const year of b.index.periods.filter(isYear).sort().reverse()) {
    const s = said(b, share, year, hospital);
    if (!s) continue;
    const r = rate ? said(b, rate, year, hospital) : undefined;
    out.push({ year, partial: complete !== null && year > complete, hospital, share: s, ...(r ? { rate: r } : {}) });
  }
  return out;
}

/**
 * The section of the overview (every hospital) or of a hospital page (one): one list,
 * newest year first, hospitals in the given order within a year. Empty when the metric
 * is absent.
 */
export function valueSection(b: Built, hospitals: string[]): string {
  const all = hospitals.flatMap((h) => valueSentences(b, h));
  if (all.length === 0) return '';
  const sorted = all.map((s, i) => ({ s, i })).sort((x, y) => (x.s.year === y.s.year ? x.i - y.i : x.s.year < y.s.year ? 1 : -1));
  const t = b.t.readmissionValue;
  return `<section aria-labelledby="value-h"><h2 id="value-h">${esc(t.h)}</h2>
<p class="note">${esc(t.intro)}</p>
<ul class="value-sentences">${sorted.map(({ s }) => `<li>${esc(t.sentence(s))}</li>`).join('')}</ul></section>`;
}
