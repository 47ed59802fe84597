/** `outcomes dashboards`: rebuild the static dashboards alone from the database of a finished run. */
import { relative, resolve } from 'node:path';
import { writeDashboards } from '../../dashboards/build.js';
import { catalogEntries } from '../../metrics/registry.js';
import { readAllMetricRows, readRunInfo } from '../../metrics/read.js';
import { discardStaging, recoverOutput, stagingDir, swapIntoPlace } from '../core/atomic.js';
import { claimOutput } from '../core/claim.js';
import { newRunId } from '../core/run-id.js';
import { minCellOf, minCellOption, openReadOnly, parseLocale, parseMinCell, str } from './published-options.js';
import type { Command } from './types.js';

export const command: Command = {
  name: 'dashboards',
  summary: 'rebuild the static dashboards (HTML pages, SVG images) from the database of a finished run',
  required: ['db', 'out'],
  options: {
    db: { type: 'string', arg: 'FILE', help: 'database of a finished run (opened read-only)' },
    out: { type: 'string', arg: 'DIR', help: 'dashboards folder to write: new, empty, or one outcomes wrote (replaced as a whole when the build succeeds)' },
    'min-cell': minCellOption,
    locale: { type: 'string', arg: 'en|da', help: "language of the pages (default: the run's locale, else en)" },
  },
  async run(opts, print) {
    const locale = parseLocale(str(opts['locale']));
    const minCellArg = parseMinCell(str(opts['min-cell']));
    const out = resolve(str(opts['out'])!);
    const dbFile = str(opts['db'])!;
    // The folder is replaced as a whole: `--out .` by mistake must not delete a working folder.
    const lock = claimOutput(str(opts['out'])!, 'dashboards', { db: dbFile });
    try {
      const db = await openReadOnly(dbFile);
      try {
        const info = await readRunInfo(db);
        recoverOutput(out);
        const tmp = stagingDir(out, newRunId(), 'dashboards');
        let result: { files: string[]; bytes: number };
        try {
          result = await writeDashboards(await readAllMetricRows(db), tmp, {
            catalog: catalogEntries(),
            minCell: minCellOf(minCellArg, info),
            locale: locale ?? (info.locale === 'da' ? 'da' : 'en'),
            runDate: info.runDate ?? 'unknown',
            cutoff: info.cutoff ?? 'unknown',
          });
          swapIntoPlace(tmp, out);
        } catch (e) {
          // The previous dashboards stay in place; only the half-written copy goes.
          discardStaging(tmp, out);
          throw e;
        }
        const { files, bytes } = result;
        const rel = relative(process.cwd(), out) || '.';
        print(`wrote ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) to ${rel}/; open ${rel}/index.html`);
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  },
};
