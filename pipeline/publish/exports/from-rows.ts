/**
 * The reports of a run, from the rows the run already holds suppressed (the dashboards are made
 * from the same rows): every metric, every hospital, every period, as `outcomes export` without
 * options writes them from the database, byte for byte (tests/exports/from-rows.test.ts), without
 * reading the metrics table again or suppressing it a second time.
 */
import { ALL, compareText, type PublishedRow } from '../../../metrics/suppress.js';
import type { CatalogEntry } from '../../../metrics/types.js';
import { UsageError } from '../../core/errors.js';
import type { Locale } from './csv.js';
import { safeFileNames } from './filenames.js';
import { workbookRows, writeReports, type ReportTimings } from './reports.js';

export interface RunExportOptions {
  catalog: CatalogEntry[];
  locale: Locale;
  minCell: number;
  runId: string;
  runDate: string;
  cutoff: string;
}

/** The order the reports list rows in: period, hospital, department, metric, as text (the database's order). */
function reportOrder(a: PublishedRow, b: PublishedRow): number {
  return compareText(a.period, b.period) || compareText(a.hospital_id, b.hospital_id) || compareText(a.department_id, b.department_id) || compareText(a.metric_id, b.metric_id);
}

const sortedDistinct = (values: Iterable<string>): string[] => [...new Set(values)].sort(compareText);

/**
 * Write the reports of `rows` (every metric row of the run, suppressed over all of them with
 * `suppress`) into `outDir`, as `writeExports` does from the database. Returns the paths written.
 */
export async function writeRunExports(rows: PublishedRow[], outDir: string, opts: RunExportOptions, timings?: ReportTimings): Promise<{ files: string[] }> {
  const catalog = new Map(opts.catalog.map((c) => [c.id, c]));
  const metrics = sortedDistinct(rows.map((r) => r.metric_id));
  const uncatalogued = metrics.filter((m) => !catalog.has(m));
  if (uncatalogued.length) throw new UsageError(`metrics table has metrics without a catalog entry: ${uncatalogued.join(', ')}`);
  const hospitals = sortedDistinct(rows.map((r) => r.hospital_id)).filter((h) => h !== ALL);
  const names = safeFileNames(hospitals);
  const byHospital = new Map<string, PublishedRow[]>(hospitals.map((h) => [h, []]));
  const totals: PublishedRow[] = [];
  for (const r of rows) {
    if (r.department_id === ALL) totals.push(r);
    byHospital.get(r.hospital_id)?.push(r);
  }
  const toWorkbook = workbookRows(catalog, opts.locale);
  return writeReports(
    {
      outDir,
      locale: opts.locale,
      minCell: opts.minCell,
      runId: opts.runId,
      runDate: opts.runDate,
      cutoff: opts.cutoff,
      metrics: metrics.map((m) => catalog.get(m)!),
      hospitals: hospitals.map((h) => ({ id: h, file: names.get(h)! })),
    },
    (hospital) => toWorkbook((hospital === null ? totals : byHospital.get(hospital)!).sort(reportOrder)),
    timings,
  );
}
