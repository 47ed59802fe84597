/** The columns of a report, their headings in each locale, and one row as cells. */
import { inLocale, VIEW_NAMES } from '../../../metrics/catalog.js';
import type { CatalogEntry, View } from '../../../metrics/types.js';
import type { PublishedRow } from '../../../metrics/suppress.js';
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

/** The columns that hold numbers; every other column holds text. */
export const NUMBER_COLUMNS: ReadonlySet<Column> = new Set<Column>(['numerator', 'denominator', 'value', 'lower', 'upper']);

/** One report row as typed values: the one source of what the CSV files and the workbooks show. */
export type RowValues = Record<Column, string | number | null>;

/**
 * A metric's title, unit and definition as the reports show them in a locale: the CSV
 * files, README.txt and the workbooks all read them here.
 */
export function metricTexts(entry: CatalogEntry, locale: Locale): { title: string; unit: string; definition: string } {
  const e = inLocale(entry, locale);
  return { title: e.title, unit: e.unit, definition: e.description };
}

/** A view as the reports name it in a locale (the `view` column, README.txt, the workbook's README sheet). */
export function viewText(view: View, locale: Locale): string {
  return VIEW_NAMES[locale][view];
}

/** The values of one published row; hidden numbers are null, `suppressed` names the reason. */
export function rowValues(r: PublishedRow, entry: CatalogEntry, locale: Locale): RowValues {
  const { title, unit } = metricTexts(entry, locale);
  return {
    period: r.period,
    hospital_id: r.hospital_id,
    department_id: r.department_id,
    metric_id: r.metric_id,
    metric_title: title,
    view: viewText(r.view, locale),
    numerator: r.numerator,
    denominator: r.denominator,
    value: r.value,
    lower: r.lower,
    upper: r.upper,
    unit,
    suppressed: r.suppressed,
  };
}

/** The CSV cells of one row's values. */
export function csvCells(v: RowValues, locale: Locale): string[] {
  return COLUMNS.map((c) => (NUMBER_COLUMNS.has(c) ? numberCell(v[c] as number | null, locale) : textCell(v[c] as string | null, locale)));
}

