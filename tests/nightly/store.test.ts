/**
 * Store once, validate only what is new (docs/operations.md#nightly-runs-store-once-validate-what-is-new): each file is put
 * through the per-row rules once, when it is loaded; a night then parses only its new and
 * changed files (the manifest's `rows_parsed`), and the rules that need other rows still see
 * every row. Every night ends with the outputs of one full run over the same folder.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Db, ident } from '../../pipeline/core/db.js';
import { TABLE_NAMES, TABLES, rawTableDdl, type TableName } from '../../pipeline/ingest/schema.js';
import { findTableFiles } from '../../pipeline/ingest/load/discover.js';
import { STAGE, STAGE_REJECTS, dropStage, stageFile } from '../../pipeline/ingest/load/readers.js';
import { tempDir } from '../load/helpers.js';
import { fromScratch, night, nightFolder, put, snapshot } from './helpers.js';

const ADM = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
const TRT = 'treatment_id,patient_id,hospital_id,start_ts,setting';
const PAT = 'patient_id,birth_year,sex,death_date';

async function tablesOf(dbPath: string): Promise<string[]> {
  const db = await Db.open(dbPath);
  try {
    return (await db.all<{ t: string }>(`SELECT table_name AS t FROM duckdb_tables() ORDER BY 1`)).map((r) => r.t);
  } finally {
    db.close();
  }
}

/** Counts of the manifest that must not depend on how the files arrived. */
function counts(m: { tables: { table: string; rows_read: number; rows_loaded: number; rows_rejected: number; reject_share: number; rows_superseded: number }[] }) {
  return m.tables.map(({ table, rows_read, rows_loaded, rows_rejected, reject_share, rows_superseded }) => ({ table, rows_read, rows_loaded, rows_rejected, reject_share, rows_superseded }));
}

const base = {
  'patients.csv': [PAT, 'p1,1950,F,', 'p2,1960,M,', 'p3,1970,F,', 'p4,1980,M,2024-06-01'],
  'admissions/2024-01.csv': [
    ADM,
    'a1,p1,H1,MED,2024-01-02 08:00,2024-01-05 10:00,acute,home',
    'a2,p2,H1,MED,2024-01-10 08:00,2024-01-12 10:00,elective,home',
    'a3,p3,H2,SUR,2024-01-20 08:00,2024-01-19 10:00,acute,home', // discharge_before_admit
  ],
  'treatments/2024-01.csv': [TRT, 't1,p1,H1,2024-01-15 09:00,ambulatory', 't2,p2,H1,2024-01-16 09:00,emergency', 't3,p3,H1,nope,ambulatory'],
};

