/**
 * Running one command as a child process and measuring it: wall time and peak
 * resident memory (RSS). The child is measured, not this process, so that the
 * numbers are those of `outcomes run` (or the floor, or the peer) alone.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

export interface Measured {
  /** Wall-clock time from spawn to exit. */
  ms: number;
  /** Peak RSS of the child (and of its largest descendant, with /usr/bin/time), in MiB; undefined when unknown. */
  peakRssMb: number | undefined;
  /** How the peak was measured. */
  rssSource: 'time -v' | 'VmHWM' | 'none';
  /**
   * CPU time (user + system) of the child, in ms; undefined when unknown. On a machine
   * shared with other work, wall time grows with the contention and CPU time much less.
   */
  cpuMs: number | undefined;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  /** Files that receive the child's stdout and stderr (kept for the reader). */
  stdoutFile: string;
  stderrFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const GNU_TIME = '/usr/bin/time';

/** The `Maximum resident set size (kbytes)` line of GNU time's `-v` report, in MiB. */
export function parseTimeV(report: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(report);
  return m ? Number(m[1]) / 1024 : undefined;
}

/** User plus system seconds of GNU time's `-v` report, in ms. */
export function parseCpuTimeV(report: string): number | undefined {
  const u = /User time \(seconds\):\s*([\d.]+)/.exec(report);
  const sys = /System time \(seconds\):\s*([\d.]+)/.exec(report);
  return u && sys ? Math.round((Number(u[1]) + Number(sys[1])) * 1000) : undefined;
}

/** utime + stime of `/proc/<pid>/stat`, in ms (clock ticks of 10 ms, as on Linux by default). */
export function parseProcStatCpu(stat: string): number | undefined {
  // Fields after the command name (which may hold spaces) in parentheses; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : undefined;
}

/** The `VmHWM` line of `/proc/<pid>/status`, in MiB. */
export function parseVmHwm(status: string): number | undefined {
  const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(status);
  return m ? Number(m[1]) / 1024 : undefined;
}

/**
 * Run `cmd args` and measure it. GNU time (`/usr/bin/time -v`, Debian package
 * `time`) gives the exact peak from the kernel's rusage at exit; without it the
 * child's `VmHWM` (its own high-water mark) is polled, which can miss growth in
 * the last poll interval before exit and does not see grandchildren.
 */
export async function measure(cmd: string, args: string[], opts: MeasureOptions): Promise<Measured> {
  const useTime = process.platform === 'linux' && existsSync(GNU_TIME);
  const timeReport = opts.stderrFile + '.time';
  rmSync(timeReport, { force: true });
  const [file, argv] = useTime ? [GNU_TIME, ['-v', '-o', timeReport, cmd, ...args]] : [cmd, args];
  const out = openSync(opts.stdoutFile, 'w');
  const err = openSync(opts.stderrFile, 'w');
  const t0 = performance.now();
  let polled: number | undefined;
  let polledCpu: number | undefined;
  const { code, pollTimer } = await new Promise<{ code: number; pollTimer?: NodeJS.Timeout }>((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', out, err], env: opts.env ?? process.env, cwd: opts.cwd });
    let timer: NodeJS.Timeout | undefined;
    if (!useTime && process.platform === 'linux' && child.pid !== undefined) {
      const statusFile = `/proc/${child.pid}/status`;
      const statFile = `/proc/${child.pid}/stat`;
      timer = setInterval(() => {
        try {
          const v = parseVmHwm(readFileSync(statusFile, 'utf8'));
          if (v !== undefined) polled = Math.max(polled ?? 0, v);
          polledCpu = parseProcStatCpu(readFileSync(statFile, 'utf8')) ?? polledCpu;
        } catch {
          // The child has just exited: its last reading stands.
        }
      }, 50);
    }
    child.on('error', reject);
    child.on('exit', (c, signal) => resolve({ code: c ?? (signal ? 128 : 1), pollTimer: timer }));
  });
  const ms = performance.now() - t0;
  if (pollTimer) clearInterval(pollTimer);
  closeSync(out);
  closeSync(err);
  const report = useTime && existsSync(timeReport) ? readFileSync(timeReport, 'utf8') : '';
  const fromTime = parseTimeV(report);
  const peakRssMb = fromTime ?? polled;
  return {
    ms,
    peakRssMb,
    rssSource: fromTime !== undefined ? 'time -v' : polled !== undefined ? 'VmHWM' : 'none',
    cpuMs: parseCpuTimeV(report) ?? polledCpu,
    exitCode: code,
    stdout: readFileSync(opts.stdoutFile, 'utf8'),
    stderr: readFileSync(opts.stderrFile, 'utf8'),
  };
}
