/**
 * Reading one input file into a text staging table (`stage`), with the line
 * (CSV, counting the header as line 1) or row number (others) of every record.
 * DuckDB's own readers do the work; Arrow IPC goes through apache-arrow.
 */
import { statSync } from 'node:fs';
import { Db, QueryError, ident, literal } from '../db.js';
import { InputError } from '../errors.js';
import { readArrowIntoStage } from './arrow.js';
import type { FileFormat } from './discover.js';

export interface StagedFile {
  /** Column names found in the file, as written. */
  columns: string[];
  /** Records staged. */
  rows: number;
  /** Records the reader could not parse (CSV only), already with line and reason. */
  unparsed: number;
}

/** The staging table: one VARCHAR column per file column, plus `_line`. */
export const STAGE = 'stage';

/** Read a file into `stage`; unparseable CSV records go to `read_rejects` (rule `unparseable_row`). */
export async function stageFile(db: Db, path: string, format: FileFormat, table: string): Promise<StagedFile> {
  await dropStage(db);
  try {
    switch (format) {
      case 'csv':
        return await stageCsv(db, path, table);
      case 'parquet':
        return await stageParquet(db, path);
      case 'ndjson':
        return await stageNdjson(db, path);
      case 'arrow':
        return await readArrowIntoStage(db, path, STAGE);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const msg = e instanceof QueryError ? String((e.cause as Error)?.message ?? e.message) : (e as Error).message;
    throw new InputError(`cannot read ${path} as ${format}: ${firstLine(msg)}`, path);
  }
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

async function stageCsv(db: Db, path: string, table: string): Promise<StagedFile> {
  if (statSync(path).size === 0) {
    throw new InputError(`${path}: the file is empty (a CSV file needs at least a header line)`, path);
  }
  await db.run('DROP TABLE IF EXISTS csv_reject_errors');
  await db.run('DROP TABLE IF EXISTS csv_reject_scans');
  await db.run(
    `CREATE TEMP TABLE stage_src AS SELECT * FROM read_csv($path, all_varchar = true, header = true,
       ignore_errors = true, store_rejects = true,
       rejects_table = 'csv_reject_errors', rejects_scan = 'csv_reject_scans')`,
    { path },
  );
  try {
    const rejected = Number(await db.scalar('SELECT count(DISTINCT line) FROM csv_reject_errors'));
    // Row ids count insertion order; inside a transaction they start at a large offset.
    const base = Number(await db.scalar('SELECT coalesce(min(rowid), 0) FROM stage_src'));
    const ord = `(rowid - ${base})`;
    // A record's line is its ordinal + 2 (header on line 1), shifted past every rejected
    // line before it. Exact when records hold no quoted line breaks.
    if (rejected === 0) {
      // A view: the rows are copied once more only into the raw table.
      await db.run(`CREATE TEMP VIEW ${STAGE} AS SELECT *, ${ord} + 2 AS _line FROM stage_src`);
    } else {
      await db.run(
        `CREATE TABLE ${STAGE} AS
         WITH rl AS (SELECT line, row_number() OVER (ORDER BY line) AS j FROM (SELECT DISTINCT line FROM csv_reject_errors)),
              th AS (SELECT line - j - 1 AS t, max(j) AS j FROM rl GROUP BY 1)
         SELECT s.* EXCLUDE (_ord), s._ord + 2 + coalesce(th.j, 0) AS _line
         FROM (SELECT *, ${ord} AS _ord FROM stage_src) s ASOF LEFT JOIN th ON s._ord >= th.t
         ORDER BY s._ord`,
      );
      await db.run(
        `INSERT INTO read_rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
         SELECT $table, $path, line, 'unparseable_row', any_value(column_name),
                trim(any_value(csv_line), chr(10) || chr(13)) || ' [' || string_agg(DISTINCT lower(error_type), ', ') || ']', 'reject'
         FROM csv_reject_errors GROUP BY line ORDER BY line`,
        { table, path },
      );
    }
    const columns = await columnsOf(db, STAGE);
    const rows = Number(await db.scalar(`SELECT count(*) FROM stage_src`));
    return { columns, rows, unparsed: rejected };
  } catch (e) {
    await db.run('DROP TABLE IF EXISTS stage_src');
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
}

async function stageParquet(db: Db, path: string): Promise<StagedFile> {
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

async function stageNdjson(db: Db, path: string): Promise<StagedFile> {
  await db.run(`CREATE TEMP TABLE stage_src AS SELECT json FROM read_ndjson_objects($path)`, { path });
  try {
    const keys = await db.all<{ k: string }>(
      `SELECT DISTINCT k FROM (SELECT unnest(json_keys(json)) AS k FROM stage_src) ORDER BY k`,
    );
    const cols = keys.map((r) => r.k);
    const select = cols.map((k, i) => `json ->> $k${i} AS ${ident(k)}`);
    const params: Record<string, string> = {};
    cols.forEach((k, i) => (params[`k${i}`] = k));
    await db.run(
      `CREATE TABLE ${STAGE} AS SELECT ${[...select, 'rowid - (SELECT coalesce(min(rowid), 0) FROM stage_src) + 1 AS _line'].join(', ')} FROM stage_src`,
      params,
    );
    const rows = Number(await db.scalar(`SELECT count(*) FROM ${STAGE}`));
    return { columns: cols, rows, unparsed: 0 };
  } finally {
    await db.run('DROP TABLE IF EXISTS stage_src');
  }
}
