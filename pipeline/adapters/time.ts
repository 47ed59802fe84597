/**
 * Timestamp semantics for the values an adapter must interpret itself (the
 * 12-hour rule, a FHIR death date, Synthea's emergency window), the same as the
 * shared validator applies to the raw text: a text with an offset (`Z`, `+01:00`,
 * `-0500`, `+02`) is an instant, shown as wall-clock time in the session
 * `TimeZone` (the configured zone); a text without offset is wall-clock time as
 * it stands; a date alone is midnight. Anything else is NULL.
 */
import { Db } from '../db.js';

/**
 * Text normalised for DuckDB's casts: upper case (`z` → `Z`), trimmed, seconds
 * added to `HH:MM` (DuckDB's TIMESTAMPTZ cast needs them before an offset), and
 * no space before an offset (`08:30:00 +05:30`).
 */
function normalised(expr: string): string {
  const base = `upper(trim(CAST(${expr} AS VARCHAR)))`;
  const withSeconds = `regexp_replace(${base}, '^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{1,2}:\\d{2})([^:\\d].*)?$', '\\1:00\\2')`;
  return `regexp_replace(${withSeconds}, '\\s+(Z|[+-]\\d)', '\\1')`;
}

/** Does the (normalised) text end in a UTC offset after a time of day? */
function hasOffset(norm: string): string {
  return `regexp_matches(${norm}, '\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}(:?\\d{2})?)$')`;
}

/**
 * SQL expression: the wall-clock `TIMESTAMP` of a text expression in the session
 * time zone (set it to `cfg.timezone`), or NULL when the text is not a timestamp.
 */
export function wallClockSql(expr: string): string {
  const n = normalised(expr);
  return `(CASE WHEN ${hasOffset(n)} THEN TRY_CAST(TRY_CAST(${n} AS TIMESTAMPTZ) AS TIMESTAMP) ELSE TRY_CAST(${n} AS TIMESTAMP) END)`;
}

/** SQL expression: the calendar `DATE` of a text timestamp in the session time zone, or NULL. */
export function wallDateSql(expr: string): string {
  return `CAST(${wallClockSql(expr)} AS DATE)`;
}

/**
 * Define the temporary macros `adp_wall_clock(x)` and `adp_wall_date(x)` from the
 * builders above, so that the adapters' SQL files can use them.
 */
export async function createTimeMacros(db: Db): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP MACRO adp_wall_clock(x) AS ${wallClockSql('x')}`);
  await db.run(`CREATE OR REPLACE TEMP MACRO adp_wall_date(x) AS ${wallDateSql('x')}`);
}
