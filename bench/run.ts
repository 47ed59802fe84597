/**
 * `npm run bench`: for 100k and 1M patients (and 5M with `--large`) generate the
 * canonical data (reused between runs), measure the load floor, the full
 * `outcomes run` and the polars peer, each as a child process, and write the
 * tables to `bench/results.md`. At 1M patients the run is repeated on its own database
 * with no new files (the nightly case) and on a fresh one with `memory_limit` 1GB
 * (`--limited`). Not part of `npm test`: nothing here asserts a time.
 *
 * Options: --large, --sizes N,N,..., --seed S, --memory-limit 2GB, --threads N,
 * --limited 1GB|none, --no-rerun, --no-peer, --keep (keep the databases), --results FILE.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../pipeline/paths.js';
import { ensureData } from './data.js';
import { commitInfo, load1, machineInfo } from './machine.js';
import { isMain, runMain } from './main.js';
import { ensurePolars } from './polars-binding.js';
import { checkTargets, mainTable, resultsMarkdown, TARGETS, type BenchResults, type SizeResult } from './report.js';
import { measureFloor, measurePeer, measureRun, type Resources, type StepContext } from './steps.js';

export { metricTimes } from './steps.js';

const DEFAULT_SIZES = [100_000, 1_000_000];
const LARGE_SIZE = 5_000_000;
const YEARS = 3;

interface BenchOptions {
  sizes: number[];
  seed: number;
  resources: Resources;
  /** memory_limit of the extra run at 1M patients; undefined: no extra run. */
  limited: string | undefined;
  /** Run again on the 1M database with no new files (the nightly case). */
  rerun: boolean;
  peer: boolean;
  keep: boolean;
  results: string;
}

function parseOptions(argv: string[], root: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      large: { type: 'boolean' },
      sizes: { type: 'string' },
      seed: { type: 'string' },
      'memory-limit': { type: 'string' },
      threads: { type: 'string' },
      limited: { type: 'string' },
      'no-rerun': { type: 'boolean' },
      'no-peer': { type: 'boolean' },
      keep: { type: 'boolean' },
      results: { type: 'string' },
    },
  });
  const sizes = values.sizes ? values.sizes.split(',').map((x) => Number(x.replace(/_/g, ''))) : [...DEFAULT_SIZES];
  if (values.large && !sizes.includes(LARGE_SIZE)) sizes.push(LARGE_SIZE);
  if (sizes.some((x) => !Number.isSafeInteger(x) || x < 1)) throw new Error(`--sizes: whole numbers expected, got ${values.sizes}`);
  const limited = values.limited ?? '1GB';
  return {
    sizes: sizes.sort((a, b) => a - b),
    seed: values.seed ? Number(values.seed) : 42,
    resources: { memoryLimit: values['memory-limit'], threads: values.threads ? Number(values.threads) : undefined },
    limited: limited === 'none' ? undefined : limited,
    rerun: !values['no-rerun'],
    peer: !values['no-peer'],
    keep: Boolean(values.keep),
    results: values.results ? resolve(values.results) : join(root, 'bench', 'results.md'),
  };
}

async function benchSize(root: string, work: string, o: BenchOptions, patients: number, polarsOk: boolean, log: (s: string) => void): Promise<SizeResult> {
  const data = await ensureData(root, join(root, 'bench', 'data'), { patients, years: YEARS, seed: o.seed, format: 'csv' }, log);
  const inputRows = Object.values(data.rows).reduce((a, b) => a + b, 0);
  log(`  input: ${inputRows.toLocaleString('en-US')} rows (${Object.entries(data.rows).map(([f, k]) => `${f} ${k.toLocaleString('en-US')}`).join(', ')})${data.reused ? ', reused' : ''}`);
  const c: StepContext = { root, work, tag: `p${patients}`, input: data.dir };
  const atTarget = patients === TARGETS.targetPatients;
  const floor = await measureFloor(c, o.resources, log);
  const run = await measureRun(c, o.resources, { label: 'run', keepDb: o.keep || (atTarget && o.rerun) }, log);
  let peer: SizeResult['peer'];
  if (o.peer) peer = polarsOk ? await measurePeer(c, join(run.out, 'metrics.csv'), log) : { error: 'nodejs-polars does not load' };
  // What a night with no new files costs: the loader skips every file it has seen.
  const rerun = atTarget && o.rerun ? (await measureRun(c, o.resources, { label: 'rerun', db: run.db, keepDb: o.keep }, log)).result : undefined;
  const limited =
    atTarget && o.limited && o.limited !== o.resources.memoryLimit
      ? (await measureRun(c, { ...o.resources, memoryLimit: o.limited }, { label: 'limited', keepDb: o.keep }, log)).result
      : undefined;
  return {
    patients,
    inputRows,
    inputBytes: data.bytes,
    floor: { ms: floor.ms, cpuMs: floor.cpuMs, rssMb: floor.peakRssMb },
    run: run.result,
    ...(rerun ? { rerun } : {}),
    ...(limited ? { limited } : {}),
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
  const results = (): BenchResults => ({
    date: new Date().toISOString().slice(0, 10),
    commit,
    machine: machineInfo(),
    polars: polarsOk ? polarsVersion(root) : undefined,
    loadBefore,
    loadAfter: load1(),
    config: {
      memory_limit: o.resources.memoryLimit ?? 'DuckDB default (80% of RAM)',
      threads: o.resources.threads ?? 'DuckDB default (all cores)',
      temp_directory: 'bench/data/work/spill',
    },
    rssSource: process.platform === 'linux' && existsSync('/usr/bin/time') ? '/usr/bin/time -v' : 'polling VmHWM',
    sizes,
  });
  for (const patients of o.sizes) {
    log(`${patients.toLocaleString('en-US')} patients`);
    sizes.push(await benchSize(root, work, o, patients, polarsOk, log));
    // Written after every size, so that a long --large run leaves what it has measured.
    writeFileSync(o.results, resultsMarkdown(results()));
  }
  log('');
  log(mainTable(sizes));
  log('');
  for (const t of checkTargets(sizes)) log(`${t.met === undefined ? '?     ' : t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.measured}`);
  log(`\nwritten to ${o.results}`);
}

if (isMain(import.meta.url)) runMain('bench', main);
