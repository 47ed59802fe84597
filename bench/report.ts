/**
 * The bench's results as markdown: the table a reader can paste, the run's stages,
 * its slowest metrics, the nights, the peer comparison and the targets
 * (docs/benchmarks.md, "Targets").
 */
import type { Comparison } from './compare.js';
import type { CommitInfo, MachineInfo } from './machine.js';

export interface Stage {
  stage: string;
  ms: number;
  rows?: number;
}

export interface PeerResult {
  ms: number;
  cpuMs: number | undefined;
  rssMb: number | undefined;
  /** The peer's own stage times (read, stays, metrics, write). */
  stagesMs: Record<string, number>;
  comparison: Comparison;
}

export interface RunResult {
  ms: number;
  cpuMs: number | undefined;
  rssMb: number | undefined;
  /** DuckDB memory_limit of the run; undefined: outcomes' default (`DEFAULT_MEMORY_LIMIT` in pipeline/core/config.ts). */
  memoryLimit: string | undefined;
  stages: Stage[];
  metricMs: Record<string, number>;
  /** Size of the database file (and its write-ahead log) when the run ended. */
  dbBytes?: number;
}

/**
 * A typical night: the run again on the first run's database, with one new file. Measured
 * `tries.length` times from the same database and outputs; the fields are those of the median try.
 */
export interface NightResult extends RunResult {
  /** The day the new file brings, and its rows and bytes. */
  day: string;
  newRows: number;
  newBytes: number;
  /** The wall time of every try, in the order they ran (absent: measured once). */
  tries?: number[];
}

/** The wall times of a night's tries, for the reader (`median of 3: 9.8, 10.4, 11.0 s`). */
function triesText(night: NightResult): string {
  return night.tries && night.tries.length > 1
    ? ` (median of ${night.tries.length}: ${[...night.tries].sort((a, b) => a - b).map((ms) => s(ms)).join(', ')} s)`
    : '';
}

export interface SizeResult {
  patients: number;
  /** Rows in the input files (all tables). */
  inputRows: number;
  inputBytes: number;
  floor: { ms: number; cpuMs: number | undefined; rssMb: number | undefined };
  /** The first run, on a fresh database. */
  run: RunResult;
  /** The same run again on a fresh database with a memory limit (`--limited`), when measured. */
  limited?: RunResult;
  /** The run again on the first run's database with no new files (a quiet night), when measured. */
  quiet?: RunResult;
  /** The run after that with one new file of one day of treatments (a typical night), when measured. */
  night?: NightResult;
  /** The peer's numbers, or why it did not run. */
  peer: PeerResult | { error: string } | undefined;
}

export interface BenchResults {
  date: string;
  commit: CommitInfo;
  machine: MachineInfo;
  polars: string | undefined;
  /** One-minute load average before and after (other work on the same cores). */
  loadBefore: number;
  loadAfter: number;
  config: Record<string, unknown>;
  rssSource: string;
  /** The generator's profile of every size. */
  profile: string;
  /** What the targets are checked against, and the command line that measured it. */
  plan: TargetPlan;
  sizes: SizeResult[];
}

/** The targets (docs/benchmarks.md): at `targetPatients` unless `--target-size` says otherwise. */
export const TARGETS = {
  targetPatients: 1_000_000,
  floorRatio: 3,
  floorAim: 2,
  rssMb: 2048,
  nightShare: 0.15,
  quietShare: 0.05,
  /** The large size is this many times the target size (3M for 1M)... */
  largeFactor: 3,
  /** ...and may take at most this many times as long, with at most this peak RSS. */
  largeRatio: 3.3,
  largeRssMb: 2560,
} as const;

/** What the targets are checked against. */
export interface TargetPlan {
  /** Patients of the size the targets refer to (1M unless `--target-size`). */
  targetSize: number;
  profile: string;
  /** The `npm run bench` command line of this bench, and the one that adds the large size. */
  command: string;
  largeCommand: string;
  /** DuckDB memory_limit of the runs when it was set (`--memory-limit`): then not the default config. */
  memoryLimit: string | undefined;
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const mb = (v: number | undefined) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const n = (v: number) => v.toLocaleString('en-US');
const cpu = (v: number | undefined) => (v === undefined ? '–' : s(v));
const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : mb(bytes / 2 ** 20));
const pct = (a: number, b: number) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)}%`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(1)}×`);

