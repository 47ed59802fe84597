/**
 * Every output file of a successful run, written into a folder the composing floor stages:
 * the metric tables, exclusions and rejects for the data team, the catalog, the suppressed
 * reports and the dashboards.
 *
 * The metric rows are read once and suppressed once: the reports and the dashboards are made
 * from the same published rows, the reports on a thread of their own while this one draws the
 * dashboards, and the data team's tables by DuckDB on its own threads meanwhile. What a night can take from the previous outputs, it takes (docs/operations.md#what-a-night-rewrites).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writePublishedDashboards } from '../../dashboards/build.js';
import { readAllMetricRows } from '../../metrics/read.js';
import { suppress } from '../../metrics/suppress.js';
import type { CatalogEntry } from '../../metrics/types.js';
import { writeFileAtomic } from '../core/atomic.js';
import type { Db } from '../core/db.js';
import { writeMarker } from '../core/marker.js';
import { writeRunExportsAside, type AsideResult } from './exports/aside.js';
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

/** The data team's tables, written by DuckDB; row counts by file. */
async function writeTables(db: Db, dir: string): Promise<{ counts: Record<string, number>; ms: number }> {
  const t0 = performance.now();
  const n = await writeDataTeamTables(db, dir);
  return { counts: { 'metrics.csv': n.metrics, 'metrics.parquet': n.metrics, 'exclusions.csv': n.exclusions, 'rejects.csv': n.rejects }, ms: performance.now() - t0 };
}

/**
 * Write every output of run `runId` into `dir`; returns row (or file) counts by output, for the manifest.
 * `previous`: the outputs folder of the last run, whose dashboard images and chart shapes are reused where they did not change.
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
  let t0 = performance.now();
  const rows = await readAllMetricRows(db);
  const readMs = performance.now() - t0;
  // Started now, awaited last: DuckDB writes the tables while the reports and pages are made here.
  const tables = settle(writeTables(db, dir));
  let reports: Promise<Settled<AsideResult>> | undefined;
  let exportFiles: number;
  let dashboards: Awaited<ReturnType<typeof writePublishedDashboards>>;
  const parts: string[] = [];
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
    parts.push(
      `exports ${ms(exportsMs)}${r.thread ? ' on a thread of their own' : ''} (csv ${ms(r.timings.csv)}, xlsx ${ms(r.timings.xlsx)}; ${exportFiles} files)`,
    );
  } finally {
    // Never leave DuckDB or the reports' thread writing into a folder the caller may be about to discard.
    await tables;
    await reports;
  }
  const done = outcome(await tables);
  parts.unshift(`tables ${ms(done.ms)}`);
  log?.(`outputs: ${parts.join(', ')}`);
  // Each published folder carries the run's marker, so that a later command may replace it.
  for (const sub of ['exports', 'dashboards']) if (existsSync(join(dir, sub))) writeMarker(join(dir, sub), runId, 'run');
  return { ...done.counts, 'catalog.json': settings.catalog.length, exports: exportFiles, dashboards: dashboards.files.length };
}
