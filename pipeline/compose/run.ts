/**
 * One run of the pipeline: load → validate → quality gate → stays → metrics →
 * outputs, written into a staging folder and swapped into place on success.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeDashboards } from '../../dashboards/build.js';
import { computeMetrics } from '../../metrics/compute.js';
import { readAllMetricRows } from '../../metrics/read.js';
import { adapt } from '../ingest/adapters/index.js';
import { writeExports } from '../publish/exports/index.js';
import type { CatalogEntry } from '../../metrics/types.js';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db.js';
import { QualityError } from '../core/errors.js';
import { clearState, fingerprint, saveState, savedState } from './fingerprint.js';
import { futureEvents } from '../ingest/future.js';
import { assertUnchangedSince, hashFile, identitiesUnder } from '../core/hash.js';
import { checkInputFolder, resetDatabase } from '../ingest/input-folder.js';
import { acquireLock, type Lock } from '../core/lock.js';
import type { Logger } from '../core/log.js';
import { emptyTreatmentsNote, gateFailures } from '../ingest/load/gate.js';
import { loadNative, resetRaw, type FileReport } from '../ingest/load/native.js';
import { validate, type TableValidation } from '../ingest/load/validate.js';
import { buildManifest, type Manifest } from './manifest.js';
import { checkDbFile, openRunDb } from '../core/open-db.js';
import { discardStaging, recoverOutput, stagingDir, swapIntoPlace, writeFileAtomic } from '../core/atomic.js';
import { claimOutput } from '../core/claim.js';
import { readMarker, writeMarker } from '../core/marker.js';
import { writeExclusions, writeMetricTables, writeRejects } from '../publish/tables.js';
import { writeParams } from '../ingest/params.js';
import { newRunId } from '../core/run-id.js';
import { buildStays } from '../ingest/stays.js';
import type { RunOptions } from './options.js';

export type { InputFormat, RunOptions } from './options.js';


/** What a successful run leaves for a quiet night to reuse. */
interface SavedState {
  tables: TableValidation[];
  cutoff: string;
  catalog: CatalogEntry[];
  absent: { id: string; reason: string }[];
}

export interface RunResult {
  manifest: Manifest;
  outDir: string;
}

/** A stage timer that logs and records durations. */
class Stages {
  readonly timings: { stage: string; ms: number; rows?: number }[] = [];
  constructor(private readonly log: Logger) {}
  async time<T>(stage: string, fn: () => Promise<T>, rows?: (r: T) => number | undefined): Promise<T> {
    const t0 = performance.now();
    this.log.debug('started', { stage });
    const r = await fn();
    const ms = Math.round(performance.now() - t0);
    const n = rows?.(r);
    this.timings.push({ stage, ms, ...(n === undefined ? {} : { rows: n }) });
    this.log.info('done', { stage, ms, ...(n === undefined ? {} : { rows: n }) });
    return r;
  }
}

export { newRunId };

