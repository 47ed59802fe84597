/**
 * The reports for administrators: suppressed CSV files and Excel workbooks, one per
 * hospital and one overall, with a README. Reads only the aggregated `metrics` table, never
 * patient-level data.
 */
import { readMetricRows } from '../../../metrics/people.js';
import { readRunInfo } from '../../../metrics/read.js';
import { ALL, SUM_COUNT_METRIC, oeBaseMetric, suppress, type PublishedRow, type SuppressionReason } from '../../../metrics/suppress.js';
import type { CatalogEntry, MetricRow } from '../../../metrics/types.js';
import type { Db, Params } from '../../core/db.js';
import { UsageError } from '../../core/errors.js';
import type { Locale } from './csv.js';
import { safeFileNames } from './filenames.js';
import { periodFilter, type PeriodRange } from './period.js';
import { workbookRows, writeReports } from './reports.js';
import type { WorkbookRow } from './workbook.js';

export interface ExportOptions {
  catalog: CatalogEntry[];
  locale: Locale;
  /** Suppression threshold k (config `min_cell`). */
  minCell: number;
  /** Only these metric ids (default: every metric in the table). */
  metrics?: string[];
  /** Only these hospitals' files, and their totals in all-hospitals.csv (default: all). */
  hospitals?: string[];
  period?: PeriodRange;
  /** Shown in README.txt; pinned by the caller (the pipeline never reads the clock in SQL). */
  runDate: string;
  cutoff: string;
  /** Shown in the workbooks' README sheet; default: the run id in the database's `run_info`. */
  runId?: string;
}

const COLS = 'metric_id, view, period, hospital_id, department_id, numerator, denominator, value, lower, upper';
const SEP = '\u0000';
const keyOf = (r: MetricRow) => r.metric_id + SEP + r.period + SEP + r.hospital_id + SEP + r.department_id;

/** `metric_id IN ($m0, $m1, …)` with its bound values. */
function inList(column: string, prefix: string, values: string[]): { sql: string; params: Params } {
  const params: Params = {};
  values.forEach((v, i) => (params[prefix + i] = v));
  const names = values.map((_, i) => '$' + prefix + i);
  return { sql: names.length ? `${column} IN (${names.join(', ')})` : 'false', params };
}

async function distinct(db: Db, column: 'metric_id' | 'hospital_id'): Promise<string[]> {
  const rows = await db.all<{ v: string }>(`SELECT DISTINCT ${column} AS v FROM metrics ORDER BY v`);
  return rows.map((r) => r.v);
}

/**
 * A metric and the metrics its suppression reads: the `admissions` count of a sum, the
 * plain rate of an O/E ratio, the denominator metric of a share (and what that one reads).
 */
function linkedMetrics(id: string, catalog: Map<string, CatalogEntry>): string[] {
  const out: string[] = [];
  const add = (m: string | null | undefined) => {
    if (!m || out.includes(m) || !catalog.has(m)) return;
    out.push(m);
    const e = catalog.get(m)!;
    add(e.kind === 'sum' ? SUM_COUNT_METRIC : e.kind === 'oe' ? oeBaseMetric(m) : null);
    add(e.denominatorMetric);
  };
  add(id);
  return out;
}

/**
 * Suppress every selected metric over all hospitals (suppression looks across
 * hospitals, so it runs before the hospital filter) and return the reason of each
 * hidden cell. One metric at a time, with the rows it needs from other metrics, so
 * memory stays at one metric's rows.
 */
async function suppressionFlags(
  db: Db,
  metrics: string[],
  catalog: Map<string, CatalogEntry>,
  present: Set<string>,
  minCell: number,
  keep: (period: string) => boolean,
): Promise<Map<string, SuppressionReason>> {
  const flags = new Map<string, SuppressionReason>();
  for (const id of metrics) {
    const ids = linkedMetrics(id, catalog).filter((m) => m === id || present.has(m));
    const where = inList('m.metric_id', 'm', ids);
    const rows = (await readMetricRows(db, { where: where.sql, params: where.params })).filter((r) => keep(r.period));
    for (const r of suppress(rows, [...catalog.values()], minCell)) {
      if (r.metric_id === id && r.suppressed !== null) flags.set(keyOf(r), r.suppressed);
    }
  }
  return flags;
}

