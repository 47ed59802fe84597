/**
 * The `native` format: canonical tables as files (docs/reference/contract.md#formats) into the
 * persistent `parsed_*` tables, incrementally: each new or changed file is read and put
 * through the per-row rules once (`rows.ts`), and only its typed rows are kept. Every
 * file's path and SHA-256 are recorded in `loaded_files`: a file already loaded is skipped,
 * a new file is appended, a file whose content changed replaces the rows it brought before.
 * Each file is loaded in its own transaction, so a killed run leaves no half file.
 */
import { existsSync } from 'node:fs';
import { Db, ident } from '../../core/db.js';
import { InputError, withCleanup } from '../../core/errors.js';
import { assertUnchanged, hashFile, identityText, statIdentity, type HashedFile } from '../../core/hash.js';
import { REJECTS_DDL, TABLE_NAMES, TABLES, requiredColumns, type TableName } from '../schema.js';
import { assertArrowComplete, assertUtf8 } from './content.js';
import { findTableFiles, listDataFiles, type InputFile } from './discover.js';
import { ensureParsedShape, retireRows } from './canonical.js';
import { absorbRaw, clearSettings, rawTables, saveSettings, storedSettings } from './parsed.js';
import { STAGE, STAGE_REJECTS, dropStage, readFailure, stageFile } from './readers.js';
import { installMacros, parseInto, parseSettings, parsedTableDdl, VALIDATE_STATE, type ParseOptions } from './rows.js';

/** What loading needs besides the folder: the settings of the per-row rules, and where notes go. */
export interface LoadOptions extends ParseOptions {
  /** A line for the run's log (info). */
  note?: (message: string) => void;
  /** A line for the run's log (warning). */
  warn?: (message: string) => void;
}

export interface FileReport {
  path: string;
  table: string;
  format: string;
  /** Records read from the file when it was loaded (including those the reader could not parse). */
  rows: number;
  /** Columns in the file that are not canonical (ignored). */
  extra_columns: string[];
  /** What this run did with the file. */
  action?: 'new' | 'changed' | 'unchanged' | 'missing';
  bytes?: number;
  sha256?: string;
}

const LOADED_FILES_DDL = `CREATE TABLE IF NOT EXISTS loaded_files (
  path VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL, format VARCHAR NOT NULL,
  bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL, rows BIGINT NOT NULL,
  extra_columns VARCHAR[] NOT NULL, run_id VARCHAR NOT NULL)`;

/**
 * The identity (device, inode, size, modification and change times) of each file when it was
 * last read whole: a file whose identity is the same has not been written to since (the kernel
 * moves the change time on every write, and no program can set it), so it is not read again.
 */
const FILE_IDENTITIES_DDL = 'CREATE TABLE IF NOT EXISTS file_identities (path VARCHAR PRIMARY KEY, identity VARCHAR NOT NULL)';

async function saveIdentity(db: Db, path: string, identity: string): Promise<void> {
  await db.run('DELETE FROM file_identities WHERE path = $p', { p: path });
  await db.run('INSERT INTO file_identities VALUES ($p, $i)', { p: path, i: identity });
}

/** The persistent tables of the loader (created when missing). */
export async function ensureStore(db: Db): Promise<void> {
  await db.run(LOADED_FILES_DDL);
  await db.run(FILE_IDENTITIES_DDL);
  await db.run(REJECTS_DDL.replace('rejects', 'read_rejects'));
  await db.run(REJECTS_DDL);
  await ensureParsedShape(db);
}

/**
 * Forget everything loaded: the next load reads every file again. The parsed rows are retired,
 * not deleted: until the next validation they are still the canonical rows it compares with.
 */
export async function resetRaw(db: Db): Promise<void> {
  for (const t of TABLE_NAMES) await db.run(`DROP TABLE IF EXISTS ${ident('raw_' + t)}`);
  await ensureParsedShape(db);
  for (const t of TABLE_NAMES) if (await db.hasTable('parsed_' + t)) await retireRows(db, t);
  for (const t of ['rejects', 'read_rejects', 'loaded_files', 'file_identities', 'parse_settings', VALIDATE_STATE]) await db.run(`DROP TABLE IF EXISTS ${ident(t)}`);
  await ensureStore(db);
}

/**
 * Bring the parsed tables up to date with the files in `dir`. A missing required
 * table, an unreadable file or a missing required column throws `InputError`
 * (exit 2) naming the file and column; files loaded before stay loaded.
 */