/** What readmission_30d and los_mean are made of in the run: their own steps and the shared blocks they read. */
const PEER_WORK = ['readmission_30d', 'los_mean', 'shared index_stays', 'shared readmission_facts', 'shared closed_stays'];

/** The run's time spent on the same work as the peer: loading, stays and the two metrics. */
export function sameWorkMs(r: SizeResult): number {
  const st = (name: string) => r.run.stages.find((x) => x.stage === name)?.ms ?? 0;
  return st('load') + st('validate') + st('params') + st('stays') + PEER_WORK.reduce((a, id) => a + (r.run.metricMs[id] ?? 0), 0);
}

function isPeer(p: SizeResult['peer']): p is PeerResult {
  return p !== undefined && 'ms' in p;
}

/** The main table: sizes, rows, seconds, floor ratio, MB. */
export function mainTable(sizes: SizeResult[]): string {
  const lines = [
    '| patients | input rows | input MB | load floor s | full run s | run / floor | floor CPU s | run CPU s | CPU run / floor | run peak RSS MB | floor peak RSS MB | database MB | polars peer s | peer check |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of sizes) {
    const peer = isPeer(r.peer)
      ? [s(r.peer.ms), r.peer.comparison.mismatches === 0 ? `equal (${n(r.peer.comparison.cells)} cells)` : `${n(r.peer.comparison.mismatches)} of ${n(r.peer.comparison.cells)} cells differ`]
      : ['–', r.peer ? `not run: ${r.peer.error}` : 'not run'];
    lines.push(
      `| ${n(r.patients)} | ${n(r.inputRows)} | ${mb(r.inputBytes / 2 ** 20)} | ${s(r.floor.ms)} | ${s(r.run.ms)} | ${ratio(r.run.ms, r.floor.ms)} | ${cpu(r.floor.cpuMs)} | ${cpu(r.run.cpuMs)} | ${ratio(r.run.cpuMs, r.floor.cpuMs)} | ${mb(r.run.rssMb)} | ${mb(r.floor.rssMb)} | ${mib(r.run.dbBytes)} | ${peer[0]} | ${peer[1]} |`,
    );
  }
  return lines.join('\n');
}

/** Seconds per stage of the run, as `manifest.json` records them. */
export function stageTable(sizes: SizeResult[]): string {
  const names = [...new Set(sizes.flatMap((r) => r.run.stages.map((x) => x.stage)))];
  const lines = [`| patients | ${names.join(' | ')} | total run |`, `|---:|${names.map(() => '---:').join('|')}|---:|`];
  for (const r of sizes) {
    const cells = names.map((name) => {
      const st = r.run.stages.find((x) => x.stage === name);
      return st ? s(st.ms) : '–';
    });
    lines.push(`| ${n(r.patients)} | ${cells.join(' | ')} | ${s(r.run.ms)} |`);
  }
  return lines.join('\n');
}

/** The slowest metrics of the largest size (seconds, from the run's debug log). */
export function metricTable(sizes: SizeResult[], top = 8): string {
  const lines = [`| metric | ${sizes.map((r) => `${n(r.patients)} s`).join(' | ')} |`, `|---|${sizes.map(() => '---:').join('|')}|`];
  const last = sizes[sizes.length - 1];
  if (!last) return '';
  const ids = Object.entries(last.run.metricMs).sort((a, b) => b[1] - a[1]).slice(0, top).map(([id]) => id);
  for (const id of ids) lines.push(`| ${id} | ${sizes.map((r) => (r.run.metricMs[id] === undefined ? '–' : s(r.run.metricMs[id]!))).join(' | ')} |`);
  return lines.join('\n');
}

