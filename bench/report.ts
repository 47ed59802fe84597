/**
 * The bench's results as markdown: the table a reader can paste, the run's stages,
 * its slowest metrics, the peer comparison and the targets of issue 6.
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
  /** DuckDB memory_limit of the run; undefined: DuckDB's default (80% of RAM). */
  memoryLimit: string | undefined;
  stages: Stage[];
  metricMs: Record<string, number>;
}

export interface SizeResult {
  patients: number;
  /** Rows in the input files (all tables). */
  inputRows: number;
  inputBytes: number;
  floor: { ms: number; cpuMs: number | undefined; rssMb: number | undefined };
  run: RunResult;
  /** The same run again on a fresh database with a memory limit (`--limited`), when measured. */
  limited?: RunResult;
  /** The run again on its own database with no new files (a quiet night), when measured. */
  rerun?: RunResult;
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
  sizes: SizeResult[];
}

export const TARGETS = { floorRatio: 3, rssMb: 2048, scaling: 11, targetPatients: 1_000_000 } as const;

const s = (ms: number) => (ms / 1000).toFixed(1);
const mb = (v: number | undefined) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const n = (v: number) => v.toLocaleString('en-US');
const cpu = (v: number | undefined) => (v === undefined ? '–' : s(v));
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
    '| patients | input rows | input MB | load floor s | full run s | run / floor | floor CPU s | run CPU s | CPU run / floor | run peak RSS MB | floor peak RSS MB | polars peer s | peer check |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of sizes) {
    const peer = isPeer(r.peer)
      ? [s(r.peer.ms), r.peer.comparison.mismatches === 0 ? `equal (${n(r.peer.comparison.cells)} cells)` : `${n(r.peer.comparison.mismatches)} of ${n(r.peer.comparison.cells)} cells differ`]
      : ['–', r.peer ? `not run: ${r.peer.error}` : 'not run'];
    lines.push(
      `| ${n(r.patients)} | ${n(r.inputRows)} | ${mb(r.inputBytes / 2 ** 20)} | ${s(r.floor.ms)} | ${s(r.run.ms)} | ${ratio(r.run.ms, r.floor.ms)} | ${cpu(r.floor.cpuMs)} | ${cpu(r.run.cpuMs)} | ${ratio(r.run.cpuMs, r.floor.cpuMs)} | ${mb(r.run.rssMb)} | ${mb(r.floor.rssMb)} | ${peer[0]} | ${peer[1]} |`,
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

/** The other runs of a size (a quiet night, a memory limit), beside its first run. */
export function otherRunsTable(sizes: SizeResult[]): string {
  const lines = [
    '| patients | run | memory_limit | wall s | CPU s | peak RSS MB | stages (s) |',
    '|---:|---|---|---:|---:|---:|---|',
  ];
  const row = (r: SizeResult, what: string, x: RunResult) =>
    `| ${n(r.patients)} | ${what} | ${x.memoryLimit ?? 'default'} | ${s(x.ms)} | ${cpu(x.cpuMs)} | ${mb(x.rssMb)} | ${x.stages.map((st) => `${st.stage} ${s(st.ms)}`).join(', ')} |`;
  for (const r of sizes) {
    if (!r.rerun && !r.limited) continue;
    lines.push(row(r, 'first run, fresh database', r.run));
    if (r.rerun) lines.push(row(r, 'next night, no new files', r.rerun));
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
  target: string;
  measured: string;
  met: boolean | undefined;
}

/** The targets of issue 6, for the sizes that were measured. */
export function checkTargets(sizes: SizeResult[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  const at = sizes.find((r) => r.patients === TARGETS.targetPatients);
  if (at) {
    const k = at.run.ms / at.floor.ms;
    const kCpu = at.run.cpuMs !== undefined && at.floor.cpuMs ? `; CPU time ${(at.run.cpuMs / at.floor.cpuMs).toFixed(1)}×` : '';
    out.push({ target: `1M patients: full run ≤ ${TARGETS.floorRatio}× the load floor`, measured: `${k.toFixed(1)}× wall${kCpu}`, met: k <= TARGETS.floorRatio });
    const runs = [at.run, ...(at.limited ? [at.limited] : [])];
    const ok = runs.filter((x) => x.rssMb !== undefined && x.rssMb <= TARGETS.rssMb);
    out.push({
      target: `1M patients: peak RSS ≤ ${n(TARGETS.rssMb)} MB`,
      measured: runs.map((x) => `${mb(x.rssMb)} MB in ${s(x.ms)} s with ${x.memoryLimit ? `memory_limit ${x.memoryLimit}` : "DuckDB's default memory_limit"}`).join('; '),
      met: runs.every((x) => x.rssMb === undefined) ? undefined : ok.length > 0,
    });
    if (isPeer(at.peer)) {
      out.push({
        target: '1M patients: faster than the polars peer',
        measured: `full run ${s(at.run.ms)} s, same work ${s(sameWorkMs(at))} s vs polars ${s(at.peer.ms)} s`,
        met: at.run.ms < at.peer.ms,
      });
    }
  }
  const sorted = [...sizes].sort((a, b) => a.patients - b.patients);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const k = b.patients / a.patients;
    const limit = (k * TARGETS.scaling) / 10;
    const grew = b.run.ms / a.run.ms;
    out.push({
      target: `${n(a.patients)} → ${n(b.patients)} patients (${k}×): time ≤ ${limit.toFixed(1)}×`,
      measured: `${grew.toFixed(1)}×`,
      met: grew <= limit,
    });
  }
  return out;
}

/** The whole of `bench/results.md`. */
export function resultsMarkdown(r: BenchResults): string {
  const m = r.machine;
  const targets = checkTargets(r.sizes);
  return [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench\` on ${r.date}, commit \`${r.commit.commit}\`${r.commit.dirty ? ' (with uncommitted changes in the working tree)' : ''}.`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory; Node ${m.node}, DuckDB ${m.duckdb}${r.polars ? `, nodejs-polars ${r.polars}` : ''}.`,
    `Load average (1 min) ${r.loadBefore} before and ${r.loadAfter} after: ${Math.max(r.loadBefore, r.loadAfter) > m.cores ? 'other processes shared the cores, so the seconds are pessimistic; the ratios less so' : 'the machine was otherwise idle'}.`,
    `Run config: \`${JSON.stringify(r.config)}\`. Peak RSS from ${r.rssSource}.`,
    '',
    mainTable(r.sizes),
    '',
    '## Stages of the full run (seconds, from `manifest.json`)',
    '',
    stageTable(r.sizes),
    '',
    '## Slowest metrics and shared blocks (seconds, inside the `metrics` stage)',
    '',
    metricTable(r.sizes),
    '',
    '## A quiet night and a memory limit',
    '',
    otherRunsTable(r.sizes),
    '',
    '## Peer: readmission_30d and los_mean at (month, hospital) with nodejs-polars',
    '',
    peerTable(r.sizes),
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === undefined ? '?' : t.met ? 'yes' : 'no'} |`),
    '',
  ].join('\n');
}