/** Load the input (native files or an adapter) into the raw tables. */
async function loadInput(db: Db, opts: RunOptions, runId: string): Promise<{ files: FileReport[]; adapterCounts?: Record<string, number> }> {
  if (opts.format === 'native') {
    // A database last loaded by an adapter is reloaded from scratch.
    if (await db.hasTable('loaded_files')) {
      const other = Number(await db.scalar(`SELECT count(*) FROM loaded_files WHERE format NOT IN ('csv', 'parquet', 'ndjson', 'arrow')`));
      if (other > 0) await resetRaw(db);
    }
    const files = await loadNative(db, opts.input, runId, (f) => {
      if (f.action !== 'unchanged') opts.log.info(`${f.action} file ${f.path}`, { stage: 'load', rows: f.rows });
      else opts.log.debug(`unchanged file ${f.path}`, { stage: 'load' });
    }, { ...opts.config, note: (m) => opts.log.info(m, { stage: 'load' }), warn: (m) => opts.log.warn(m, { stage: 'load' }) });
    for (const f of files.filter((x) => x.action === 'missing')) {
      opts.log.warn(`file ${f.path}, loaded earlier, is no longer in the input folder; its rows are kept`, { stage: 'load' });
    }
    return { files };
  }
  // Adapters map a whole export each run (no incremental loading).
  const before = identitiesUnder(opts.input);
  await resetRaw(db);
  const report = await adapt(db, opts.format, opts.input, opts.config);
  await db.run('INSERT INTO read_rejects SELECT * FROM rejects');
  const files: FileReport[] = [];
  for (const f of report.files) {
    const { bytes, sha256 } = await hashFile(f.path, { gzip: f.path.toLowerCase().endsWith('.gz') });
    // The size and SHA-256 recorded must describe the bytes the adapter read.
    assertUnchangedSince(f.path, before);
    await db.run(`INSERT INTO loaded_files VALUES ($path, $table, $format, $bytes, $sha, $rows, [], $run)`, {
      path: f.path,
      table: f.table,
      format: opts.format,
      bytes,
      sha: sha256,
      rows: f.rows,
      run: runId,
    });
    files.push({ path: f.path, table: f.table, format: opts.format, rows: f.rows, extra_columns: [], action: 'new', bytes, sha256 });
  }
  return { files, adapterCounts: report.counts };
}

// Interfaces of the modules that publish outputs and adapt exports, loaded when present.


/**
 * Run the pipeline. Throws `InputError` (exit 2) for unreadable input and
 * `QualityError` (exit 3) when the reject gate fails — after writing
 * `rejects.csv` and a failed `manifest.json` into `out`, leaving the other
 * outputs of the previous run in place.
 */
export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const startedAt = opts.now ?? new Date();
  const runId = newRunId(startedAt);
  const { log } = opts;
  const stages = new Stages(log);
  const outDir = resolve(opts.out);
  checkDbFile(opts.db);
  const locks: Lock[] = [];
  try {
    if (!opts.checkOnly) {
      locks.push(claimOutput(opts.out, 'run', { input: opts.input, db: opts.db, ...(opts.configFile ? { config: opts.configFile } : {}) }));
    }
    if (opts.db !== ':memory:') locks.push(acquireLock(`${resolve(opts.db)}.lock`, opts.checkOnly ? 'check' : 'run'));
    for (const lock of locks) {
      if (lock.tookOverFrom) {
        log.warn(`took over the lock left by process ${lock.tookOverFrom.pid} (started ${lock.tookOverFrom.started_at}), which no longer runs: ${lock.path}`);
      }
    }
    return await runLocked(opts, { startedAt, runId, stages, outDir });
  } finally {
    for (const lock of locks.reverse()) lock.release();
  }
}

