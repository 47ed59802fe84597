/**
 * Hostile input for the read and value tests: temporary folders (removed by `cleanUp`),
 * hand-written tables, a loader run in memory and the built command line.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Db } from '../../pipeline/core/db.js';
import { loadNative } from '../../pipeline/ingest/load/native.js';
import { validate, type ValidateOptions } from '../../pipeline/ingest/load/validate.js';

export const ADM = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
export const TRT = 'treatment_id,patient_id,hospital_id,department_id,start_ts,end_ts,setting,mode';

/** `n` good admission rows, `a0..`, one per day of January 2024. */
export function admissionRows(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const d = String(1 + (i % 28)).padStart(2, '0');
    return `a${i},p${i},H1,MED,2024-01-${d} 08:00,2024-01-${d} 18:00,acute,home`;
  });
}

export function treatmentRows(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `t${i},p${i},H1,CARD,2024-02-${String(1 + (i % 28)).padStart(2, '0')} 09:00,,ambulatory,in_person`);
}

export function csv(header: string, rows: string[]): string {
  return [header, ...rows].join('\n') + '\n';
}

const made: string[] = [];

/** A fresh temporary folder, removed by `cleanUp`. */
export function tempDir(prefix = 'outcomes-rel-input-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Remove every folder `tempDir` made (call in afterAll). */
export function cleanUp(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A folder holding the given files ({ 'admissions.csv': text }). Without `treatments`, 20 good treatment rows are added. */
export function inputDir(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir();
  const all = Object.keys(files).some((k) => k.startsWith('treatments')) ? files : { ...files, 'treatments.csv': csv(TRT, treatmentRows(20)) };
  for (const [name, content] of Object.entries(all)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export interface Reject {
  table_name: string;
  line: number;
  rule: string;
  column_name: string | null;
  raw_value: string;
  kind: string;
}

/** Load and validate `dir` into a new in-memory database; the caller closes `db`. */
export async function loadAndValidate(dir: string, opts: ValidateOptions = {}) {
  const db = await Db.open(':memory:', { timezone: 'UTC' });
  try {
    await loadNative(db, dir, 'run', undefined, opts);
    const tables = await validate(db, undefined, opts);
    const rejects = await db.all<Reject>(
      `SELECT table_name, line, rule, column_name, raw_value, kind FROM rejects ORDER BY table_name, line, rule`,
    );
    return { db, tables, rejects };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The error `loadNative` throws for `dir` (fails the test when it throws none). */
export async function loadError(dir: string): Promise<Error & { exitCode?: number; file?: string; column?: string }> {
  const db = await Db.open(':memory:', { timezone: 'UTC' });
  try {
    await loadNative(db, dir);
  } catch (e) {
    return e as Error;
  } finally {
    db.close();
  }
  throw new Error(`loading ${dir} succeeded, an error was expected`);
}

const CLI = join(process.cwd(), 'dist/pipeline/cli.js');

/** Run the built `outcomes run` on `input` with a fresh --out and --db; returns exit code and stderr. */
export function runCli(input: string, extra: string[] = [], spawn: SpawnSyncOptions = {}) {
  const work = spawn.cwd ? String(spawn.cwd) : tempDir();
  const r = spawnSync(
    process.execPath,
    [CLI, 'run', '--input', input, '--out', join(work, 'out'), '--db', join(work, 'run.duckdb'), '--log-format', 'text', ...extra],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 300_000, ...spawn },
  );
  return { code: r.status, stderr: String(r.stderr), work };
}
