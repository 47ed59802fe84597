/** What `outcomes export` and `outcomes dashboards` share: the run's database opened read-only, and their options. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MIN_CELL } from '../core/config.js';
import { Db, literal } from '../core/db.js';
import { UsageError } from '../core/errors.js';
import type { RunInfo } from '../../metrics/read.js';
import { checkDbFile } from '../core/open-db.js';
import type { OptionSpec, OptionValue } from './types.js';

export const str = (v: OptionValue): string | undefined => (typeof v === 'string' ? v : undefined);

/** `--locale`: en or da, or undefined for the run's. */
export function parseLocale(v: string | undefined): 'en' | 'da' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'en' && v !== 'da') throw new UsageError(`--locale must be en or da, got "${v}"`);
  return v;
}

/** `--min-cell`: a whole number of at least 1, or undefined for the run's. */
export function parseMinCell(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`--min-cell must be a whole number of at least 1, got "${v}"`);
  return Number(v);
}

/** `--min-cell K`, shared by export and dashboards. */
export const minCellOption: OptionSpec = {
  type: 'string',
  arg: 'K',
  help: `hide counts from 1 to K-1 (default: the run's min_cell, else ${DEFAULT_MIN_CELL})`,
};

/** The threshold to publish with: `--min-cell`, else the run's `min_cell`, else the default. */
export function minCellOf(arg: number | undefined, info: RunInfo): number {
  return arg ?? info.minCell ?? DEFAULT_MIN_CELL;
}

/**
 * Open a database file without the power to change it: attached read-only to an
 * in-memory database, so a missing file is never created and a run's file is never
 * written to.
 */
export async function openReadOnly(file: string): Promise<Db> {
  if (!existsSync(file)) throw new UsageError(`database file ${file} does not exist`);
  checkDbFile(file);
  const db = await Db.open(':memory:');
  try {
    await db.run(`ATTACH ${literal(resolve(file))} AS src (READ_ONLY)`);
    await db.run('USE src');
  } catch (e) {
    db.close();
    throw new UsageError(`cannot open database ${file}: ${(e as Error).message}`);
  }
  return db;
}
