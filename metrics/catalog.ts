/**
 * Pure helpers over catalog entries (no I/O), shared by the exports and the dashboards:
 * the order metrics are listed in, and an entry's texts in the reader's language.
 */
import type { CatalogEntry, View } from './types.js';

export type Locale = 'en' | 'da';

/**
 * A unit that names a share ("share of trips", Danish "andel af fremmøder"): a ratio with such a
 * unit counts records out of records, so it is suppressed, shown and charted as a rate.
 */
export const SHARE_UNIT = /^(share|andel)\b/i;

/** Is the metric a ratio whose unit is a share (suppressed and shown like a rate)? */
export function isShareRatio(entry: Pick<CatalogEntry, 'kind' | 'unit'>): boolean {
  return entry.kind === 'ratio' && SHARE_UNIT.test(entry.unit);
}

/** Does the metric's value read as a share, in percent: a rate, a share of a weight, or a share ratio? */
export function isShare(entry: Pick<CatalogEntry, 'kind' | 'unit'>): boolean {
  return entry.kind === 'rate' || entry.kind === 'share' || isShareRatio(entry);
}

/** The names of the two views, as the reports print them. */
export const VIEW_NAMES: Record<Locale, Record<View, string>> = {
  en: { activity: 'activity', outcome: 'outcome' },
  da: { activity: 'aktivitet', outcome: 'resultat' },
};

/** Listing order: the activity view first, then each metric's `order` header, then id. */
export function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  const view = (e: CatalogEntry) => (e.view === 'activity' ? 0 : 1);
  return view(a) - view(b) || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The entry with the texts a reader sees (title, description, unit, grain, numerator,
 * denominator) in `locale`. The English entry is returned as it is.
 */
export function inLocale(entry: CatalogEntry, locale: Locale): CatalogEntry {
  if (locale === 'en') return entry;
  const da = entry.da;
  return { ...entry, title: da.title, description: da.description, unit: da.unit, grain: da.grain, numerator: da.numerator, denominator: da.denominator };
}