async function runLocked(
  opts: RunOptions,
  { startedAt, runId, stages, outDir }: { startedAt: Date; runId: string; stages: Stages; outDir: string },
): Promise<RunResult> {
  const { log, config } = opts;
  if (!opts.checkOnly) recoverOutput(outDir);
  const db = await openRunDb(opts.db, config);
  const base = {
    runId,
    startedAt,
    options: opts,
  };
  try {
    if (opts.reset) {
      await resetDatabase(db);
      log.info(`--reset: the database starts over`, { stage: 'load' });
    }
    if (!opts.checkOnly) await checkInputFolder(db, opts.input);
    const loaded = await stages.time('load', () => loadInput(db, opts, runId), (r) => r.files.reduce((s, f) => s + (f.action === 'unchanged' ? 0 : f.rows), 0));
    // A quiet night: nothing the results depend on changed since the last successful run.
    const fp = opts.format === 'native' && !opts.checkOnly ? await fingerprint(db, config, opts.format) : undefined;
    const saved = fp ? await savedState<SavedState>(db, fp) : undefined;
    if (saved) log.info(`nothing changed since run ${saved.runId}: its tables and metrics are reused`, { stage: 'validate' });
    else await clearState(db);
    const tables = saved
      ? saved.state.tables.map((t) => ({ ...t, rows_parsed: 0, inserted: 0, replaced: 0, removed: 0, unchanged: t.rows_loaded }))
      : await stages.time('validate', () => validate(db, undefined, config), (r) => r.reduce((s, t) => s + t.rows_loaded, 0));
    const inputs = await describeInputs(db, loaded.files);
    const stale = await staleness(db, config, startedAt);
    if (stale) log.warn(stale, { stage: 'validate' });
    const future = await futureEvents(db, config, startedAt);
    if (future) log.warn(future, { stage: 'validate' });
    const failing = gateFailures(tables, config.max_reject_share);
    const common = { ...base, inputs, tables, adapterCounts: loaded.adapterCounts, stages: stages.timings };
    if (failing.length > 0) {
      const reason = failing.join('; ');
      if (!opts.checkOnly) await writeFailed(db, outDir, await buildManifest(db, { ...common, status: 'failed', reason }));
      throw new QualityError(`data-quality gate failed: ${reason}. See ${join(outDir, 'rejects.csv')}`);
    }
    if (stale && config.fail_on_stale) {
      const reason = `${stale} (fail_on_stale is set)`;
      if (!opts.checkOnly) await writeFailed(db, outDir, await buildManifest(db, { ...common, status: 'failed', reason }));
      throw new QualityError(reason);
    }
    if (future && config.fail_on_future) {
      const reason = `${future} (fail_on_future is set)`;
      if (!opts.checkOnly) await writeFailed(db, outDir, await buildManifest(db, { ...common, status: 'failed', reason }));
      throw new QualityError(reason);
    }
    if (opts.checkOnly) {
      return { manifest: await buildManifest(db, { ...common, status: 'checked' }), outDir };
    }
    let params: { cutoff: string };
    let computed: { catalog: CatalogEntry[]; absent: { id: string; reason: string }[] };
    if (saved) {
      params = { cutoff: saved.state.cutoff };
      computed = { catalog: saved.state.catalog, absent: saved.state.absent };
    } else {
      params = await stages.time('params', () => writeParams(db, config));
      await stages.time('stays', () => buildStays(db), undefined);
      computed = await stages.time(
        'metrics',
        () => computeMetrics(db, { log: (m) => log.debug(m, { stage: 'metrics' }), keepFacts: config.keep_facts }),
        (r) => r.rows,
      );
      if (fp) await saveState(db, fp, runId, { tables, cutoff: params.cutoff, catalog: computed.catalog, absent: computed.absent } satisfies SavedState);
    }
    for (const a of computed.absent) log.warn(`metric ${a.id} is absent: ${a.reason}`, { stage: 'metrics' });
    const emptyNote = await emptyTreatmentsNote(db, tables, computed.catalog.map((c) => c.id));
    if (emptyNote) log.warn(emptyNote, { stage: 'metrics' });
    await writeRunInfo(db, runId, startedAt, params.cutoff, config);
    const tmp = stagingDir(outDir, runId);
    try {
      const outputs = await stages.time('outputs', () => writeOutputs(db, tmp, computed.catalog, config, startedAt, params.cutoff));
      for (const sub of ['exports', 'dashboards']) if (existsSync(join(tmp, sub))) writeMarker(join(tmp, sub), runId, 'run');
      const manifest = await buildManifest(db, {
        ...common,
        stages: stages.timings,
        status: 'succeeded',
        cutoff: params.cutoff,
        absent: computed.absent,
        outputs,
      });
      writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
      swapIntoPlace(tmp, outDir);
      return { manifest, outDir };
    } catch (e) {
      // The previous outputs stay in place; the half-written copy goes (it may fill a disk).
      discardStaging(tmp, outDir);
      throw e;
    }
  } finally {
    db.close();
  }
}

/**
 * A warning when the newest event is older than `max_staleness_days` before the
 * run date: a feed that stopped arriving should not go unnoticed.
 */
