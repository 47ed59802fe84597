import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC, tableFromArrays, vectorFromArray, Table, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db, literal } from '../../pipeline/core/db.js';
import { InputError } from '../../pipeline/core/errors.js';
import { loadNative, resetRaw } from '../../pipeline/ingest/load/native.js';
import { validate } from '../../pipeline/ingest/load/validate.js';
import { ADM_HEADER, TRT_HEADER, csv, tempDir, writeFiles } from './helpers.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

const ADM_ROWS = [
  'a1,p1,H1,MED,2024-01-01 08:00:00,2024-01-03 12:00:00,acute,home',
  'a2,p2,H2,"SURG, day",2024-01-05 08:00:00,,elective,',
];
const TRT = csv(TRT_HEADER, ['t1,p1,H1,CARD,2024-01-10 09:00:00,,ambulatory,virtual']);

async function canonicalAdmissions() {
  return db.all(
    `SELECT admission_id, patient_id, hospital_id, department_id, CAST(admit_ts AS VARCHAR) AS admit,
            CAST(discharge_ts AS VARCHAR) AS discharge, admission_type, discharge_disposition, _line
     FROM admissions ORDER BY admission_id`,
  );
}

const EXPECTED = [
  { admission_id: 'a1', patient_id: 'p1', hospital_id: 'H1', department_id: 'MED', admit: '2024-01-01 08:00:00', discharge: '2024-01-03 12:00:00', admission_type: 'acute', discharge_disposition: 'home', _line: 2 },
  { admission_id: 'a2', patient_id: 'p2', hospital_id: 'H2', department_id: 'SURG, day', admit: '2024-01-05 08:00:00', discharge: null, admission_type: 'elective', discharge_disposition: 'unknown', _line: 3 },
];

