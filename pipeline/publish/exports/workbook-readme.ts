/**
 * The README sheet of a report workbook: the run, the cutoff, the suppression rule,
 * the sheets, what each column means and the metrics. The texts it shares with
 * README.txt come from readme.ts, so the two never disagree.
 */
import type { CatalogEntry, View } from '../../../metrics/types.js';
import { metricTexts, viewText } from './columns.js';
import type { Locale } from './csv.js';
import type { PeriodRange } from './period.js';
import { readmeTexts } from './readme.js';

export interface WorkbookInfo {
  locale: Locale;
  runId: string;
  runDate: string;
  cutoff: string;
  minCell: number;
  period?: PeriodRange;
  /** The hospital of a hospital's workbook; null for the all-hospitals workbook. */
  hospital: string | null;
  metrics: CatalogEntry[];
}

/** A line of the README sheet: its cells in columns A (labels, titles) and B (texts), and how it looks. */
export interface ReadmeLine {
  cells: [string, string];
  style?: 'title' | 'heading';
}

interface WorkbookTexts {
  readmeSheet: string;
  title: string;
  runId: string;
  scope: string;
  sheetsTitle: string;
  views: Record<View, (code: string) => string>;
  cellsTitle: string;
  cells: string[];
}

const EN: WorkbookTexts = {
  readmeSheet: 'README',
  title: 'Outcomes report: suppressed figures for publication',
  runId: 'Run id',
  scope: 'Rows',
  sheetsTitle: 'Sheets',
  views: {
    activity: (code) => `the activity view (view = ${code}): what activity-based financing pays for`,
    outcome: (code) => `the outcome view (view = ${code}): what patients experience`,
  },
  cellsTitle: 'Cells',
  cells: [
    'Numbers are numbers: shares as percentages, means and ratios with two decimals, counts as whole numbers. The format only rounds what is shown; the cell holds the full value.',
    'Periods, ids and names are text: Excel never turns 2024-12 or 1-2 into a date, and a name that begins with = + - @ is shown as written and never run as a formula (no apostrophe is put in front, unlike in the CSV files).',
    'Hidden numbers are empty cells; the column "suppressed" says why.',
    'The header row stays in view when you scroll and has a filter on every column.',
  ],
};

const DA: WorkbookTexts = {
  readmeSheet: 'Vejledning',
  title: 'Outcomes-rapport: diskretionerede tal til offentliggørelse',
  runId: 'Kørsels-id',
  scope: 'Rækker',
  sheetsTitle: 'Ark',
  views: {
    activity: (code) => `aktivitetsperspektivet (perspektiv = ${code}): det, aktivitetsfinansieringen betaler for`,
    outcome: (code) => `resultatperspektivet (perspektiv = ${code}): det, patienterne oplever`,
  },
  cellsTitle: 'Celler',
  cells: [
    'Tal er tal: andele i procent, gennemsnit og forhold med to decimaler, antal som hele tal. Formatet afrunder kun det viste; cellen rummer hele værdien.',
    "Perioder, id'er og navne er tekst: Excel gør aldrig 2024-12 eller 1-2 til en dato, og et navn, der begynder med = + - @, vises som skrevet og udføres aldrig som formel (der sættes ingen apostrof foran, modsat i CSV-filerne).",
    'Skjulte tal er tomme celler; kolonnen "diskretioneret" siger hvorfor.',
    'Overskriftsrækken bliver stående, når man ruller, og har et filter på hver kolonne.',
  ],
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Sheet names of a workbook in a locale: the README's, and each view's name as the reports print it. */
export function sheetNames(locale: Locale): Record<'readme' | View, string> {
  return { readme: (locale === 'da' ? DA : EN).readmeSheet, activity: capital(viewText('activity', locale)), outcome: capital(viewText('outcome', locale)) };
}

/** The lines of the README sheet. */
export function readmeLines(w: WorkbookInfo): ReadmeLine[] {
  const t = readmeTexts(w.locale);
  const x = w.locale === 'da' ? DA : EN;
  const sheets = sheetNames(w.locale);
  const p = w.period;
  const periods = p?.from === undefined && p?.to === undefined ? t.allPeriods : t.range(p?.from ?? t.open, p?.to ?? t.open);
  const heading = (title: string): ReadmeLine[] => [{ cells: ['', ''] }, { cells: [title, ''], style: 'heading' }];
  return [
    { cells: [x.title, ''], style: 'title' },
    { cells: ['', ''] },
    { cells: [x.runId, w.runId] },
    { cells: [t.runDate, w.runDate] },
    { cells: [t.cutoff, `${w.cutoff} ${t.cutoffNote}`] },
    { cells: [t.thresholdLabel, t.threshold(w.minCell)] },
    { cells: [t.periods, periods] },
    // JSON quoting, as in README.txt, shows any odd character of an id.
    { cells: [x.scope, w.hospital === null ? t.allFile : t.hospitalFile(JSON.stringify(w.hospital))] },
    ...heading(x.sheetsTitle),
    { cells: [sheets.activity, x.views.activity(viewText('activity', w.locale))] },
    { cells: [sheets.outcome, x.views.outcome(viewText('outcome', w.locale))] },
    { cells: ['', t.sorted] },
    ...heading(t.columns),
    ...t.columnDocs.map(([c, d]): ReadmeLine => ({ cells: [c, d] })),
    ...heading(x.cellsTitle),
    ...x.cells.map((c): ReadmeLine => ({ cells: ['', c] })),
    ...heading(t.hiddenTitle),
    { cells: ['', t.hidden(w.minCell)] },
    ...t.reasons(w.minCell).map(([r, d]): ReadmeLine => ({ cells: [r, d] })),
    ...heading(t.metricsTitle),
    ...w.metrics.map((m): ReadmeLine => {
      const { title, unit, definition } = metricTexts(m, w.locale);
      return { cells: [m.id, `${title} (${viewText(m.view, w.locale)}, ${unit}): ${definition}`] };
    }),
  ];
}
