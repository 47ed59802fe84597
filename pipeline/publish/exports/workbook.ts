/**
 * A report as an Excel workbook (`.xlsx`): the same rows as the CSV file beside it,
 * with typed cells. A README sheet, then one sheet per view. Numbers are number
 * cells with a format that fits the metric; every other cell is a text cell (never
 * a formula, never a date); hidden numbers are empty cells. Written with exceljs's
 * streaming writer, so a large report is not held twice in memory.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import type { View } from '../../../metrics/types.js';
import { COLUMNS, HEADINGS, NUMBER_COLUMNS, type Column, type RowValues } from './columns.js';
import { TEXT, type NumberFormats } from './workbook-formats.js';
import { readmeLines, sheetNames, type WorkbookInfo } from './workbook-readme.js';
import { xlsxText } from './workbook-text.js';

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
const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: TEXT };
const NO_STYLE: Partial<ExcelJS.Style> = {};
// A font without name and size is shown in the application's fallback font.
const BOLD: Partial<ExcelJS.Font> = { name: 'Calibri', family: 2, size: 11, bold: true };
const HEADER_STYLE: Partial<ExcelJS.Style> = { numFmt: TEXT, font: BOLD };
const numberStyles = new Map<string, Partial<ExcelJS.Style>>();
const numberStyle = (numFmt: string) => {
  let s = numberStyles.get(numFmt);
  if (!s) numberStyles.set(numFmt, (s = { numFmt }));
  return s;
};

/** Width of a text column in characters: its longest cell (in UTF-16 units, near enough), within reason. */
function textWidth(heading: string, rows: WorkbookRow[], c: Column): number {
  let w = heading.length;
  for (const r of rows) {
    const v = r.values[c];
    if (typeof v === 'string' && v.length > w) w = v.length;
  }
  return Math.min(60, Math.max(8, w + 2));
}

function addReadme(wb: ExcelJS.stream.xlsx.WorkbookWriter, info: WorkbookInfo): void {
  const sheet = wb.addWorksheet(sheetNames(info.locale).readme);
  sheet.columns = [
    { width: 30, style: { numFmt: TEXT, alignment: { vertical: 'top', wrapText: true } } },
    { width: 110, style: { numFmt: TEXT, alignment: { vertical: 'top', wrapText: true } } },
  ];
  for (const line of readmeLines(info)) {
    const row = sheet.addRow(line.cells.map((c) => (c === '' ? null : xlsxText(c))));
    if (line.style) row.getCell(1).font = { ...BOLD, size: line.style === 'title' ? 14 : 11 };
    row.commit();
  }
  sheet.commit();
}

function addDataSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, rows: WorkbookRow[], info: WorkbookInfo): void {
  const headings = HEADINGS[info.locale];
  const sheet = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => (NUMBER_COLUMNS.has(c) ? { width: 13 } : { width: textWidth(headings[c], rows, c), style: TEXT_STYLE }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: COLUMNS.length } };
  const header = sheet.addRow(COLUMNS.map((c) => xlsxText(headings[c])));
  COLUMNS.forEach((_, i) => (header.getCell(i + 1).style = HEADER_STYLE));
  header.commit();
  for (const r of rows) {
    const formats = r.formats;
    const row = sheet.addRow(
      COLUMNS.map((c) => {
        const v = r.values[c];
        if (typeof v === 'number') return Number.isFinite(v) ? v : null;
        return v === null ? null : xlsxText(v);
      }),
    );
    // Every cell gets one of a few shared style objects: exceljs looks a style up by the
    // object's identity before serialising it, which makes this the fast path.
    COLUMNS.forEach((c, i) => {
      const fmt = c === 'numerator' ? formats.numerator : c === 'denominator' ? formats.denominator : formats.value;
      row.getCell(i + 1).style = !NUMBER_COLUMNS.has(c) ? TEXT_STYLE : typeof r.values[c] === 'number' ? numberStyle(fmt) : NO_STYLE;
    });
    row.commit();
  }
  sheet.commit();
}

/**
 * Write the workbook of one report to `path`: under a temporary name, renamed into
 * place when complete (a failed write leaves no partial file and the old one as it was).
 */
export async function writeWorkbook(path: string, rows: WorkbookRow[], info: WorkbookInfo, maxSheetRows = MAX_SHEET_ROWS): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    // Shared strings make every text a plain string cell (`t="s"`): without them exceljs
    // writes `t="str"`, which marks the cached result of a formula.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: true });
    wb.creator = 'outcomes';
    addReadme(wb, info);
    const names = sheetNames(info.locale);
    for (const view of VIEWS) {
      const mine = rows.filter((r) => r.view === view);
      for (let i = 0; i === 0 || i * maxSheetRows < mine.length; i++) {
        addDataSheet(wb, i === 0 ? names[view] : `${names[view]} ${i + 1}`, mine.slice(i * maxSheetRows, (i + 1) * maxSheetRows), info);
      }
    }
    await wb.commit();
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