export async function loadNative(db: Db, dir: string, runId = 'run', onFile?: (r: FileReport) => void, opts: LoadOptions = {}): Promise<FileReport[]> {
  await ensureStore(db);
  await installMacros(db);
  const legacy = await rawTables(db);
  if (legacy.length > 0) {
    // A database of an earlier version kept every file's raw text: parse it once, then drop it.
    opts.note?.(`the database keeps raw text rows (${legacy.map((t) => 'raw_' + t).join(', ')}) from an earlier version: parsing them once into ${legacy.map((t) => 'parsed_' + t).join(', ')}`);
    const n = await absorbRaw(db, opts);
    opts.note?.(`parsed ${n} raw rows; the raw text tables are dropped`);
  }
  const settings = await parseSettings(db, opts);
  const known = Number(await db.scalar('SELECT count(*) FROM loaded_files'));
  // Rows parsed under other plausible years, another time zone or other rules are read again.
  const stored = await storedSettings(db);
  const reread = known > 0 && stored !== settings;
  if (known === 0) await saveSettings(db, settings);
  if (reread) {
    opts.note?.(
      stored === undefined
        ? 'a reading of every file under new settings did not finish: every file in the input folder is read again'
        : 'the per-row rules, earliest_year, latest_year or timezone changed since the files were loaded: every file in the input folder is read again',
    );
    // Until every file is read again, the rows are parsed under two settings: a run killed in
    // between leaves no settings, so that the next run (under either) reads every file again.
    await clearSettings(db);
  }
  // Examine every entry of the folder first: a FIFO, a device, a dangling link or a link
  // loop anywhere in it stops the run before anything is read (docs/operations.md).
  if (existsSync(dir)) listDataFiles(dir);
  const reports: FileReport[] = [];
  const found: { table: TableName; file: InputFile }[] = [];
  for (const table of TABLE_NAMES) {
    const files = findTableFiles(dir, table);
    const knownHere = Number(await db.scalar('SELECT count(*) FROM loaded_files WHERE table_name = $t', { t: table }));
    if (files.length === 0 && knownHere === 0 && TABLES[table].required) {
      throw new InputError(
        `required table "${table}" not found in ${dir} (expected ${table}.csv, ${table}.parquet, ${table}.ndjson, ${table}.arrow or a folder ${table}/)`,
        dir,
      );
    }
    if (files.length > 0 || knownHere > 0) await db.run(parsedTableDdl(table));
    for (const file of files) found.push({ table, file });
  }
  const seen = new Set<string>();
  let notRead = 0;
  for (const { table, file } of found) {
    seen.add(file.path);
    const prev = await db.one<{ sha256: string; rows: number; extra_columns: string[]; format: string; identity: string | null }>(
      `SELECT l.sha256, l.rows, l.extra_columns, l.format, i.identity
       FROM loaded_files l LEFT JOIN file_identities i USING (path) WHERE l.path = $p`,
      { p: file.path },
    );
    const unchanged = (bytes: number, sha256: string) => {
      const r: FileReport = { path: file.path, table, format: prev!.format, rows: Number(prev!.rows), extra_columns: prev!.extra_columns, action: 'unchanged', bytes, sha256 };
      reports.push(r);
      onFile?.(r);
    };
    const now = statIdentity(file.path);
    if (prev && !reread && prev.identity === identityText(now)) {
      // Not written to since it was read whole: not read again (a night's cost is its new files).
      unchanged(Number(now.size), prev.sha256);
      notRead++;
      continue;
    }
    const read = await readWhole(file);
    const { bytes, sha256 } = read;
    if (prev && prev.sha256 === sha256 && !reread) {
      await saveIdentity(db, file.path, identityText(read.identity));
      unchanged(bytes, sha256);
      continue;
    }
    // Staged outside the transaction: a reader that fails aborts the transaction it runs in,
    // and the CSV reader may have to be run twice (see readers.ts).
    const r = await stageChecked(db, table, file.path, file.format, read.head);
    // The staged rows are dropped whatever happened; a drop that fails after a failed commit does not hide why it failed.
    await withCleanup(async () => {
      await db.transaction(async () => {
        if (prev) {
          // Retired, not deleted: the next validation compares with them (canonical.ts).
          await retireRows(db, table, file.path);
          await db.run('DELETE FROM read_rejects WHERE source_file = $p', { p: file.path });
          await db.run('DELETE FROM loaded_files WHERE path = $p', { p: file.path });
        }
        await appendStaged(db, table, file.path, file.format, opts);
        // The size and SHA-256 recorded must be those of the bytes the reader loaded.
        assertUnchanged(file.path, read.identity);
        await db.run(
          `INSERT INTO loaded_files VALUES ($path, $table, $format, $bytes, $sha, $rows, CAST($extra AS VARCHAR[]), $run)`,
          { path: file.path, table, format: file.format, bytes, sha: sha256, rows: r.rows, extra: JSON.stringify(r.extra_columns), run: runId },
        );
        await saveIdentity(db, file.path, identityText(read.identity));
      });
      const report: FileReport = { ...r, action: prev ? 'changed' : 'new', bytes, sha256 };
      reports.push(report);
      onFile?.(report);
    }, () => dropStage(db));
  }
  if (reread) await saveSettings(db, settings);
  if (notRead > 0) opts.note?.(`${notRead} file(s) not written to since they were read (same size, times and inode): not read again`);
  // Files loaded before that are no longer in the folder keep their rows: the database is the archive.
  for (const m of await db.all<{ path: string; table_name: string; format: string; rows: number; extra_columns: string[]; bytes: number; sha256: string }>(
    'SELECT path, table_name, format, rows, extra_columns, bytes, sha256 FROM loaded_files ORDER BY path',
  )) {
    if (!seen.has(m.path)) {
      if (reread) opts.warn?.(`file ${m.path} is no longer in the input folder: its rows keep the checks of the settings it was loaded under`);
      reports.push({ path: m.path, table: m.table_name, format: m.format, rows: Number(m.rows), extra_columns: m.extra_columns, action: 'missing', bytes: Number(m.bytes), sha256: m.sha256 });
    }
  }
  return reports;
}

