/**
 * One run of the pipeline: load → validate → quality gate → stays → metrics →
 * outputs, written into a staging folder and swapped into place on success.
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeMetrics } from '../../metrics/compute.js';
import { writeRunInfo } from '../../metrics/read.js';
import type { CatalogEntry } from '../../metrics/types.js';
import { replaceFolder, stagingDir, recoverOutput, writeFileAtomic } from '../core/atomic.js';
import { claimOutput } from '../core/claim.js';
import type { Db } from '../core/db.js';
import { QualityError, UsageError, withCleanup } from '../core/errors.js';
import { acquireLock, type Lock } from '../core/lock.js';
import type { Logger } from '../core/log.js';
import { readMarker, writeMarker } from '../core/marker.js';
import { checkDbFile, openRunDb } from '../core/open-db.js';
import { newRunId } from '../core/run-id.js';
import { futureEvents, staleFeed } from '../ingest/future.js';
import { describeInputs, loadInput } from '../ingest/input.js';
import { loadedSinceValidation } from '../ingest/load/canonical.js';
import { checkInputFolder, resetDatabase } from '../ingest/input-folder.js';
import { emptyTreatmentsNote, gateFailures } from '../ingest/load/gate.js';
import { validate, type TableValidation } from '../ingest/load/validate.js';
import { writeParams } from '../ingest/params.js';
import { buildStays } from '../ingest/stays.js';
import { writeRejects } from '../publish/tables.js';
import { clearState, codeDigest, fingerprint, saveState, savedState, storeBasis } from './fingerprint.js';
import { buildManifest, type Manifest } from './manifest.js';
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
  const command = opts.checkOnly ? 'check' : 'run';
  checkDbFileUnlessBeingMade(opts.db, command);
  const locks: Lock[] = [];
  try {
    if (!opts.checkOnly) {
      locks.push(claimOutput(opts.out, 'run', { input: opts.input, db: opts.db, ...(opts.configFile ? { config: opts.configFile } : {}) }));
    }
    if (opts.db !== ':memory:') locks.push(acquireLock(dbLockPath(opts.db), command));
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

/** The lock beside a run's database (`<db>.lock`). */
function dbLockPath(db: string): string {
  return `${resolve(db)}.lock`;
}

/**
 * `checkDbFile` before anything is written (a --db that is a folder or a CSV file leaves no output
 * folder behind). A database file another run is making is empty for a moment: an empty --db whose
 * lock another run holds is that run's, and the error is the lock's, naming the holder; an empty
 * file nobody locks is refused as one (the lock taken to find out is released, and `openRunDb`
 * checks the file again under the run's own lock).
 */
