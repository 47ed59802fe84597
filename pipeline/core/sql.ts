/** Reading the project's SQL files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Db } from './db.js';
import { projectRoot } from './paths.js';

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
