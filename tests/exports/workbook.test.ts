/**
 * The report workbooks read back with exceljs: sheets, typed cells and their number
 * formats, suppression, no formula anywhere (hostile ids included), and the same
 * values as the CSV report beside each workbook.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/core/db.js';
import type { View } from '../../metrics/types.js';
import { COLUMNS, HEADINGS, NUMBER_COLUMNS, metricTexts, rowValues, viewText } from '../../pipeline/publish/exports/columns.js';
import { defuse, numberCell, type Locale } from '../../pipeline/publish/exports/csv.js';
import { writeExports } from '../../pipeline/publish/exports/index.js';
import { numberFormats } from '../../pipeline/publish/exports/workbook-formats.js';
import { xlsxText } from '../../pipeline/publish/exports/workbook-text.js';
import { crc32, entryBytes, readZip, tableCrc32 } from '../../pipeline/publish/reuse/zip.js';
import { writeWorkbook, type WorkbookRow } from '../../pipeline/publish/exports/workbook.js';
import { CATALOG, row } from './catalog.js';
import { EVIL, GOLDEN_ROWS, HOSTILE_IDS, HOSTILE_ROWS, metricsDb } from './fixture.js';
import { readCsv } from './libreoffice.js';

const { ValueType } = ExcelJS;

let db: Db;
let tmp: string;
const out: Record<Locale, { dir: string; files: string[] }> = {} as never;
beforeAll(async () => {
  db = await metricsDb([...GOLDEN_ROWS, ...HOSTILE_ROWS]);
  tmp = mkdtempSync(join(tmpdir(), 'outcomes-workbook-'));
  for (const locale of ['en', 'da'] as const) {
    const dir = join(tmp, locale);
    const { files } = await writeExports(db, dir, { catalog: CATALOG, locale, minCell: 5, runDate: '2025-01-15', cutoff: '2024-12-31 23:59:59', runId: 'run-42' });
    out[locale] = { dir, files: files.map((f) => basename(f)) };
  }
});
afterAll(() => {
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function book(locale: Locale, file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(out[locale].dir, file));
  return wb;
}

/** The data rows of a sheet (the header row left out), as cells. */
function dataRows(ws: ExcelJS.Worksheet): ExcelJS.Cell[][] {
  const rows: ExcelJS.Cell[][] = [];
  for (let r = 2; r <= ws.rowCount; r++) rows.push(COLUMNS.map((_, i) => ws.getRow(r).getCell(i + 1)));
  return rows;
}

const col = (c: (typeof COLUMNS)[number]) => COLUMNS.indexOf(c);

/** The row of a sheet with this period, hospital, department and metric. */
function find(ws: ExcelJS.Worksheet, period: string, hospital: string, department: string, metric: string): ExcelJS.Cell[] {
  const hits = dataRows(ws).filter((r) => r[0]!.value === period && r[1]!.value === hospital && r[2]!.value === department && r[3]!.value === metric);
  expect(hits, `${period} ${hospital} ${department} ${metric}`).toHaveLength(1);
  return hits[0]!;
}

function expectNumber(cell: ExcelJS.Cell, value: number, numFmt: string): void {
  expect(cell.type, cell.address).toBe(ValueType.Number);
  expect(cell.value as number, cell.address).toBeCloseTo(value, 12);
  expect(cell.numFmt, cell.address).toBe(numFmt);
}

function expectText(cell: ExcelJS.Cell, value: string): void {
  expect(cell.type, cell.address).toBe(ValueType.String);
  expect(cell.value, cell.address).toBe(value);
  expect(cell.numFmt, cell.address).toBe('@');
}

