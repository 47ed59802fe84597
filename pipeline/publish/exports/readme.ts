/** README.txt beside the reports: columns, the suppression rule in force, run date and cutoff. */
import type { CatalogEntry } from '../../../metrics/types.js';
import { metricTexts, viewText } from './columns.js';
import { CRLF, type Locale } from './csv.js';
import type { PeriodRange } from './period.js';

export interface ReadmeInput {
  locale: Locale;
  minCell: number;
  runDate: string;
  cutoff: string;
  period?: PeriodRange;
  /** Report files in order, with the hospital each holds (null: all hospitals). */
  files: { file: string; hospital: string | null }[];
  /** The metrics of the reports, with their texts in `locale`. */
  metrics: CatalogEntry[];
}

export interface ReadmeTexts {
  title: string;
  runDate: string;
  cutoff: string;
  cutoffNote: string;
  thresholdLabel: string;
  threshold: (k: number) => string;
  periods: string;
  allPeriods: string;
  range: (from: string, to: string) => string;
  open: string;
  format: string;
  workbook: string;
  files: string;
  allFile: string;
  hospitalFile: (id: string) => string;
  columns: string;
  columnDocs: [string, string][];
  sorted: string;
  hiddenTitle: string;
  hidden: (k: number) => string;
  /** Each reason a row's numbers are hidden, with what it means. */
  reasons: (k: number) => [string, string][];
  textTitle: string;
  text: string;
  metricsTitle: string;
}

/** The hidden counts, "1 to k-1" (nothing is hidden when k = 1). */
const span = (k: number, to: string) => (k <= 2 ? `1` : `1 ${to} ${k - 1}`);

const range = (from: string | undefined, to: string | undefined, open: string) => [from ?? open, to ?? open] as const;

const EN: ReadmeTexts = {
  title: 'Outcomes reports: suppressed CSV files for publication',
  runDate: 'Run date',
  cutoff: 'Data cutoff',
  cutoffNote: '(the last moment the data speak for)',
  thresholdLabel: 'Threshold',
  threshold: (k) => (k <= 1 ? `k = ${k} (min_cell): no count is hidden` : `k = ${k} (min_cell): counts of ${span(k, 'to')} are never shown`),
  periods: 'Periods',
  allPeriods: 'all',
  range: (from, to) => `${from} to ${to}`,
  open: '…',
  format: 'Format: UTF-8 with BOM, comma-separated, decimal point, CRLF line ends, dates ISO 8601.',
  workbook:
    'Each .csv file has an .xlsx workbook beside it with the same rows. Open the workbook in Excel: a CSV file opened by double-click lets Excel turn periods such as 2024-12 and ids such as 1-2 into dates. The CSV files are for programs.',
  files: 'Files',
  allFile: "every hospital's totals (department_id ALL) and the total of all hospitals (hospital_id ALL)",
  hospitalFile: (id) => `hospital ${id}: each department and the hospital total (department_id ALL)`,
  columns: 'Columns',
  columnDocs: [
    ['period', 'month (YYYY-MM) or calendar year (YYYY)'],
    ['hospital_id', 'hospital; ALL = all hospitals together'],
    ['department_id', 'department; ALL = the whole hospital'],
    ['metric_id', 'short name of the metric'],
    ['metric_title', 'what the metric measures'],
    ['view', 'activity (what activity-based financing pays for) or outcome (what patients experience)'],
    ['numerator', 'the count or sum above the line; for a count, the count itself'],
    ['denominator', 'the records below the line (behind a rate, mean, median or ratio); empty for counts and sums'],
    ['value', 'the metric: numerator / denominator for rates and means, the quantile for medians and percentiles'],
    ['lower, upper', '95% confidence limits, where the metric defines them'],
    ['unit', 'unit of value'],
    ['suppressed', 'empty when the numbers are shown; otherwise why they are hidden (primary, complement, secondary)'],
  ],
  sorted: 'Rows are sorted by period, hospital, department and metric (as text). Both views are in every file.',
  hiddenTitle: 'Small numbers are hidden',
  hidden: (k) =>
    `To protect patients no count of ${span(k, 'to')} is published; 0 is shown. A row whose numbers are hidden stays in the file with them left empty and the reason in "suppressed":`,
  reasons: (k) => [
    ['primary', `a count behind the row is ${span(k, 'to')}: the count itself, the numerator or denominator of a rate, the records behind a mean, median or ratio (for a sum, the admissions of the same cell)`],
    ['complement', `for a rate, the records without the event (denominator - numerator) number ${span(k, 'to')}`],
    ['secondary', 'hidden so that another hidden row cannot be worked out by subtraction: where one department of a hospital (or one hospital of the total) is hidden, the next smallest is hidden too'],
  ],
  textTitle: 'Text cells',
  text: "A text cell that begins with = + - @, a tab or a carriage return has an apostrophe (') put in front, so that a spreadsheet shows it as text and never runs it as a formula.",
  metricsTitle: 'Metrics',
};

