/**
 * Run configuration: a JSON file validated with a strict schema, so that an
 * unknown key or a wrong type stops the run with a message naming the key.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { issueMessages } from './zod-messages.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})([T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-](\d{2})(:?(\d{2}))?)?)?$/;

/** A calendar date and clock time that exist (no 2024-02-30, no 24:00), with an offset from -12:00 to +14:00. */
function realTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (m[4] !== undefined && (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[8] ?? 0) > 59)) return false;
  if (m[11] !== undefined) {
    const minutes = Number(m[11]) * 60 + Number(m[13] ?? 0);
    if (Number(m[13] ?? 0) > 59 || minutes > (m[10]!.startsWith('-') ? 12 * 60 : 14 * 60)) return false;
  }
  return true;
}

const timestampText = z
  .string()
  .refine(realTimestamp, 'expected an existing ISO 8601 date or date-time, e.g. 2024-06-30T23:59:59 (an offset is converted to the timezone)');

/**
 * Small-cell suppression threshold when nothing else is said (docs/reference/metrics.md#suppression): the one
 * source for the config default and the fallbacks of `outcomes export` and
 * `outcomes dashboards`. A privacy promise, pinned by tests/reliability.
 */
export const DEFAULT_MIN_CELL = 5;

/**
 * DuckDB's memory limit unless the config sets one. DuckDB's own default is 80% of RAM, which lets a
 * run hold as much as the machine has (9.9 GB at 3M patients); with 1GB DuckDB spills to its temporary
 * folder instead: 1M patients 58.4 s / 3.5 GB → 63.2 s / 1.7 GB, 3M 165 s / 9.9 GB → 206 s / 2.4 GB
 * (docs/benchmarks.md). Applied to a database file; `outcomes check` works in memory, where DuckDB has no
 * folder to spill to, so it keeps DuckDB's default there unless the config says otherwise.
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export const ConfigSchema = z
  .object({
    /** Wall-clock zone of all timestamps; input with an offset is converted to it. */
    timezone: z.string().min(1).default('UTC'),
    /** Last instant the data can speak for; default: the latest event in the data. */
    cutoff: timestampText.optional(),
    /** Contacts closer than this are one stay (docs/reference/metrics.md#stays). */
    stay_gap_hours: z.number().min(0).default(4),
    /** Trips more than this many days apart start a new course (docs/reference/metrics.md#avoidable-trips). */
    course_gap_days: z.number().int().min(0).default(7),
    /** Share of rejected rows of any one table above which the run fails (exit 3). */
    max_reject_share: z.number().min(0).max(1).default(0.01),
    /** Small-cell suppression threshold of published outputs (docs/reference/metrics.md#suppression). */
    min_cell: z.number().int().min(1).default(DEFAULT_MIN_CELL),
    /** Language of published reports and dashboards. */
    locale: z.enum(['en', 'da']).default('en'),
    /** DuckDB memory limit, e.g. "2GB". */
    memory_limit: z.string().optional(),
    /** DuckDB worker threads. */
    threads: z.number().int().min(1).optional(),
    /** Where DuckDB spills when memory runs short. */
    temp_directory: z.string().optional(),
    /** Warn (or fail, with fail_on_stale) when the newest event is older than this. */
    max_staleness_days: z.number().int().min(0).optional(),
    fail_on_stale: z.boolean().default(false),
    /** Fail (exit 3) instead of warning when the default cutoff lies more than 31 days after the run date. */
    fail_on_future: z.boolean().default(false),
    /** Keep one fact_<metric> table per metric in the database for audit (false: faster, smaller file). */
    keep_facts: z.boolean().default(false),
    /** Timestamps and dates before this year are rejected as implausible (docs/operations.md). */
    earliest_year: z.number().int().min(1).max(9999).default(1900),
    /** Timestamps and dates after this year are rejected as implausible; research data shifted into the 2100s stays legal. */
    latest_year: z.number().int().min(1).max(9998).default(2999),
  })
  .strict()
  .refine((c) => c.earliest_year <= c.latest_year, { message: 'must not be before earliest_year', path: ['latest_year'] });

export type Config = z.infer<typeof ConfigSchema>;

/** Parse a config object; errors name the offending key. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  const r = ConfigSchema.safeParse(raw ?? {});
  if (!r.success) throw new UsageError(`${source}: ${issueMessages(r.error, '(root)').join('; ')}`);
  return r.data;
}

/** Read and validate a config file (JSON). No file: the defaults. */
export function loadConfig(file?: string): Config {
  if (!file) return parseConfig({});
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    // Windows editors save UTF-8 with a byte-order mark, which JSON.parse refuses.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, file);
}
