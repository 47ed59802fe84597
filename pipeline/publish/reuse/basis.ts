/**
 * What the reports and the dashboards of a run are made from, besides the run's id and date: the
 * metric rows (and the people behind share cells), the catalog, min_cell, the locale, the cutoff,
 * and the code that makes them (every module the outputs load, the metric SQL headers the
 * dashboards read, the versions of the libraries that draw them). Two runs with the same
 * basis publish the same reports and dashboards but for the run's id and date.
 *
 * The tables are summed up twice: quickly (row counts and a sum of 64-bit row hashes, a few
 * milliseconds), which tells most changes apart, and exactly (SHA-256 over every row as JSON in key
 * order), which decides.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEOPLE_TABLE } from '../../../metrics/people.js';
import type { CatalogEntry } from '../../../metrics/types.js';
import { codeFiles, moduleBeside } from '../../core/code-files.js';
import { duckdbVersion, ident, type Db } from '../../core/db.js';
import { projectRoot } from '../../core/paths.js';
import { filesUnder } from '../../core/sql.js';

export interface BasisSettings {
  catalog: CatalogEntry[];
  minCell: number;
  locale: string;
  cutoff: string;
}

const TABLES = [
  { table: 'metrics', order: 'metric_id, period, hospital_id, department_id' },
  { table: PEOPLE_TABLE, order: 'metric_id, period, hospital_id, department_id' },
];
const LIBRARIES = ['vega', 'vega-lite'];

let codeId: string | undefined;

/** SHA-256 over the code the outputs are made with. */
function code(): string {
  if (codeId === undefined) {
    const root = projectRoot();
    const h = createHash('sha256');
    const entries = [moduleBeside(import.meta.url, '../outputs'), moduleBeside(import.meta.url, '../exports/aside-worker')];
    const files = [...new Set([...entries.flatMap((e) => codeFiles(e)), ...filesUnder(join(root, 'metrics'), ['.sql'])])].sort();
    for (const f of files) h.update(f.slice(root.length)).update('\0').update(readFileSync(f)).update('\0');
    for (const lib of LIBRARIES) h.update(`${lib} ${(JSON.parse(readFileSync(join(root, 'node_modules', lib, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    codeId = h.update(`duckdb ${duckdbVersion()}`).digest('hex');
  }
  return codeId;
}

async function tableSums(db: Db, exact: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const { table, order } of TABLES) {
    if (!(await db.hasTable(table))) {
      out.push(`${table}: none`);
      continue;
    }
    const sql = exact
      ? `SELECT count(*) AS n, sha256(string_agg(CAST(to_json(t) AS VARCHAR), chr(10) ORDER BY ${order})) AS h FROM ${ident(table)} t`
      : `SELECT count(*) AS n, CAST(sum(hash(t)) AS VARCHAR) AS h FROM ${ident(table)} t`;
    const r = await db.one<{ n: number; h: string | null }>(sql);
    out.push(`${table}: ${r?.n} ${r?.h}`);
  }
  return out;
}

const digest = (parts: unknown) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** The basis summed up quickly: different for most changes of it, never different for the same one. */
export async function quickBasis(db: Db, s: BasisSettings): Promise<string> {
  return digest([code(), s.catalog, s.minCell, s.locale, s.cutoff, await tableSums(db, false)]);
}

/** The basis summed up exactly. */
export async function exactBasis(db: Db, s: BasisSettings): Promise<string> {
  return digest([code(), s.catalog, s.minCell, s.locale, s.cutoff, await tableSums(db, true)]);
}
