/**
 * Writing the report files of an export from rows already suppressed: one CSV file and one
 * workbook per report (all hospitals, then each hospital) and README.txt. Where the rows come from
 * (the database, one report at a time, for `outcomes export`; the rows a run has in memory) is the
 * caller's business, so both give the same bytes.
 */
import { join } from 'node:path';
import type { PublishedRow } from '../../../metrics/suppress.js';
import type { CatalogEntry } from '../../../metrics/types.js';
import { writeFileAtomic } from '../../core/atomic.js';
import { csvCells, headingCells, rowValues } from './columns.js';
import { BOM, csvLine, type Locale } from './csv.js';
import { ALL_HOSPITALS_FILE, README_FILE } from './filenames.js';
import type { PeriodRange } from './period.js';
import { readmeText } from './readme.js';
import { numberFormats, type NumberFormats } from './workbook-formats.js';
import { writeWorkbook, type WorkbookRow } from './workbook.js';

/** What every report of one export shares. */
export interface ReportSet {
  outDir: string;
  locale: Locale;
  minCell: number;
  runId: string;
  runDate: string;
  cutoff: string;
  period?: PeriodRange;
  /** The metrics of the reports, in order. */
  metrics: CatalogEntry[];
  /** The hospitals that get a report of their own, in order, with their file names (without extension). */
  hospitals: { id: string; file: string }[];
}

/** Turns published rows into workbook rows: a row's texts in the locale, its metric's number formats. */
export function workbookRows(catalog: Map<string, CatalogEntry>, locale: Locale): (rows: Iterable<PublishedRow>) => WorkbookRow[] {
  const formats = new Map<string, NumberFormats>();
  return (rows) => {
    const out: WorkbookRow[] = [];
    for (const r of rows) {
      const entry = catalog.get(r.metric_id)!;
      let f = formats.get(r.metric_id);
      if (!f) formats.set(r.metric_id, (f = numberFormats(entry)));
      out.push({ view: r.view, formats: f, values: rowValues(r, entry, locale) });
    }
    return out;
  };
}

/** Time spent and files written, by kind of file, for the log. */
export interface ReportTimings {
  rows: number;
  csv: number;
  xlsx: number;
}

/**
 * Write every report of `set` and README.txt; `rowsOf(null)` gives the rows of all-hospitals,
 * `rowsOf(id)` those of one hospital. Returns the paths written: all-hospitals.csv and .xlsx,
 * each hospital's .csv and .xlsx, README.txt.
 */
export async function writeReports(
  set: ReportSet,
  rowsOf: (hospital: string | null) => Promise<WorkbookRow[]> | WorkbookRow[],
  timings: ReportTimings = { rows: 0, csv: 0, xlsx: 0 },
): Promise<{ files: string[] }> {
  const files: string[] = [];
  const listed: { file: string; hospital: string | null }[] = [];
  const heading = headingCells(set.locale);
  for (const { id, file } of [{ id: null, file: ALL_HOSPITALS_FILE }, ...set.hospitals]) {
    let t0 = performance.now();
    const rows = await rowsOf(id);
    timings.rows += performance.now() - t0;
    t0 = performance.now();
    // One set of suppressed rows per report, rendered twice: CSV for programs, a workbook for people.
    const csv = join(set.outDir, file + '.csv');
    writeFileAtomic(csv, BOM + [heading, ...rows.map((r) => csvCells(r.values, set.locale))].map((c) => csvLine(c, set.locale)).join(''));
    timings.csv += performance.now() - t0;
    t0 = performance.now();
    const xlsx = join(set.outDir, file + '.xlsx');
    await writeWorkbook(xlsx, rows, {
      locale: set.locale,
      runId: set.runId,
      runDate: set.runDate,
      cutoff: set.cutoff,
      minCell: set.minCell,
      ...(set.period ? { period: set.period } : {}),
      hospital: id,
      metrics: set.metrics,
    });
    timings.xlsx += performance.now() - t0;
    files.push(csv, xlsx);
    listed.push({ file: file + '.csv', hospital: id });
  }
  const readme = readmeText({
    locale: set.locale,
    minCell: set.minCell,
    runDate: set.runDate,
    cutoff: set.cutoff,
    ...(set.period ? { period: set.period } : {}),
    files: listed,
    metrics: set.metrics,
  });
  const readmePath = join(set.outDir, README_FILE + '.txt');
  writeFileAtomic(readmePath, BOM + readme);
  files.push(readmePath);
  return { files };
}
