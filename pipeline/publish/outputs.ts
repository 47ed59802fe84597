/**
 * Every output file of a successful run, written into a folder the composing floor stages:
 * the metric tables, exclusions and rejects for the data team, the catalog, the suppressed
 * reports and the dashboards (docs/operations.md#what-a-night-rewrites).
 *
 * When the reports and dashboards of the previous run were made from the same basis (reuse/basis.ts:
 * the same metric rows, settings and code), they are published again from the previous outputs
 * folder, with the new run's id and date put in (reuse/reuse.ts). Otherwise the metric rows are read
 * once and suppressed once, and the reports and the dashboards are made from the same published
 * rows: the reports on a thread of their own while this one draws the dashboards. The data team's
 * tables are written by DuckDB on its own threads meanwhile, every run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writePublishedDashboards } from '../../dashboards/build.js';
import { readAllMetricRows } from '../../metrics/read.js';
import { suppress } from '../../metrics/suppress.js';
import type { CatalogEntry } from '../../metrics/types.js';
import { writeFileAtomic } from '../core/atomic.js';
import type { Db } from '../core/db.js';
import { readMarker, writeMarker } from '../core/marker.js';
import { writeRunExportsAside, type AsideResult } from './exports/aside.js';
import { exactBasis, quickBasis } from './reuse/basis.js';
import { indexOutputs, readOutputsIndex, writeOutputsIndex, type OutputsIndex } from './reuse/outputs-index.js';
import { republish } from './reuse/reuse.js';
import { writeDataTeamTables } from './tables.js';

/** What the published outputs are written with (resolved by the caller from options, run and defaults). */
export interface PublishSettings {
  catalog: CatalogEntry[];
  minCell: number;
  locale: 'en' | 'da';
  runDate: string;
  cutoff: string;
}

type Settled<T> = { ok: T } | { error: unknown };

/** A promise that never rejects, so that work running beside other work can be awaited whatever happened. */
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (ok) => ({ ok }),
    (error: unknown) => ({ error }),
  );

