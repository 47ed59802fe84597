import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/core/db.js';
import { UsageError } from '../../pipeline/core/errors.js';
import { writeExports, type ExportOptions } from '../../pipeline/publish/exports/index.js';
import { CATALOG, row } from './catalog.js';
import { EVIL, GOLDEN_ROWS, insertMetrics, metricsDb } from './fixture.js';

/** A strict RFC 4180 reader: every record must end in CRLF; quotes only around whole fields. */
function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (text[i] !== delimiter && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
    } else if (text[i] === delimiter) {
      fields.push(field);
      field = '';
      i += 1;
    } else if (text[i] === '\r') {
      if (text[i + 1] !== '\n') throw new Error('bare CR');
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
      i += 2;
    } else if (text[i] === '\n') {
      throw new Error('bare LF');
    } else {
      field += text[i];
      i += 1;
    }
  }
  if (field !== '' || fields.length) throw new Error('last record without CRLF');
  return records;
}

let db: Db;
let tmp: string;
let n = 0;
beforeAll(async () => {
  db = await metricsDb(GOLDEN_ROWS);
  tmp = mkdtempSync(join(tmpdir(), 'outcomes-exports-'));
});
afterAll(() => {
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});

const base: ExportOptions = { catalog: CATALOG, locale: 'en', minCell: 5, runDate: '2025-01-15', cutoff: '2024-12-31' };

async function exportTo(opts: Partial<ExportOptions> = {}, on: Db = db): Promise<{ dir: string; files: string[]; read: (f: string) => string[][] }> {
  const dir = join(tmp, String(n++));
  const { files } = await writeExports(on, dir, { ...base, ...opts });
  const locale = opts.locale ?? 'en';
  const read = (f: string) => {
    const bytes = readFileSync(join(dir, f));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parseCsv(bytes.subarray(3).toString('utf8'), locale === 'da' ? ';' : ',');
  };
  return { dir, files: files.map((f) => basename(f)), read };
}

