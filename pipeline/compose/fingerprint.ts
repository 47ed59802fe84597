/**
 * What a run's results depend on: the loaded files (path and SHA-256), the config,
 * the package version, the code that runs and every SQL and code-list file it reads.
 * When it has not changed since the last successful run, the metrics in the
 * database are still right and a quiet night need not recompute them.
 *
 * The code is found, not listed: every module reachable by relative imports from
 * the run (`pipeline/run`), as it is on disk (the compiled `.js` under `dist/`, or
 * the `.ts` when run from source), so that a changed build never serves old metrics.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { codeFiles as reachable, moduleBeside } from '../core/code-files.js';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db.js';
import { packageVersion } from './manifest.js';
import { projectRoot } from '../core/paths.js';
import { filesUnder } from '../core/sql.js';

/** Files the code reads at run time by path (SQL, code lists), under these project folders. */
const DATA_EXTENSIONS = ['.sql', '.json'];
const DATA_FOLDERS = ['metrics', 'pipeline'];

/** Every module the run loads, sorted. */
export function codeFiles(): string[] {
  return reachable(moduleBeside(import.meta.url, 'run'));
}

/** Every file whose content the derived tables depend on besides the input: the code and its SQL and code lists. */
export function dependencyFiles(): string[] {
  const root = projectRoot();
  return [...new Set([...codeFiles(), ...DATA_FOLDERS.flatMap((d) => filesUnder(join(root, d), DATA_EXTENSIONS))])].sort();
}

/** SHA-256 over the code, its SQL and code lists (`dependencyFiles`, each by path and content): read once per run. */
export function codeDigest(): string {
  const h = createHash('sha256');
  const root = projectRoot();
  for (const f of dependencyFiles()) {
    h.update(relative(root, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

/** SHA-256 over everything the derived tables depend on; `code`: the `codeDigest` of this run. */
export async function fingerprint(db: Db, config: Config, format: string, code: string): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ version: packageVersion(), format, config, code }));
  const files = await db.all<{ path: string; sha256: string }>('SELECT path, sha256 FROM loaded_files ORDER BY path');
  h.update(JSON.stringify(files));
  return h.digest('hex');
}

/**
 * SHA-256 over what the kept per-patient facts depend on besides the input rows and the cutoff:
 * the code (`code`: the run's `codeDigest`), the format and the configuration but its cutoff
 * (metrics/incremental.ts reads the cutoff's move itself).
 */
export function storeBasis(config: Config, format: string, code: string): string {
  const { cutoff: _cutoff, ...rest } = config;
  return createHash('sha256').update(JSON.stringify({ version: packageVersion(), format, config: rest, code })).digest('hex');
}

const STATE_DDL = 'CREATE TABLE IF NOT EXISTS run_state (fingerprint VARCHAR NOT NULL, run_id VARCHAR NOT NULL, state VARCHAR NOT NULL)';

/** The saved state of the last successful run with this fingerprint, if any. */
export async function savedState<T>(db: Db, fp: string): Promise<{ runId: string; state: T } | undefined> {
  await db.run(STATE_DDL);
  const r = await db.one<{ run_id: string; state: string }>('SELECT run_id, state FROM run_state WHERE fingerprint = $fp', { fp });
  return r ? { runId: r.run_id, state: JSON.parse(r.state) as T } : undefined;
}

/** Forget the saved state (before derived tables are rebuilt: a crash then forces a rebuild). */
export async function clearState(db: Db): Promise<void> {
  await db.run(STATE_DDL);
  await db.run('DELETE FROM run_state');
}

/** Remember the state of a successful run. */
export async function saveState(db: Db, fp: string, runId: string, state: unknown): Promise<void> {
  await clearState(db);
  await db.run('INSERT INTO run_state VALUES ($fp, $runId, $state)', { fp, runId, state: JSON.stringify(state) });
}
