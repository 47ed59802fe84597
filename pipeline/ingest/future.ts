/**
 * How fresh the data is. Events in the future: without a configured `cutoff` the newest event in the data is the
 * cutoff, so one mistyped date (2099 for 2009) silently moves the end of every open stay and
 * follow-up window to it. The run names that row (docs/operations.md, "Events in the future").
 * A stale feed: the newest event long before the run date.
 */
import type { Config } from '../core/config.js';
import type { Db } from '../core/db.js';
import { newestEventTs } from './params.js';

/** How far past the run date the newest event may lie before the run says so. */
export const FUTURE_MARGIN_DAYS = 31;

export interface NewestEvent {
  /** Wall-clock timestamp as DuckDB prints it. */
  ts: string;
  table: 'admissions' | 'treatments';
  column: 'admit_ts' | 'discharge_ts' | 'start_ts';
  file: string;
  line: number;
  /** Whole days from the run date (in the configured time zone) to the event. */
  daysAhead: number;
}

/** The newest admit, discharge or treatment start in the loaded data, with the file and line it came from. */
export async function newestEvent(db: Db, now: Date): Promise<NewestEvent | undefined> {
  const row = await db.one<{ ts: string; tbl: string; col: string; file: string; line: number; days: number }>(
    `WITH events AS (
       SELECT admit_ts AS ts, 'admissions' AS tbl, 'admit_ts' AS col, _source_file AS file, _line AS line FROM admissions
       UNION ALL
       SELECT discharge_ts, 'admissions', 'discharge_ts', _source_file, _line FROM admissions WHERE discharge_ts IS NOT NULL
       UNION ALL
       SELECT start_ts, 'treatments', 'start_ts', _source_file, _line FROM treatments
     )
     SELECT CAST(ts AS VARCHAR) AS ts, tbl, col, file, line,
            date_diff('day', CAST(CAST(CAST($now AS TIMESTAMPTZ) AS TIMESTAMP) AS DATE), CAST(ts AS DATE)) AS days
     FROM events
     ORDER BY events.ts DESC, file, line, col
     LIMIT 1`,
    { now: now.toISOString() },
    'pipeline/ingest/future.ts',
  );
  if (!row) return undefined;
  return {
    ts: row.ts,
    table: row.tbl as NewestEvent['table'],
    column: row.col as NewestEvent['column'],
    file: row.file,
    line: Number(row.line),
    daysAhead: Number(row.days),
  };
}

/**
 * A warning when the default cutoff (the newest event) lies more than FUTURE_MARGIN_DAYS
 * after the run date; undefined when the cutoff is configured or the data is not ahead.
 */
export async function futureEvents(db: Db, config: Config, now: Date): Promise<string | undefined> {
  if (config.cutoff !== undefined) return undefined;
  const e = await newestEvent(db, now);
  if (!e || e.daysAhead <= FUTURE_MARGIN_DAYS) return undefined;
  return (
    `the newest event, ${e.table}.${e.column} ${e.ts} in ${e.file} line ${e.line}, lies ${e.daysAhead} days after the run date, ` +
    `more than ${FUTURE_MARGIN_DAYS}: it becomes the cutoff, so every open stay runs until then. ` +
    `Correct that row, or set "cutoff" in the config`
  );
}

/**
 * A warning when the newest event is older than `max_staleness_days` before the
 * run date: a feed that stopped arriving should not go unnoticed.
 */
export async function staleFeed(db: Db, config: Config, now: Date): Promise<string | undefined> {
  if (config.max_staleness_days === undefined) return undefined;
  const newest = await newestEventTs(db);
  if (!newest) return `the input holds no events at all`;
  const ageDays = Math.floor((now.getTime() - Date.parse(newest.replace(' ', 'T') + 'Z')) / 86_400_000);
  if (ageDays <= config.max_staleness_days) return undefined;
  return `the newest event (${newest}) is ${ageDays} days older than the run date, more than max_staleness_days ${config.max_staleness_days}`;
}