describe('writeExports', () => {
  it('writes one file per hospital, the overall file, a workbook beside each, and a README, every record with 13 fields', async () => {
    const { dir, files, read } = await exportTo();
    expect(files).toEqual([
      'all-hospitals.csv',
      'all-hospitals.xlsx',
      'H1.csv',
      'H1.xlsx',
      'Nord_Syd.csv',
      'Nord_Syd.xlsx',
      'Sankt_Øster.csv',
      'Sankt_Øster.xlsx',
      'README.txt',
    ]);
    expect(readdirSync(dir).sort()).toEqual([...files].sort());
    for (const f of files.filter((x) => x.endsWith('.csv'))) {
      for (const rec of read(f)) expect(rec).toHaveLength(13);
    }
    const h1 = read('H1.csv');
    expect(h1[0]).toEqual(['period', 'hospital_id', 'department_id', 'metric_id', 'metric_title', 'view', 'numerator', 'denominator', 'value', 'lower', 'upper', 'unit', 'suppressed']);
    expect(new Set(h1.slice(1).map((r) => r[1]))).toEqual(new Set(['H1']));
    const all = read('all-hospitals.csv');
    expect(new Set(all.slice(1).map((r) => r[2]))).toEqual(new Set(['ALL']));
    expect(new Set(all.slice(1).map((r) => r[1]))).toEqual(new Set(['ALL', 'H1', 'Nord/Syd', 'Sankt Øster']));
  });

  it('reads the formula-injection department back as defused text', async () => {
    const { read } = await exportTo({ locale: 'da' });
    const evil = read('H1.csv').filter((r) => r[2]!.includes('HYPERLINK'));
    expect(evil).toHaveLength(5);
    for (const r of evil) expect(r[2]).toBe("'" + EVIL);
  });

  it('keeps both views and sorts by period, hospital, department, metric', async () => {
    const { read } = await exportTo();
    const rows = read('all-hospitals.csv').slice(1);
    expect(new Set(rows.map((r) => r[5]))).toEqual(new Set(['activity', 'outcome']));
    const keys = rows.map((r) => [r[0], r[1], r[2], r[3]].join('\u0000'));
    expect(keys).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it('suppresses over all hospitals before choosing some: Nord/Syd keeps its secondary cell', async () => {
    const { files, read } = await exportTo({ hospitals: ['Nord/Syd'] });
    expect(files).toEqual(['all-hospitals.csv', 'all-hospitals.xlsx', 'Nord_Syd.csv', 'Nord_Syd.xlsx', 'README.txt']);
    const rows = read('Nord_Syd.csv').filter((r) => r[0] === '2024-01' && r[3] === 'readmission_30d');
    expect(rows.map((r) => [r[2], r[6], r[7], r[12]])).toEqual([
      ['ALL', '', '', 'secondary'],
      ['MED', '', '', 'secondary'],
    ]);
    expect(new Set(read('all-hospitals.csv').slice(1).map((r) => r[1]))).toEqual(new Set(['ALL', 'Nord/Syd']));
  });

  it('selects metrics and periods', async () => {
    const { read } = await exportTo({ metrics: ['admissions'], period: { from: '2024-01', to: '2024-01' } });
    const rows = read('H1.csv').slice(1);
    expect(rows.map((r) => [r[0], r[2], r[6], r[12]])).toEqual([
      ['2024-01', "'" + EVIL, '', 'secondary'],
      ['2024-01', 'ALL', '35', ''],
      ['2024-01', 'MED', '20', ''],
      ['2024-01', 'SURG', '', 'primary'],
    ]);
  });

  it('applies the threshold it is given (11, the CMS policy)', async () => {
    const { read } = await exportTo({ minCell: 11, metrics: ['admissions'], hospitals: ['Nord/Syd'] });
    const rows = read('Nord_Syd.csv').slice(1);
    expect(rows.map((r) => [r[0], r[2], r[6], r[12]])).toEqual([
      ['2024', 'ALL', '100', ''],
      ['2024-01', 'ALL', '', 'primary'],
      ['2024-01', 'MED', '', 'primary'],
    ]);
    expect(readFileSync(join(tmp, String(n - 1), 'README.txt'), 'utf8')).toContain('counts of 1 to 10 are never shown');
  });

  it('names unknown metric and hospital ids and bad periods', async () => {
    await expect(exportTo({ metrics: ['admissions', 'nope'] })).rejects.toThrow(/nope/);
    await expect(exportTo({ hospitals: ['Nowhere'] })).rejects.toThrow(UsageError);
    await expect(exportTo({ hospitals: ['ALL'] })).rejects.toThrow(/ALL/);
    await expect(exportTo({ period: { from: '2024-13' } })).rejects.toThrow(/2024-13/);
  });

  it('gives hospitals whose ids differ only in case their own files', async () => {
    const other = await metricsDb([row('admissions', '2024', 'H1', 'ALL', 10), row('admissions', '2024', 'h1', 'ALL', 20), row('admissions', '2024', 'ALL', 'ALL', 30)]);
    try {
      const { files, read } = await exportTo({}, other);
      const hospitalFiles = files.filter((f) => f.endsWith('.csv') && f !== 'all-hospitals.csv');
      expect(hospitalFiles).toHaveLength(2);
      expect(hospitalFiles[0]).toMatch(/^H1-[0-9a-f]{8}\.csv$/);
      expect(hospitalFiles[1]).toMatch(/^h1-[0-9a-f]{8}\.csv$/);
      expect(read(hospitalFiles[1]!)[1]!.slice(0, 2)).toEqual(['2024', 'h1']);
    } finally {
      other.close();
    }
  });

  it('fails clearly without a metrics table or with a metric missing from the catalog', async () => {
    const other = await metricsDb([row('mystery', '2024', 'H1', 'ALL', 10)]);
    try {
      await expect(exportTo({}, other)).rejects.toThrow(/mystery/);
      await other.run('DROP TABLE metrics');
      await expect(exportTo({}, other)).rejects.toThrow(/no metrics table/);
      await insertMetrics(other, []);
      const { read } = await exportTo({}, other);
      expect(read('all-hospitals.csv')).toHaveLength(1);
    } finally {
      other.close();
    }
  });
});
