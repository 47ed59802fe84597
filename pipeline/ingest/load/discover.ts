/**
 * Finding the files of each canonical table in an input folder (docs/reference/contract.md#formats):
 * `admissions.csv`, `admissions.csv.gz`, `admissions/part-*.parquet`, and so on.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { fileKind, readError } from '../../core/hash.js';

export type FileFormat = 'csv' | 'parquet' | 'ndjson' | 'arrow';

export interface InputFile {
  path: string;
  format: FileFormat;
}

const EXTENSIONS: [string, FileFormat][] = [
  ['.csv', 'csv'],
  ['.csv.gz', 'csv'],
  ['.tsv', 'csv'],
  ['.tsv.gz', 'csv'],
  ['.txt', 'csv'],
  ['.parquet', 'parquet'],
  ['.ndjson', 'ndjson'],
  ['.jsonl', 'ndjson'],
  ['.ndjson.gz', 'ndjson'],
  ['.jsonl.gz', 'ndjson'],
  ['.arrow', 'arrow'],
  ['.feather', 'arrow'],
  ['.arrows', 'arrow'],
];

/** Format of a file from its name, or undefined when it is not a data file we read. */
export function formatOf(name: string): FileFormat | undefined {
  const lower = name.toLowerCase();
  let best: [string, FileFormat] | undefined;
  for (const e of EXTENSIONS) if (lower.endsWith(e[0]) && (!best || e[0].length > best[0].length)) best = e;
  return best?.[1];
}

function stem(name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [ext] of [...EXTENSIONS].sort((a, b) => b[0].length - a[0].length)) {
    if (lower.endsWith(ext)) return lower.slice(0, -ext.length);
  }
  return undefined;
}

/**
 * What an entry of the input folder is, following symbolic links, checked with lstat/stat
 * before anything opens it: a folder, a regular file, or `InputError` naming it (a FIFO,
 * socket or device, which a reader would block on or read forever; a dangling link; a
 * symbolic link loop; an entry that cannot be examined).
 */
function entryKind(p: string): 'dir' | 'file' {
  let s: Stats;
  try {
    s = lstatSync(p);
    if (s.isSymbolicLink()) s = statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      let target = '';
      try {
        target = ` to ${readlinkSync(p)}`;
      } catch {
        // not a link: the entry went away while the folder was read
      }
      throw new InputError(`${p} is a dangling symbolic link${target}: its target does not exist`, p);
    }
    if (code === 'ELOOP') throw new InputError(`${p} is a symbolic link loop: following it never reaches a file`, p);
    throw readError(p, e);
  }
  if (s.isDirectory()) return 'dir';
  if (s.isFile()) return 'file';
  throw new InputError(`${p} is ${fileKind(s)}, not a regular file: outcomes reads only regular files`, p);
}

function entries(d: string): string[] {
  try {
    return readdirSync(d).sort();
  } catch (e) {
    throw new InputError(`cannot list the folder ${d}: ${(e as Error).message}`, d);
  }
}

function realDir(p: string): string {
  try {
    return realpathSync(p);
  } catch (e) {
    throw readError(p, e);
  }
}

/** Recursively list data files in a folder, sorted by path (the order "first occurrence" refers to). */
export function listDataFiles(dir: string): InputFile[] {
  const out: InputFile[] = [];
  // Real paths of the folders being walked: a link to one of them would be walked forever.
  const walk = (d: string, ancestors: string[]) => {
    for (const name of entries(d)) {
      if (name.startsWith('.') || name.startsWith('_')) continue;
      const p = join(d, name);
      if (entryKind(p) === 'dir') {
        const real = realDir(p);
        if (ancestors.includes(real)) throw new InputError(`${p} is a symbolic link loop: it leads back to ${real}`, p);
        walk(p, [...ancestors, real]);
      } else {
        const format = formatOf(name);
        if (format) out.push({ path: p, format });
      }
    }
  };
  walk(dir, [realDir(dir)]);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The files holding `table` in `dir`: a file named after the table (any supported
 * format, name case-insensitive) and/or a folder of that name. Empty when absent.
 * Only the entries that can hold the table are examined (`entryKind`).
 */
export function findTableFiles(dir: string, table: string): InputFile[] {
  let top: Stats | undefined;
  try {
    top = statSync(dir);
  } catch {
    top = undefined;
  }
  if (!top?.isDirectory()) {
    throw new InputError(`input folder ${dir} does not exist or is not a folder`, dir);
  }
  const files: InputFile[] = [];
  for (const name of entries(dir)) {
    const asFolder = name.toLowerCase() === table;
    const asFile = stem(name) === table ? formatOf(name) : undefined;
    if (!asFolder && !asFile) continue;
    const p = join(dir, name);
    if (entryKind(p) === 'dir') {
      if (asFolder) files.push(...listDataFiles(p));
    } else if (asFile) {
      files.push({ path: p, format: asFile });
    }
  }
  return files;
}

/** Data files in `dir` that belong to no canonical table (reported, not read). */
export function unusedFiles(dir: string, tables: readonly string[]): string[] {
  const used = new Set(tables.flatMap((t) => findTableFiles(dir, t).map((f) => f.path)));
  return listDataFiles(dir)
    .map((f) => f.path)
    .filter((p) => !used.has(p));
}