describe('report workbooks', () => {
  it('sit beside each CSV file', () => {
    for (const locale of ['en', 'da'] as const) {
      const csv = out[locale].files.filter((f) => f.endsWith('.csv'));
      expect(out[locale].files.filter((f) => f.endsWith('.xlsx'))).toEqual(csv.map((f) => f.replace(/\.csv$/, '.xlsx')));
      expect(csv).toContain('=1+1.csv');
    }
  });

  it.each([
    ['en', ['README', 'Activity', 'Outcome']],
    ['da', ['Vejledning', 'Aktivitet', 'Resultat']],
  ] as const)('have a README sheet and a sheet per view with a frozen, filtered header row (%s)', async (locale, names) => {
    const longestTitle = Math.max(...CATALOG.filter((c) => c.view === 'outcome').map((c) => metricTexts(c, locale).title.length));
    const wb = await book(locale, 'H1.xlsx');
    expect(wb.worksheets.map((w) => w.name)).toEqual(names);
    for (const ws of wb.worksheets.slice(1)) {
      expect(COLUMNS.map((_, i) => ws.getRow(1).getCell(i + 1).value)).toEqual(COLUMNS.map((c) => HEADINGS[locale][c]));
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBe(`A1:M${ws.rowCount}`);
      for (const c of ws.columns) expect(c.width).toBeGreaterThanOrEqual(8);
      for (const c of ws.columns) expect(c.width).toBeLessThanOrEqual(60);
    }
    // H1: admissions and DRG value for 3 departments and the total in 2024-01 and the total in 2024;
    // 17 outcome rows.
    expect(wb.worksheets.slice(1).map((ws) => ws.rowCount - 1)).toEqual([10, 17]);
    // The longest title and 2 characters to spare, at most 60.
    expect(wb.worksheets[2]!.getColumn(col('metric_title') + 1).width).toBe(Math.min(60, longestTitle + 2));
    expect(longestTitle).toBeGreaterThan(20);
  });

  it('store numbers as numbers, formatted for what they are', async () => {
    const h1 = await book('en', 'H1.xlsx');
    const [activity, outcome] = [h1.getWorksheet('Activity')!, h1.getWorksheet('Outcome')!];
    const adm = find(activity, '2024-01', 'H1', 'ALL', 'admissions');
    expectNumber(adm[col('numerator')]!, 35, '#,##0');
    expectNumber(adm[col('value')]!, 35, '#,##0');
    expect(adm[col('denominator')]!.type).toBe(ValueType.Null);
    expectNumber(find(activity, '2024', 'H1', 'ALL', 'drg_value')[col('value')]!, 123456789.5, '#,##0.00');
    const rate = find(outcome, '2024', 'H1', 'ALL', 'readmission_30d');
    expectNumber(rate[col('numerator')]!, 30, '#,##0');
    expectNumber(rate[col('denominator')]!, 300, '#,##0');
    expectNumber(rate[col('value')]!, 0.1, '0.0%');
    const oe = find(outcome, '2024', 'H1', 'ALL', 'readmission_30d_oe');
    expectNumber(oe[col('numerator')]!, 30, '#,##0');
    expectNumber(oe[col('denominator')]!, 25.5, '#,##0.00');
    expectNumber(oe[col('value')]!, 30 / 25.5, '#,##0.00');
    expectNumber(oe[col('lower')]!, 0.79371, '#,##0.00');
    expectNumber(oe[col('upper')]!, 1.67956, '#,##0.00');
    const mean = find(outcome, '2024-01', 'H1', 'ALL', 'los_mean');
    expectNumber(mean[col('numerator')]!, 136, '#,##0');
    expectNumber(mean[col('value')]!, 136 / 35, '#,##0.00');
    const median = find(outcome, '2024', 'H1', 'ALL', 'los_median');
    expect(median[col('numerator')]!.type).toBe(ValueType.Null);
    expectNumber(median[col('value')]!, 3, '#,##0');
    const share = find(outcome, '2024-01', 'H1', 'MED', 'readmission_drg_share');
    expectNumber(share[col('numerator')]!, 6.375, '#,##0.00');
    expectNumber(share[col('denominator')]!, 25.5, '#,##0.00');
    expectNumber(share[col('value')]!, 0.25, '0.0%');
    const all = (await book('en', 'all-hospitals.xlsx')).getWorksheet('Outcome')!;
    expectNumber(find(all, '2024-01', 'ALL', 'ALL', 'trips_per_patient')[col('value')]!, 89 / 64, '#,##0.00');
  });

  it('store periods, ids and names as text cells that stay text', async () => {
    const rate = find((await book('da', 'H1.xlsx')).getWorksheet('Resultat')!, '2024', 'H1', 'ALL', 'readmission_30d');
    expectText(rate[col('period')]!, '2024');
    // The metric's Danish texts from its SQL header, the view's Danish name.
    const entry = CATALOG.find((c) => c.id === 'readmission_30d')!;
    expectText(rate[col('metric_title')]!, entry.da.title);
    expectText(rate[col('view')]!, 'resultat');
    expectText(rate[col('unit')]!, entry.da.unit);
    expect(entry.da.title).not.toBe(entry.title);
  });

  it('leave hidden numbers empty, with the reason in its own column', async () => {
    const activity = (await book('en', 'H1.xlsx')).getWorksheet('Activity')!;
    const surg = find(activity, '2024-01', 'H1', 'SURG', 'admissions');
    for (const c of ['numerator', 'denominator', 'value', 'lower', 'upper'] as const) expect(surg[col(c)]!.type).toBe(ValueType.Null);
    expectText(surg[col('suppressed')]!, 'primary');
    const evil = find(activity, '2024-01', 'H1', EVIL, 'admissions');
    expect(evil[col('value')]!.type).toBe(ValueType.Null);
    expectText(evil[col('suppressed')]!, 'secondary');
    expect(find(activity, '2024-01', 'H1', 'MED', 'admissions')[col('suppressed')]!.type).toBe(ValueType.Null);
  });

  it('never hold a formula: hostile ids and names are plain strings, read back unchanged', async () => {
    for (const locale of ['en', 'da'] as const) {
      for (const file of out[locale].files.filter((f) => f.endsWith('.xlsx'))) {
        for (const ws of (await book(locale, file)).worksheets) {
          ws.eachRow({ includeEmpty: false }, (r) =>
            r.eachCell({ includeEmpty: false }, (c) => {
              expect(c.type === ValueType.Number || c.type === ValueType.String, `${file} ${ws.name}!${c.address}`).toBe(true);
              expect(c.formula, `${file} ${ws.name}!${c.address}`).toBeUndefined();
            }),
          );
        }
      }
    }
    const activity = (await book('en', 'all-hospitals.xlsx')).getWorksheet('Activity')!;
    const dec = dataRows(activity).filter((r) => r[0]!.value === '2024-12');
    expect(dec.map((r) => r[1]!.value)).toEqual([...HOSTILE_IDS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const r of dec) {
      expectText(r[0]!, '2024-12');
      expect(r[1]!.type).toBe(ValueType.String);
    }
    expectText(find(activity, '2024-12', '=1+1', 'ALL', 'admissions')[1]!, '=1+1');
    expectText(find(activity, '2024-12', '@x', 'ALL', 'admissions')[1]!, '@x');
    expectText(find(activity, '2024-12', '1-2', 'ALL', 'admissions')[1]!, '1-2');
    expectText(find((await book('en', 'H1.xlsx')).getWorksheet('Activity')!, '2024-01', 'H1', EVIL, 'admissions')[2]!, EVIL);
  });

  it('hold the same rows and values as the CSV report beside each', async () => {
    for (const locale of ['en', 'da'] as const) {
      const sep = locale === 'da' ? ';' : ',';
      for (const file of out[locale].files.filter((f) => f.endsWith('.csv'))) {
        const csv = readCsv(readFileSync(join(out[locale].dir, file), 'utf8').replace(/^\uFEFF/, ''), sep).slice(1);
        const wb = await book(locale, file.replace(/\.csv$/, '.xlsx'));
        const cells = wb.worksheets.slice(1).flatMap(dataRows);
        expect(cells.length, file).toBe(csv.length);
        // Each sheet keeps the CSV's order; the CSV interleaves the views.
        const byView = (v: View) => csv.filter((r) => r[col('view')] === viewText(v, locale));
        const expected = [...byView('activity'), ...byView('outcome')];
        expect(expected.length, file).toBe(csv.length);
        const shown = cells.map((r) =>
          r.map((c, i) => (NUMBER_COLUMNS.has(COLUMNS[i]!) ? numberCell(c.value === null ? null : (c.value as number), locale) : c.value === null ? '' : defuse(c.value as string))),
        );
        expect(shown, file).toEqual(expected);
      }
    }
  });

  it('say on the README sheet what the run, the cutoff, the threshold and each column are', async () => {
    const text = (wb: ExcelJS.Workbook) => {
      const lines: string[] = [];
      wb.worksheets[0]!.eachRow((r) => lines.push([r.getCell(1).value ?? '', r.getCell(2).value ?? ''].join(' | ')));
      return lines;
    };
    const en = text(await book('en', 'H1.xlsx'));
    expect(en).toContain('Run id | run-42');
    expect(en).toContain('Data cutoff | 2024-12-31 23:59:59 (the last moment the data speak for)');
    expect(en).toContain('Threshold | k = 5 (min_cell): counts of 1 to 4 are never shown');
    expect(en).toContain('Rows | hospital "H1": each department and the hospital total (department_id ALL)');
    expect(en).toContain('suppressed | empty when the numbers are shown; otherwise why they are hidden (primary, complement, secondary)');
    const rate = CATALOG.find((c) => c.id === 'readmission_30d')!;
    expect(en).toContain(`readmission_30d | ${rate.title} (outcome, ${rate.unit}): ${rate.description}`);
    const da = text(await book('da', '=1+1.xlsx'));
    expect(da).toContain('Kørsels-id | run-42');
    expect(da).toContain('Rækker | hospital "=1+1": hver afdeling og hospitalets total (afdeling_id ALL)');
    expect(da).toContain('diskretioneret | tom, når tallene vises; ellers hvorfor de er skjult (primary, complement, secondary)');
  });
});

describe('writeWorkbook', () => {
  it('continues a view on a second sheet when it has more rows than a sheet holds', async () => {
    const entry = CATALOG[0]!;
    const rows: WorkbookRow[] = [1, 2, 3, 4, 5].map((n) => ({
      view: 'activity',
      formats: numberFormats(entry),
      values: rowValues({ ...row('admissions', `2024-0${n}`, 'H1', 'ALL', n * 10), suppressed: null }, entry, 'en'),
    }));
    const file = join(tmp, 'split.xlsx');
    await writeWorkbook(file, rows, { locale: 'en', runId: 'r', runDate: 'd', cutoff: 'c', minCell: 5, hospital: 'H1', metrics: [entry] }, 2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => [w.name, w.rowCount])).toEqual([
      ['README', wb.worksheets[0]!.rowCount],
      ['Activity', 3],
      ['Activity 2', 3],
      ['Activity 3', 2],
      ['Outcome', 1],
    ]);
    expect(wb.getWorksheet('Activity 3')!.getRow(2).getCell(1).value).toBe('2024-05');
  });
});

