/**
 * Reading one input file into a text staging table (`stage`), with the line
 * (CSV, counting the header as line 1) or row number (others) of every record.
 * DuckDB's own readers do the work; Arrow IPC goes through apache-arrow.
 */
import { Db, QueryError, ident, literal } from '../../core/db.js';
import { InputError } from '../../core/errors.js';
import { assertScalarColumns, assertUniqueColumns, csvHeader, nestedDuckType } from './content.js';
import type { FileFormat } from './discover.js';
import { excerptSql } from './excerpt.js';
import { findLongLines, type LongLine } from './long-lines.js';
import { REJECTS_DDL, TABLES, type TableName } from '../schema.js';
import type { StagedFile } from './staged.js';

export type { StagedFile };

/** The staging table: one VARCHAR column per file column, plus `_line`. */
export const STAGE = 'stage';
/** The records of the staged file that the reader could not parse (columns of `rejects`). */
export const STAGE_REJECTS = 'stage_rejects';

/**
 * A CSV line up to this long is read (with a raised reader limit) to find where it ends; a
 * longer one stops the run. The reader's buffer is 16 times its line limit, hence a bound.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/**
 * Read a file into `stage`; unparseable CSV records go to `read_rejects` (rule `unparseable_row`).
 * `head` is the file's first bytes (decompressed), used to read a CSV header as written.
 */
export async function stageFile(db: Db, path: string, format: FileFormat, table: TableName, head: Buffer): Promise<StagedFile> {
  await dropStage(db);
  await db.run(REJECTS_DDL.replace('CREATE TABLE IF NOT EXISTS rejects', `CREATE TEMP TABLE ${STAGE_REJECTS}`));
  try {
    switch (format) {
      case 'csv':
        return await stageCsv(db, path, table, head);
      case 'parquet':
        return await stageParquet(db, path, table);
      case 'ndjson':
        return await stageNdjson(db, path, table);
      case 'arrow':
        // apache-arrow is loaded only for an Arrow file: a CSV night does not pay its start-up.
        return await (await import('./arrow.js')).readArrowIntoStage(db, path, STAGE, table);
    }
  } catch (e) {
    await dropStage(db).catch(() => undefined);
    throw readFailure(e, path, format);
  }
}

