/**
 * Finding an export's files and staging them into temporary tables with
 * `_source_file` (the path as given) and `_line` (the record's line in its
 * NDJSON/CSV file, the header being line 1 of a CSV; the row number from 1 for
 * Parquet). All reading is DuckDB's: `read_json`, `read_csv`, `read_parquet`.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { Db, ident, literal } from '../../core/db.js';
import { InputError } from '../../core/errors.js';

/** Every file under a folder (recursively), as `join(dir, relative path)`, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`input folder ${dir} does not exist`, dir);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => (relative(dir, a) < relative(dir, b) ? -1 : relative(dir, a) > relative(dir, b) ? 1 : 0));
}

export type TableFileKind = 'csv' | 'parquet';

const TABLE_FILE = /^(.*?)\.(csv|tsv|txt|parquet)(\.gz)?$/i;

function kindOf(name: string): TableFileKind | undefined {
  const m = TABLE_FILE.exec(name);
  if (!m) return undefined;
  return m[2]!.toLowerCase() === 'parquet' ? 'parquet' : 'csv';
}

export interface TableFiles {
  table: string;
  files: { path: string; kind: TableFileKind }[];
}

/**
 * The files of one table of a CSV/Parquet export: `<table>.<csv|tsv|txt|parquet>[.gz]`
 * at the top of `dir`, or every such file in a folder `<table>/`; names match in
 * any case. Undefined when there is none; two of them (e.g. `person.csv` and
 * `PERSON.parquet`) is an error, since the rows would be read twice.
 */
export function findTable(dir: string, table: string): TableFiles | undefined {
  const want = table.toLowerCase();
  const hits: TableFiles[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isFile()) {
      const m = TABLE_FILE.exec(e.name);
      if (m && m[1]!.toLowerCase() === want) hits.push({ table, files: [{ path: p, kind: kindOf(e.name)! }] });
    } else if (e.isDirectory() && e.name.toLowerCase() === want) {
      const files = listFiles(p)
        .filter((f) => kindOf(basename(f)) !== undefined)
        .map((f) => ({ path: f, kind: kindOf(basename(f))! }));
      if (files.length > 0) hits.push({ table, files });
    }
  }
  if (hits.length > 1) {
    const names = hits.flatMap((h) => h.files.map((f) => f.path));
    throw new InputError(`more than one file for table ${table}: ${names.join(', ')}`, names[0]);
  }
  return hits[0];
}

/** First non-empty line of a (possibly gzipped) text file, or undefined for an empty file. */
export async function firstLine(path: string): Promise<string | undefined> {
  const raw = createReadStream(path);
  const stream = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      if (line.trim() !== '') return line;
    }
    return undefined;
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`, path);
  } finally {
    rl.close();
    raw.destroy();
  }
}

/** One column wanted from a table file: the first present of `from` (names in any case). */
export interface ColumnWant {
  as: string;
  from: readonly string[];
  required?: boolean;
}

/** `[lit, lit, ...]` list of file paths for a DuckDB reader. */
export function fileList(paths: readonly string[]): string {
  return `[${paths.map(literal).join(', ')}]`;
}

function reader(kind: TableFileKind, paths: readonly string[]): string {
  return kind === 'parquet'
    ? `read_parquet(${fileList(paths)}, filename = true, file_row_number = true, union_by_name = true)`
    : `read_csv(${fileList(paths)}, header = true, all_varchar = true, union_by_name = true, filename = true)`;
}

/** Text of a column as the source had it; an instant from Parquet as wall-clock time in the session zone. */
function asText(col: string, type: string): string {
  if (type.startsWith('TIMESTAMP WITH TIME ZONE')) return `CAST(CAST(${ident(col)} AS TIMESTAMP) AS VARCHAR)`;
  return `CAST(${ident(col)} AS VARCHAR)`;
}

async function describe(db: Db, from: string, what: string): Promise<Map<string, { name: string; type: string }>> {
  let rows: { column_name: string; column_type: string }[];
  try {
    rows = await db.all(`DESCRIBE SELECT * FROM ${from}`);
  } catch (e) {
    throw new InputError(`cannot read ${what}: ${(e as Error).message}`, what);
  }
  const cols = new Map<string, { name: string; type: string }>();
  for (const r of rows) {
    const key = r.column_name.toLowerCase();
    if (!cols.has(key)) cols.set(key, { name: r.column_name, type: r.column_type });
  }
  return cols;
}

/**
 * The SELECT of a view over a staged temporary table `table` that was filled,
 * in file order, by one DuckDB read of several files (column `_source_file`):
 * the read preserves insertion order and reads the files one after the other, so
 * a record's line is its rowid minus the first rowid of its file, plus `first`
 * (1 for NDJSON, 2 for CSV whose header is line 1). This numbers millions of
 * rows without a second copy of the data.
 */
export async function lineNumberedView(db: Db, table: string, first: number): Promise<string> {
  const offsets = `${table}_first`;
  await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(offsets)} AS SELECT _source_file, min(rowid) AS first_rowid FROM ${ident(table)} GROUP BY 1`);
  return `SELECT t.*, t.rowid - o.first_rowid + ${first} AS _line FROM ${ident(table)} t JOIN ${ident(offsets)} o USING (_source_file)`;
}

