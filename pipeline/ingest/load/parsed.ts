/**
 * The store of parsed rows (docs/operations.md#nightly-runs-store-once-validate-what-is-new): `parsed_<table>` holds every row
 * of every loaded file once, typed, with the per-row rules it breaks, and `parse_settings`
 * what they were parsed under. Raw text rows are not kept: an adapter's export, or the
 * `raw_<table>` tables of a database written before the store existed, are parsed into it
 * once and dropped.
 */
import { Db, ident } from '../../core/db.js';
import { TABLE_NAMES, type TableName } from '../schema.js';
import { installMacros, parseInto, parseSettings, type ParseOptions } from './rows.js';

const SETTINGS_DDL = 'CREATE TABLE IF NOT EXISTS parse_settings (settings VARCHAR NOT NULL)';

/** The settings the stored rows were parsed under (undefined: none recorded). */
export async function storedSettings(db: Db): Promise<string | undefined> {
  await db.run(SETTINGS_DDL);
  return (await db.scalar<string | undefined>('SELECT settings FROM parse_settings LIMIT 1')) ?? undefined;
}

export async function saveSettings(db: Db, settings: string): Promise<void> {
  await db.run(SETTINGS_DDL);
  await db.run('DELETE FROM parse_settings');
  await db.run('INSERT INTO parse_settings VALUES ($s)', { s: settings });
}

/** Forget the settings (a reading of every file under new ones has begun). */
export async function clearSettings(db: Db): Promise<void> {
  await db.run(SETTINGS_DDL);
  await db.run('DELETE FROM parse_settings');
}

/** The `raw_<table>` tables present (an adapter's output, or a database of an earlier version). */
export async function rawTables(db: Db): Promise<TableName[]> {
  const out: TableName[] = [];
  for (const t of TABLE_NAMES) if (await db.hasTable('raw_' + t)) out.push(t);
  return out;
}

/**
 * Parse every `raw_<table>` into `parsed_<table>` and drop it, in one transaction per table
 * (a killed run leaves the raw rows or the parsed ones, never neither). Returns the rows parsed.
 */
export async function absorbRaw(db: Db, opts: ParseOptions): Promise<number> {
  const tables = await rawTables(db);
  if (tables.length === 0) return 0;
  await installMacros(db);
  const settings = await parseSettings(db, opts);
  const before = await storedSettings(db);
  if (before !== undefined && before !== settings && (await parsedRows(db)) > 0) {
    throw new Error(`raw rows cannot join rows parsed under other settings (${before} vs ${settings})`);
  }
  let n = 0;
  for (const t of tables) {
    n += Number(await db.scalar(`SELECT count(*) FROM ${ident('raw_' + t)}`));
    await db.transaction(async () => {
      await parseInto(db, t, ident('raw_' + t), opts);
      await db.run(`DROP TABLE ${ident('raw_' + t)}`);
      await saveSettings(db, settings);
    });
  }
  return n;
}

/** Rows in all `parsed_<table>`. */
export async function parsedRows(db: Db): Promise<number> {
  let n = 0;
  for (const t of TABLE_NAMES) if (await db.hasTable('parsed_' + t)) n += Number(await db.scalar(`SELECT count(*) FROM ${ident('parsed_' + t)}`));
  return n;
}

/**
 * Stop when the stored rows were parsed under other settings than `opts` (a caller that
 * loads with one configuration and validates with another is a bug).
 */
export async function assertParsedUnder(db: Db, opts: ParseOptions): Promise<void> {
  const stored = await storedSettings(db);
  if (stored === undefined || (await parsedRows(db)) === 0) return;
  const now = await parseSettings(db, opts);
  if (stored !== now) throw new Error(`the parsed rows were parsed under ${stored}, validation runs under ${now}`);
}
