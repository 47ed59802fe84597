/**
 * `npm run bench`: for 100k and 1M patients of the generator's region profile (and 3M with
 * `--large`) generate the data (reused between runs), measure the load floor, the first
 * `outcomes run` on a fresh database and the polars peer, each as a child process. At 1M
 * (the target size) the run's database then gets a quiet night (no new files) and a typical
 * night (one new file with one day of treatments, bench/night.ts). Every target of
 * docs/benchmarks.md is reported with the command that measured it, in `bench/results.md`.
 * Not part of `npm test`: nothing here asserts a time.
 *
 * Options: --large, --sizes N,N,..., --target-size N, --profile region|light, --seed S,
 * --memory-limit 2GB, --threads N, --limited 1GB, --no-nights, --no-peer, --keep, --results FILE.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GENERATE_PROFILES, type GenerateProfile } from '../fixtures/generate.js';
import { projectRoot } from '../pipeline/core/paths.js';
import { ensureData } from './data.js';
import { commitInfo, load1, machineInfo } from './machine.js';
import { isMain, runMain } from './main.js';
import { prepareRunInput, writeNightFile } from './night.js';
import { ensurePolars } from './polars-binding.js';
import { checkTargets, mainTable, resultsMarkdown, targetLines, TARGETS, type BenchResults, type RunResult, type SizeResult, type TargetPlan } from './report.js';
import { measureFloor, measurePeer, measureRun, removeDb, type Resources, type StepContext } from './steps.js';
import { DEFAULT_MEMORY_LIMIT } from '../pipeline/core/config.js';

export { metricTimes } from './steps.js';

const YEARS = 3;

export interface BenchOptions {
  sizes: number[];
  /** The size the targets refer to; its runs get the nights. */
  targetSize: number;
  profile: GenerateProfile;
  seed: number;
  resources: Resources;
  /** memory_limit of an extra first run at the target size; undefined: no extra run. */
  limited: string | undefined;
  /** A quiet and a typical night on the target size's database. */
  nights: boolean;
  peer: boolean;
  keep: boolean;
  results: string;
  /** The command line, for the report. */
  command: string;
  largeCommand: string;
}

const count = (name: string, v: string) => {
  const x = Number(v.replace(/_/g, ''));
  if (!Number.isSafeInteger(x) || x < 1) throw new Error(`--${name}: a whole number of patients expected, got ${v}`);
  return x;
};

export function parseOptions(argv: string[], root: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      large: { type: 'boolean' },
      sizes: { type: 'string' },
      'target-size': { type: 'string' },
      profile: { type: 'string' },
      seed: { type: 'string' },
      'memory-limit': { type: 'string' },
      threads: { type: 'string' },
      limited: { type: 'string' },
      'no-nights': { type: 'boolean' },
      'no-peer': { type: 'boolean' },
      keep: { type: 'boolean' },
      results: { type: 'string' },
    },
  });
  const targetSize = values['target-size'] ? count('target-size', values['target-size']) : TARGETS.targetPatients;
  const sizes = values.sizes ? values.sizes.split(',').map((x) => count('sizes', x)) : [targetSize / 10, targetSize].filter((x) => Number.isSafeInteger(x) && x >= 1);
  const large = TARGETS.largeFactor * targetSize;
  if (values.large && !sizes.includes(large)) sizes.push(large);
  const profile = (values.profile ?? 'region') as GenerateProfile;
  if (!GENERATE_PROFILES.includes(profile)) throw new Error(`--profile: ${GENERATE_PROFILES.join(' or ')} expected, got ${values.profile}`);
  const limited = values.limited === undefined || values.limited === 'none' ? undefined : values.limited;
  // bench/results.md holds the numbers of the sizes the targets are set for; anything else goes beside the data.
  const official = targetSize === TARGETS.targetPatients && profile === 'region' && sizes.includes(targetSize);
  const command = ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  return {
    sizes: sizes.sort((a, b) => a - b),
    targetSize,
    profile,
    seed: values.seed ? Number(values.seed) : 42,
    resources: { memoryLimit: values['memory-limit'], threads: values.threads ? Number(values.threads) : undefined },
    limited,
    nights: !values['no-nights'],
    peer: !values['no-peer'],
    keep: Boolean(values.keep),
    results: values.results ? resolve(values.results) : official ? join(root, 'bench', 'results.md') : join(root, 'bench', 'data', 'results.md'),
    command,
    largeCommand: values.large ? command : ['npm run bench --', ...argv, '--large'].join(' '),
  };
}

/** How many times the typical night is measured (the median is reported). */
const NIGHT_TRIES = 3;

/** Copy a run's database (and its write-ahead log) and outputs folder over another's. */
function copyRun(from: { db: string; out: string }, to: { db: string; out: string }): void {
  removeDb(to.db);
  cpSync(from.db, to.db);
  if (existsSync(from.db + '.wal')) cpSync(from.db + '.wal', to.db + '.wal');
  rmSync(to.out, { recursive: true, force: true });
  cpSync(from.out, to.out, { recursive: true });
}

