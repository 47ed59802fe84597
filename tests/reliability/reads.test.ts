/**
 * Reads are complete or the run stops (exit 2, naming the file and, where there is one,
 * the column): docs/operations.md, "What outcomes refuses, and why".
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { Field, List, Table, Utf8, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { exitCodeOf } from '../../pipeline/core/errors.js';
import { assertUnchanged, hashFile } from '../../pipeline/core/hash.js';
import { loadNative } from '../../pipeline/ingest/load/native.js';
import { ADM, admissionRows, cleanUp, csv, inputDir, loadAndValidate, loadError, runCli, tempDir } from './input-fixtures.js';

afterAll(cleanUp);

const TEXT = csv(ADM, admissionRows(2000));

/** A gzip stream of `text` cut right after line `n`: every byte before inflates, then nothing. */
function gzipCutAtLine(text: string, n: number): Buffer {
  const prefix = text.split('\n').slice(0, n).join('\n') + '\n';
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  return Buffer.concat([header, deflateRawSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH })]);
}

function damaged(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c[c.length >> 1] ^= 0xff;
  return c;
}

async function expectRefused(dir: string, file: string, message: RegExp, column?: string) {
  const e = await loadError(dir);
  expect(e.message).toMatch(message);
  expect(e.message).toContain(join(dir, file));
  expect(exitCodeOf(e)).toBe(2);
  if (column) expect(e.column).toBe(column);
  return e;
}

async function parquetOf(select: string): Promise<Buffer> {
  const dir = tempDir();
  const db = await Db.open(':memory:');
  await db.run(`COPY (${select}) TO '${join(dir, 'x.parquet')}' (FORMAT parquet)`);
  db.close();
  return readFileSync(join(dir, 'x.parquet'));
}

const ADM_SELECT = `SELECT 'a' || i AS admission_id, 'p' || i AS patient_id, 'H1' AS hospital_id, '2024-01-02 08:00' AS admit_ts FROM range(2000) t(i)`;

describe('a compressed or binary file is read whole, or the run stops naming it', () => {
  const gz = gzipSync(TEXT);
  it.each([
    ['cut in the middle', gz.subarray(0, gz.length >> 1)],
    ['cut exactly at a line boundary', gzipCutAtLine(TEXT, 1000)],
    ['missing its trailer', gz.subarray(0, gz.length - 8)],
    ['with a damaged byte', damaged(gz)],
  ])('a .gz %s: exit 2, and the rows of its earlier version stay as they were', async (_, bytes) => {
    const dir = inputDir({ 'admissions.csv.gz': gz });
    const db = await Db.open(':memory:');
    try {
      await loadNative(db, dir);
      writeFileSync(join(dir, 'admissions.csv.gz'), bytes);
      const e = await loadNative(db, dir).then(
        () => undefined,
        (x: Error) => x,
      );
      expect(e?.message).toMatch(/admissions\.csv\.gz is not a whole gzip file/);
      expect(exitCodeOf(e)).toBe(2);
      expect(await db.scalar(`SELECT count(*) FROM parsed_admissions`)).toBe(2000);
      expect(await db.scalar(`SELECT sha256 FROM loaded_files WHERE path LIKE '%admissions.csv.gz'`)).toBe(createHash('sha256').update(gz).digest('hex'));
    } finally {
      db.close();
    }
  });

  it('a cut .ndjson.gz: exit 2 naming it', async () => {
    const nd = gzipSync(Array.from({ length: 500 }, (_, i) => JSON.stringify({ admission_id: `a${i}`, patient_id: `p${i}`, hospital_id: 'H1', admit_ts: '2024-01-02' })).join('\n') + '\n');
    await expectRefused(inputDir({ 'admissions.ndjson.gz': nd.subarray(0, nd.length - 8) }), 'admissions.ndjson.gz', /not a whole gzip file/);
  });

  it('the command line: a cut .gz exits 2 naming the file', () => {
    const dir = inputDir({ 'admissions.csv.gz': gzipCutAtLine(TEXT, 1000) });
    const r = runCli(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'admissions.csv.gz'));
  });

  it('a Parquet file with a damaged page (exit 1 before) or cut short: exit 2 naming it', async () => {
    const pq = await parquetOf(ADM_SELECT);
    const bad = Buffer.from(pq);
    for (let i = Math.floor(pq.length * 0.3); i < pq.length * 0.3 + 50; i++) bad[i]! ^= 0x5a;
    await expectRefused(inputDir({ 'admissions.parquet': bad }), 'admissions.parquet', /cannot read .* as parquet/);
    await expectRefused(inputDir({ 'admissions.parquet': pq.subarray(0, pq.length >> 1) }), 'admissions.parquet', /cannot read .* as parquet/);
  });

  it('an Arrow IPC stream without its end-of-stream marker, or an IPC file without its footer: exit 2 naming it', async () => {
    const t = tableFromArrays({ admission_id: ['a1', 'a2'], patient_id: ['p1', 'p2'], hospital_id: ['H1', 'H1'], admit_ts: ['2024-01-02', '2024-01-03'] });
    const stream = Buffer.from(tableToIPC(t, 'stream'));
    // What a writer leaves when it is stopped before close(): whole batches, no marker.
    await expectRefused(inputDir({ 'admissions.arrows': stream.subarray(0, stream.length - 8) }), 'admissions.arrows', /end-of-stream marker is missing/);
    const noFooter = Buffer.concat([Buffer.from('ARROW1\0\0'), stream.subarray(0, stream.length - 8)]);
    await expectRefused(inputDir({ 'admissions.arrow': noFooter }), 'admissions.arrow', /footer .* is missing/);
    // Whole files still load.
    const { db, tables } = await loadAndValidate(inputDir({ 'admissions.arrow': Buffer.from(tableToIPC(t, 'file')) }));
    db.close();
    expect(tables.find((x) => x.table === 'admissions')?.rows_loaded).toBe(2);
  });
});

