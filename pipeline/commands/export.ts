/** `outcomes export`: suppressed CSV reports and workbooks from the database of a finished run. */
import { resolve } from 'node:path';
import { catalogEntries } from '../../metrics/registry.js';
import { readRunInfo } from '../../metrics/read.js';
import { parsePeriodOption, writeExports } from '../publish/exports/index.js';
import { claimOutput } from '../core/claim.js';
import { writeMarker } from '../core/marker.js';
import { newRunId } from '../core/run-id.js';
import { list, path, text } from './options.js';
import { openReadOnly, publishedOptions, resolvePublished } from './published-options.js';
import { defineCommand } from './types.js';

export const command = defineCommand({
  name: 'export',
  summary: 'write suppressed CSV reports and Excel workbooks (one per hospital and one overall, with a README) from a database',
  options: {
    db: path({ arg: 'FILE', required: true, help: 'database of a finished run (opened read-only)' }),
    out: path({ arg: 'DIR', required: true, help: 'folder to write the reports into: new, empty, or one outcomes wrote' }),
    metric: list({ arg: 'ID', help: 'only this metric' }),
    hospital: list({ arg: 'ID', help: 'only this hospital (all-hospitals.csv keeps the overall total)' }),
    period: text({ arg: 'FROM:TO', help: 'only periods wholly inside FROM..TO (YYYY or YYYY-MM; either end may be empty)' }),
    ...publishedOptions,
  },
  async run(o, print) {
    const period = o.period === undefined ? undefined : parsePeriodOption(o.period);
    const lock = claimOutput(o.out, 'export', { db: o.db });
    try {
      const db = await openReadOnly(o.db);
      try {
        writeMarker(resolve(o.out), newRunId(), 'export');
        const { files } = await writeExports(db, o.out, {
          catalog: catalogEntries(),
          ...resolvePublished(o, await readRunInfo(db)),
          ...(o.metric ? { metrics: o.metric } : {}),
          ...(o.hospital ? { hospitals: o.hospital } : {}),
          ...(period ? { period } : {}),
        });
        print(`wrote ${files.length} files to ${o.out}`);
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  },
});
