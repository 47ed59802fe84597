/**
 * Every output file of a successful run, written into a folder the composing floor stages:
 * the metric tables, exclusions and rejects for the data team, the catalog, the suppressed
 * reports and the dashboards.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeDashboards } from '../../dashboards/build.js';
import { readAllMetricRows } from '../../metrics/read.js';
import type { CatalogEntry } from '../../metrics/types.js';
import { writeFileAtomic } from '../core/atomic.js';
import type { Db } from '../core/db.js';
import { writeMarker } from '../core/marker.js';
import { writeExports } from './exports/index.js';
import { writeExclusions, writeMetricTables, writeRejects } from './tables.js';

/** What the published outputs are written with (resolved by the caller from options, run and defaults). */
export interface PublishSettings {
  catalog: CatalogEntry[];
  minCell: number;
  locale: 'en' | 'da';
  runDate: string;
  cutoff: string;
}

/**
 * Write every output of run `runId` into `dir`; returns row (or file) counts by output, for the manifest.
 * `previous`: the outputs folder of the last run, whose dashboard images are reused where their chart did not change.
 */
export async function writeRunOutputs(db: Db, dir: string, settings: PublishSettings, runId: string, previous?: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  counts['metrics.csv'] = counts['metrics.parquet'] = await writeMetricTables(db, dir);
  counts['exclusions.csv'] = await writeExclusions(db, dir);
  counts['rejects.csv'] = await writeRejects(db, dir);
  writeFileAtomic(join(dir, 'catalog.json'), JSON.stringify(settings.catalog, null, 2) + '\n');
  counts['catalog.json'] = settings.catalog.length;
  counts['exports'] = (await writeExports(db, join(dir, 'exports'), settings)).files.length;
  counts['dashboards'] = (await writeDashboards(await readAllMetricRows(db), join(dir, 'dashboards'), { ...settings, ...(previous ? { previous: join(previous, 'dashboards') } : {}) })).files.length;
  // Each published folder carries the run's marker, so that a later command may replace it.
  for (const sub of ['exports', 'dashboards']) if (existsSync(join(dir, sub))) writeMarker(join(dir, sub), runId, 'run');
  return counts;
}
