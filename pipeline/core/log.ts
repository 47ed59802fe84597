/**
 * The run's logger: human lines on a terminal, or one JSON object per line
 * (`--log-format json`) for schedulers and log collectors. Always to stderr,
 * so that stdout carries only what a command prints as its result.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogEvent {
  level: Level;
  msg: string;
  stage?: string;
  rows?: number;
  ms?: number;
  [k: string]: unknown;
}

export interface Logger {
  log(e: LogEvent): void;
  info(msg: string, extra?: Omit<LogEvent, 'level' | 'msg'>): void;
  warn(msg: string, extra?: Omit<LogEvent, 'level' | 'msg'>): void;
  debug(msg: string, extra?: Omit<LogEvent, 'level' | 'msg'>): void;
}

export interface LoggerOptions {
  format?: 'text' | 'json';
  quiet?: boolean;
  verbose?: boolean;
  write?: (line: string) => void;
}

/**
 * The log format of a command: as given by `--log-format`, else readable lines on
 * a terminal and one JSON object per line under a scheduler.
 */
export function resolveLogFormat(given: string | undefined, isTTY = Boolean(process.stderr.isTTY)): 'text' | 'json' {
  if (given === 'text' || given === 'json') return given;
  return isTTY ? 'text' : 'json';
}

const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing to stderr (or `write`) in text or JSON lines. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const min: Level = opts.quiet ? 'warn' : opts.verbose ? 'debug' : 'info';
  const format = opts.format ?? 'text';
  const log = (e: LogEvent) => {
    if (RANK[e.level] < RANK[min]) return;
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), ...e }));
    } else {
      const bits = [e.stage ? `[${e.stage}]` : '', e.msg];
      if (e.rows !== undefined) bits.push(`${e.rows.toLocaleString('en-US')} rows`);
      if (e.ms !== undefined) bits.push(`${(e.ms / 1000).toFixed(2)} s`);
      const prefix = e.level === 'warn' ? 'warning: ' : e.level === 'error' ? 'error: ' : '';
      write(prefix + bits.filter(Boolean).join(' '));
    }
  };
  return {
    log,
    info: (msg, extra) => log({ level: 'info', msg, ...extra }),
    warn: (msg, extra) => log({ level: 'warn', msg, ...extra }),
    debug: (msg, extra) => log({ level: 'debug', msg, ...extra }),
  };
}

/** A logger that keeps events in memory (tests). */
export function memoryLogger(): Logger & { events: LogEvent[] } {
  const events: LogEvent[] = [];
  const l = createLogger({ format: 'json', verbose: true, write: (line) => events.push(JSON.parse(line) as LogEvent) });
  return Object.assign(l, { events });
}