/** The first run of a size beside its nights (quiet, typical) and its run with a memory limit. */
export function otherRunsTable(sizes: SizeResult[]): string {
  const lines = [
    '| patients | run | memory_limit | wall s | share of the first run | CPU s | peak RSS MB | database MB | stages (s) |',
    '|---:|---|---|---:|---:|---:|---:|---:|---|',
  ];
  const row = (r: SizeResult, what: string, x: RunResult) =>
    `| ${n(r.patients)} | ${what} | ${x.memoryLimit ?? 'default'} | ${s(x.ms)} | ${pct(x.ms, r.run.ms)} | ${cpu(x.cpuMs)} | ${mb(x.rssMb)} | ${mib(x.dbBytes)} | ${x.stages.map((st) => `${st.stage} ${s(st.ms)}`).join(', ')} |`;
  for (const r of sizes) {
    if (!r.quiet && !r.night && !r.limited) continue;
    lines.push(row(r, 'first run, fresh database', r.run));
    if (r.quiet) lines.push(row(r, 'quiet night: no new files', r.quiet));
    if (r.night) lines.push(row(r, `typical night: one new file, ${n(r.night.newRows)} treatments of ${r.night.day}${triesText(r.night)}`, r.night));
    if (r.limited) lines.push(row(r, 'first run, fresh database', r.limited));
  }
  return lines.length > 2 ? lines.join('\n') : '(none measured)';
}

/** The peer side by side with ours. */
export function peerTable(sizes: SizeResult[]): string {
  const lines = [
    '| patients | polars: read s | stays s | metrics s | total (process) s | CPU s | peak RSS MB | ours: same work s | ours: full run s | ours: CPU s | check |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of sizes) {
    if (!isPeer(r.peer)) continue;
    const p = r.peer;
    const check = p.comparison.mismatches === 0 ? `equal, ${n(p.comparison.cells)} cells` : `${n(p.comparison.mismatches)} of ${n(p.comparison.cells)} differ`;
    lines.push(
      `| ${n(r.patients)} | ${s(p.stagesMs['read_ms'] ?? 0)} | ${s(p.stagesMs['stays_ms'] ?? 0)} | ${s(p.stagesMs['metrics_ms'] ?? 0)} | ${s(p.ms)} | ${cpu(p.cpuMs)} | ${mb(p.rssMb)} | ${s(sameWorkMs(r))} | ${s(r.run.ms)} | ${cpu(r.run.cpuMs)} | ${check} |`,
    );
  }
  return lines.join('\n');
}

export interface TargetCheck {
  /** What is measured, e.g. `first run, 1,000,000 patients, region profile`. */
  what: string;
  target: string;
  measured: string;
  /** undefined: not measured (see `command`), or the measure is unknown. */
  met: boolean | undefined;
  /** The command that measured it (or would). */
  command: string;
}

const NOT_MEASURED = 'not measured';