describe('the workbook package (xlsx.ts)', () => {
  it('deflates a sheet of many megabytes in pieces that make one stream, with CRCs that hold, and keeps texts exactly', async () => {
    const entry = CATALOG[0]!;
    // About 10 MB of sheet XML: several of xlsx.ts's 1 MB pieces.
    const n = 30_000;
    const rows: WorkbookRow[] = Array.from({ length: n }, (_, i) => ({
      view: 'activity',
      formats: numberFormats(entry),
      values: { ...rowValues({ ...row('admissions', '2024-01', `H${i}`, ' lead & <trail> ', i + 0.125), suppressed: null }, entry, 'en'), unit: i % 2 ? 'odd' : 'even' },
    }));
    const file = join(tmp, 'large.xlsx');
    await writeWorkbook(file, rows, { locale: 'en', runId: 'r', runDate: 'd', cutoff: 'c', minCell: 5, hospital: null, metrics: [entry] });
    const zip = readZip(readFileSync(file))!;
    expect(zip).toBeDefined();
    for (const e of zip.entries) expect(crc32(entryBytes(zip, e)), e.name).toBe(e.crc);
    for (const e of zip.entries) expect(tableCrc32(entryBytes(zip, e)), e.name).toBe(e.crc);
    // The table CRC of zip.ts (used where node:zlib has none) goes on from a previous piece as node:zlib's does.
    for (const f of [crc32, tableCrc32]) expect(f(Buffer.from('world'), f(Buffer.from('hello ')))).toBe(crc32(Buffer.from('hello world')));
    const sheet = zip.entries.find((e) => e.name === 'xl/worksheets/sheet2.xml')!;
    expect(sheet.size).toBeGreaterThan(4 << 20);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Activity')!;
    expect(ws.rowCount).toBe(n + 1);
    for (const r of [2, 3, 17_001, n + 1]) {
      const cells = COLUMNS.map((_, i) => ws.getRow(r).getCell(i + 1));
      expectText(cells[col('hospital_id')]!, `H${r - 2}`);
      expectText(cells[col('department_id')]!, ' lead & <trail> ');
      expectNumber(cells[col('value')]!, r - 2 + 0.125, '#,##0');
      expectText(cells[col('unit')]!, (r - 2) % 2 ? 'odd' : 'even');
    }
  });
});

