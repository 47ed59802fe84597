/**
 * Outputs of a run are written into a temporary folder beside `--out` and moved
 * into place only when the run succeeds: a failed or killed run leaves the
 * previous outputs as they were.
 *
 * Every folder this module creates, renames or removes carries our marker, and a
 * folder beside `--out` is ours only when its marker's run id is the one in its
 * name (`out.tmp-<run id>`, `out.old-<run id>`): a copy a user made, or a folder
 * that merely looks like ours, is never touched.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DiskError, UsageError, isDiskError } from './errors.js';
import { readMarker, writeMarker } from './marker.js';

const TMP = '.tmp-';
const OLD = '.old-';

/** Is `dir` a staging or old folder of ours, named `<out><kind><run id>` with that run id in its marker? */
function oursBeside(dir: string, out: string, kind: string): boolean {
  const id = basename(dir).slice(basename(out).length + kind.length);
  return readMarker(dir)?.run_id === id;
}

/**
 * Undo what a run killed between its two renames left behind: when `out` is
 * missing but an `<out>.old-*` folder of ours exists, put the newest back.
 * Other staging and old folders of ours (of dead runs) are removed; anything
 * else beside `out` is left alone.
 */
export function recoverOutput(outDir: string): void {
  const out = resolve(outDir);
  const parent = dirname(out);
  if (!existsSync(parent)) return;
  const name = basename(out);
  const siblings = readdirSync(parent).map((f) => join(parent, f));
  const olds = siblings.filter((p) => basename(p).startsWith(name + OLD) && oursBeside(p, out, OLD)).sort();
  const tmps = siblings.filter((p) => basename(p).startsWith(name + TMP) && oursBeside(p, out, TMP));
  if (!existsSync(out) && olds.length > 0) renameSync(olds.pop()!, out);
  for (const p of [...olds, ...tmps]) rmSync(p, { recursive: true, force: true });
}

/**
 * A fresh staging folder `<outDir>.tmp-<runId>` beside `outDir` (same file system,
 * so the swap is a rename), marked with `runId`.
 */
export function stagingDir(outDir: string, runId: string, command = 'run'): string {
  const out = resolve(outDir);
  const tmp = `${out}${TMP}${runId}`;
  try {
    mkdirSync(dirname(out), { recursive: true });
    if (existsSync(tmp)) {
      if (!oursBeside(tmp, out, TMP)) throw new UsageError(`${tmp} exists and was not written by outcomes; move it away`);
      rmSync(tmp, { recursive: true, force: true });
    }
    mkdirSync(tmp);
    writeMarker(tmp, runId, command);
  } catch (e) {
    throw isDiskError(e) ? new DiskError(tmp, e) : e;
  }
  return tmp;
}

/**
 * Move the finished staging folder into place of `outDir`. The previous output
 * (ours: the caller checked it with `checkOutputFolder`) is renamed to
 * `<out>.old-<its run id>` first and removed last; an empty folder is simply removed.
 */
export function swapIntoPlace(tmp: string, outDir: string): void {
  const out = resolve(outDir);
  let old: string | undefined;
  if (existsSync(out)) {
    const previous = readMarker(out);
    if (previous) {
      old = `${out}${OLD}${previous.run_id}`;
      if (existsSync(old) && oursBeside(old, out, OLD)) rmSync(old, { recursive: true, force: true });
      renameSync(out, old);
    } else {
      // rmdir refuses a folder that is not empty: nothing unmarked is ever deleted here.
      rmdirSync(out);
    }
  }
  renameSync(tmp, out);
  if (old) rmSync(old, { recursive: true, force: true });
}

/** Remove a staging folder of ours after a failure (the previous outputs stay in place). */
export function discardStaging(tmp: string, outDir: string): void {
  if (oursBeside(tmp, resolve(outDir), TMP)) rmSync(tmp, { recursive: true, force: true });
}

/**
 * Write a whole output folder: `write` fills a staging folder beside `outDir`, which then
 * takes the place of `outDir`. On a failure the half-written copy goes (it may fill a disk)
 * and the previous outputs stay in place.
 */
export async function replaceFolder<T>(outDir: string, runId: string, command: string, write: (tmp: string) => Promise<T>): Promise<T> {
  recoverOutput(outDir);
  const tmp = stagingDir(outDir, runId, command);
  try {
    const result = await write(tmp);
    swapIntoPlace(tmp, outDir);
    return result;
  } catch (e) {
    discardStaging(tmp, outDir);
    throw e;
  }
}

/** Write one file atomically (temporary name, then rename). A full disk names the file (exit 2). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}${TMP}${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    if (!isDiskError(e)) throw e;
    rmSync(tmp, { force: true });
    throw new DiskError(path, e);
  }
}