function checkDbFileUnlessBeingMade(db: string, command: string): void {
  try {
    checkDbFile(db);
  } catch (e) {
    // Only an empty regular file: never a lock beside a device or anything else that is not a database.
    const st = db === ':memory:' ? undefined : statSync(resolve(db), { throwIfNoEntry: false });
    if (!(e instanceof UsageError) || !st?.isFile() || st.size !== 0) throw e;
    acquireLock(dbLockPath(db), command).release();
    throw e;
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
  // The database is closed whatever happened; a close that fails after a failed run does not hide why it failed.
  return withCleanup(async () => {
    if (opts.reset) {
      await resetDatabase(db);
      log.info(`--reset: the database starts over`, { stage: 'load' });
    }
    if (!opts.checkOnly) await checkInputFolder(db, opts.input);
    const loaded = await stages.time('load', () => loadInput(db, opts, runId), (r) => r.files.reduce((s, f) => s + (f.action === 'unchanged' ? 0 : f.rows), 0));
    // Validation's candidate ids, the stays and the metrics' per-patient store are kept for a run
    // with the same code and configuration (all but the cutoff).
    const code = codeDigest();
    const basis = storeBasis(config, opts.format, code);
    // A quiet night: nothing the results depend on changed since the last successful run.
    const fp = opts.format === 'native' && !opts.checkOnly ? await fingerprint(db, config, opts.format, code) : undefined;
    // Rows loaded or retired since the last validation are not in the canonical views yet: validate.
    const saved = fp && !(await loadedSinceValidation(db)) ? await savedState<SavedState>(db, fp) : undefined;
    if (saved) log.info(`nothing changed since run ${saved.runId}: its tables and metrics are reused`, { stage: 'validate' });
    else await clearState(db);
    const tables = saved
      ? saved.state.tables.map((t) => ({ ...t, rows_parsed: 0, inserted: 0, replaced: 0, removed: 0, unchanged: t.rows_loaded }))
      : await stages.time('validate', () => validate(db, (name, ms) => log.debug(`${name} ${Math.round(ms)} ms`, { stage: 'validate' }), { ...config, basis }), (r) => r.reduce((s, t) => s + t.rows_loaded, 0));
    const inputs = await describeInputs(db, loaded.files);
    const stale = await staleFeed(db, config, startedAt);
    if (stale) log.warn(stale, { stage: 'validate' });
    const future = await futureEvents(db, config, startedAt);
    if (future) log.warn(future, { stage: 'validate' });
    const common = { ...base, inputs, tables, adapterCounts: loaded.adapterCounts, stages: stages.timings };
    const refused = refusal(gateFailures(tables, config.max_reject_share), stale, future, config, outDir);
    if (refused) {
      if (!opts.checkOnly) await writeFailed(db, outDir, await buildManifest(db, { ...common, status: 'failed', reason: refused.reason }));
      throw new QualityError(refused.message);
    }
    if (opts.checkOnly) {
      return { manifest: await buildManifest(db, { ...common, status: 'checked' }), outDir };
    }
    let params: { cutoff: string };
    let publishing: Promise<typeof import('../publish/outputs.js')> | undefined;
    let computed: { catalog: CatalogEntry[]; absent: { id: string; reason: string }[] };
    if (saved) {
      params = { cutoff: saved.state.cutoff };
      computed = { catalog: saved.state.catalog, absent: saved.state.absent };
    } else {
      params = await stages.time('params', () => writeParams(db, config));
      await stages.time('stays', () => buildStays(db, { basis, log: (m) => log.debug(m, { stage: 'stays' }) }), undefined);
      // The outputs' modules (the chart libraries: a quarter of a second of this thread) are loaded
      // while DuckDB computes the metrics, whose statements are long, rather than during loading,
      // validation and the stays, whose many short statements would each wait for this thread.
      publishing = import('../publish/outputs.js');
      publishing.catch(() => undefined);
      computed = await stages.time(
        'metrics',
        () =>
          computeMetrics(db, {
            log: (m) => log.debug(m, { stage: 'metrics' }),
            keepFacts: config.keep_facts,
            store: { basis },
          }),
        (r) => r.rows,
      );
      if (fp) await saveState(db, fp, runId, { tables, cutoff: params.cutoff, catalog: computed.catalog, absent: computed.absent } satisfies SavedState);
    }
    for (const a of computed.absent) log.warn(`metric ${a.id} is absent: ${a.reason}`, { stage: 'metrics' });
    const emptyNote = await emptyTreatmentsNote(db, tables, computed.catalog.map((c) => c.id));
    if (emptyNote) log.warn(emptyNote, { stage: 'metrics' });
    await writeRunInfo(db, { runId, startedAt, cutoff: params.cutoff, minCell: config.min_cell, locale: config.locale, timezone: config.timezone });
    const settings = { catalog: computed.catalog, minCell: config.min_cell, locale: config.locale, runDate: startedAt.toISOString().slice(0, 10), cutoff: params.cutoff };
    const manifest = await replaceFolder(outDir, runId, 'run', async (tmp) => {
      const { writeRunOutputs } = await (publishing ?? import('../publish/outputs.js'));
      const outputs = await stages.time('outputs', () => writeRunOutputs(db, tmp, settings, runId, outDir, (m) => log.debug(m, { stage: 'outputs' })));
      const m = await buildManifest(db, { ...common, stages: stages.timings, status: 'succeeded', cutoff: params.cutoff, absent: computed.absent, outputs });
      writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
      return m;
    });
    return { manifest, outDir };
  }, () => db.close());
}

/** Why the run stops with exit 3 (the first that holds): rejects over the gate, a stale feed or events in the future when set to fail. */
function refusal(
  failing: string[],
  stale: string | undefined,
  future: string | undefined,
  config: RunOptions['config'],
  outDir: string,
): { reason: string; message: string } | undefined {
  if (failing.length > 0) {
    const reason = failing.join('; ');
    return { reason, message: `data-quality gate failed: ${reason}. See ${join(outDir, 'rejects.csv')}` };
  }
  const set = stale && config.fail_on_stale ? `${stale} (fail_on_stale is set)` : future && config.fail_on_future ? `${future} (fail_on_future is set)` : undefined;
  return set ? { reason: set, message: set } : undefined;
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