describe('the shared strings of a workbook', () => {
  it('keep white space at either end and line breaks (xml:space="preserve"), and read back exactly', async () => {
    const entry = CATALOG[0]!;
    const texts = [' lead', 'trail ', 'line\nbreak', 'plain'];
    const rows: WorkbookRow[] = texts.map((t) => ({
      view: 'activity',
      formats: numberFormats(entry),
      values: { ...rowValues({ ...row('admissions', '2024-01', 'H1', t, 10), suppressed: null }, entry, 'en') },
    }));
    const file = join(tmp, 'spaces.xlsx');
    await writeWorkbook(file, rows, { locale: 'en', runId: 'r', runDate: 'd', cutoff: 'c', minCell: 5, hospital: 'H1', metrics: [entry] });
    const zip = readZip(readFileSync(file))!;
    const strings = entryBytes(zip, zip.entries.find((e) => e.name === 'xl/sharedStrings.xml')!).toString('utf8');
    for (const t of texts.slice(0, 3)) expect(strings).toContain(`<si><t xml:space="preserve">${t}</t></si>`);
    expect(strings).toContain('<si><t>plain</t></si>');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('Activity')!;
    expect(texts.map((_, i) => ws.getRow(i + 2).getCell(col('department_id') + 1).value)).toEqual(texts);
  });
});