describe('a file that changes while it is read', () => {
  it('the identity taken when the file was hashed no longer matches after a same-size rewrite', async () => {
    const dir = inputDir({ 'admissions.csv': TEXT });
    const path = join(dir, 'admissions.csv');
    const read = await hashFile(path);
    expect(() => assertUnchanged(path, read.identity)).not.toThrow();
    writeFileSync(path, TEXT.replace('a1,', 'b1,'));
    expect(() => assertUnchanged(path, read.identity)).toThrow(/admissions\.csv changed while it was being read/);
  });

  it('a file still being written: exit 2 and nothing of it loaded; once complete, the manifest hash is that of the bytes loaded', async () => {
    const dir = inputDir({ 'admissions.csv': csv(ADM, admissionRows(40_000)) });
    const path = join(dir, 'admissions.csv');
    let next = 40_000;
    const writer = setInterval(() => appendFileSync(path, admissionRows(1, next++)[0] + '\n'), 1);
    const db = await Db.open(':memory:');
    try {
      const e = await loadNative(db, dir).then(
        () => undefined,
        (x: Error) => x,
      );
      clearInterval(writer);
      expect(e?.message).toMatch(/admissions\.csv changed while it was being read/);
      expect(exitCodeOf(e)).toBe(2);
      expect(Number(await db.scalar(`SELECT count(*) FROM loaded_files WHERE path = $p`, { p: path }))).toBe(0);
      await loadNative(db, dir);
      const bytes = readFileSync(path);
      expect(await db.scalar(`SELECT sha256 FROM loaded_files WHERE path = $p`, { p: path })).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(Number(await db.scalar(`SELECT bytes FROM loaded_files WHERE path = $p`, { p: path }))).toBe(bytes.length);
      expect(Number(await db.scalar(`SELECT count(*) FROM parsed_admissions`))).toBe(next);
    } finally {
      clearInterval(writer);
      db.close();
    }
  }, 120_000);
});

