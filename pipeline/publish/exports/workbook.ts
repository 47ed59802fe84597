/**
 * A report as an Excel workbook (`.xlsx`): the same rows as the CSV file beside it,
 * with typed cells. A README sheet, then one sheet per view. Numbers are number
 * cells with a format that fits the metric; every other cell is a text cell (never
 * a formula, never a date); hidden numbers are empty cells. Written by xlsx.ts, a
 * sheet's XML deflated a megabyte at a time as its rows are made.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { View } from '../../../metrics/types.js';
import { COLUMNS, HEADINGS, NUMBER_COLUMNS, type Column, type RowValues } from './columns.js';
import { TEXT, type NumberFormats } from './workbook-formats.js';
import { readmeLines, sheetNames, type WorkbookInfo } from './workbook-readme.js';
import { xlsxText } from './workbook-text.js';
import { Workbook } from './xlsx.js';

/** One row of a report with what the workbook needs besides its values. */
export interface WorkbookRow {
  /** The view's code (the sheet the row goes on), whatever the locale shows in `values`. */
  view: View;
  /** From the metric's catalog entry as it is (`numberFormats`), not from its texts in a locale. */
  formats: NumberFormats;
  values: RowValues;
}

/** Data rows per sheet: Excel's 1,048,576 rows less the header row. Beyond it a view continues on `<name> 2`. */
export const MAX_SHEET_ROWS = 1_048_575;

const VIEWS: View[] = ['activity', 'outcome'];

/** Width of a text column in characters: its longest cell (in UTF-16 units, near enough), within reason. */
function textWidth(heading: string, rows: WorkbookRow[], c: Column): number {
  let w = heading.length;
  for (const r of rows) {
    const v = r.values[c];
    if (typeof v === 'string' && v.length > w) w = v.length;
  }
  return Math.min(60, Math.max(8, w + 2));
}

function addReadme(wb: Workbook, info: WorkbookInfo): void {
  const cell = wb.style({ numFmt: TEXT, wrapTop: true });
  const title = wb.style({ numFmt: TEXT, wrapTop: true, bold: true, size: 14 });
  const heading = wb.style({ numFmt: TEXT, wrapTop: true, bold: true });
  const sheet = wb.addSheet(sheetNames(info.locale).readme, { columns: [{ width: 30, style: cell }, { width: 110, style: cell }] });
  for (const line of readmeLines(info)) {
    // A blank line is a row without cells.
    if (line.cells.every((c) => c === '')) {
      sheet.add([], []);
      continue;
    }
    const first = line.style === 'title' ? title : line.style === 'heading' ? heading : cell;
    sheet.add(
      line.cells.map((c) => (c === '' ? null : xlsxText(c))),
      [first, cell],
    );
  }
  sheet.end();
}

function addDataSheet(wb: Workbook, name: string, rows: WorkbookRow[], info: WorkbookInfo): void {
  const headings = HEADINGS[info.locale];
  const text = wb.style({ numFmt: TEXT });
  const header = wb.style({ numFmt: TEXT, bold: true });
  const sheet = wb.addSheet(name, {
    columns: COLUMNS.map((c) => (NUMBER_COLUMNS.has(c) ? { width: 13 } : { width: textWidth(headings[c], rows, c), style: text })),
    frozenRows: 1,
    autoFilter: true,
  });
  sheet.add(
    COLUMNS.map((c) => xlsxText(headings[c])),
    COLUMNS.map(() => header),
  );
  const numberStyles = new Map<string, number>();
  const numberStyle = (numFmt: string) => {
    let s = numberStyles.get(numFmt);
    if (s === undefined) numberStyles.set(numFmt, (s = wb.style({ numFmt })));
    return s;
  };
  const values: (string | number | null)[] = new Array(COLUMNS.length);
  const styles: number[] = new Array(COLUMNS.length);
  for (const r of rows) {
    const f = r.formats;
    for (let i = 0; i < COLUMNS.length; i++) {
      const c = COLUMNS[i]!;
      const v = r.values[c];
      if (!NUMBER_COLUMNS.has(c)) {
        values[i] = v === null ? null : xlsxText(String(v));
        styles[i] = text;
      } else if (typeof v === 'number' && Number.isFinite(v)) {
        values[i] = v;
        styles[i] = numberStyle(c === 'numerator' ? f.numerator : c === 'denominator' ? f.denominator : f.value);
      } else {
        // A hidden number: no cell at all.
        values[i] = null;
        styles[i] = 0;
      }
    }
    sheet.add(values, styles);
  }
  sheet.end();
}

/**
 * Write the workbook of one report to `path`: under a temporary name, renamed into
 * place when complete (a failed write leaves no partial file and the old one as it was).
 */
export async function writeWorkbook(path: string, rows: WorkbookRow[], info: WorkbookInfo, maxSheetRows = MAX_SHEET_ROWS): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const wb = new Workbook('outcomes');
    addReadme(wb, info);
    const names = sheetNames(info.locale);
    for (const view of VIEWS) {
      const mine = rows.filter((r) => r.view === view);
      for (let i = 0; i === 0 || i * maxSheetRows < mine.length; i++) {
        addDataSheet(wb, i === 0 ? names[view] : `${names[view]} ${i + 1}`, mine.slice(i * maxSheetRows, (i + 1) * maxSheetRows), info);
      }
    }
    wb.write(tmp, new Date());
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