function outcome<T>(s: Settled<T>): T {
  if ('error' in s) throw s.error;
  return s.ok;
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;

type TableCounts = { counts: Record<string, number>; ms: number };

/** The data team's tables, written by DuckDB; row counts by file. */
async function writeTables(db: Db, dir: string): Promise<TableCounts> {
  const t0 = performance.now();
  const n = await writeDataTeamTables(db, dir);
  return { counts: { 'metrics.csv': n.metrics, 'metrics.parquet': n.metrics, 'exclusions.csv': n.exclusions, 'rejects.csv': n.rejects }, ms: performance.now() - t0 };
}

/** One run's outputs being written: where, for what, and the parts' times for the log. */
interface Job {
  db: Db;
  dir: string;
  settings: PublishSettings;
  runId: string;
  previous?: string;
  quick: string;
  basis?: string;
  parts: string[];
}

/**
 * Write every output of run `runId` into `dir`; returns row (or file) counts by output, for the manifest.
 * `previous`: the outputs folder of the last run, whose reports and dashboards are published again when
 * their basis is this run's, and whose dashboard images and chart shapes are reused where they did not change.
 * `log` gets one line with the time each part took.
 */
export async function writeRunOutputs(
  db: Db,
  dir: string,
  settings: PublishSettings,
  runId: string,
  previous?: string,
  log?: (message: string) => void,
): Promise<Record<string, number>> {
  const t0 = performance.now();
  const job: Job = { db, dir, settings, runId, quick: await quickBasis(db, settings), parts: [], ...(previous ? { previous } : {}) };
  const index = previous ? readOutputsIndex(previous) : undefined;
  const from = previous ? readMarker(join(previous, 'exports'))?.run_id : undefined;
  if (index && from && index.quick === job.quick) job.basis = await exactBasis(db, settings);
  job.parts.push(`basis ${ms(performance.now() - t0)}`);
  const again = index && from && job.basis === index.basis ? await publishAgain(job, index, from) : undefined;
  const counts = again ?? (await publishAnew(job));
  log?.(`outputs: ${job.parts.join(', ')}`);
  // Each published folder carries the run's marker, so that a later command may replace it.
  for (const sub of ['exports', 'dashboards']) if (existsSync(join(dir, sub))) writeMarker(join(dir, sub), runId, 'run');
  return counts;
}

/** The previous run's reports and dashboards, published again for this run; undefined when one of them is not what its index says. */
async function publishAgain(job: Job, index: OutputsIndex, from: string): Promise<Record<string, number> | undefined> {
  const { db, dir, settings, runId } = job;
  const t0 = performance.now();
  const to = { runId, runDate: settings.runDate };
  const files = republish(job.previous!, dir, index, { locale: settings.locale, cutoff: settings.cutoff, from: { runId: from, runDate: index.runDate }, to, now: new Date() });
  if (!files) {
    job.parts.push(`the previous reports and dashboards are not as their index says: made anew`);
    return undefined;
  }
  const kinds = Object.values(files);
  job.parts.push(
    `reports and dashboards of run ${from} published again ${ms(performance.now() - t0)} (${kinds.length} files: ` +
      `${kinds.filter((f) => f.as === 'workbook').length} workbooks restamped, ${kinds.filter((f) => f.as === 'page' || f.as === 'readme').length} pages re-dated)`,
  );
  writeOutputsIndex(dir, { ...index, runDate: settings.runDate, files });
  writeFileAtomic(join(dir, 'catalog.json'), JSON.stringify(settings.catalog, null, 2) + '\n');
  const tables = outcome(await settle(writeTables(db, dir)));
  job.parts.unshift(`tables ${ms(tables.ms)}`);
  return { ...tables.counts, 'catalog.json': settings.catalog.length, ...index.counts };
}

/** Read, suppress and publish the metric rows; the index of what was written, for the next run. */
async function publishAnew(job: Job): Promise<Record<string, number>> {
  const { db, dir, settings, runId, previous, parts } = job;
  let t0 = performance.now();
  const rows = await readAllMetricRows(db);
  const readMs = performance.now() - t0;
  // Started now, awaited last: DuckDB writes the tables (and sums up the basis) while the reports and pages are made here.
  const tables = settle(
    writeTables(db, dir).then(async (t) => {
      const basis = job.basis ?? (await exactBasis(db, settings));
      // The night's writes moved from the write-ahead log into the database file here, beside the
      // pages, rather than by the close at the end of the run (a fifth of a second on a 1M night).
      // A checkpoint that fails loses nothing: the log keeps the data, and the close tries again.
      await db.run('CHECKPOINT').catch((e: unknown) => job.parts.push(`checkpoint failed, left to the close: ${e instanceof Error ? e.message : String(e)}`));
      return { ...t, basis };
    }),
  );
  let reports: Promise<Settled<AsideResult>> | undefined;
  let exportFiles: number;
  let dashboards: Awaited<ReturnType<typeof writePublishedDashboards>>;
  try {
    t0 = performance.now();
    const published = suppress(rows, settings.catalog, settings.minCell);
    parts.push(`rows ${ms(readMs)} (${rows.length.toLocaleString('en-US')})`, `suppression ${ms(performance.now() - t0)}`);
    writeFileAtomic(join(dir, 'catalog.json'), JSON.stringify(settings.catalog, null, 2) + '\n');
    const exportsStart = performance.now();
    let exportsMs = 0;
    reports = settle(
      writeRunExportsAside(published, join(dir, 'exports'), { ...settings, runId }).finally(() => (exportsMs = performance.now() - exportsStart)),
    );
    t0 = performance.now();
    dashboards = await writePublishedDashboards(published, join(dir, 'dashboards'), { ...settings, ...(previous ? { previous: join(previous, 'dashboards') } : {}) });
    const { images } = dashboards;
    parts.push(
      `dashboards ${ms(performance.now() - t0)} (pages ${ms(dashboards.ms.pages)}; images ${ms(dashboards.ms.images)}: ` +
        `${images.rendered} of ${images.total} rendered, ${images.compiled} chart shapes compiled)`,
    );
    const r = outcome(await reports);
    exportFiles = r.files.length;
    parts.push(`exports ${ms(exportsMs)}${r.thread ? ' on a thread of their own' : ''} (csv ${ms(r.timings.csv)}, xlsx ${ms(r.timings.xlsx)}; ${exportFiles} files)`);
  } finally {
    // Never leave DuckDB or the reports' thread writing into a folder the caller may be about to discard.
    await tables;
    await reports;
  }
  const done = outcome(await tables);
  parts.unshift(`tables ${ms(done.ms)}`);
  t0 = performance.now();
  const index = indexOutputs(dir, job.quick, done.basis, { runId, runDate: settings.runDate }, { exports: exportFiles, dashboards: dashboards.files.length });
  if (index) writeOutputsIndex(dir, index);
  parts.push(`index ${ms(performance.now() - t0)}`);
  return { ...done.counts, 'catalog.json': settings.catalog.length, exports: exportFiles, dashboards: dashboards.files.length };
}
