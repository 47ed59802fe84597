/** `outcomes dashboards`: rebuild the static dashboards alone from the database of a finished run. */
import { relative, resolve } from 'node:path';
import { writeDashboards } from '../../dashboards/build.js';
import { catalogEntries } from '../../metrics/registry.js';
import { readAllMetricRows, readRunInfo } from '../../metrics/read.js';
import { replaceFolder } from '../core/atomic.js';
import { claimOutput } from '../core/claim.js';
import { newRunId } from '../core/run-id.js';
import { path } from './options.js';
import { openReadOnly, publishedOptions, resolvePublished } from './published-options.js';
import { defineCommand } from './types.js';

export const command = defineCommand({
  name: 'dashboards',
  summary: 'rebuild the static dashboards (HTML pages, SVG images) from the database of a finished run',
  options: {
    db: path({ arg: 'FILE', required: true, help: 'database of a finished run (opened read-only)' }),
    out: path({ arg: 'DIR', required: true, help: 'dashboards folder to write: new, empty, or one outcomes wrote (replaced as a whole when the build succeeds)' }),
    ...publishedOptions,
  },
  async run(o, print) {
    const out = resolve(o.out);
    // The folder is replaced as a whole: `--out .` by mistake must not delete a working folder.
    const lock = claimOutput(o.out, 'dashboards', { db: o.db });
    try {
      const db = await openReadOnly(o.db);
      try {
        const published = resolvePublished(o, await readRunInfo(db));
        const result = await replaceFolder(out, newRunId(), 'dashboards', async (tmp) =>
          writeDashboards(await readAllMetricRows(db), tmp, { catalog: catalogEntries(), ...published, previous: out }),
        );
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
});