/**
 * Stage a CSV/Parquet table as the temporary view `target`: the wanted columns
 * as text (absent optional ones NULL), plus `_source_file` and `_line`. A missing
 * required column is an `InputError` naming the file and column. Returns the
 * rows read per file.
 */
export async function stageTable(db: Db, target: string, tf: TableFiles, want: readonly ColumnWant[]): Promise<Map<string, number>> {
  const parts: string[] = [];
  for (const kind of ['csv', 'parquet'] as const) {
    const paths = tf.files.filter((f) => f.kind === kind).map((f) => f.path);
    if (paths.length === 0) continue;
    const from = reader(kind, paths);
    const what = paths.length === 1 ? paths[0]! : `${tf.table} (${paths.join(', ')})`;
    const cols = await describe(db, from, what);
    const select: string[] = [];
    for (const w of want) {
      const present = w.from.map((n) => cols.get(n.toLowerCase())).filter((c) => c !== undefined);
      if (present.length === 0) {
        if (w.required) throw new InputError(`${what}: missing required column ${w.from.join(' or ')}`, paths[0], w.from[0]);
        select.push(`CAST(NULL AS VARCHAR) AS ${ident(w.as)}`);
      } else {
        const texts = present.map((c) => `nullif(trim(${asText(c.name, c.type)}), '')`);
        select.push(`${texts.length === 1 ? texts[0] : `coalesce(${texts.join(', ')})`} AS ${ident(w.as)}`);
      }
    }
    const staged = `${target}_${kind}`;
    try {
      await db.run(
        `CREATE OR REPLACE TEMP TABLE ${ident(staged)} AS SELECT ${select.join(', ')}, filename AS _source_file${
          kind === 'parquet' ? ', file_row_number + 1 AS _line' : ''
        } FROM ${from}`,
      );
    } catch (e) {
      throw new InputError(`cannot read ${what}: ${(e as Error).message}`, paths[0]);
    }
    parts.push(kind === 'parquet' ? `SELECT * FROM ${ident(staged)}` : await lineNumberedView(db, staged, 2));
  }
  await db.run(`CREATE OR REPLACE TEMP VIEW ${ident(target)} AS ${parts.join(' UNION ALL ')}`);
  return rowsPerFile(db, target, tf.files.map((f) => f.path));
}

/** Rows per source file of a staged table, with 0 for files that had none. */
export async function rowsPerFile(db: Db, table: string, paths: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.all<{ f: string; n: number }>(`SELECT _source_file AS f, count(*) AS n FROM ${ident(table)} GROUP BY 1`);
  const m = new Map<string, number>(paths.map((p) => [p, 0]));
  for (const r of rows) m.set(r.f, Number(r.n));
  return m;
}

/** An empty staging view for an optional table the export lacks: the mapping SQL reads it like any other. */
export async function emptyStageView(db: Db, target: string, want: readonly ColumnWant[]): Promise<void> {
  const cols = want.map((c) => `CAST(NULL AS VARCHAR) AS ${ident(c.as)}`).join(', ');
  await db.run(`CREATE OR REPLACE TEMP VIEW ${ident(target)} AS SELECT ${cols}, CAST(NULL AS VARCHAR) AS _source_file, CAST(NULL AS BIGINT) AS _line WHERE false`);
}

/** One source table of a CSV/Parquet export: where it is staged and which columns it gives. */
export interface SourceTable {
  target: string;
  columns: readonly ColumnWant[];
}

/**
 * Stage every source table found in `dir` (an empty view for the missing ones; `onMissing`
 * may throw for a required one). Returns the files read and which tables were present.
 */
export async function stageSources(
  db: Db,
  dir: string,
  tables: Record<string, SourceTable>,
  onMissing: (table: string) => void,
): Promise<{ files: { path: string; table: string; rows: number }[]; present: Record<string, boolean> }> {
  listFiles(dir);
  const files: { path: string; table: string; rows: number }[] = [];
  const present: Record<string, boolean> = {};
  for (const [table, spec] of Object.entries(tables)) {
    const tf = findTable(dir, table);
    present[table] = tf !== undefined;
    if (!tf) {
      onMissing(table);
      await emptyStageView(db, spec.target, spec.columns);
      continue;
    }
    const rows = await stageTable(db, spec.target, tf, spec.columns);
    for (const [path, n] of rows) files.push({ path, table, rows: n });
  }
  return { files, present };
}
