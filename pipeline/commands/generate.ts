/** `outcomes generate`: write the seeded synthetic canonical data set (fixtures/generate.ts). */
import { basename, join, resolve } from 'node:path';
import { GENERATE_LIMITS, GENERATE_PROFILES, generate, type GenerateFormat, type GenerateProfile } from '../../fixtures/generate.js';
import { UsageError } from '../core/errors.js';
import { claimOutput } from '../core/claim.js';
import { writeMarker } from '../core/marker.js';
import { newRunId } from '../core/run-id.js';
import type { Command, OptionValue } from './types.js';

/** A whole number from min to max given as the text of `--name`; absent → fallback. */
function intOption(opts: Record<string, OptionValue>, name: string, fallback: number, min: number, max: number): number {
  const raw = opts[name];
  if (raw === undefined) return fallback;
  const text = typeof raw === 'string' ? raw.trim() : '';
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return n;
}

export const command: Command = {
  name: 'generate',
  summary: 'write a seeded synthetic canonical data set (patients, admissions, treatments)',
  options: {
    out: { type: 'string', arg: 'DIR', help: 'folder to write patients, admissions and treatments into: new, empty, or one outcomes wrote' },
    patients: { type: 'string', arg: 'N', help: 'number of patients (default 10000)' },
    years: { type: 'string', arg: 'Y', help: 'calendar years of data (default 3)' },
    'start-year': { type: 'string', arg: 'YYYY', help: 'first calendar year (default 2022)' },
    seed: { type: 'string', arg: 'S', help: 'random seed; the same seed gives byte-identical files (default 1)' },
    format: { type: 'string', arg: 'csv|parquet', help: 'file format (default csv)' },
    dirty: { type: 'boolean', help: 'add a few bad rows of each kind, for demos of the rejects file' },
    profile: { type: 'string', arg: 'light|region', help: 'contacts per patient: light (2.5 treatments in 3 years) or region (8.5) (default light)' },
  },
  required: ['out'],
  async run(opts, print) {
    const out = opts.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('--out is required');
    const patients = intOption(opts, 'patients', 10_000, 1, GENERATE_LIMITS.patients);
    const years = intOption(opts, 'years', 3, 1, GENERATE_LIMITS.years);
    const startYear = intOption(opts, 'start-year', 2022, GENERATE_LIMITS.minYear, GENERATE_LIMITS.maxYear);
    const seed = intOption(opts, 'seed', 1, 0, Number.MAX_SAFE_INTEGER);
    const format = (opts.format ?? 'csv') as string;
    if (format !== 'csv' && format !== 'parquet') throw new UsageError(`--format must be csv or parquet, got "${format}"`);
    const dirty = opts.dirty === true;
    const profile = (opts.profile ?? 'light') as string;
    if (!GENERATE_PROFILES.includes(profile as GenerateProfile)) throw new UsageError(`--profile must be ${GENERATE_PROFILES.join(' or ')}, got "${profile}"`);
    const lock = claimOutput(out, 'generate');
    let result: Awaited<ReturnType<typeof generate>>;
    try {
      writeMarker(resolve(out), newRunId(), 'generate');
      result = await generate({ outDir: resolve(out), patients, years, seed, startYear, format: format as GenerateFormat, dirty, profile: profile as GenerateProfile });
    } finally {
      lock.release();
    }
    const tables = ['patients', 'admissions', 'treatments'] as const;
    result.files.forEach((file, i) => {
      const table = tables[i]!;
      const bad = Object.values(result.bad[table]).reduce((a, b) => a + b, 0);
      print(`${join(out, basename(file))}: ${result.rows[table]} rows${dirty ? ` (${bad} bad)` : ''}`);
    });
  },
};