describe('store once, validate only what is new', () => {
  it('a night adding one file parses only its rows, keeps no raw text, and ends where a full run does', async () => {
    const { dir, input, out, db } = nightFolder(base);
    const first = await night(input, out, db);
    expect(first.parsed).toEqual({ patients: 4, admissions: 3, treatments: 3 });
    put(input, { 'treatments/2024-02.csv': [TRT, 't4,p1,H1,2024-02-01 09:00,ambulatory', 't5,p4,H2,2024-02-02 09:00,emergency'] });
    const second = await night(input, out, db);
    // Only the two rows of the new file went through the per-row rules.
    expect(second.parsed).toEqual({ patients: 0, admissions: 0, treatments: 2 });
    expect(second.manifest.stages.find((s) => s.stage === 'load')?.rows).toBe(2);
    const tables = await tablesOf(db);
    expect(tables.filter((t) => t.startsWith('raw_'))).toEqual([]);
    expect(tables).toEqual(expect.arrayContaining(['parsed_admissions', 'parsed_patients', 'parsed_treatments', 'loaded_files', 'read_rejects']));
    const full = await fromScratch(dir, input);
    expect(snapshot(out)).toEqual(full.snap);
    expect(counts(second.manifest)).toEqual(counts(full.manifest));
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toContain('discharge_before_admit');
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toContain('invalid_timestamp');
  }, 120_000);

  it('a changed file is parsed again and replaces its rows and rejects; a removed file keeps both', async () => {
    const { dir, input, out, db } = nightFolder({ ...base, 'admissions/2024-02.csv': [ADM, 'b1,p1,H1,MED,2024-02-02 08:00,2024-02-03 10:00,acute,home', 'b2,p2,H1,MED,2024-02-x,,acute,home'] });
    await night(input, out, db);
    // 2024-01 is corrected: a3's discharge is fixed, a4 is new.
    put(input, {
      'admissions/2024-01.csv': [
        ADM,
        'a1,p1,H1,MED,2024-01-02 08:00,2024-01-05 10:00,acute,home',
        'a2,p2,H1,MED,2024-01-10 08:00,2024-01-12 10:00,elective,home',
        'a3,p3,H2,SUR,2024-01-20 08:00,2024-01-21 10:00,acute,home',
        'a4,p1,H1,MED,2024-01-25 08:00,2024-01-26 10:00,acute,home',
      ],
    });
    const second = await night(input, out, db);
    expect(second.parsed).toEqual({ patients: 0, admissions: 4, treatments: 0 });
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).not.toContain('discharge_before_admit');
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
    // The removed file's rows and its rejected row stay, though nothing is parsed.
    rmSync(join(input, 'admissions', '2024-02.csv'));
    const third = await night(input, out, db);
    expect(third.parsed).toEqual({ patients: 0, admissions: 0, treatments: 0 });
    expect(third.manifest.tables.find((t) => t.table === 'admissions')).toMatchObject({ rows_read: 6, rows_loaded: 5, rows_rejected: 1 });
    const rejects = readFileSync(join(out, 'rejects.csv'), 'utf8');
    expect(rejects).toMatch(/2024-02\.csv,3,invalid_timestamp,admit_ts,2024-02-x,reject/);
  }, 120_000);

  it('a new patients file that moves a death date earlier rejects older contacts after it (after_death), as a full run does', async () => {
    const { 'patients.csv': patients, ...contacts } = base;
    const { dir, input, out, db } = nightFolder({ ...contacts, 'patients/2024-01.csv': patients });
    const first = await night(input, out, db);
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).not.toContain('after_death');
    // p2 died on 2024-01-08: the admission of 2024-01-10 and the treatment of 2024-01-16 were after it.
    put(input, { 'patients/2024-02.csv': [PAT, 'p2,1960,M,2024-01-08'] });
    const second = await night(input, out, db);
    expect(second.parsed).toEqual({ patients: 1, admissions: 0, treatments: 0 });
    const rejects = readFileSync(join(out, 'rejects.csv'), 'utf8');
    expect(rejects).toMatch(/^admissions,.*2024-01\.csv,3,after_death,admit_ts,2024-01-10 08:00:00,reject$/m);
    expect(rejects).toMatch(/^treatments,.*2024-01\.csv,3,after_death,start_ts,2024-01-16 09:00:00,reject$/m);
    expect(second.manifest.tables.find((t) => t.table === 'patients')).toMatchObject({ rows_superseded: 1, replaced: 1 });
    expect(second.manifest.tables.find((t) => t.table === 'admissions')!.rows_loaded).toBe(first.manifest.tables.find((t) => t.table === 'admissions')!.rows_loaded - 1);
    const full = await fromScratch(dir, input);
    expect(snapshot(out)).toEqual(full.snap);
    expect(counts(second.manifest)).toEqual(counts(full.manifest));
  }, 120_000);

  it('an id of an old file again in a new one: the new file wins (superseded), its own second use is duplicate_id', async () => {
    const { dir, input, out, db } = nightFolder(base);
    await night(input, out, db);
    put(input, {
      'admissions/2024-02.csv': [
        ADM,
        'a1,p1,H1,MED,2024-01-02 08:00,2024-01-06 10:00,acute,home', // corrects a1 of 2024-01.csv
        'a1,p1,H1,MED,2024-01-02 08:00,2024-01-07 10:00,acute,home', // line 3: duplicate_id within the file
        'a5,p2,H1,MED,2024-02-10 08:00,2024-02-11 10:00,acute,home',
      ],
    });
    const second = await night(input, out, db);
    expect(second.parsed).toEqual({ patients: 0, admissions: 3, treatments: 0 });
    expect(second.manifest.tables.find((t) => t.table === 'admissions')).toMatchObject({ rows_superseded: 1, inserted: 1, replaced: 1, unchanged: 1, removed: 0 });
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toMatch(/^admissions,.*2024-02\.csv,3,duplicate_id,admission_id,a1,reject$/m);
    const d = await Db.open(db);
    try {
      expect(await d.scalar(`SELECT CAST(discharge_ts AS VARCHAR) FROM admissions WHERE admission_id = 'a1'`)).toBe('2024-01-06 10:00:00');
    } finally {
      d.close();
    }
    const full = await fromScratch(dir, input);
    expect(snapshot(out)).toEqual(full.snap);
    expect(counts(second.manifest)).toEqual(counts(full.manifest));
  }, 120_000);

  it('other plausible years: every file in the folder is parsed again; a file gone from it keeps its rows, with a warning', async () => {
    const { dir, input, out, db } = nightFolder({ ...base, 'treatments/2023.csv': [TRT, 'u1,p1,H1,2023-05-01 09:00,ambulatory'] });
    await night(input, out, db);
    const config = { earliest_year: 2024 };
    // With the 2023 file still there, a changed setting gives what a full run gives.
    const second = await night(input, out, db, config);
    expect(second.parsed).toEqual({ patients: 4, admissions: 3, treatments: 4 });
    expect(second.log.some((l) => l.includes('every file in the input folder is read again'))).toBe(true);
    expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toMatch(/2023\.csv,2,implausible_timestamp,start_ts,2023-05-01 09:00,reject/);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input, config)).snap);
    // Gone from the folder, then the setting changes back: its rows stay as they were judged.
    rmSync(join(input, 'treatments', '2023.csv'));
    const third = await night(input, out, db);
    expect(third.parsed).toEqual({ patients: 4, admissions: 3, treatments: 3 });
    expect(third.log.some((l) => l.startsWith('warn') && l.includes('2023.csv is no longer in the input folder: its rows keep the checks'))).toBe(true);
    expect(third.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ rows_read: 4 });
  }, 120_000);

  it('a reading of every file under new settings that did not finish is done again by the next run, under either settings', async () => {
    const { dir, input, out, db } = nightFolder({ ...base, 'treatments/2023.csv': [TRT, 'u1,p1,H1,2023-05-01 09:00,ambulatory'] });
    await night(input, out, db);
    // Other plausible years: every file is read again; 2023.csv is (its row now implausible), then
    // 2024-01.csv stops the run (a required column is missing).
    put(input, { 'treatments/2024-01.csv': ['treatment_id,patient_id,hospital_id,setting', 't1,p1,H1,ambulatory'] });
    await expect(night(input, out, db, { earliest_year: 2024 })).rejects.toThrow(/required column "start_ts"/);
    // The file is put right and the settings go back: 2023.csv, read under the other years, is read again.
    put(input, { 'treatments/2024-01.csv': base['treatments/2024-01.csv'] });
    const next = await night(input, out, db);
    expect(next.log.some((l) => l.includes('a reading of every file under new settings did not finish: every file in the input folder is read again'))).toBe(true);
    expect(next.manifest.inputs.find((f) => f.path.endsWith('2023.csv'))?.action).toBe('changed');
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
  }, 120_000);

  it('a database that kept raw text rows (before the store) is parsed once, rows of a file gone from the folder included', async () => {
    const dir = tempDir();
    const input = join(dir, 'in');
    put(input, { ...base, 'admissions/2023.csv': [ADM, 'z1,p1,H1,MED,2023-12-01 08:00,2023-12-02 10:00,acute,home', 'z2,p1,H1,MED,2023-12-40 08:00,,acute,home'] });
    const expected = await fromScratch(dir, input);
    // The database as the loader before the store wrote it: raw_<table> text rows, no parsed tables.
    const dbPath = join(dir, 'legacy.duckdb');
    await writeLegacy(dbPath, input);
    rmSync(join(input, 'admissions', '2023.csv'));
    const out = join(dir, 'out');
    const r = await night(input, out, dbPath);
    expect(r.log.some((l) => l.includes('from an earlier version: parsing them once'))).toBe(true);
    expect(r.parsed).toEqual({ patients: 4, admissions: 5, treatments: 3 });
    expect(r.manifest.inputs.find((f) => f.path.endsWith('2023.csv'))?.action).toBe('missing');
    expect((await tablesOf(dbPath)).filter((t) => t.startsWith('raw_'))).toEqual([]);
    // Nothing was lost: the same rows, rejects and metrics as a full run over the folder as it was.
    expect(snapshot(out)).toEqual(expected.snap);
    expect(counts(r.manifest)).toEqual(counts(expected.manifest));
    const again = await night(input, out, dbPath);
    expect(again.parsed).toEqual({ patients: 0, admissions: 0, treatments: 0 });
    expect(again.log.some((l) => l.includes('earlier version'))).toBe(false);
  }, 120_000);

  it('a file not written to since it was read is not read again; one rewritten with the same size and modification time is', async () => {
    const { dir, input, out, db } = nightFolder(base);
    await night(input, out, db);
    const quiet = await night(input, out, db);
    expect(quiet.log).toContain('info 3 file(s) not written to since they were read (same size, times and inode): not read again');
    // Same size, same modification time, other content: the change time moves, so it is read, and its new row counts.
    const file = join(input, 'treatments', '2024-01.csv');
    const { mtimeNs } = statSync(file, { bigint: true });
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('t1,p1,H1,2024-01-15 09:00', 't1,p2,H1,2024-01-15 09:00'));
    // To the nanosecond, as a copy tool that keeps times would (Node's utimes rounds to microseconds).
    execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`, file]);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(mtimeNs);
    expect(statSync(file).size).toBe(Buffer.byteLength(text));
    const rewritten = await night(input, out, db);
    expect(rewritten.manifest.inputs.find((f) => f.path === file)?.action).toBe('changed');
    expect(rewritten.log).toContain('info 2 file(s) not written to since they were read (same size, times and inode): not read again');
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
    // Touched only: read again, found unchanged, and not read on the night after.
    utimesSync(file, new Date(), new Date());
    const touched = await night(input, out, db);
    expect(touched.manifest.inputs.find((f) => f.path === file)?.action).toBe('unchanged');
    expect(touched.log).toContain('info 2 file(s) not written to since they were read (same size, times and inode): not read again');
    const after = await night(input, out, db);
    expect(after.log).toContain('info 3 file(s) not written to since they were read (same size, times and inode): not read again');
  }, 120_000);
});

/**
 * Write `loaded_files`, `read_rejects` and `raw_<table>` (every canonical column as text, with
 * file and line) as the loader kept them before the store of parsed rows existed.
 */
async function writeLegacy(dbPath: string, input: string): Promise<void> {
  const db = await Db.open(dbPath);
  try {
    await db.run(`CREATE TABLE loaded_files (path VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL, format VARCHAR NOT NULL,
      bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL, rows BIGINT NOT NULL, extra_columns VARCHAR[] NOT NULL, run_id VARCHAR NOT NULL)`);
    await db.run(`CREATE TABLE read_rejects (table_name VARCHAR NOT NULL, source_file VARCHAR, line BIGINT, rule VARCHAR NOT NULL,
      column_name VARCHAR, raw_value VARCHAR, kind VARCHAR NOT NULL DEFAULT 'reject')`);
    await db.run(`CREATE TABLE input_folder (path VARCHAR NOT NULL)`);
    await db.run(`INSERT INTO input_folder VALUES ($p)`, { p: input });
    for (const table of TABLE_NAMES as readonly TableName[]) {
      const files = findTableFiles(input, table);
      if (files.length === 0) continue;
      await db.run(rawTableDdl(table));
      for (const f of files) {
        const bytes = readFileSync(f.path);
        const staged = await stageFile(db, f.path, 'csv', table, bytes);
        const cols = TABLES[table].columns.map((c) => c.name);
        const have = new Set(staged.columns);
        await db.run(
          `INSERT INTO ${ident('raw_' + table)} SELECT ${cols.map((c) => (have.has(c) ? `CAST(${ident(c)} AS VARCHAR)` : 'NULL')).join(', ')}, $p, _line FROM ${STAGE}`,
          { p: f.path },
        );
        await db.run(`INSERT INTO read_rejects SELECT * FROM ${STAGE_REJECTS}`);
        await db.run(`INSERT INTO loaded_files VALUES ($p, $t, 'csv', $b, $s, $n, [], 'old')`, {
          p: f.path,
          t: table,
          b: bytes.length,
          s: createHash('sha256').update(bytes).digest('hex'),
          n: staged.rows + staged.unparsed,
        });
        await dropStage(db);
      }
    }
  } finally {
    db.close();
  }
}
