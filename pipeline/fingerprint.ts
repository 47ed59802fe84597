/**
 * What a run's results depend on: the loaded files (path and SHA-256), the config,
 * the package version and the text of every SQL file that computes something.
 * When it has not changed since the last successful run, the metrics in the
 * database are still right and a quiet night need not recompute them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Config } from './config.js';
import { Db } from './db.js';
import { packageVersion } from './manifest.js';
import { projectRoot } from './paths.js';

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sqlFiles(p));
    else if (name.endsWith('.sql')) out.push(p);
  }
  return out;
}

/** SHA-256 over everything the derived tables depend on. */
export async function fingerprint(db: Db, config: Config, format: string): Promise<string> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ version: packageVersion(), format, config }));
  const files = await db.all<{ path: string; sha256: string }>('SELECT path, sha256 FROM loaded_files ORDER BY path');
  h.update(JSON.stringify(files));
  const root = projectRoot();
  for (const f of [...sqlFiles(join(root, 'metrics')), join(root, 'pipeline', 'stays.sql')]) {
    h.update(relative(root, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
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