async function benchSize(root: string, work: string, o: BenchOptions, patients: number, polarsOk: boolean, log: (s: string) => void): Promise<SizeResult> {
  const data = await ensureData(root, join(root, 'bench', 'data'), { patients, profile: o.profile, years: YEARS, seed: o.seed, format: 'csv' }, log);
  const inputRows = Object.values(data.rows).reduce((a, b) => a + b, 0);
  log(`  input: ${inputRows.toLocaleString('en-US')} rows (${Object.entries(data.rows).map(([f, k]) => `${f} ${k.toLocaleString('en-US')}`).join(', ')}), ${(data.bytes / 2 ** 20).toFixed(0)} MB${data.reused ? ', reused' : ''}`);
  const tag = `p${patients}`;
  const runInput = join(work, `${tag}-input`);
  prepareRunInput(data.dir, runInput);
  const c: StepContext = { root, work, tag, input: data.dir, runInput };
  const nights = patients === o.targetSize && o.nights;
  const floor = await measureFloor(c, o.resources, log);
  const run = await measureRun(c, o.resources, { label: 'run', keepDb: o.keep || nights }, log);
  let peer: SizeResult['peer'];
  if (o.peer) peer = polarsOk ? await measurePeer(c, join(run.out, 'metrics.csv'), log) : { error: 'nodejs-polars does not load' };
  const limited =
    patients === o.targetSize && o.limited && o.limited !== o.resources.memoryLimit
      ? (await measureRun(c, { ...o.resources, memoryLimit: o.limited }, { label: 'limited', keepDb: o.keep }, log)).result
      : undefined;
  let quiet: SizeResult['quiet'];
  let night: SizeResult['night'];
  if (nights) {
    quiet = (await measureRun(c, o.resources, { label: 'quiet', db: run.db, out: run.out, keepDb: true, title: 'quiet night, no new files' }, log)).result;
    const f = await writeNightFile(data.dir, runInput);
    log(`  new file ${f.path}: ${f.rows.toLocaleString('en-US')} treatments of ${f.day}`);
    // A night is a few seconds, which the machine's moods move by a fifth: it is run NIGHT_TRIES times,
    // each from the database and outputs as the quiet night left them, and the median try reported.
    const base = { db: `${run.db}.before-night`, out: `${run.out}.before-night` };
    copyRun({ db: run.db, out: run.out }, base);
    const tries: RunResult[] = [];
    try {
      for (let i = 0; i < NIGHT_TRIES; i++) {
        if (i > 0) copyRun(base, { db: run.db, out: run.out });
        const title = `typical night, one new file (${i + 1} of ${NIGHT_TRIES})`;
        tries.push((await measureRun(c, o.resources, { label: 'night', db: run.db, out: run.out, keepDb: true, title }, log)).result);
      }
    } finally {
      removeDb(base.db);
      rmSync(base.out, { recursive: true, force: true });
      if (!o.keep) removeDb(run.db);
    }
    const median = [...tries].sort((a, b) => a.ms - b.ms)[Math.floor(tries.length / 2)]!;
    night = { ...median, day: f.day, newRows: f.rows, newBytes: f.bytes, tries: tries.map((t) => t.ms) };
  }
  return {
    patients,
    inputRows,
    inputBytes: data.bytes,
    floor: { ms: floor.ms, cpuMs: floor.cpuMs, rssMb: floor.peakRssMb },
    run: run.result,
    ...(limited ? { limited } : {}),
    ...(quiet ? { quiet } : {}),
    ...(night ? { night } : {}),
    peer,
  };
}

function polarsVersion(root: string): string | undefined {
  try {
    const require = createRequire(join(root, 'package.json'));
    return (JSON.parse(readFileSync(require.resolve('nodejs-polars/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const root = projectRoot();
  const o = parseOptions(process.argv.slice(2), root);
  const log = (line: string) => process.stdout.write(line + '\n');
  if (!existsSync(join(root, 'dist', 'pipeline', 'cli.js'))) throw new Error('dist/ is missing: build first (npx tsc -p .)');
  const work = join(root, 'bench', 'data', 'work');
  mkdirSync(work, { recursive: true });
  const loadBefore = load1();
  // Read before results.md is written, which would make the tree look changed.
  const commit = commitInfo(root);
  let polarsOk = false;
  if (o.peer) {
    const why = ensurePolars(root, log);
    if (why) log(`  the polars peer will not run: ${why}`);
    polarsOk = !why;
  }
  const sizes: SizeResult[] = [];
  const plan: TargetPlan = { targetSize: o.targetSize, profile: o.profile, command: o.command, largeCommand: o.largeCommand, memoryLimit: o.resources.memoryLimit };
  const results = (): BenchResults => ({
    date: new Date().toISOString().slice(0, 10),
    commit,
    machine: machineInfo(),
    polars: polarsOk ? polarsVersion(root) : undefined,
    loadBefore,
    loadAfter: load1(),
    config: {
      memory_limit: o.resources.memoryLimit ?? `outcomes' default (${DEFAULT_MEMORY_LIMIT})`,
      threads: o.resources.threads ?? 'DuckDB default (all cores)',
      temp_directory: 'bench/data/work/spill',
    },
    rssSource: process.platform === 'linux' && existsSync('/usr/bin/time') ? '/usr/bin/time -v' : 'polling VmHWM',
    profile: o.profile,
    plan,
    sizes,
  });
  for (const patients of o.sizes) {
    log(`${patients.toLocaleString('en-US')} patients, ${o.profile} profile`);
    sizes.push(await benchSize(root, work, o, patients, polarsOk, log));
    // Written after every size, so that a long --large run leaves what it has measured.
    writeFileSync(o.results, resultsMarkdown(results()));
  }
  log('');
  log(mainTable(sizes));
  log('');
  for (const line of targetLines(checkTargets(sizes, plan))) log(line);
  log(`\nwritten to ${o.results}`);
}

if (isMain(import.meta.url)) runMain('bench', main);
