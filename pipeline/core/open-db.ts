/**
 * Opening the run's database with the configuration's settings, so that a wrong
 * path or setting is exit 2 naming the `--db` path or the config key, never an
 * unexpected failure or a run that silently works in memory.
 */
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_MEMORY_LIMIT, type Config } from './config.js';
import { Db, literal } from './db.js';
import { DiskError, UsageError, isDiskError } from './errors.js';

/** A DuckDB database file holds these 4 bytes at offset 8 (after a checksum). */
const DUCKDB_MAGIC = 'DUCK';

/**
 * Refuse a `--db` that is not a database file outcomes may open: a folder, a
 * device, an empty file, or a file of another kind (DuckDB would read a CSV as
 * an in-memory view and write nothing). A missing file is fine: it is created.
 */
export function checkDbFile(path: string, flag = '--db'): void {
  if (path === ':memory:') return;
  if (path.trim() === '') throw new UsageError(`${flag} must not be empty`);
  const abs = resolve(path);
  if (!existsSync(abs)) {
    if (lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink()) throw new UsageError(`${flag} ${path} is a broken symbolic link`);
    return;
  }
  const st = statSync(abs);
  if (st.isDirectory()) throw new UsageError(`${flag} ${path} is a folder; give the name of a database file, e.g. ${path}/outcomes.duckdb`);
  if (!st.isFile()) throw new UsageError(`${flag} ${path} is not a regular file`);
  if (st.size === 0) throw new UsageError(`${flag} ${path} is an empty file, not a DuckDB database; delete it or choose another name`);
  const head = Buffer.alloc(12);
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${flag} ${path}: ${(e as Error).message}`);
  }
  try {
    readSync(fd, head, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(8, 12).toString('latin1') !== DUCKDB_MAGIC) {
    throw new UsageError(`${flag} ${path} is not a DuckDB database (outcomes never writes into another kind of file); choose another name`);
  }
}

/**
 * `temp_directory` must be a folder (it is created when missing): DuckDB finds out
 * only when it first spills, deep into a run.
 */
function checkTempDirectory(dir: string | undefined): void {
  if (dir === undefined) return;
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new UsageError(`config key "temp_directory": ${dir} is a file, not a folder`);
  if (!st) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new UsageError(`config key "temp_directory": cannot create ${dir}: ${(e as Error).message}`);
    }
  }
}

/** One setting of the session; a value DuckDB refuses is exit 2 naming the config key. */
async function setting(db: Db, name: string, key: string, value: string): Promise<void> {
  try {
    await db.run(`SET ${name} = ${literal(value)}`);
  } catch (e) {
    const why = ((e as Error).message.replace(/^query failed: /, '').split('\n')[0] ?? '').trim();
    throw new UsageError(`config key "${key}": DuckDB refuses ${JSON.stringify(value)}: ${why}`);
  }
}

/** Open the run's database (`:memory:` for a check) with the settings of `config`. */
export async function openRunDb(path: string, config: Config): Promise<Db> {
  checkDbFile(path);
  checkTempDirectory(config.temp_directory);
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(resolve(path)), { recursive: true });
    } catch (e) {
      throw new UsageError(`cannot create the folder of --db ${path}: ${(e as Error).message}`);
    }
  }
  let db: Db;
  try {
    db = await Db.open(path, {
      ...(config.threads ? { threads: config.threads } : {}),
      ...(config.temp_directory ? { tempDirectory: config.temp_directory } : {}),
    });
  } catch (e) {
    if (isDiskError(e)) throw new DiskError(path, e);
    throw new UsageError(`cannot open --db ${path}: ${(e as Error).message}`);
  }
  try {
    await setting(db, 'TimeZone', 'timezone', config.timezone);
    const limit = config.memory_limit ?? (path === ':memory:' ? undefined : DEFAULT_MEMORY_LIMIT);
    if (limit !== undefined) await setting(db, 'memory_limit', 'memory_limit', limit);
    if (path !== ':memory:') {
      const file = await db.scalar<string | null>('SELECT path FROM duckdb_databases() WHERE database_name = current_database()');
      if (!file) throw new UsageError(`--db ${path} was opened as an in-memory database, not as a file; choose a name ending in .duckdb`);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