const DA: ReadmeTexts = {
  title: 'Outcomes-rapporter: diskretionerede CSV-filer til offentliggørelse',
  runDate: 'Kørselsdato',
  cutoff: 'Dataskæring',
  cutoffNote: '(det seneste tidspunkt, data dækker)',
  thresholdLabel: 'Grænse',
  threshold: (k) => (k <= 1 ? `k = ${k} (min_cell): intet antal skjules` : `k = ${k} (min_cell): antal på ${span(k, 'til')} vises aldrig`),
  periods: 'Perioder',
  allPeriods: 'alle',
  range: (from, to) => `${from} til ${to}`,
  open: '…',
  format: 'Format: UTF-8 med BOM, semikolon som skilletegn, decimalkomma, CRLF-linjeskift, datoer efter ISO 8601.',
  workbook:
    'Hver .csv-fil har en .xlsx-projektmappe ved siden af med de samme rækker. Åbn projektmappen i Excel: åbnes en CSV-fil med dobbeltklik, gør Excel perioder som 2024-12 og id\'er som 1-2 til datoer. CSV-filerne er til programmer.',
  files: 'Filer',
  allFile: 'hvert hospitals total (afdeling_id ALL) og totalen for alle hospitaler (hospital_id ALL)',
  hospitalFile: (id) => `hospital ${id}: hver afdeling og hospitalets total (afdeling_id ALL)`,
  columns: 'Kolonner',
  columnDocs: [
    ['periode', 'måned (ÅÅÅÅ-MM) eller kalenderår (ÅÅÅÅ)'],
    ['hospital_id', 'hospital; ALL = alle hospitaler samlet'],
    ['afdeling_id', 'afdeling; ALL = hele hospitalet'],
    ['indikator_id', 'indikatorens korte navn'],
    ['indikator', 'hvad indikatoren måler'],
    ['perspektiv', 'aktivitet (det, aktivitetsfinansieringen betaler for) eller resultat (det, patienterne oplever)'],
    ['tæller', 'antallet eller summen over brøkstregen; for et antal selve antallet'],
    ['nævner', 'de forløb under brøkstregen, som en andel, et gennemsnit, en median eller et forhold bygger på; tom for antal og summer'],
    ['værdi', 'indikatoren: tæller / nævner for andele og gennemsnit, fraktilen for median og percentiler'],
    ['nedre_grænse, øvre_grænse', '95 %-konfidensgrænser, hvor indikatoren har dem'],
    ['enhed', 'værdiens enhed'],
    ['diskretioneret', 'tom, når tallene vises; ellers hvorfor de er skjult (primary, complement, secondary)'],
  ],
  sorted: 'Rækkerne er sorteret efter periode, hospital, afdeling og indikator (som tekst). Begge perspektiver står i hver fil.',
  hiddenTitle: 'Små tal skjules (diskretionering)',
  hidden: (k) =>
    `For at beskytte patienterne offentliggøres intet antal på ${span(k, 'til')}; 0 vises. En række med skjulte tal står stadig i filen, med tomme tal og grunden i "diskretioneret":`,
  reasons: (k) => [
    ['primary', `et antal bag rækken er ${span(k, 'til')}: selve antallet, tælleren eller nævneren i en andel, forløbene bag et gennemsnit, en median eller et forhold (for en sum: indlæggelserne i samme celle)`],
    ['complement', `for en andel er antallet uden hændelsen (nævner - tæller) ${span(k, 'til')}`],
    ['secondary', 'skjult, så en anden skjult række ikke kan regnes ud ved at trække fra: når én afdeling på et hospital (eller ét hospital i totalen) er skjult, skjules den næstmindste også'],
  ],
  textTitle: 'Tekstceller',
  text: "En tekstcelle, der begynder med = + - @, tabulator eller vognretur, har fået en apostrof (') foran, så et regneark viser den som tekst og aldrig udfører den som formel.",
  metricsTitle: 'Indikatorer',
};

