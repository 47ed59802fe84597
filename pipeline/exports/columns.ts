/** The columns of a report, their headings in each locale, and one row as cells. */
import { VIEW_NAMES } from '../../metrics/catalog.js';
import type { CatalogEntry } from '../../metrics/types.js';
import type { PublishedRow } from '../suppress.js';
import { numberCell, textCell, type Locale } from './csv.js';

export const COLUMNS = [
  'period',
  'hospital_id',
  'department_id',
  'metric_id',
  'metric_title',
  'view',
  'numerator',
  'denominator',
  'value',
  'lower',
  'upper',
  'unit',
  'suppressed',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Column headings. Danish follows Danmarks Statistik: hiding small numbers is "diskretionering". */
export const HEADINGS: Record<Locale, Record<Column, string>> = {
  en: Object.fromEntries(COLUMNS.map((c) => [c, c])) as Record<Column, string>,
  da: {
    period: 'periode',
    hospital_id: 'hospital_id',
    department_id: 'afdeling_id',
    metric_id: 'indikator_id',
    metric_title: 'indikator',
    view: 'perspektiv',
    numerator: 'tæller',
    denominator: 'nævner',
    value: 'værdi',
    lower: 'nedre_grænse',
    upper: 'øvre_grænse',
    unit: 'enhed',
    suppressed: 'diskretioneret',
  },
};

/** Heading cells of a report. */
export function headingCells(locale: Locale): string[] {
  return COLUMNS.map((c) => textCell(HEADINGS[locale][c], locale));
}

/**
 * The cells of one published row; hidden numbers are empty, `suppressed` names the reason.
 * `entry` carries the texts of the report's locale (see `inLocale`); the view is named in that locale too.
 */
export function rowCells(r: PublishedRow, entry: CatalogEntry, locale: Locale): string[] {
  const cells: Record<Column, string> = {
    period: textCell(r.period, locale),
    hospital_id: textCell(r.hospital_id, locale),
    department_id: textCell(r.department_id, locale),
    metric_id: textCell(r.metric_id, locale),
    metric_title: textCell(entry.title, locale),
    view: textCell(VIEW_NAMES[locale][r.view], locale),
    numerator: numberCell(r.numerator, locale),
    denominator: numberCell(r.denominator, locale),
    value: numberCell(r.value, locale),
    lower: numberCell(r.lower, locale),
    upper: numberCell(r.upper, locale),
    unit: textCell(entry.unit, locale),
    suppressed: textCell(r.suppressed, locale),
  };
  return COLUMNS.map((c) => cells[c]);
}
