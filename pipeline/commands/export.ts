/** `outcomes export`: suppressed CSV reports from the database of a finished run. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogEntries } from '../../metrics/registry.js';
import { Db, literal } from '../db.js';
import { UsageError } from '../errors.js';
import { parsePeriodOption, writeExports, type Locale } from '../exports/index.js';
import { readRunInfo } from '../exports/source.js';
import type { Command, OptionValue } from './types.js';

const list = (v: OptionValue): string[] | undefined => (v === undefined || typeof v === 'boolean' ? undefined : Array.isArray(v) ? v : [v]);
const str = (v: OptionValue): string | undefined => (typeof v === 'string' ? v : undefined);

function parseLocale(v: string | undefined): Locale | undefined {
  if (v === undefined) return undefined;
  if (v !== 'en' && v !== 'da') throw new UsageError(`--locale must be en or da, got "${v}"`);
  return v;
}

function parseMinCell(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`--min-cell must be a whole number of at least 1, got "${v}"`);
  return Number(v);
}

/**
 * Open a database file without the power to change it: attached read-only to an
 * in-memory database, so a missing file is never created and a run's file is never
 * written to.
 */
async function openReadOnly(file: string): Promise<Db> {
  if (!existsSync(file)) throw new UsageError(`database file ${file} does not exist`);
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

export const command: Command = {
  name: 'export',
  summary: 'write suppressed CSV reports (one per hospital and one overall, with a README) from a database',
  required: ['db', 'out'],
  options: {
    db: { type: 'string', arg: 'FILE', help: 'database of a finished run (opened read-only)' },
    out: { type: 'string', arg: 'DIR', help: 'folder to write the reports into' },
    metric: { type: 'string', multiple: true, arg: 'ID', help: 'only this metric' },
    hospital: { type: 'string', multiple: true, arg: 'ID', help: 'only this hospital (all-hospitals.csv keeps the overall total)' },
    period: { type: 'string', arg: 'FROM:TO', help: 'only periods wholly inside FROM..TO (YYYY or YYYY-MM; either end may be empty)' },
    locale: { type: 'string', arg: 'en|da', help: 'en: comma and decimal point; da: semicolon, decimal comma, Danish headings (default: the run\'s locale, else en)' },
    'min-cell': { type: 'string', arg: 'K', help: 'hide counts from 1 to K-1 (default: the run\'s min_cell, else 5)' },
  },
  async run(opts, print) {
    const locale = parseLocale(str(opts['locale']));
    const minCell = parseMinCell(str(opts['min-cell']));
    const periodText = str(opts['period']);
    const period = periodText === undefined ? undefined : parsePeriodOption(periodText);
    const out = str(opts['out'])!;
    const db = await openReadOnly(str(opts['db'])!);
    try {
      const info = await readRunInfo(db);
      const metrics = list(opts['metric']);
      const hospitals = list(opts['hospital']);
      const { files } = await writeExports(db, out, {
        catalog: catalogEntries(),
        locale: locale ?? (info.locale === 'da' ? 'da' : 'en'),
        minCell: minCell ?? info.minCell ?? 5,
        ...(metrics ? { metrics } : {}),
        ...(hospitals ? { hospitals } : {}),
        ...(period ? { period } : {}),
        runDate: info.runDate ?? 'unknown',
        cutoff: info.cutoff ?? 'unknown',
      });
      print(`wrote ${files.length} files to ${out}`);
    } finally {
      db.close();
    }
  },
};
