/** `outcomes dashboards`: rebuild the static dashboards alone from the database of a finished run. */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { writeDashboards } from '../../dashboards/build.js';
import { catalogEntries } from '../../metrics/registry.js';
import { Db, literal } from '../db.js';
import { UsageError } from '../errors.js';
import { readRunInfo } from '../exports/source.js';
import { recoverOutput, stagingDir, swapIntoPlace } from '../outputs/atomic.js';
import type { Command, OptionValue } from './types.js';

const str = (v: OptionValue): string | undefined => (typeof v === 'string' ? v : undefined);

/** Open the run's database read-only (attached to an in-memory one), so a missing file is never created. */
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

/**
 * The folder is replaced as a whole, so refuse one that holds anything but
 * dashboards: `--out .` by mistake must not delete a working folder.
 */
function checkOutFolder(out: string): void {
  if (!existsSync(out)) return;
  const entries = readdirSync(out);
  if (entries.length === 0 || entries.includes('index.html')) return;
  throw new UsageError(`--out ${out} exists and does not look like a dashboards folder (no index.html); choose an empty or new folder`);
}

export const command: Command = {
  name: 'dashboards',
  summary: 'rebuild the static dashboards (HTML pages, SVG images) from the database of a finished run',
  required: ['db', 'out'],
  options: {
    db: { type: 'string', arg: 'FILE', help: 'database of a finished run (opened read-only)' },
    out: { type: 'string', arg: 'DIR', help: 'dashboards folder to write (replaced as a whole when the build succeeds)' },
    'min-cell': { type: 'string', arg: 'K', help: "hide counts from 1 to K-1 (default: the run's min_cell, else 5)" },
    locale: { type: 'string', arg: 'en|da', help: "language of the pages (default: the run's locale, else en)" },
  },
  async run(opts, print) {
    const locale = str(opts['locale']);
    if (locale !== undefined && locale !== 'en' && locale !== 'da') throw new UsageError(`--locale must be en or da, got "${locale}"`);
    const minCellText = str(opts['min-cell']);
    if (minCellText !== undefined && (!/^\d+$/.test(minCellText.trim()) || Number(minCellText) < 1)) {
      throw new UsageError(`--min-cell must be a whole number of at least 1, got "${minCellText}"`);
    }
    const out = resolve(str(opts['out'])!);
    checkOutFolder(out);
    const db = await openReadOnly(str(opts['db'])!);
    try {
      const info = await readRunInfo(db);
      recoverOutput(out);
      const runId = `dashboards-${process.pid}`;
      const tmp = stagingDir(out, runId);
      let result: { files: string[]; bytes: number };
      try {
        result = await writeDashboards(db, tmp, {
          catalog: catalogEntries(),
          minCell: minCellText !== undefined ? Number(minCellText) : (info.minCell ?? 5),
          locale: locale ?? (info.locale === 'da' ? 'da' : 'en'),
          runDate: info.runDate ?? 'unknown',
          cutoff: info.cutoff ?? 'unknown',
        });
      } catch (e) {
        // The previous dashboards stay in place; only the half-written copy goes.
        rmSync(tmp, { recursive: true, force: true });
        throw e;
      }
      const { files, bytes } = result;
      swapIntoPlace(tmp, out, runId);
      const rel = relative(process.cwd(), out) || '.';
      print(`wrote ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) to ${rel}/; open ${rel}/index.html`);
    } finally {
      db.close();
    }
  },
};