/** Every row of the targets table (docs/benchmarks.md), measured or not. */
export function checkTargets(sizes: SizeResult[], plan: TargetPlan): TargetCheck[] {
  const at = sizes.find((r) => r.patients === plan.targetSize);
  const size = `${n(plan.targetSize)} patients`;
  const cmd = plan.command;
  const none = (what: string, target: string, why = NOT_MEASURED, command = cmd): TargetCheck => ({ what, target, measured: why, met: undefined, command });
  const defaults = plan.memoryLimit ? ` (with memory_limit ${plan.memoryLimit}, not the default config)` : '';
  const out: TargetCheck[] = [];

  const firstWhat = `first run, ${size}, ${plan.profile} profile`;
  const firstTarget = `≤ ${TARGETS.floorRatio}× the load floor (wall), aim ${TARGETS.floorAim}×`;
  if (at) {
    const k = at.run.ms / at.floor.ms;
    const kCpu = at.run.cpuMs !== undefined && at.floor.cpuMs ? `; CPU ${(at.run.cpuMs / at.floor.cpuMs).toFixed(1)}×` : '';
    out.push({ what: firstWhat, target: firstTarget, measured: `${s(at.run.ms)} s = ${k.toFixed(1)}× the floor (${s(at.floor.ms)} s)${kCpu}`, met: k <= TARGETS.floorRatio, command: cmd });
  } else out.push(none(firstWhat, firstTarget));

  const rssWhat = 'peak RSS of that run';
  const rssTarget = `≤ ${n(TARGETS.rssMb)} MB with the default config`;
  if (at) out.push({ what: rssWhat, target: rssTarget, measured: `${mb(at.run.rssMb)} MB${defaults}`, met: at.run.rssMb === undefined || plan.memoryLimit ? undefined : at.run.rssMb <= TARGETS.rssMb, command: cmd });
  else out.push(none(rssWhat, rssTarget));

  const nightWhat = `typical night: the ${size} database + one new file with one day of treatments${at?.night ? ` (${n(at.night.newRows)} rows)` : ''}`;
  const nightTarget = `≤ ${TARGETS.nightShare * 100}% of the first run's wall time`;
  if (at?.night)
    out.push({
      what: nightWhat,
      target: nightTarget,
      measured: `${s(at.night.ms)} s = ${pct(at.night.ms, at.run.ms)} of ${s(at.run.ms)} s${triesText(at.night)}`,
      met: at.night.ms <= TARGETS.nightShare * at.run.ms,
      command: cmd,
    });
  else out.push(none(nightWhat, nightTarget, at ? `${NOT_MEASURED} (--no-nights)` : NOT_MEASURED));

  const quietWhat = 'quiet night (no new files)';
  const quietTarget = `≤ ${TARGETS.quietShare * 100}% of the first run`;
  if (at?.quiet) out.push({ what: quietWhat, target: quietTarget, measured: `${s(at.quiet.ms)} s = ${pct(at.quiet.ms, at.run.ms)} of ${s(at.run.ms)} s`, met: at.quiet.ms <= TARGETS.quietShare * at.run.ms, command: cmd });
  else out.push(none(quietWhat, quietTarget, at ? `${NOT_MEASURED} (--no-nights)` : NOT_MEASURED));

  const peerWhat = `same work as the polars peer (${size})`;
  const peerTarget = 'faster than polars';
  if (at && isPeer(at.peer)) {
    const c = at.peer.comparison;
    const check = c.mismatches === 0 ? `peer check equal, ${n(c.cells)} cells` : `peer check: ${n(c.mismatches)} of ${n(c.cells)} cells differ`;
    const same = sameWorkMs(at);
    out.push({ what: peerWhat, target: peerTarget, measured: `ours ${s(same)} s (full run ${s(at.run.ms)} s) vs polars ${s(at.peer.ms)} s = ${ratio(same, at.peer.ms)}; ${check}`, met: same < at.peer.ms, command: cmd });
  } else out.push(none(peerWhat, peerTarget, at?.peer && !isPeer(at.peer) ? `${NOT_MEASURED}: ${at.peer.error}` : at ? `${NOT_MEASURED} (--no-peer)` : NOT_MEASURED));

  const largeSize = TARGETS.largeFactor * plan.targetSize;
  const large = sizes.find((r) => r.patients === largeSize);
  const largeWhat = `${n(largeSize)} patients, ${plan.profile} profile${large ? ` (${n(large.inputRows)} rows)` : ''}`;
  const largeTarget = `≤ ${TARGETS.largeRatio}× the ${size} time, peak RSS ≤ ${n(TARGETS.largeRssMb)} MB`;
  if (large && at) {
    const k = large.run.ms / at.run.ms;
    const rssOk = large.run.rssMb === undefined || plan.memoryLimit ? undefined : large.run.rssMb <= TARGETS.largeRssMb;
    out.push({
      what: largeWhat,
      target: largeTarget,
      // The floors of the two sizes, read minutes apart, show whether the machine's speed moved in between.
      measured:
        `${s(large.run.ms)} s = ${k.toFixed(2)}× ${s(at.run.ms)} s; ${mb(large.run.rssMb)} MB${defaults}` +
        (at.inputRows > 0 && at.floor.ms > 0 ? `; the load floor ${(large.floor.ms / at.floor.ms).toFixed(2)}× for ${(large.inputRows / at.inputRows).toFixed(2)}× the rows` : ''),
      met: rssOk === undefined ? undefined : k <= TARGETS.largeRatio && rssOk,
      command: cmd,
    });
  } else out.push(none(largeWhat, largeTarget, NOT_MEASURED, plan.largeCommand));

  const dbWhat = `database file (${size})`;
  const dbTarget = '≤ the size of the input CSV';
  if (at?.run.dbBytes !== undefined) {
    const later = at.night?.dbBytes !== undefined ? `; ${mib(at.night.dbBytes)} MB after the two nights` : '';
    out.push({ what: dbWhat, target: dbTarget, measured: `${mib(at.run.dbBytes)} MB after the first run for ${mib(at.inputBytes)} MB of CSV (${ratio(at.run.dbBytes, at.inputBytes)})${later}`, met: at.run.dbBytes <= at.inputBytes, command: cmd });
  } else out.push(none(dbWhat, dbTarget));
  return out;
}