/**
 * Read a file once before a reader loads it (see `hashFile`): size, SHA-256, a whole gzip
 * stream, a whole Arrow file, text in UTF-8. Throws `InputError` naming the file.
 */
async function readWhole(file: InputFile): Promise<HashedFile> {
  const read = await hashFile(file.path, { gzip: file.path.toLowerCase().endsWith('.gz') });
  if (file.format === 'csv' || file.format === 'ndjson') assertUtf8(file.path, read.head);
  if (file.format === 'arrow') assertArrowComplete(file.path, read.head, read.tail);
  return read;
}

/**
 * Stage one file (`stage`, and its unparseable records in `stage_rejects`) and check that
 * it has the table's required columns. `head`: the file's first bytes (see `hashFile`).
 */
export async function stageChecked(db: Db, table: TableName, path: string, format: string, head: Buffer): Promise<FileReport> {
  const staged = await stageFile(db, path, format as never, table, head);
  const present = new Set(staged.columns);
  for (const col of requiredColumns(table)) {
    if (!present.has(col)) {
      await dropStage(db);
      const found = staged.columns.length ? staged.columns.map((c) => `"${c}"`).join(', ') : 'none';
      throw new InputError(
        `${path}: required column "${col}" of table ${table} is missing (columns found: ${found})`,
        path,
        col,
      );
    }
  }
  const canon = new Set(TABLES[table].columns.map((c) => c.name));
  return {
    path,
    table,
    format,
    rows: staged.rows + staged.unparsed,
    extra_columns: staged.columns.filter((c) => !canon.has(c)),
  };
}

/**
 * Put the staged file's canonical columns through the per-row rules into `parsed_<table>`,
 * and its unparseable records into `read_rejects`.
 */
export async function appendStaged(db: Db, table: TableName, path: string, format: string, opts: ParseOptions = {}): Promise<void> {
  const present = new Set(
    (await db.all<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = $t`, { t: STAGE })).map((r) => r.c),
  );
  const canonical = TABLES[table].columns.map((c) => c.name);
  const select = canonical.map((c) => (present.has(c) ? `CAST(${ident(c)} AS VARCHAR)` : 'NULL'));
  try {
    // Parquet is staged as a view: its pages are read (and a damaged one found) here.
    const source = `(SELECT ${select.map((e, i) => `${e} AS ${ident(canonical[i]!)}`).join(', ')}, $path AS _source_file, _line FROM ${STAGE})`;
    await parseInto(db, table, source, opts, { path });
  } catch (e) {
    throw readFailure(e, path, format);
  }
  await db.run(`INSERT INTO read_rejects SELECT * FROM ${STAGE_REJECTS}`);
}
