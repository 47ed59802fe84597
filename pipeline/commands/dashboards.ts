/** `outcomes dashboards`: rebuild the static dashboards alone from the database of a finished run. */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { writeDashboards } from '../../dashboards/build.js';
import { catalogEntries } from '../../metrics/registry.js';
import { UsageError } from '../errors.js';
import { readRunInfo } from '../exports/source.js';
import { recoverOutput, stagingDir, swapIntoPlace } from '../outputs/atomic.js';
import { openReadOnly, parseLocale, parseMinCell, str } from './published-options.js';
import type { Command } from './types.js';

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
    const locale = parseLocale(str(opts['locale']));
    const minCellArg = parseMinCell(str(opts['min-cell']));
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
          minCell: minCellArg ?? info.minCell ?? 5,
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
