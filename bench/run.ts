/**
 * `npm run bench`: for 100k and 1M patients (and 5M with `--large`) generate the
 * canonical data (reused between runs), measure the load floor, the full
 * `outcomes run` and the polars peer, each as a child process, and write the
 * table to `bench/results.md`. Not part of `npm test`: nothing here asserts a time.
 *
 * Options: --large, --sizes N,N,..., --seed S, --memory-limit 2GB, --threads N,
 * --no-peer, --keep (keep the run databases), --results FILE.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../pipeline/paths.js';
import { comparePeer } from './compare.js';
import { ensureData } from './data.js';
import { commitInfo, load1, machineInfo } from './machine.js';
import { isMain, runMain } from './main.js';
import { measure, type Measured } from './measure.js';
import { ensurePolars } from './polars-binding.js';
import { checkTargets, mainTable, resultsMarkdown, type BenchResults, type PeerResult, type SizeResult, type Stage } from './report.js';

const DEFAULT_SIZES = [100_000, 1_000_000];
const LARGE_SIZE = 5_000_000;
const YEARS = 3;

interface BenchOptions {
  sizes: number[];
  seed: number;
  memoryLimit: string | undefined;
  threads: number | undefined;
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
      'no-peer': { type: 'boolean' },
      keep: { type: 'boolean' },
      results: { type: 'string' },
    },
  });
  const sizes = values.sizes ? values.sizes.split(',').map((x) => Number(x.replace(/_/g, ''))) : [...DEFAULT_SIZES];
  if (values.large && !sizes.includes(LARGE_SIZE)) sizes.push(LARGE_SIZE);
  if (sizes.some((x) => !Number.isSafeInteger(x) || x < 1)) throw new Error(`--sizes: whole numbers expected, got ${values.sizes}`);
  return {
    sizes: sizes.sort((a, b) => a - b),
    seed: values.seed ? Number(values.seed) : 42,
    memoryLimit: values['memory-limit'],
    threads: values.threads ? Number(values.threads) : undefined,
    peer: !values['no-peer'],
    keep: Boolean(values.keep),
    results: values.results ? resolve(values.results) : join(root, 'bench', 'results.md'),
  };
}

/**
 * Per-metric times from the run's JSON debug log: the time between a `metric <id>: ...`
 * event and the event before it (the metric's facts, grains and exclusions), so that
 * the measure does not depend on the wording after the id.
 */
export function metricTimes(jsonLog: string): Record<string, number> {
  const out: Record<string, number> = {};
  let prev: number | undefined;
  for (const line of jsonLog.split('\n')) {
    if (!line.startsWith('{')) continue;
    let e: { time?: string; msg?: string };
    try {
      e = JSON.parse(line) as { time?: string; msg?: string };
    } catch {
      continue;
    }
    const t = e.time ? Date.parse(e.time) : NaN;
    const m = /^metric (\S+): (?!.*is absent)/.exec(e.msg ?? '');
    if (m && prev !== undefined && !Number.isNaN(t)) out[m[1]!] = t - prev;
    if (!Number.isNaN(t)) prev = t;
  }
  return out;
}

