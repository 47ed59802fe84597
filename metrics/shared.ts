/**
 * Shared building blocks of the metric SQL (the intermediate layer between `stays` and the
 * facts): every `metrics/shared/<name>.sql` holds one SELECT that becomes the TEMP table or
 * view `<name>`, which metric files read instead of repeating a rule. Blocks are built in file
 * name order, so a block may read only blocks whose names sort before its own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Db, ident } from '../pipeline/core/db.js';
import { projectRoot } from '../pipeline/core/paths.js';
import { sqlFilesUnder } from '../pipeline/core/sql.js';
import { splitHeader } from './header.js';
import { KEYS_VIEW, hasKeysView, showOwnKeys } from './patient-keys.js';

export const SHARED_DIR = 'metrics/shared';

export interface SharedBlock {
  /** The table or view name, which is also the file name. */
  name: string;
  /** Path relative to the project root, e.g. `metrics/shared/index_stays.sql`. */
  file: string;
  /** `table`: computed once per run (an expensive block several metrics read); `view`: inlined where read. */
  materialize: 'table' | 'view';
  /** One SELECT statement. */
  sql: string;
}

/** Relative paths of every shared block file, in name (= build) order. */
export function sharedFiles(): string[] {
  return sqlFilesUnder(SHARED_DIR);
}

/**
 * Parse a shared block file: a header (read like a metric's, `splitHeader`) of
 * `-- shared: <name>` (the file name) and `-- materialize: table|view`, then one SELECT.
 * Throws an Error naming `file`.
 */
export function parseSharedFile(source: string, file: string): SharedBlock {
  const { raw, body: sql } = splitHeader(source, file);
  const name = file.split('/').pop()!.replace(/\.sql$/, '');
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`${file}: a block name is lower-case letters, digits and _`);
  const unknown = Object.keys(raw).filter((k) => k !== 'shared' && k !== 'materialize');
  if (unknown.length) throw new Error(`${file}: unknown header key ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (raw['shared'] !== name) throw new Error(`${file}: the header must say "-- shared: ${name}" (the file name)`);
  const materialize = raw['materialize'];
  if (materialize !== 'table' && materialize !== 'view')
    throw new Error(`${file}: the header must say "-- materialize: table" or "-- materialize: view"`);
  if (!/^(WITH|SELECT)\b/i.test(sql.replace(/^(--.*\n\s*)+/, ''))) throw new Error(`${file}: expected one SELECT after the header`);
  return { name, file, materialize, sql };
}

/** Every shared block, in build order. */
export function loadSharedBlocks(): SharedBlock[] {
  return sharedFiles().map((f) => parseSharedFile(readFileSync(join(projectRoot(), f), 'utf8'), f));
}

/** The statement that (re)creates a block. TEMP: blocks belong to the run, not to the database file. */
export function sharedBlockDdl(block: SharedBlock): string {
  return `CREATE OR REPLACE TEMP ${block.materialize === 'table' ? 'TABLE' : 'VIEW'} ${ident(block.name)} AS\n${block.sql}`;
}

/** A block to build, and the files (metrics) that read it, directly or through other blocks. */
export interface NeededBlock {
  block: SharedBlock;
  readBy: string[];
}

/** Whether `sql` reads `name` (a block or view): the name appears in it as a word, comments included. */
function mentions(sql: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(sql);
}

/**
 * The blocks that the given metric files read, directly or through other blocks, in build
 * order. A block is read when its name appears as a word in the SQL (`mentions`): a mention in a
 * comment only costs an unneeded build.
 */
export function blocksNeeded(blocks: SharedBlock[], readers: { file: string; sql: string }[]): NeededBlock[] {
  const readBy = new Map<string, string[]>();
  for (const r of readers) {
    const seen = new Set<string>();
    let frontier = [r.sql];
    while (frontier.length) {
      const next: string[] = [];
      for (const b of blocks) {
        if (!seen.has(b.name) && frontier.some((sql) => mentions(sql, b.name))) {
          seen.add(b.name);
          next.push(b.sql);
        }
      }
      frontier = next;
    }
    for (const name of seen) readBy.set(name, [...(readBy.get(name) ?? []), r.file]);
  }
  return blocks.filter((b) => readBy.has(b.name)).map((block) => ({ block, readBy: readBy.get(block.name)! }));
}

/**
 * Build shared blocks (default: all of them) in order. Needs the state after `writeParams` and
 * `buildStays`; rebuilt on every call because stays and params may have changed since. A
 * query error names the block's file and the metric files that read it. A block that reads
 * `patient_keys` outside a run of the metrics (which shows its own) gets a numbering of the patients.
 */
export async function buildSharedBlocks(
  db: Db,
  needed: NeededBlock[] = loadSharedBlocks().map((block) => ({ block, readBy: [] })),
  log: (msg: string) => void = () => undefined,
): Promise<void> {
  if (needed.some(({ block }) => mentions(block.sql, KEYS_VIEW)) && !(await hasKeysView(db))) await showOwnKeys(db);
  for (const { block: b, readBy } of needed) {
    const t0 = Date.now();
    const source = readBy.length ? `${b.file}, read by ${readBy.join(', ')}` : b.file;
    await db.run(sharedBlockDdl(b), undefined, source);
    if (b.materialize === 'table') {
      const n = Number(await db.scalar(`SELECT count(*) FROM ${ident(b.name)}`));
      log(`shared ${b.name}: ${n} rows in ${Date.now() - t0} ms`);
    } else {
      log(`shared ${b.name}: view`);
    }
  }
}

/** Drop built blocks (in reverse order, views before what they read) to free the run's memory. */
export async function dropSharedBlocks(db: Db, needed: NeededBlock[]): Promise<void> {
  for (const { block: b } of [...needed].reverse()) {
    await db.run(`DROP ${b.materialize === 'table' ? 'TABLE' : 'VIEW'} IF EXISTS temp.${ident(b.name)}`, undefined, b.file);
  }
}