/** The texts of a README in a locale (shared with the workbook's README sheet). */
export function readmeTexts(locale: Locale): ReadmeTexts {
  return locale === 'da' ? DA : EN;
}

function metricLine(m: CatalogEntry, locale: Locale): string {
  const { title, unit } = metricTexts(m, locale);
  return `${title} (${viewText(m.view, locale)}, ${unit})`;
}

function section(title: string): string[] {
  return ['', title, '-'.repeat(title.length)];
}

function table(rows: [string, string][]): string[] {
  const w = Math.min(32, Math.max(...rows.map(([a]) => a.length)));
  return rows.map(([a, b]) => `${a.padEnd(w)}  ${b}`);
}

/** The first rows of README.txt: the run date, the cutoff, the threshold and the periods. */
function headRows(t: ReadmeTexts, runDate: string, cutoff: string, threshold: string, periods: string): [string, string][] {
  return [
    [t.runDate, runDate],
    [t.cutoff, cutoff],
    [t.thresholdLabel, threshold],
    [t.periods, periods],
  ];
}

/**
 * The line of README.txt that names the run's date, as `readmeText` writes it: the only line
 * that changes when the same reports are published on another day.
 */
export function runDateLine(locale: Locale, runDate: string): string {
  return table(headRows(readmeTexts(locale), runDate, '', '', ''))[0]! + CRLF;
}

/** The text of README.txt (CRLF line ends, so that Notepad shows it right; the writer adds the BOM). */
export function readmeText(r: ReadmeInput): string {
  const t = readmeTexts(r.locale);
  const p = r.period;
  const periods = p?.from === undefined && p?.to === undefined ? t.allPeriods : t.range(...range(p?.from, p?.to, t.open));
  const lines = [
    t.title,
    '='.repeat(t.title.length),
    '',
    ...table(headRows(t, r.runDate, `${r.cutoff} ${t.cutoffNote}`, t.threshold(r.minCell), periods)),
    t.format,
    t.workbook,
    ...section(t.files),
    // JSON quoting shows any odd character of an id without breaking the layout.
    ...table(r.files.map((f) => [f.file, f.hospital === null ? t.allFile : t.hospitalFile(JSON.stringify(f.hospital))])),
    ...section(t.columns),
    ...table(t.columnDocs),
    '',
    t.sorted,
    ...section(t.hiddenTitle),
    t.hidden(r.minCell),
    ...t.reasons(r.minCell).map(([reason, text]) => `  ${reason.padEnd(12)}${text}`),
    ...section(t.textTitle),
    t.text,
    ...section(t.metricsTitle),
    ...table(r.metrics.map((m) => [m.id, metricLine(m, r.locale)])),
  ];
  return lines.join(CRLF) + CRLF;
}
