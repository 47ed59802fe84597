/**
 * The database remembers the input folder it was built from. Loading is
 * incremental, so a run with another `--input` would otherwise unite two data
 * sets in one database without a word; `--reset` empties the database to start over.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { Db, ident } from '../core/db.js';
import { UsageError } from '../core/errors.js';

const DDL = 'CREATE TABLE IF NOT EXISTS input_folder (path VARCHAR NOT NULL)';

function canonical(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return resolve(folder);
  }
}

/**
 * Refuse an input folder other than the one the database holds (exit 2); remember
 * it on first use. A database written before it remembered its folder adopts this one.
 */
export async function checkInputFolder(db: Db, input: string): Promise<void> {
  await db.run(DDL);
  const path = canonical(input);
  const held = await db.scalar<string | undefined>('SELECT path FROM input_folder LIMIT 1');
  if (held === undefined || held === null) {
    await db.run('INSERT INTO input_folder VALUES ($path)', { path });
    return;
  }
  if (held !== path) {
    throw new UsageError(`this database holds ${held}; use another --db, or --reset to start over (--db ${db.path}, --input ${input})`);
  }
}

/** Drop every table and view: the database starts over, as if the file were new. */
export async function resetDatabase(db: Db): Promise<void> {
  const views = await db.all<{ name: string }>(`SELECT view_name AS name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' AND database_name = current_database()`);
  for (const v of views) await db.run(`DROP VIEW IF EXISTS ${ident(v.name)}`);
  const tables = await db.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database()`);
  for (const t of tables) await db.run(`DROP TABLE IF EXISTS ${ident(t.name)} CASCADE`);
}