const metText = (t: TargetCheck) => (t.met === undefined ? (t.measured.startsWith(NOT_MEASURED) ? '–' : '?') : t.met ? 'met' : 'missed');

/** The targets as a markdown table. */
export function targetTable(targets: TargetCheck[]): string {
  return [
    '| what | target | measured | met | command |',
    '|---|---|---|---|---|',
    ...targets.map((t) => `| ${t.what} | ${t.target} | ${t.measured} | ${metText(t)} | \`${t.command}\` |`),
  ].join('\n');
}

/** The targets as lines for the terminal. */
export function targetLines(targets: TargetCheck[]): string[] {
  return targets.map((t) => `${metText(t).padEnd(6)}  ${t.what}: ${t.target}; measured ${t.measured}  [${t.command}]`);
}

/** The whole of `bench/results.md`. */
export function resultsMarkdown(r: BenchResults): string {
  const m = r.machine;
  const targets = checkTargets(r.sizes, r.plan);
  const scaled = r.plan.targetSize !== TARGETS.targetPatients;
  return [
    '# Benchmark results',
    '',
    `Measured by \`${r.plan.command}\` on ${r.date}, commit \`${r.commit.commit}\`${r.commit.dirty ? ' (with uncommitted changes in the working tree)' : ''}.`,
    `Data: \`outcomes generate --profile ${r.profile}\`, 3 years, seed as in the command (docs/generator.md).`,
    ...(scaled ? ['', `**Trial at ${n(r.plan.targetSize)} patients**: the targets are set for ${n(TARGETS.targetPatients)} patients; these numbers only show that every row is measured.`] : []),
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory; Node ${m.node}, DuckDB ${m.duckdb}${r.polars ? `, nodejs-polars ${r.polars}` : ''}.`,
    `Load average (1 min) ${r.loadBefore} before and ${r.loadAfter} after: ${Math.max(r.loadBefore, r.loadAfter) > m.cores ? 'other processes shared the cores, so the seconds are pessimistic; the ratios less so' : 'the machine was otherwise idle'}.`,
    `Run config: \`${JSON.stringify(r.config)}\`. Peak RSS from ${r.rssSource}.`,
    '',
    '## Targets',
    '',
    targetTable(targets),
    '',
    '## Sizes',
    '',
    mainTable(r.sizes),
    '',
    '## Stages of the first run (seconds, from `manifest.json`)',
    '',
    stageTable(r.sizes),
    '',
    '## Slowest metrics and shared blocks (seconds, inside the `metrics` stage)',
    '',
    metricTable(r.sizes),
    '',
    '## Nights after the first run, and a memory limit',
    '',
    otherRunsTable(r.sizes),
    '',
    '## Peer: readmission_30d and los_mean at (month, hospital) with nodejs-polars',
    '',
    peerTable(r.sizes),
    '',
  ].join('\n');
}