/** An error of a reader as an `InputError` naming the file (exit 2). */
export function readFailure(e: unknown, path: string, format: string): InputError {
  if (e instanceof InputError) return e;
  const msg = e instanceof QueryError ? String((e.cause as Error)?.message ?? e.message) : (e as Error).message;
  const nested = /outcomes-nested:(.*):(\d+)$/m.exec(msg);
  if (nested) {
    return new InputError(`${path}: column "${nested[1]}" holds a list or an object (line ${nested[2]}) where a single value belongs`, path, nested[1]);
  }
  const utf8 = /in line (\d+): invalid UTF-8/.exec(msg);
  // DuckDB 1.5's JSON reader names the line after the one that holds the bad byte.
  if (utf8) return new InputError(`${path}: line ${Number(utf8[1]) - 1} is not UTF-8 (the encoding is not UTF-8); save the file as UTF-8 and run again`, path);
  return new InputError(`cannot read ${path} as ${format}: ${firstLine(msg)}`, path);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position`,
    { t: table },
  );
  return rows.map((r) => r.column_name).filter((c) => c !== '_line');
}

/** DuckDB's complaint about a line longer than its limit, as the limit in bytes. */
function lineLimitOf(e: unknown): number | undefined {
  const msg = e instanceof QueryError ? String((e.cause as Error)?.message ?? e.message) : String((e as Error)?.message);
  const m = /Maximum line size of (\d+) bytes exceeded/.exec(msg);
  return m ? Number(m[1]) : undefined;
}

async function readCsvSource(db: Db, path: string, maxLineSize?: number): Promise<void> {
  await db.run('DROP TABLE IF EXISTS csv_reject_errors');
  await db.run('DROP TABLE IF EXISTS csv_reject_scans');
  await db.run('DROP TABLE IF EXISTS stage_src');
  await db.run(
    `CREATE TEMP TABLE stage_src AS SELECT * FROM read_csv($path, all_varchar = true, header = true,
       ignore_errors = true, store_rejects = true,
       rejects_table = 'csv_reject_errors', rejects_scan = 'csv_reject_scans'${maxLineSize ? `, max_line_size = ${maxLineSize}` : ''})`,
    { path },
  );
}

/**
 * Stage a CSV file. A line longer than the reader's limit further down the file is rejected
 * by the reader itself (`unparseable_row`, "line size over maximum"); one among the first
 * lines makes the reader's dialect detection fail for the whole file, so the file is read
 * again with a limit raised past that line, and the line is rejected the same way.
 */
async function stageCsv(db: Db, path: string, table: string, head: Buffer): Promise<StagedFile> {
  if (head.length === 0) {
    throw new InputError(`${path}: the file is empty (a CSV file needs at least a header line)`, path);
  }
  let long: LongLine[] = [];
  try {
    await readCsvSource(db, path);
  } catch (e) {
    const limit = lineLimitOf(e);
    if (limit === undefined) throw e;
    long = await findLongLines(path, limit);
    const longest = long.reduce((m, l) => (l.bytes > m.bytes ? l : m), { line: 0, bytes: 0, start: '' });
    if (longest.bytes === 0) {
      throw new InputError(`${path}: a record is longer than the CSV reader's limit of ${limit} bytes (a quoted field that spans lines and never closes?)`, path);
    }
    if (longest.bytes > MAX_LINE_BYTES) {
      throw new InputError(`${path}: line ${longest.line} is ${longest.bytes} bytes long; outcomes reads CSV lines of up to ${MAX_LINE_BYTES} bytes`, path);
    }
    await readCsvSource(db, path, longest.bytes + 1024);
  }
  try {
    const columns = await columnsOf(db, 'stage_src');
    const written = csvHeader(head, columns);
    if (written) assertUniqueColumns(path, written);
    const rejected = Number(await db.scalar('SELECT count(DISTINCT line) FROM csv_reject_errors'));
    // Row ids count insertion order; inside a transaction they start at a large offset.
    const base = Number(await db.scalar('SELECT coalesce(min(rowid), 0) FROM stage_src'));
    const ord = `(rowid - ${base})`;
    // A record's line is its ordinal + 2 (header on line 1), shifted past every rejected
    // line before it. Exact when records hold no quoted line breaks.
    const lines =
      rejected === 0
        ? `SELECT *, ${ord} + 2 AS _line FROM stage_src`
        : `WITH rl AS (SELECT line, row_number() OVER (ORDER BY line) AS j FROM (SELECT DISTINCT line FROM csv_reject_errors)),
                th AS (SELECT line - j - 1 AS t, max(j) AS j FROM rl GROUP BY 1)
           SELECT s.* EXCLUDE (_ord), s._ord + 2 + coalesce(th.j, 0) AS _line
           FROM (SELECT *, ${ord} AS _ord FROM stage_src) s ASOF LEFT JOIN th ON s._ord >= th.t
           ORDER BY s._ord`;
    const tooLong = long.filter((l) => l.line > 1).map((l) => l.line);
    if (rejected === 0 && tooLong.length === 0) {
      // A view: the rows are copied once more only into the raw table.
      await db.run(`CREATE TEMP VIEW ${STAGE} AS ${lines}`);
    } else {
      await db.run(`CREATE TABLE ${STAGE} AS ${lines}`);
    }
    if (rejected > 0) {
      await db.run(
        `INSERT INTO ${STAGE_REJECTS} (table_name, source_file, line, rule, column_name, raw_value, kind)
         SELECT $table, $path, line, 'unparseable_row', any_value(column_name),
                ${excerptSql('trim(any_value(csv_line), chr(10) || chr(13))')} || ' [' ||
                string_agg(DISTINCT CASE WHEN error_type = 'INVALID ENCODING' THEN 'invalid encoding: not UTF-8' ELSE lower(error_type) END, ', ') || ']', 'reject'
         FROM csv_reject_errors GROUP BY line ORDER BY line`,
        { table, path },
      );
    }
    let dropped = 0;
    for (const l of long.filter((x) => x.line > 1)) {
      const n = Number(await db.scalar(`SELECT count(*) FROM ${STAGE} WHERE _line = $line`, { line: l.line }));
      if (n === 0) continue;
      await db.run(`DELETE FROM ${STAGE} WHERE _line = $line`, { line: l.line });
      await db.run(
        `INSERT INTO ${STAGE_REJECTS} (table_name, source_file, line, rule, column_name, raw_value, kind)
         VALUES ($table, $path, $line, 'unparseable_row', NULL, $raw, 'reject')`,
        { table, path, line: l.line, raw: `${l.start}… (${l.bytes} bytes) [line size over maximum]` },
      );
      dropped += n;
    }
    const rows = Number(await db.scalar(`SELECT count(*) FROM stage_src`)) - dropped;
    return { columns, rows, unparsed: rejected + dropped };
  } catch (e) {
    // After a failed statement the transaction is aborted: the caller's rollback cleans up.
    await dropStage(db).catch(() => undefined);
    throw e;
  }
}

