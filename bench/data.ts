/**
 * The benchmark's input: canonical data made by `outcomes generate`, kept under
 * `bench/data/` (git-ignored) and reused while size, profile, seed, format and the
 * generator's own source are unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateProfile } from '../fixtures/generate.js';
import { Db, literal } from '../pipeline/core/db.js';
import { measure } from './measure.js';

export interface DataSpec {
  patients: number;
  /** The generator's `--profile` (docs/generator.md). */
  profile: GenerateProfile;
  years: number;
  seed: number;
  format: 'csv' | 'parquet';
}

export interface DataSet {
  dir: string;
  /** Rows per input file name (patients.csv, ...), counted by the generator. */
  rows: Record<string, number>;
  /** Bytes of the input files. */
  bytes: number;
  /** Generation time in this call; 0 when reused. */
  generatedMs: number;
  reused: boolean;
}

const MARKER = '.bench-complete.json';

/** A hash of the generator's source, so that data made by an older generator is not reused. */
export function generatorFingerprint(root: string): string {
  const h = createHash('sha256');
  const files = [join(root, 'fixtures', 'generate.ts')];
  const sqlDir = join(root, 'fixtures', 'generate');
  if (existsSync(sqlDir)) for (const f of readdirSync(sqlDir).sort()) files.push(join(sqlDir, f));
  for (const f of files) if (existsSync(f)) h.update(f.slice(root.length)).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Folder name of a data set: `p1000000-region-y3-s42-csv`. */
export function dataDirName(s: DataSpec): string {
  return `p${s.patients}-${s.profile}-y${s.years}-s${s.seed}-${s.format}`;
}

/**
 * The data set for `spec` under `dataRoot`, generated (through the CLI, in a child
 * process) unless a complete one from the same generator is already there.
 */
export async function ensureData(root: string, dataRoot: string, spec: DataSpec, log: (s: string) => void): Promise<DataSet> {
  const dir = join(dataRoot, dataDirName(spec));
  const fingerprint = generatorFingerprint(root);
  const markerPath = join(dir, MARKER);
  if (existsSync(markerPath)) {
    const m = JSON.parse(readFileSync(markerPath, 'utf8')) as { fingerprint: string; rows: Record<string, number>; bytes: number };
    if (m.fingerprint === fingerprint) return { dir, rows: m.rows, bytes: m.bytes, generatedMs: 0, reused: true };
    log(`  generator changed since ${dir} was made: generating again`);
  }
  // The generator makes the folder itself (and may refuse one it did not make).
  rmSync(dir, { recursive: true, force: true });
  log(`  generating ${spec.patients.toLocaleString('en-US')} patients (${spec.profile} profile, ${spec.years} years, seed ${spec.seed}, ${spec.format}) into ${dir}`);
  const args = ['generate', '--out', dir, '--patients', String(spec.patients), '--profile', spec.profile, '--years', String(spec.years), '--seed', String(spec.seed)];
  if (spec.format !== 'csv') args.push('--format', spec.format);
  const logDir = join(dataRoot, 'logs');
  mkdirSync(logDir, { recursive: true });
  const r = await measure(process.execPath, [join(root, 'dist', 'pipeline', 'cli.js'), ...args], {
    stdoutFile: join(logDir, `generate-${dataDirName(spec)}.out`),
    stderrFile: join(logDir, `generate-${dataDirName(spec)}.err`),
    cwd: root,
  });
  if (r.exitCode !== 0) throw new Error(`outcomes generate failed (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`);
  const rows = await countRows(dir);
  const bytes = readdirSync(dir).filter((f) => !f.startsWith('.')).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
  writeFileSync(markerPath, JSON.stringify({ ...spec, fingerprint, rows, bytes, generated_ms: Math.round(r.ms) }, null, 2) + '\n');
  return { dir, rows, bytes, generatedMs: r.ms, reused: false };
}

/** Rows of every data file in `dir`, counted by DuckDB. */
async function countRows(dir: string): Promise<Record<string, number>> {
  const db = await Db.open(':memory:');
  try {
    const out: Record<string, number> = {};
    for (const f of readdirSync(dir).filter((n) => !n.startsWith('.')).sort()) {
      const p = join(dir, f);
      const reader = f.endsWith('.parquet') ? `read_parquet(${literal(p)})` : `read_csv(${literal(p)}, header = true, all_varchar = true)`;
      out[f] = Number(await db.scalar(`SELECT count(*) FROM ${reader}`));
    }
    return out;
  } finally {
    db.close();
  }
}
