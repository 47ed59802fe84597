/** Finding and reading the project's SQL files (and the other files the code reads by path). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Db } from './db.js';
import { projectRoot } from './paths.js';

/**
 * Every file under `dir` (recursively, links followed) whose name ends in one of `endings`, as
 * `join(dir, …)`, each folder's entries in name order; a missing folder has none. The one
 * walk of the project's own folders: the metric registry, the shared blocks, the run's
 * fingerprint and the tests' build check all find their files with it.
 */
export function filesUnder(dir: string, endings: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, endings));
    else if (endings.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

/** The SQL files under a project folder (e.g. `metrics/shared`), as paths relative to the project root. */
export function sqlFilesUnder(folder: string): string[] {
  const root = projectRoot();
  return filesUnder(join(root, folder), ['.sql']).map((p) => relative(root, p));
}

const cache = new Map<string, string>();

/** Text of a SQL file, by path relative to the project root. */
export function sqlFile(rel: string): string {
  let s = cache.get(rel);
  if (s === undefined) {
    s = readFileSync(join(projectRoot(), rel), 'utf8');
    cache.set(rel, s);
  }
  return s;
}

/** Split a SQL script into statements (on `;` at line ends; our files keep one statement per block). */
export function statements(sql: string): string[] {
  const noComments = sql
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  return noComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Run every statement of a project SQL file; errors name the file. */
export async function runSqlFile(db: Db, rel: string): Promise<void> {
  for (const stmt of statements(sqlFile(rel))) await db.run(stmt, undefined, rel);
}