describe('what is not a regular file, or cannot be read: exit 2 naming it, never a hang', () => {
  const good = { 'admissions.csv': TEXT };

  it('a FIFO as a table file, or inside a table folder (a reader would wait for a writer forever)', async () => {
    const a = inputDir(good);
    execFileSync('mkfifo', [join(a, 'treatments.csv.fifo')]);
    execFileSync('mv', [join(a, 'treatments.csv.fifo'), join(a, 'treatments.csv')]);
    await expectRefused(a, 'treatments.csv', /is a FIFO \(named pipe\), not a regular file/);
    const b = inputDir({ 'admissions/part-1.csv': TEXT });
    execFileSync('mkfifo', [join(b, 'admissions', 'part-2.csv')]);
    await expectRefused(b, 'admissions/part-2.csv', /is a FIFO/);
  }, 30_000);

  it('a socket, and a link to a device', async () => {
    const a = inputDir({ 'admissions/part-1.csv': TEXT });
    const server = createServer();
    await new Promise<void>((res) => server.listen(join(a, 'admissions', 'part-2.csv'), res));
    try {
      await expectRefused(a, 'admissions/part-2.csv', /is a socket, not a regular file/);
    } finally {
      server.close();
    }
    const b = inputDir(good);
    symlinkSync('/dev/zero', join(b, 'patients.csv'));
    await expectRefused(b, 'patients.csv', /is a device, not a regular file/);
  }, 30_000);

  it('a symbolic link loop, a link back to a folder being walked, a dangling link', async () => {
    const a = inputDir({ 'admissions/part-1.csv': TEXT });
    symlinkSync('part-2.csv', join(a, 'admissions', 'part-2.csv'));
    await expectRefused(a, 'admissions/part-2.csv', /symbolic link loop/);
    const b = inputDir(good);
    mkdirSync(join(b, 'treatments'));
    writeFileSync(join(b, 'treatments', 'part-1.csv'), readFileSync(join(b, 'treatments.csv')));
    symlinkSync('..', join(b, 'treatments', 'again'));
    await expectRefused(b, 'treatments/again', /symbolic link loop: it leads back to/);
    const c = inputDir(good);
    symlinkSync('nowhere.csv', join(c, 'patients.csv'));
    await expectRefused(c, 'patients.csv', /dangling symbolic link to nowhere\.csv/);
    // Anywhere inside --input, not only where a table is looked for.
    const d = inputDir(good);
    symlinkSync('notes', join(d, 'notes'));
    await expectRefused(d, 'notes', /symbolic link loop/);
  });

  it('a file that cannot be read (an input/output error, which root gets too)', async () => {
    const a = inputDir(good);
    symlinkSync('/proc/self/mem', join(a, 'patients.csv'));
    await expectRefused(a, 'patients.csv', /cannot read .*: an input\/output error/);
  });

  it('a file without read permission: exit 2 naming it (as root, the run is made as user nobody, since root reads anything)', () => {
    const input = inputDir(good);
    chmodSync(input, 0o755);
    chmodSync(join(input, 'treatments.csv'), 0o000);
    const asRoot = process.getuid?.() === 0;
    const work = tempDir();
    chmodSync(work, 0o777);
    const r = runCli(input, [], { cwd: work, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    expect(r.stderr).toContain(`cannot read ${join(input, 'treatments.csv')}: permission denied`);
    expect(r.code).toBe(2);
  }, 120_000);
});

describe('columns', () => {
  it('a column name twice in a CSV header, or twice but for case: exit 2 naming the column', async () => {
    const twice = inputDir({ 'admissions.csv': TEXT.replace('department_id', 'patient_id') });
    const e = await expectRefused(twice, 'admissions.csv', /column "patient_id" appears twice in the header \(columns 2 and 4\)/, 'patient_id');
    expect(e.file).toBe(join(twice, 'admissions.csv'));
    const cased = inputDir({ 'admissions.csv': TEXT.replace('department_id', 'PATIENT_ID') });
    await expectRefused(cased, 'admissions.csv', /columns "patient_id" and "PATIENT_ID" differ only in case/, 'PATIENT_ID');
    // Semicolon-separated with quoted names: the header is read as written.
    const semi = inputDir({ 'admissions.csv': csv('"admission_id";"patient_id";"hospital_id";"admit_ts";"note";"note"', ['a1;p1;H1;2024-01-02;x;y']) });
    await expectRefused(semi, 'admissions.csv', /column "note" appears twice/, 'note');
  });

  it('a column name twice in a Parquet or Arrow file: exit 2 naming the column', async () => {
    const patch = (b: Uint8Array) => Buffer.from(Buffer.from(b).toString('latin1').replaceAll('patient_iX', 'patient_id'), 'latin1');
    const pq = patch(await parquetOf(`SELECT 'a1' AS admission_id, 'p1' AS patient_id, 'p2' AS patient_iX, 'H1' AS hospital_id, '2024-01-02' AS admit_ts`));
    await expectRefused(inputDir({ 'admissions.parquet': pq }), 'admissions.parquet', /column "patient_id" appears twice/, 'patient_id');
    const arrow = patch(tableToIPC(tableFromArrays({ admission_id: ['a1'], patient_id: ['p1'], patient_iX: ['p2'], hospital_id: ['H1'], admit_ts: ['2024-01-02'] }), 'file'));
    await expectRefused(inputDir({ 'admissions.arrow': arrow }), 'admissions.arrow', /column "patient_id" appears twice/, 'patient_id');
  });

  it('a list or struct where a single value belongs (Parquet, Arrow, NDJSON): exit 2 naming file and column, never "[P1]" as an id', async () => {
    const list = await parquetOf(`SELECT admission_id, [patient_id] AS patient_id, hospital_id, admit_ts FROM (${ADM_SELECT})`);
    await expectRefused(inputDir({ 'admissions.parquet': list }), 'admissions.parquet', /column "patient_id" is of a list type \(VARCHAR\[\]\)/, 'patient_id');
    const struct = await parquetOf(`SELECT admission_id, patient_id, {'code': hospital_id} AS hospital_id, admit_ts FROM (${ADM_SELECT})`);
    await expectRefused(inputDir({ 'admissions.parquet': struct }), 'admissions.parquet', /column "hospital_id" is of a struct type/, 'hospital_id');
    const t = new Table({
      admission_id: vectorFromArray(['a1', 'a2']),
      patient_id: vectorFromArray([['P1'], ['P2']], new List(new Field('item', new Utf8(), true))),
      hospital_id: vectorFromArray(['H1', 'H1']),
      admit_ts: vectorFromArray(['2024-01-02', '2024-01-03']),
    });
    await expectRefused(inputDir({ 'admissions.arrow': Buffer.from(tableToIPC(t, 'file')) }), 'admissions.arrow', /column "patient_id" is of a list type/, 'patient_id');
    const rows = [
      { admission_id: 'a1', patient_id: 'p1', hospital_id: 'H1', admit_ts: '2024-01-02' },
      { admission_id: 'a2', patient_id: ['P1'], hospital_id: 'H1', admit_ts: '2024-01-02' },
    ];
    await expectRefused(
      inputDir({ 'admissions.ndjson': rows.map((r) => JSON.stringify(r)).join('\n') + '\n' }),
      'admissions.ndjson',
      /column "patient_id" holds a list or an object \(line 2\)/,
      'patient_id',
    );
    // A list in a column the contract does not know is ignored like any extra column.
    const extra = await parquetOf(`SELECT *, ['x'] AS tags FROM (${ADM_SELECT})`);
    const { db, tables } = await loadAndValidate(inputDir({ 'admissions.parquet': extra }));
    db.close();
    expect(tables.find((x) => x.table === 'admissions')?.rows_loaded).toBe(2000);
  });
});

describe('encodings other than UTF-8: the message says so', () => {
  const bom16le = Buffer.from([0xff, 0xfe]);
  const be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  it.each([
    ['UTF-16LE with a byte order mark', Buffer.concat([bom16le, Buffer.from(TEXT, 'utf16le')]), /the encoding is UTF-16LE, not UTF-8/],
    ['UTF-16LE without one', Buffer.from(TEXT, 'utf16le'), /the encoding is UTF-16LE, not UTF-8/],
    ['UTF-16BE with one', Buffer.concat([Buffer.from([0xfe, 0xff]), be(TEXT)]), /the encoding is UTF-16BE, not UTF-8/],
    ['Windows-1252 in the header', Buffer.from(TEXT.replace('discharge_disposition', 'discharge_disposition,bemærkning'), 'latin1'), /the first line is not UTF-8 \(the encoding is not UTF-8/],
  ])('%s: exit 2 naming the file', async (_, bytes, message) => {
    await expectRefused(inputDir({ 'admissions.csv': bytes }), 'admissions.csv', message);
  });

  it('NDJSON with a Latin-1 byte: exit 2 saying which line is not UTF-8', async () => {
    const first = '{"admission_id":"a0","patient_id":"p0","hospital_id":"H1","admit_ts":"2024-01-02"}\n';
    const text = Buffer.concat([Buffer.from(first + '{"admission_id":"a1","patient_id":"p1","hospital_id":"H'), Buffer.from([0xe6]), Buffer.from('","admit_ts":"2024-01-02"}\n')]);
    await expectRefused(inputDir({ 'admissions.ndjson': text }), 'admissions.ndjson', /line 2 is not UTF-8 \(the encoding is not UTF-8\)/);
  });

  it('one CSV row with a Latin-1 byte is rejected, and its reason says it is not UTF-8', async () => {
    const rows = admissionRows(200);
    const text = Buffer.concat([Buffer.from(csv(ADM, rows.slice(0, 5))), Buffer.from('a900,p900,H1,M'), Buffer.from([0xc6]), Buffer.from('D,2024-01-02 08:00,,acute,home\n'), Buffer.from(rows.slice(5).join('\n') + '\n')]);
    const { db, rejects } = await loadAndValidate(inputDir({ 'admissions.csv': text }));
    db.close();
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ line: 7, rule: 'unparseable_row' });
    expect(rejects[0]!.raw_value).toMatch(/\[invalid encoding: not UTF-8\]$/);
  });
});