/**
 * Write `outDir/all-hospitals.csv` (every hospital's totals, department `ALL`, and
 * the overall `ALL`,`ALL` rows), `outDir/<safe hospital id>.csv` (the hospital's
 * departments and its total), a `.xlsx` workbook beside each with the same rows, and
 * `outDir/README.txt`. Cells are suppressed as in `suppress`; CSV files are UTF-8
 * with BOM, CRLF, RFC 4180, in the locale's delimiter and decimal mark. Each file is
 * written under a temporary name and renamed. Unknown metric or hospital ids and
 * malformed periods are a UsageError. Returns the paths written: all-hospitals.csv
 * and .xlsx, each hospital's .csv and .xlsx, README.txt.
 */
export async function writeExports(db: Db, outDir: string, opts: ExportOptions): Promise<{ files: string[] }> {
  if (!Number.isInteger(opts.minCell) || opts.minCell < 1) throw new UsageError(`min_cell must be an integer of at least 1, got ${opts.minCell}`);
  if (!(await db.hasTable('metrics'))) throw new UsageError('the database has no metrics table (run "outcomes run" first)');
  const catalog = new Map(opts.catalog.map((c) => [c.id, c]));
  const present = await distinct(db, 'metric_id');
  const presentSet = new Set(present);
  for (const id of opts.metrics ?? []) {
    if (!catalog.has(id)) throw new UsageError(`unknown metric id "${id}" (known: ${[...catalog.keys()].join(', ')})`);
  }
  const metrics = opts.metrics?.length ? present.filter((m) => opts.metrics!.includes(m)) : present;
  const uncatalogued = metrics.filter((m) => !catalog.has(m));
  if (uncatalogued.length) throw new UsageError(`metrics table has metrics without a catalog entry: ${uncatalogued.join(', ')}`);

  const allHospitals = (await distinct(db, 'hospital_id')).filter((h) => h !== ALL);
  for (const h of opts.hospitals ?? []) {
    if (!allHospitals.includes(h)) throw new UsageError(`unknown hospital id "${h}"`);
  }
  const hospitals = opts.hospitals?.length ? allHospitals.filter((h) => opts.hospitals!.includes(h)) : allHospitals;
  const keep = periodFilter(opts.period);
  const flags = await suppressionFlags(db, metrics, catalog, presentSet, opts.minCell, keep);
  const names = safeFileNames(allHospitals);

  const runId = opts.runId ?? (await readRunInfo(db)).runId ?? 'unknown';
  const metricIn = inList('metric_id', 'm', metrics);
  const toWorkbook = workbookRows(catalog, opts.locale);
  const reportRows = async (where: string, params: Params): Promise<WorkbookRow[]> => {
    const rows = await db.all<MetricRow>(
      `SELECT ${COLS} FROM metrics WHERE ${metricIn.sql} AND ${where} ORDER BY period, hospital_id, department_id, metric_id`,
      { ...metricIn.params, ...params },
    );
    const shown: PublishedRow[] = [];
    for (const r of rows) {
      if (!keep(r.period)) continue;
      const reason = flags.get(keyOf(r)) ?? null;
      shown.push(reason === null ? { ...r, suppressed: null } : { ...r, numerator: null, denominator: null, value: null, lower: null, upper: null, suppressed: reason });
    }
    return toWorkbook(shown);
  };
  const chosen = opts.hospitals?.length ? inList('hospital_id', 'h', [ALL, ...hospitals]) : { sql: 'true', params: {} };
  return writeReports(
    {
      outDir,
      locale: opts.locale,
      minCell: opts.minCell,
      runId,
      runDate: opts.runDate,
      cutoff: opts.cutoff,
      ...(opts.period ? { period: opts.period } : {}),
      metrics: metrics.map((m) => catalog.get(m)!),
      hospitals: hospitals.map((h) => ({ id: h, file: names.get(h)! })),
    },
    (hospital) =>
      hospital === null
        ? reportRows(`department_id = $all AND ${chosen.sql}`, { all: ALL, ...chosen.params })
        : reportRows('hospital_id = $hospital', { hospital }),
  );
}