/** Drop the staging relation (a table or a view over `stage_src`) and what it reads. */
export async function dropStage(db: Db): Promise<void> {
  const kind = await db.scalar<string | undefined>(
    `SELECT table_type FROM information_schema.tables WHERE table_name = $t`,
    { t: STAGE },
  );
  if (kind === 'VIEW') await db.run(`DROP VIEW ${STAGE}`);
  else if (kind) await db.run(`DROP TABLE ${STAGE}`);
  await db.run('DROP TABLE IF EXISTS stage_src');
  await db.run(`DROP TABLE IF EXISTS ${STAGE_REJECTS}`);
}

/** Top-level column names of a Parquet file as written (DuckDB renames a repeated one). */
async function parquetNames(db: Db, path: string): Promise<string[]> {
  const schema = await db.all<{ name: string; num_children: number | null }>(`SELECT name, num_children FROM parquet_schema($path)`, { path });
  // The schema is a tree flattened depth first: the root, then each column with its subtree.
  const names: string[] = [];
  let i = 1;
  const skip = (): void => {
    const n = Number(schema[i]?.num_children ?? 0);
    i++;
    for (let k = 0; k < n; k++) skip();
  };
  while (i < schema.length) {
    names.push(schema[i]!.name);
    skip();
  }
  return names;
}

async function stageParquet(db: Db, path: string, table: TableName): Promise<StagedFile> {
  assertUniqueColumns(path, await parquetNames(db, path));
  const types = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet($path)`, { path });
  assertScalarColumns(path, table, types.map((t) => ({ name: t.column_name, nested: nestedDuckType(t.column_type) })));
  // A view (views cannot take parameters, hence the quoted path): read once, into the raw table.
  await db.run(
    `CREATE TEMP VIEW ${STAGE} AS
     SELECT COLUMNS(c -> c <> 'file_row_number')::VARCHAR, file_row_number + 1 AS _line
     FROM read_parquet(${literal(path)}, file_row_number = true)`,
  );
  const columns = await columnsOf(db, STAGE);
  const rows = Number(await db.scalar(`SELECT count(*) FROM read_parquet($path)`, { path }));
  return { columns, rows, unparsed: 0 };
}

async function stageNdjson(db: Db, path: string, table: TableName): Promise<StagedFile> {
  await db.run(`CREATE TEMP TABLE stage_src AS SELECT json FROM read_ndjson_objects($path)`, { path });
  try {
    const keys = await db.all<{ k: string }>(
      `SELECT DISTINCT k FROM (SELECT unnest(json_keys(json)) AS k FROM stage_src) ORDER BY k`,
    );
    const cols = keys.map((r) => r.k);
    assertUniqueColumns(path, cols);
    const canonical = new Set(TABLES[table].columns.map((c) => c.name));
    const line = 'rowid - (SELECT coalesce(min(rowid), 0) FROM stage_src) + 1';
    const params: Record<string, string> = {};
    // A canonical field holding an array or object stops the read (see readFailure); others are text.
    const select = cols.map((k, i) => {
      params[`k${i}`] = k;
      const text = `json ->> $k${i}`;
      return canonical.has(k)
        ? `CASE WHEN json_type(json -> $k${i}) IN ('ARRAY', 'OBJECT') THEN error('outcomes-nested:' || $k${i} || ':' || (${line})) ELSE ${text} END AS ${ident(k)}`
        : `${text} AS ${ident(k)}`;
    });
    await db.run(`CREATE TABLE ${STAGE} AS SELECT ${[...select, `${line} AS _line`].join(', ')} FROM stage_src`, params);
    const rows = Number(await db.scalar(`SELECT count(*) FROM ${STAGE}`));
    return { columns: cols, rows, unparsed: 0 };
  } finally {
    await db.run('DROP TABLE IF EXISTS stage_src').catch(() => undefined);
  }
}
