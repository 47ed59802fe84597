/**
 * The workbooks opened by another program than the one that wrote them: LibreOffice
 * converts every sheet to CSV and the values must be those of the CSV report. And the
 * pitfall the workbooks exist for: a CSV file opened the way a double-click opens it
 * (special numbers detected, Danish settings) turns the hospital id `1-2` into a date.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/core/db.js';
import { COLUMNS, NUMBER_COLUMNS, viewText } from '../../pipeline/publish/exports/columns.js';
import { defuse, type Locale } from '../../pipeline/publish/exports/csv.js';
import { writeExports } from '../../pipeline/publish/exports/index.js';
import { sheetNames } from '../../pipeline/publish/exports/workbook-readme.js';
import { CATALOG } from './catalog.js';
import { GOLDEN_ROWS, HOSTILE_ROWS, metricsDb } from './fixture.js';
import { CSV_ALL_SHEETS, SKIP_MESSAGE, convert, libreOfficeTestMode, readCsv } from './libreoffice.js';

const LOCALES: Locale[] = ['en', 'da'];
const SEP: Record<Locale, string> = { en: ',', da: ';' };
const TIMEOUT = 300_000;

/** A number as LibreOffice writes a stored value: `0.1`, `10%`, `1.17647058823529`. */
const loNumber = (s: string) => (s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s));
/** A number of a CSV report (decimal comma for da). */
const csvNumber = (s: string) => Number(s.replace(',', '.'));

if (libreOfficeTestMode() === 'skip') {
  describe('the workbooks in LibreOffice', () => {
    it.skip(SKIP_MESSAGE, () => {});
  });
} else {
  describe('the workbooks in LibreOffice', () => {
    let db: Db;
    let tmp: string;
    const exported: Record<Locale, { dir: string; files: string[] }> = {} as never;

    beforeAll(async () => {
      db = await metricsDb([...GOLDEN_ROWS, ...HOSTILE_ROWS]);
      tmp = mkdtempSync(join(tmpdir(), 'outcomes-lo-'));
      for (const locale of LOCALES) {
        const dir = join(tmp, locale);
        const { files } = await writeExports(db, dir, { catalog: CATALOG, locale, minCell: 5, runDate: '2025-01-15', cutoff: '2024-12-31', runId: 'r1' });
        exported[locale] = { dir, files: files.map((f) => basename(f)) };
        const books = files.filter((f) => f.endsWith('.xlsx'));
        convert(books, CSV_ALL_SHEETS, join(tmp, 'lo', locale), join(tmp, 'profile'));
      }
    }, TIMEOUT);
    afterAll(() => {
      db?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it(
      'shows the values of the CSV report: numbers equal to its 4 decimals, text as written (no formula run)',
      () => {
        let compared = 0;
        for (const locale of LOCALES) {
          const names = sheetNames(locale);
          for (const file of exported[locale].files.filter((f) => f.endsWith('.csv'))) {
            const report = readCsv(readFileSync(join(exported[locale].dir, file), 'utf8').replace(/^\uFEFF/, ''), SEP[locale]);
            const base = file.replace(/\.csv$/, '');
            for (const view of ['activity', 'outcome'] as const) {
              const sheet = readCsv(readFileSync(join(tmp, 'lo', locale, `${base}-${names[view]}.csv`), 'utf8'));
              const expected = [report[0]!, ...report.slice(1).filter((r) => r[COLUMNS.indexOf('view')] === viewText(view, locale))];
              expect(sheet.length, `${file} ${view}`).toBe(expected.length);
              expect(sheet[0]).toEqual(expected[0]);
              sheet.slice(1).forEach((r, i) => {
                const want = expected[i + 1]!;
                COLUMNS.forEach((c, j) => {
                  const where = `${locale}/${base}-${names[view]} row ${i + 2} ${c}`;
                  if (!NUMBER_COLUMNS.has(c) || want[j] === '' || r[j] === '') expect(NUMBER_COLUMNS.has(c) ? r[j] : defuse(r[j]!), where).toBe(want[j]);
                  else expect(Math.abs(loNumber(r[j]!) - csvNumber(want[j]!)), where).toBeLessThanOrEqual(0.0000500001);
                });
                compared++;
              });
            }
          }
        }
        expect(compared).toBeGreaterThan(100);
      },
      TIMEOUT,
    );

    it(
      'keeps `1-2` an id, where the CSV file opened like a double-click in a Danish spreadsheet makes it a date',
      async () => {
        const csv = join(exported.da.dir, 'all-hospitals.csv');
        // 59 = ';', Danish (1030), "detect special numbers" on: what a double-click does.
        convert([csv], 'xlsx', join(tmp, 'dblclick'), join(tmp, 'profile'), 'CSV:59,34,76,1,,1030,false,true');
        const opened = new ExcelJS.Workbook();
        await opened.xlsx.readFile(join(tmp, 'dblclick', 'all-hospitals.xlsx'));
        const lines = readCsv(readFileSync(csv, 'utf8').replace(/^\uFEFF/, ''), ';');
        const at = lines.findIndex((r) => r[1] === '1-2');
        expect(at).toBeGreaterThan(0);
        const mangled = opened.worksheets[0]!.getRow(at + 1).getCell(2);
        expect(mangled.type).toBe(ExcelJS.ValueType.Date);
        // The workbook of the same report, through LibreOffice: the id as written.
        const sheet = readCsv(readFileSync(join(tmp, 'lo', 'da', `all-hospitals-${sheetNames('da').activity}.csv`), 'utf8'));
        expect(sheet.filter((r) => r[1] === '1-2' && r[0] === '2024-12')).toHaveLength(1);
      },
      TIMEOUT,
    );
  });
}