function check(what: string, r: Measured): void {
  if (r.exitCode !== 0) throw new Error(`${what} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
}

async function benchSize(root: string, work: string, o: BenchOptions, patients: number, polarsOk: boolean, log: (s: string) => void): Promise<SizeResult> {
  const data = await ensureData(root, join(root, 'bench', 'data'), { patients, years: YEARS, seed: o.seed, format: 'csv' }, log);
  const inputRows = Object.values(data.rows).reduce((a, b) => a + b, 0);
  log(`  input: ${inputRows.toLocaleString('en-US')} rows (${Object.entries(data.rows).map(([f, k]) => `${f} ${k.toLocaleString('en-US')}`).join(', ')})${data.reused ? ', reused' : ''}`);
  const tag = `p${patients}`;
  const files = (name: string) => ({ stdoutFile: join(work, `${tag}-${name}.out`), stderrFile: join(work, `${tag}-${name}.err`), cwd: root });
  const spill = join(work, 'spill');
  mkdirSync(spill, { recursive: true });

  const floorDb = join(work, `${tag}-floor.duckdb`);
  const floorArgs = [join(root, 'dist', 'bench', 'floor.js'), '--input', data.dir, '--db', floorDb, '--temp-directory', spill];
  if (o.memoryLimit) floorArgs.push('--memory-limit', o.memoryLimit);
  if (o.threads) floorArgs.push('--threads', String(o.threads));
  const floor = await measure(process.execPath, floorArgs, files('floor'));
  check('load floor', floor);
  rmSync(floorDb, { force: true });
  rmSync(floorDb + '.wal', { force: true });
  log(`  load floor: ${(floor.ms / 1000).toFixed(1)} s, ${Math.round(floor.peakRssMb ?? 0)} MB`);

  const config = { temp_directory: spill, ...(o.memoryLimit ? { memory_limit: o.memoryLimit } : {}), ...(o.threads ? { threads: o.threads } : {}) };
  const configFile = join(work, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  const out = join(work, `${tag}-out`);
  const db = join(work, `${tag}-run.duckdb`);
  for (const f of [db, db + '.wal']) rmSync(f, { force: true });
  rmSync(out, { recursive: true, force: true });
  const runArgs = [join(root, 'dist', 'pipeline', 'cli.js'), 'run', '--input', data.dir, '--out', out, '--db', db, '--config', configFile, '--verbose', '--log-format', 'json'];
  const run = await measure(process.execPath, runArgs, files('run'));
  check('outcomes run', run);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { stages: Stage[] };
  if (!o.keep) for (const f of [db, db + '.wal']) rmSync(f, { force: true });
  log(`  full run: ${(run.ms / 1000).toFixed(1)} s, ${Math.round(run.peakRssMb ?? 0)} MB (${manifest.stages.map((x) => `${x.stage} ${(x.ms / 1000).toFixed(1)}`).join(', ')})`);

  let peer: SizeResult['peer'];
  if (o.peer && polarsOk) {
    const peerCsv = join(work, `${tag}-peer.csv`);
    const r = await measure(process.execPath, [join(root, 'dist', 'bench', 'peer', 'polars.js'), '--input', data.dir, '--out', peerCsv], files('peer'));
    if (r.exitCode !== 0) {
      peer = { error: `exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0]}` };
    } else {
      const stagesMs = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
      const comparison = await comparePeer(join(out, 'metrics.csv'), peerCsv);
      peer = { ms: r.ms, rssMb: r.peakRssMb, stagesMs, comparison } satisfies PeerResult;
      log(`  polars peer: ${(r.ms / 1000).toFixed(1)} s, ${Math.round(r.peakRssMb ?? 0)} MB; ${comparison.mismatches} of ${comparison.cells} cells differ`);
    }
  } else if (o.peer) {
    peer = { error: 'nodejs-polars does not load' };
  }
  return {
    patients,
    inputRows,
    inputBytes: data.bytes,
    floor: { ms: floor.ms, rssMb: floor.peakRssMb },
    run: { ms: run.ms, rssMb: run.peakRssMb, stages: manifest.stages, metricMs: metricTimes(run.stderr) },
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
  let polarsOk = false;
  if (o.peer) {
    const why = ensurePolars(root, log);
    if (why) log(`  the polars peer will not run: ${why}`);
    polarsOk = !why;
  }
  const sizes: SizeResult[] = [];
  const results = (): BenchResults => ({
    date: new Date().toISOString().slice(0, 10),
    commit: commitInfo(root),
    machine: machineInfo(),
    polars: polarsOk ? polarsVersion(root) : undefined,
    loadBefore,
    loadAfter: load1(),
    config: { memory_limit: o.memoryLimit ?? 'DuckDB default (80% of RAM)', threads: o.threads ?? 'DuckDB default (all cores)', temp_directory: 'bench/data/work/spill' },
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
  for (const t of checkTargets(sizes)) log(`${t.met === undefined ? '?' : t.met ? 'met ' : 'MISSED'}  ${t.target}: ${t.measured}`);
  log(`\nwritten to ${o.results}`);
}

if (isMain(import.meta.url)) runMain('bench', main);
