/**
 * What `outcomes export` and `outcomes dashboards` share: the run's database opened read-only,
 * and the one resolver of the published options (`--min-cell`, `--locale`), each falling back
 * to the run's setting and then to the default.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MIN_CELL } from '../core/config.js';
import { Db, literal } from '../core/db.js';
import { UsageError } from '../core/errors.js';
import { checkDbFile } from '../core/open-db.js';
import type { RunInfo } from '../../metrics/read.js';
import { int, oneOf } from './options.js';

/** `--min-cell K` and `--locale`, declared once for both commands. */
export const publishedOptions = {
  'min-cell': int({ arg: 'K', min: 1, help: `hide counts from 1 to K-1 (default: the run's min_cell, else ${DEFAULT_MIN_CELL})` }),
  locale: oneOf(['en', 'da'] as const, {
    help: "en: English, comma and decimal point; da: Danish, semicolon and decimal comma (default: the run's locale, else en)",
  }),
};

export interface Published {
  minCell: number;
  locale: 'en' | 'da';
  runDate: string;
  cutoff: string;
}

/** The settings to publish with: the option when given, else the run's, else the default. */
export function resolvePublished(given: { 'min-cell': number | undefined; locale: 'en' | 'da' | undefined }, info: RunInfo): Published {
  return {
    minCell: given['min-cell'] ?? info.minCell ?? DEFAULT_MIN_CELL,
    locale: given.locale ?? (info.locale === 'da' ? 'da' : 'en'),
    runDate: info.runDate ?? 'unknown',
    cutoff: info.cutoff ?? 'unknown',
  };
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
