/**
 * Outputs of a run are written into a temporary folder beside `--out` and moved
 * into place only when the run succeeds: a failed or killed run leaves the
 * previous outputs as they were.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const TMP = '.tmp-';
const OLD = '.old-';

/**
 * Undo what a run killed between its two renames left behind: when `out` is
 * missing but a `<out>.old-*` folder exists, put it back. Stale temporary
 * folders of dead runs are removed.
 */
export function recoverOutput(outDir: string): void {
  const out = resolve(outDir);
  const parent = dirname(out);
  if (!existsSync(parent)) return;
  const name = basename(out);
  const siblings = readdirSync(parent).filter((f) => f.startsWith(name + '.'));
  const olds = siblings.filter((f) => f.startsWith(name + OLD)).sort();
  if (!existsSync(out) && olds.length > 0) {
    renameSync(join(parent, olds[olds.length - 1]!), out);
    olds.pop();
  }
  for (const f of [...olds, ...siblings.filter((f) => f.startsWith(name + TMP))]) {
    rmSync(join(parent, f), { recursive: true, force: true });
  }
}

/** A fresh temporary folder beside `outDir` (same file system, so the swap is a rename). */
export function stagingDir(outDir: string, runId: string): string {
  const out = resolve(outDir);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}${TMP}${runId}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return tmp;
}

/** Move the finished staging folder into place of `outDir`. */
export function swapIntoPlace(tmp: string, outDir: string, runId: string): void {
  const out = resolve(outDir);
  const old = `${out}${OLD}${runId}`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
}

/** Write one file atomically (temporary name, then rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}${TMP}${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
