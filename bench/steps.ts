/**
 * The three things measured for each size, each in its own child process: the
 * load floor, the full `outcomes run` (first run or a night), and the polars peer
 * (checked against the run).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { comparePeer } from './compare.js';
import { measure, type Measured } from './measure.js';
import type { PeerResult, RunResult, Stage } from './report.js';

export interface StepContext {
  root: string;
  /** Scratch folder for databases, outputs and logs (under bench/data/work). */
  work: string;
  /** Prefix of this size's files, e.g. `p1000000`. */
  tag: string;
  /** The data set's folder (read by the floor and the peer). */
  input: string;
  /** The runs' input folder: the data set's files, and a night's new file (bench/night.ts). */
  runInput: string;
}

export interface Resources {
  memoryLimit?: string;
  threads?: number;
}

const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(1);

function files(c: StepContext, name: string) {
  return { stdoutFile: join(c.work, `${c.tag}-${name}.out`), stderrFile: join(c.work, `${c.tag}-${name}.err`), cwd: c.root };
}

function check(what: string, r: Measured): void {
  if (r.exitCode !== 0) throw new Error(`${what} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
}

function spillDir(c: StepContext): string {
  const d = join(c.work, 'spill');
  mkdirSync(d, { recursive: true });
  return d;
}

/**
 * Per-metric times from the run's JSON debug log: the time between a `metric <id>: ...`
 * event and the event before it (the metric's facts, grains and exclusions), so that
 * the measure does not depend on the wording after the id. Shared building blocks
 * (`shared <id>: ...`, computed once for several metrics) are keyed `shared <id>`.
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
    const m = /^(metric|shared) (\S+): (?!.*is absent)/.exec(e.msg ?? '');
    if (m && prev !== undefined && !Number.isNaN(t)) out[m[1] === 'shared' ? `shared ${m[2]}` : m[2]!] = t - prev;
    if (!Number.isNaN(t)) prev = t;
  }
  return out;
}

/** DuckDB reading the input into typed tables, nothing else (bench/floor.ts). */
export async function measureFloor(c: StepContext, res: Resources, log: (s: string) => void): Promise<Measured> {
  const db = join(c.work, `${c.tag}-floor.duckdb`);
  const args = [join(c.root, 'dist', 'bench', 'floor.js'), '--input', c.input, '--db', db, '--temp-directory', spillDir(c)];
  if (res.memoryLimit) args.push('--memory-limit', res.memoryLimit);
  if (res.threads) args.push('--threads', String(res.threads));
  const r = await measure(process.execPath, args, files(c, 'floor'));
  check('load floor', r);
  for (const f of [db, db + '.wal']) rmSync(f, { force: true });
  log(`  load floor: ${secs(r.ms)} s (CPU ${secs(r.cpuMs)} s), ${Math.round(r.peakRssMb ?? 0)} MB`);
  return r;
}

export interface RunPlan {
  /** Names the output folder, database and logs, so that runs do not overwrite each other. */
  label: string;
  /** An existing database to run on again (a night); default: a fresh one. */
  db?: string;
  /** Keep the database afterwards (for a night or for inspection). */
  keepDb: boolean;
  /** An existing output folder to write into again (a night writes where the night before did); default: a fresh one. */
  out?: string;
  /** How the log line names the run; default `full run`. */
  title?: string;
}

/** Remove a database file and its write-ahead log. */
export function removeDb(db: string): void {
  for (const f of [db, db + '.wal']) rmSync(f, { force: true });
}

/** Bytes of a database file and its write-ahead log, as left on disk. */
export function dbSize(db: string): number | undefined {
  if (!existsSync(db)) return undefined;
  return statSync(db).size + (existsSync(db + '.wal') ? statSync(db + '.wal').size : 0);
}

/**
 * The full `outcomes run` (all metrics, exports, dashboards), with its stages from
 * `manifest.json` and per-metric times from the debug log.
 */
export async function measureRun(c: StepContext, res: Resources, plan: RunPlan, log: (s: string) => void): Promise<{ result: RunResult; out: string; db: string }> {
  const { label } = plan;
  const config = { temp_directory: spillDir(c), ...(res.memoryLimit ? { memory_limit: res.memoryLimit } : {}), ...(res.threads ? { threads: res.threads } : {}) };
  const configFile = join(c.work, `${c.tag}-${label}-config.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  const out = plan.out ?? join(c.work, `${c.tag}-${label}-out`);
  const db = plan.db ?? join(c.work, `${c.tag}-${label}.duckdb`);
  if (!plan.db) removeDb(db);
  if (!plan.out) rmSync(out, { recursive: true, force: true });
  const args = [join(c.root, 'dist', 'pipeline', 'cli.js'), 'run', '--input', c.runInput, '--out', out, '--db', db, '--config', configFile, '--verbose', '--log-format', 'json'];
  const r = await measure(process.execPath, args, files(c, label));
  check('outcomes run', r);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { stages: Stage[] };
  const dbBytes = dbSize(db);
  if (!plan.keepDb) removeDb(db);
  const what = res.memoryLimit ? `memory_limit ${res.memoryLimit}` : '';
  log(`  ${plan.title ?? 'full run'}${what ? ` (${what})` : ''}: ${secs(r.ms)} s (CPU ${secs(r.cpuMs)} s), ${Math.round(r.peakRssMb ?? 0)} MB, database ${Math.round((dbBytes ?? 0) / 2 ** 20)} MB (${manifest.stages.map((x) => `${x.stage} ${secs(x.ms)}`).join(', ')})`);
  return {
    result: { ms: r.ms, cpuMs: r.cpuMs, rssMb: r.peakRssMb, memoryLimit: res.memoryLimit, stages: manifest.stages, metricMs: metricTimes(r.stderr), dbBytes },
    out,
    db,
  };
}

/** The polars peer on the same input, its numbers checked against the run's `metrics.csv`. */
export async function measurePeer(c: StepContext, metricsCsv: string, log: (s: string) => void): Promise<PeerResult | { error: string }> {
  const peerCsv = join(c.work, `${c.tag}-peer.csv`);
  const r = await measure(process.execPath, [join(c.root, 'dist', 'bench', 'peer', 'polars.js'), '--input', c.input, '--out', peerCsv], files(c, 'peer'));
  if (r.exitCode !== 0) return { error: `exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0]}` };
  const stagesMs = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
  const comparison = await comparePeer(metricsCsv, peerCsv);
  log(`  polars peer: ${secs(r.ms)} s (CPU ${secs(r.cpuMs)} s), ${Math.round(r.peakRssMb ?? 0)} MB; ${comparison.mismatches} of ${comparison.cells} cells differ`);
  return { ms: r.ms, cpuMs: r.cpuMs, rssMb: r.peakRssMb, stagesMs, comparison };
}