describe('file formats', () => {
  it('reads plain CSV, gzip CSV with a BOM and CRLF, and a sniffed semicolon delimiter', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'treatments.csv': TRT });
    const text = '\ufeff' + csv(ADM_HEADER, ADM_ROWS).replace(/\n/g, '\r\n');
    writeFileSync(join(dir, 'admissions.csv.gz'), gzipSync(Buffer.from(text, 'utf8')));
    await resetRaw(db);
    await loadNative(db, dir);
    await validate(db);
    expect(await canonicalAdmissions()).toEqual(EXPECTED);

    const dir2 = writeFiles(tempDir(), {
      'treatments.csv': TRT,
      'admissions.csv': csv(ADM_HEADER.replaceAll(',', ';'), [
        'a1;p1;H1;MED;2024-01-01 08:00:00;2024-01-03 12:00:00;acute;home',
        'a2;p2;H2;SURG, day;2024-01-05 08:00:00;;elective;',
      ]),
    });
    await resetRaw(db);
    await loadNative(db, dir2);
    await validate(db);
    expect(await canonicalAdmissions()).toEqual(EXPECTED);
  });

  it('reads Parquet and NDJSON written from the same rows, with row numbers as lines', async () => {
    const src = writeFiles(tempDir(), { 'a.csv': csv(ADM_HEADER, ADM_ROWS) });
    const dir = writeFiles(tempDir(), { 'treatments.ndjson': '{"treatment_id":"t1","patient_id":"p1","hospital_id":"H1","start_ts":"2024-01-10T09:00:00","setting":"ambulatory","extra":{"x":1}}\n' });
    await db.run(
      `COPY (SELECT * REPLACE (CAST(admit_ts AS TIMESTAMP) AS admit_ts) FROM read_csv(${literal(join(src, 'a.csv'))}, all_varchar = true))
       TO ${literal(join(dir, 'admissions.parquet'))} (FORMAT parquet)`,
    );
    await resetRaw(db);
    await loadNative(db, dir);
    const tables = await validate(db);
    const rows = await canonicalAdmissions();
    expect(rows).toEqual(EXPECTED.map((r) => ({ ...r, _line: r._line - 1 })));
    expect(tables.find((t) => t.table === 'treatments')).toMatchObject({ rows_loaded: 1, rows_rejected: 0 });

    const dir2 = writeFiles(tempDir(), { 'treatments.csv': TRT });
    await db.run(
      `COPY (SELECT * FROM read_csv(${literal(join(src, 'a.csv'))}, all_varchar = true)) TO ${literal(join(dir2, 'admissions.jsonl'))} (FORMAT json)`,
    );
    await resetRaw(db);
    await loadNative(db, dir2);
    await validate(db);
    expect(await canonicalAdmissions()).toEqual(EXPECTED.map((r) => ({ ...r, _line: r._line - 1 })));
  });

  it('reads Arrow IPC in record batches, timestamps without a zone as wall-clock', async () => {
    const admit = vectorFromArray([Date.UTC(2024, 0, 1, 8), Date.UTC(2024, 0, 5, 8)], new TimestampMillisecond());
    const discharge = vectorFromArray([Date.UTC(2024, 0, 3, 12), null], new TimestampMillisecond());
    const base = tableFromArrays({
      admission_id: ['a1', 'a2'],
      patient_id: ['p1', 'p2'],
      hospital_id: ['H1', 'H2'],
      department_id: ['MED', 'SURG, day'],
    });
    const t = new Table({
      ...Object.fromEntries(base.schema.fields.map((f) => [f.name, base.getChild(f.name as never)!])),
      admit_ts: admit,
      discharge_ts: discharge,
      admission_type: vectorFromArray(['acute', 'elective'], new Utf8()),
      discharge_disposition: vectorFromArray(['home', null], new Utf8()),
    });
    const dir = writeFiles(tempDir(), { 'treatments.csv': TRT, 'admissions.arrow': tableToIPC(t, 'file') });
    await resetRaw(db);
    await loadNative(db, dir);
    await validate(db);
    expect(await canonicalAdmissions()).toEqual(EXPECTED.map((r) => ({ ...r, _line: r._line - 1 })));
  });

  it('quarantines unparseable CSV records (non-UTF-8 bytes, too many fields) with their real line numbers', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'treatments.csv': TRT });
    const text = Buffer.concat([
      Buffer.from(ADM_HEADER + '\n' + 'a1,p1,H1,MED,2024-01-01 08:00:00,2024-01-03 12:00:00,acute,home\n'),
      Buffer.from('a2,p2,H1,M'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',2024-01-01 08:00:00,,acute,home\n'),
      Buffer.from('a3,p3,H1,MED,2024-01-01 08:00:00,,acute,home,surplus\n'),
      Buffer.from('a4,p4,H1,"quoted\nline break",2024-01-01 08:00:00,,acute,home\n'),
    ]);
    writeFileSync(join(dir, 'admissions.csv'), text);
    await resetRaw(db);
    await loadNative(db, dir);
    const tables = await validate(db);
    const rej = await db.all<{ line: number; rule: string }>(`SELECT line, rule FROM rejects ORDER BY line`);
    // a4's record spans lines 5-6: it keeps its first line, and a line break in an id is rejected.
    expect(rej).toEqual([
      { line: 3, rule: 'unparseable_row' },
      { line: 4, rule: 'unparseable_row' },
      { line: 5, rule: 'control_character' },
    ]);
    expect(await db.all(`SELECT admission_id, department_id, _line FROM admissions ORDER BY 1`)).toEqual([
      { admission_id: 'a1', department_id: 'MED', _line: 2 },
    ]);
    expect(tables[0]).toMatchObject({ table: 'admissions', rows_read: 4, rows_rejected: 3 });
  });

  it('a header-only file loads zero rows; an empty file, a missing or renamed column, or a file in the wrong format stop with the file named', async () => {
    const ok = writeFiles(tempDir(), { 'admissions.csv': ADM_HEADER + '\n', 'treatments.csv': TRT });
    await resetRaw(db);
    await loadNative(db, ok);
    expect((await validate(db))[0]).toMatchObject({ rows_read: 0, rows_loaded: 0 });

    const cases: [Record<string, string>, RegExp][] = [
      [{ 'admissions.csv': '', 'treatments.csv': TRT }, /admissions\.csv: the file is empty/],
      [{ 'admissions.csv': csv(ADM_HEADER.replace('admit_ts', 'admission_ts'), ADM_ROWS), 'treatments.csv': TRT }, /admissions\.csv: required column "admit_ts" of table admissions is missing/],
      [{ 'admissions.csv': csv(ADM_HEADER.replace(',patient_id', ''), ['a1,H1,MED,2024-01-01,,acute,home']), 'treatments.csv': TRT }, /required column "patient_id"/],
      [{ 'admissions.parquet': 'this is not parquet', 'treatments.csv': TRT }, /cannot read .*admissions\.parquet as parquet/],
      [{ 'treatments.csv': TRT }, /required table "admissions" not found/],
    ];
    for (const [files, re] of cases) {
      const dir = writeFiles(tempDir(), files);
      await resetRaw(db);
      const err = await loadNative(db, dir).then(() => undefined, (e: unknown) => e);
      expect(err, String(re)).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
    }
  });
});