describe('xlsxText', () => {
  it('escapes what XML cannot carry and what Excel would decode, and nothing else', () => {
    expect(xlsxText('bell\u0007')).toBe('bell_x0007_');
    expect(xlsxText('_x0041_')).toBe('_x005F_x0041_');
    expect(xlsxText('_x00a0_ and _xyz_')).toBe('_x005F_x00a0_ and _xyz_');
    expect(xlsxText('a\r\nb')).toBe('a_x000D_\nb');
    expect(xlsxText('tab\there')).toBe('tab\there');
    expect(xlsxText('=1+1 Sankt Øster 😀')).toBe('=1+1 Sankt Øster 😀');
    expect(xlsxText('lone \uD800')).toBe('lone _xD800_');
    const long = xlsxText('x'.repeat(40_000));
    expect([long.length, long.slice(-2)]).toEqual([32_767, 'x…']);
  });
});

describe('numberFormats', () => {
  it('gives counts whole numbers, shares percent, means and ratios two decimals', () => {
    const f = (kind: (typeof CATALOG)[number]['kind'], unit = 'x') => Object.values(numberFormats({ kind, unit }));
    expect(f('count')).toEqual(['#,##0', '#,##0', '#,##0']);
    expect(f('sum')).toEqual(['#,##0.00', '#,##0', '#,##0.00']);
    expect(f('rate')).toEqual(['#,##0', '#,##0', '0.0%']);
    expect(f('mean')).toEqual(['#,##0', '#,##0', '#,##0.00']);
    expect(f('quantile')).toEqual(['#,##0', '#,##0', '#,##0']);
    expect(f('ratio', 'trips per patient')).toEqual(['#,##0', '#,##0', '#,##0.00']);
    expect(f('ratio', 'share of trips')).toEqual(['#,##0', '#,##0', '0.0%']);
    expect(f('oe')).toEqual(['#,##0', '#,##0.00', '#,##0.00']);
    expect(f('share')).toEqual(['#,##0.00', '#,##0.00', '0.0%']);
  });
});
