/** `outcomes export`: suppressed CSV reports and workbooks from the database of a finished run. */
import { resolve } from 'node:path';
import { catalogEntries } from '../../metrics/registry.js';
import { parsePeriodOption, writeExports } from '../publish/exports/index.js';
import { readRunInfo } from '../../metrics/read.js';
import { claimOutput } from '../core/claim.js';
import { writeMarker } from '../core/marker.js';
import { newRunId } from '../core/run-id.js';
import { minCellOf, minCellOption, openReadOnly, parseLocale, parseMinCell, str } from './published-options.js';
import type { Command, OptionValue } from './types.js';

const list = (v: OptionValue): string[] | undefined => (v === undefined || typeof v === 'boolean' ? undefined : Array.isArray(v) ? v : [v]);

export const command: Command = {
  name: 'export',
  summary: 'write suppressed CSV reports and Excel workbooks (one per hospital and one overall, with a README) from a database',
  required: ['db', 'out'],
  options: {
    db: { type: 'string', arg: 'FILE', help: 'database of a finished run (opened read-only)' },
    out: { type: 'string', arg: 'DIR', help: 'folder to write the reports into: new, empty, or one outcomes wrote' },
    metric: { type: 'string', multiple: true, arg: 'ID', help: 'only this metric' },
    hospital: { type: 'string', multiple: true, arg: 'ID', help: 'only this hospital (all-hospitals.csv keeps the overall total)' },
    period: { type: 'string', arg: 'FROM:TO', help: 'only periods wholly inside FROM..TO (YYYY or YYYY-MM; either end may be empty)' },
    locale: { type: 'string', arg: 'en|da', help: 'en: comma and decimal point; da: semicolon, decimal comma, Danish headings (default: the run\'s locale, else en)' },
    'min-cell': minCellOption,
  },
  async run(opts, print) {
    const locale = parseLocale(str(opts['locale']));
    const minCell = parseMinCell(str(opts['min-cell']));
    const periodText = str(opts['period']);
    const period = periodText === undefined ? undefined : parsePeriodOption(periodText);
    const out = str(opts['out'])!;
    const dbFile = str(opts['db'])!;
    const lock = claimOutput(out, 'export', { db: dbFile });
    try {
      const db = await openReadOnly(dbFile);
      try {
        writeMarker(resolve(out), newRunId(), 'export');
        const info = await readRunInfo(db);
        const metrics = list(opts['metric']);
        const hospitals = list(opts['hospital']);
        const { files } = await writeExports(db, out, {
          catalog: catalogEntries(),
          locale: locale ?? (info.locale === 'da' ? 'da' : 'en'),
          minCell: minCellOf(minCell, info),
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
    } finally {
      lock.release();
    }
  },
};