async function staleness(db: Db, config: Config, now: Date): Promise<string | undefined> {
  if (config.max_staleness_days === undefined) return undefined;
  const newest = await db.scalar<string | null>(`
    SELECT CAST(greatest((SELECT max(admit_ts) FROM admissions), (SELECT max(discharge_ts) FROM admissions),
                         (SELECT max(start_ts) FROM treatments)) AS VARCHAR)`);
  if (!newest) return `the input holds no events at all`;
  const ageDays = Math.floor((now.getTime() - Date.parse(newest.replace(' ', 'T') + 'Z')) / 86_400_000);
  if (ageDays <= config.max_staleness_days) return undefined;
  return `the newest event (${newest}) is ${ageDays} days older than the run date, more than max_staleness_days ${config.max_staleness_days}`;
}

/** Input files with their size, SHA-256 and rows read/rejected. */
async function describeInputs(db: Db, files: FileReport[]) {
  const rejected = new Map<string, number>();
  for (const r of await db.all<{ source_file: string; n: number }>(
    `SELECT source_file, count(DISTINCT line) AS n FROM rejects WHERE kind = 'reject' GROUP BY source_file`,
  )) {
    rejected.set(r.source_file, Number(r.n));
  }
  return files.map((f) => ({ ...f, bytes: f.bytes ?? 0, sha256: f.sha256 ?? '', rows_rejected: rejected.get(f.path) ?? 0 }));
}

/** The one-row `run_info` table, read by `outcomes export` and `outcomes dashboards`. */
async function writeRunInfo(db: Db, runId: string, startedAt: Date, cutoff: string, config: Config): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE run_info AS SELECT $runId AS run_id, $runDate AS run_date, $startedAt AS started_at,
       $cutoff AS cutoff, $minCell AS min_cell, $locale AS locale, $timezone AS timezone`,
    {
      runId,
      runDate: startedAt.toISOString().slice(0, 10),
      startedAt: startedAt.toISOString(),
      cutoff,
      minCell: config.min_cell,
      locale: config.locale,
      timezone: config.timezone,
    },
  );
}

/** Every output file of a successful run; returns row counts by output. */
async function writeOutputs(
  db: Db,
  dir: string,
  catalog: CatalogEntry[],
  config: Config,
  startedAt: Date,
  cutoff: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  counts['metrics.csv'] = counts['metrics.parquet'] = await writeMetricTables(db, dir);
  counts['exclusions.csv'] = await writeExclusions(db, dir);
  counts['rejects.csv'] = await writeRejects(db, dir);
  writeFileAtomic(join(dir, 'catalog.json'), JSON.stringify(catalog, null, 2) + '\n');
  counts['catalog.json'] = catalog.length;
  const extra = await writePublished(db, dir, catalog, config, startedAt, cutoff);
  Object.assign(counts, extra);
  return counts;
}

/** Published outputs: the exports read the database; the dashboards get the metric rows. */
async function writePublished(
  db: Db,
  dir: string,
  catalog: CatalogEntry[],
  config: Config,
  startedAt: Date,
  cutoff: string,
): Promise<Record<string, number>> {
  const common = { catalog, locale: config.locale, minCell: config.min_cell, runDate: startedAt.toISOString().slice(0, 10), cutoff };
  const exportsDone = await writeExports(db, join(dir, 'exports'), common);
  const dashboardsDone = await writeDashboards(await readAllMetricRows(db), join(dir, 'dashboards'), common);
  return { exports: exportsDone.files.length, dashboards: dashboardsDone.files.length };
}

/** After a failed gate: only `rejects.csv` and `manifest.json` are (re)written into `out`. */
async function writeFailed(db: Db, outDir: string, manifest: Manifest): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  if (!readMarker(outDir)) writeMarker(outDir, manifest.run_id, 'run');
  const tmp = stagingDir(outDir, manifest.run_id + '-failed');
  await writeRejects(db, tmp);
  writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  renameSync(join(tmp, 'rejects.csv'), join(outDir, 'rejects.csv'));
  renameSync(join(tmp, 'manifest.json'), join(outDir, 'manifest.json'));
  rmSync(tmp, { recursive: true, force: true });
}

export type { TableValidation };
