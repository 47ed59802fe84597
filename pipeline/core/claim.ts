/**
 * Before anything is written: may this command write into `--out`? Only a folder
 * that is missing, empty, or marked as ours may be written (and replaced); `--out`
 * must keep clear of `--input`, `--db` and `--config`; and one command at a time
 * writes a given `--out` (a lock beside it, like the database's).
 * The rules and their reasons: docs/operations.md, "What outcomes refuses, and why".
 */
import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import { acquireLock, type Lock } from './lock.js';
import { MARKER, readMarker } from './marker.js';

/**
 * Refuse an output folder that outcomes may not write: exit 2 naming the path and
 * why. `flag` is how the user named it (`--out`).
 */
export function checkOutputFolder(path: string, flag = '--out'): void {
  if (path.trim() === '') throw new UsageError(`${flag} must not be empty`);
  const abs = resolve(path);
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    const parent = nearestExisting(abs);
    if (!lstatSync(parent).isDirectory()) throw new UsageError(`${flag} ${path}: ${parent} is a file, not a folder`);
    return;
  }
  if (st.isSymbolicLink()) {
    throw new UsageError(`${flag} ${path} is a symbolic link; outcomes replaces its output folder as a whole, so give the folder itself`);
  }
  if (!st.isDirectory()) {
    throw new UsageError(`${flag} ${path} is a file, not a folder; outcomes never replaces a file. Choose a new or empty folder`);
  }
  const entries = readdirSync(abs);
  if (entries.length === 0) return;
  if (entries.includes(MARKER) && readMarker(abs)) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  throw new UsageError(
    `${flag} ${path} holds files that outcomes did not write (${shown}) and has no ${MARKER} marker; ` +
      `outcomes writes only into a new or empty folder, or one it wrote before. Choose another folder, or empty this one`,
  );
}

/** The path with every symbolic link of its existing part resolved (the rest appended as given). */
function realish(p: string): string {
  const abs = resolve(p);
  const base = nearestExisting(abs);
  let real: string;
  try {
    real = realpathSync(base);
  } catch {
    real = base;
  }
  const rest = relative(base, abs);
  return rest ? join(real, rest) : real;
}

function nearestExisting(abs: string): string {
  let d = abs;
  while (!existsSync(d)) {
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return d;
}

const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

export interface PathsToKeepApart {
  out: string;
  input?: string;
  db?: string;
  config?: string;
}

/**
 * `--out` must not be, contain or lie inside `--input`, and must not contain `--db`
 * or `--config`: the output folder is replaced as a whole on every run.
 */
export function checkPathsApart(p: PathsToKeepApart): void {
  const out = realish(p.out);
  if (p.input !== undefined) {
    const input = realish(p.input);
    if (out === input) throw new UsageError(`--out ${p.out} is the --input folder; each run replaces --out as a whole, which would delete the input`);
    if (within(input, out)) throw new UsageError(`--out ${p.out} contains --input ${p.input}; each run replaces --out as a whole, which would delete the input`);
    if (within(out, input)) throw new UsageError(`--out ${p.out} lies inside --input ${p.input}; the outputs would be mixed with the input files. Choose a folder outside it`);
  }
  if (p.db !== undefined && p.db !== ':memory:' && within(realish(p.db), out)) {
    throw new UsageError(`--db ${p.db} lies inside --out ${p.out}; --out is replaced as a whole, which would delete the database. Keep the database outside it`);
  }
  if (p.config !== undefined && within(realish(p.config), out)) {
    throw new UsageError(`--config ${p.config} lies inside --out ${p.out}; --out is replaced as a whole, which would delete it. Keep it outside`);
  }
}

/**
 * Check `out` and take its lock (`<out>.lock`): a second command writing the same
 * folder, whatever its database, exits 2 naming the holder.
 */
export function claimOutput(out: string, command: string, apart: Omit<PathsToKeepApart, 'out'> = {}, flag = '--out'): Lock {
  checkPathsApart({ out, ...apart });
  checkOutputFolder(out, flag);
  const abs = resolve(out);
  const lock = acquireLock(join(dirname(abs), basename(abs) + '.lock'), command, `${flag} ${out}`);
  try {
    // Again under the lock: the holder we waited for may have changed the folder.
    checkOutputFolder(out, flag);
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}
