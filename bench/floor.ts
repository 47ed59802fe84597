/**
 * The load floor: DuckDB reading the input files into typed tables and nothing
 * else — no validation, no rejects, no line numbers. No pipeline can do less, so
 * the full run is reported as a multiple of this.
 *
 * Child process: `node dist/bench/floor.js --input DIR --db FILE [--memory-limit 2GB]
 * [--threads N] [--temp-directory DIR]`; prints one JSON line `{ ms, rows }`.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Db, ident, literal } from '../pipeline/core/db.js';
import { findTableFiles, type InputFile } from '../pipeline/ingest/load/discover.js';
import { TABLE_NAMES, TABLES, sqlType, type TableName } from '../pipeline/ingest/schema.js';
import { isMain, runMain } from './main.js';

/** `read_csv`/`read_parquet` of one table's files, with every canonical column typed. */
export function floorSelect(table: TableName, files: InputFile[]): string {
  const formats = new Set(files.map((f) => f.format));
  if (formats.size !== 1) throw new Error(`floor: ${table} mixes formats (${[...formats].join(', ')})`);
  const list = `[${files.map((f) => literal(f.path)).join(', ')}]`;
  const cols = TABLES[table].columns;
  const format = files[0]!.format;
  if (format === 'csv') {
    const types = cols.map((c) => `${literal(c.name)}: ${literal(sqlType(c))}`).join(', ');
    return `SELECT * FROM read_csv(${list}, header = true, union_by_name = true, types = {${types}})`;
  }
  if (format === 'parquet') {
    const select = cols.map((c) => `TRY_CAST(${ident(c.name)} AS ${sqlType(c)}) AS ${ident(c.name)}`).join(', ');
    return `SELECT ${select} FROM read_parquet(${list}, union_by_name = true)`;
  }
  throw new Error(`floor: ${format} input is not measured (use csv or parquet)`);
}

/** Load every table present in `input` into a typed table of `db`; returns rows loaded. */
export async function loadFloor(db: Db, input: string): Promise<number> {
  let rows = 0;
  for (const table of TABLE_NAMES) {
    const files = findTableFiles(input, table);
    if (files.length === 0) continue;
    await db.run(`CREATE OR REPLACE TABLE ${ident(table)} AS ${floorSelect(table, files)}`);
    rows += Number(await db.scalar(`SELECT count(*) FROM ${ident(table)}`));
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      input: { type: 'string' },
      db: { type: 'string' },
      'memory-limit': { type: 'string' },
      threads: { type: 'string' },
      'temp-directory': { type: 'string' },
    },
  });
  if (!values.input || !values.db) throw new Error('usage: floor.js --input DIR --db FILE');
  rmSync(values.db, { force: true });
  rmSync(values.db + '.wal', { force: true });
  const t0 = performance.now();
  const db = await Db.open(values.db, {
    memoryLimit: values['memory-limit'],
    threads: values.threads ? Number(values.threads) : undefined,
    tempDirectory: values['temp-directory'],
  });
  try {
    const rows = await loadFloor(db, values.input);
    await db.run('CHECKPOINT');
    process.stdout.write(JSON.stringify({ ms: Math.round(performance.now() - t0), rows }) + '\n');
  } finally {
    db.close();
  }
}

if (isMain(import.meta.url)) runMain('floor', main);
