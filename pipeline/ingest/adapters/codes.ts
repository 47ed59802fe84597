/**
 * Code lists of the adapters, one JSON data file per adapter
 * (`pipeline/ingest/adapters/<format>.codes.json`, documented in `docs/adapters.md`).
 * Each top-level key names a list mapping a source code to a canonical value;
 * keys starting with `$` are notes for readers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Db } from '../../core/db.js';
import { projectRoot } from '../../core/paths.js';

export type AdapterFormat = 'fhir' | 'omop' | 'synthea';
export type CodeLists = Record<string, Record<string, string>>;

/** The lists each adapter's SQL reads; a file without one of them is a defect. */
export const REQUIRED_LISTS: Record<AdapterFormat, readonly string[]> = {
  fhir: ['class', 'priority', 'discharge_disposition', 'gender'],
  omop: ['visit_concept', 'acute_visit_concept', 'emergency_admitted_from', 'emergency_source_pattern', 'discharged_to', 'gender'],
  synthea: ['encounter_class', 'gender'],
};

const FileSchema = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.record(z.string(), z.string())]));

/** Path of an adapter's code file. */
export function codesPath(format: AdapterFormat): string {
  return join(projectRoot(), 'pipeline', 'ingest', 'adapters', `${format}.codes.json`);
}

/** Read and check an adapter's code lists. */
export function loadCodes(format: AdapterFormat): CodeLists {
  const path = codesPath(format);
  const parsed = FileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const lists: CodeLists = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key.startsWith('$')) continue;
    if (typeof value === 'string' || Array.isArray(value)) throw new Error(`${path}: list "${key}" must map codes to values`);
    lists[key] = value;
  }
  for (const name of REQUIRED_LISTS[format]) {
    if (!lists[name] || Object.keys(lists[name]).length === 0) throw new Error(`${path}: list "${name}" is missing or empty`);
  }
  return lists;
}

/**
 * Write the lists as `adp_codes(list, code, value)` and one map per list as
 * `adp_code_maps(list, m)`, which the mapping SQL looks codes up in.
 */
export async function writeCodeTables(db: Db, lists: CodeLists): Promise<void> {
  await db.run('CREATE OR REPLACE TEMP TABLE adp_codes (list VARCHAR NOT NULL, code VARCHAR NOT NULL, value VARCHAR NOT NULL)');
  const cols: string[][] = [[], [], []];
  for (const [list, entries] of Object.entries(lists)) {
    for (const [code, value] of Object.entries(entries)) {
      cols[0]!.push(list);
      cols[1]!.push(code);
      cols[2]!.push(value);
    }
  }
  await db.appendTextColumns('adp_codes', cols);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE adp_code_maps AS
     SELECT list, map_from_entries(list({'k': code, 'v': value})) AS m FROM adp_codes GROUP BY list`,
  );
}
