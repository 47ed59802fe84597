/** The `native` format: canonical tables as files (contract §2) into the `raw_*` tables. */
import { Db, ident } from '../db.js';
import { InputError } from '../errors.js';
import { REJECTS_DDL, TABLE_NAMES, TABLES, rawTableDdl, requiredColumns, type TableName } from '../schema.js';
import { findTableFiles } from './discover.js';
import { STAGE, stageFile } from './readers.js';

export interface FileReport {
  path: string;
  table: string;
  format: string;
  /** Records read (including those the reader could not parse). */
  rows: number;
  /** Columns in the file that are not canonical (ignored). */
  extra_columns: string[];
}

/** Drop and recreate the raw tables and the rejects table. */
export async function resetRaw(db: Db): Promise<void> {
  for (const t of TABLE_NAMES) await db.run(`DROP TABLE IF EXISTS ${ident('raw_' + t)}`);
  await db.run('DROP TABLE IF EXISTS rejects');
  await db.run(REJECTS_DDL);
}

/**
 * Read every file of every canonical table in `dir` into `raw_<table>`.
 * A missing required table, an unreadable file or a missing required column
 * throws `InputError` (exit 2) naming the file and column.
 */
export async function loadNative(db: Db, dir: string): Promise<FileReport[]> {
  await resetRaw(db);
  const reports: FileReport[] = [];
  for (const table of TABLE_NAMES) {
    const files = findTableFiles(dir, table);
    if (files.length === 0) {
      if (TABLES[table].required) {
        throw new InputError(
          `required table "${table}" not found in ${dir} (expected ${table}.csv, ${table}.parquet, ${table}.ndjson, ${table}.arrow or a folder ${table}/)`,
          dir,
        );
      }
      continue;
    }
    await db.run(rawTableDdl(table));
    for (const f of files) reports.push(await loadFile(db, table, f.path, f.format));
  }
  return reports;
}

/** Stage one file and append its canonical columns to `raw_<table>`. */
export async function loadFile(db: Db, table: TableName, path: string, format: string): Promise<FileReport> {
  const staged = await stageFile(db, path, format as never, table);
  const present = new Set(staged.columns);
  for (const col of requiredColumns(table)) {
    if (!present.has(col)) {
      const found = staged.columns.length ? staged.columns.map((c) => `"${c}"`).join(', ') : 'none';
      throw new InputError(
        `${path}: required column "${col}" of table ${table} is missing (columns found: ${found})`,
        path,
        col,
      );
    }
  }
  const canonical = TABLES[table].columns.map((c) => c.name);
  const select = canonical.map((c) => (present.has(c) ? `CAST(${ident(c)} AS VARCHAR)` : 'NULL'));
  await db.run(
    `INSERT INTO ${ident('raw_' + table)} (${[...canonical, '_source_file', '_line'].map(ident).join(', ')})
     SELECT ${select.join(', ')}, $path, _line FROM ${STAGE}`,
    { path },
  );
  await db.run(`DROP TABLE IF EXISTS ${STAGE}`);
  const canon = new Set(canonical);
  return {
    path,
    table,
    format,
    rows: staged.rows + staged.unparsed,
    extra_columns: staged.columns.filter((c) => !canon.has(c)),
  };
}
