/**
 * Finding the files of each canonical table in an input folder (contract §2):
 * `admissions.csv`, `admissions.csv.gz`, `admissions/part-*.parquet`, and so on.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

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

/** Recursively list data files in a folder, sorted by path (the order "first occurrence" refers to). */
export function listDataFiles(dir: string): InputFile[] {
  const out: InputFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name.startsWith('_')) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const format = formatOf(name);
        if (format) out.push({ path: p, format });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The files holding `table` in `dir`: a file named after the table (any supported
 * format, name case-insensitive) and/or a folder of that name. Empty when absent.
 */
export function findTableFiles(dir: string, table: string): InputFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`input folder ${dir} does not exist or is not a folder`, dir);
  }
  const files: InputFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name.toLowerCase() === table) files.push(...listDataFiles(p));
    } else if (stem(name) === table) {
      const format = formatOf(name);
      if (format) files.push({ path: p, format });
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
