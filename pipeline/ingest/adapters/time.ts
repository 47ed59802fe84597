/**
 * Timestamp semantics for the values an adapter must interpret itself (the
 * 12-hour rule, a FHIR death date, Synthea's emergency window and death dates).
 * They must read a text exactly as the shared validator will read it in the raw
 * tables, so these builders use the validator's own parser (`outcomes_parse_ts`
 * from `pipeline/ingest/load/validate.ts`): a text with an offset (`Z`, `+01:00`,
 * `-0500`, `+02`) is an instant, shown as wall-clock time in the session
 * `TimeZone` (the configured zone); a text without offset is wall-clock time as it
 * stands; a date alone is midnight; anything else is NULL.
 */
import { Db } from '../../core/db.js';
import { installMacros } from '../load/validate.js';

/**
 * SQL expression: the wall-clock `TIMESTAMP` of a text expression in the session
 * time zone (set it to `cfg.timezone`), or NULL when the text is not a timestamp.
 * Needs `createTimeMacros` first.
 */
export function wallClockSql(expr: string): string {
  return `outcomes_parse_ts(CAST(${expr} AS VARCHAR))`;
}

/** SQL expression: the calendar `DATE` of a text timestamp in the session time zone, or NULL. */
export function wallDateSql(expr: string): string {
  return `CAST(${wallClockSql(expr)} AS DATE)`;
}

/**
 * Install the validator's parsing macros and the adapters' names for them,
 * `adp_wall_clock(x)` and `adp_wall_date(x)`, used by the adapters' SQL files.
 */
export async function createTimeMacros(db: Db): Promise<void> {
  await installMacros(db);
  await db.run(`CREATE OR REPLACE TEMP MACRO adp_wall_clock(x) AS ${wallClockSql('x')}`);
  await db.run(`CREATE OR REPLACE TEMP MACRO adp_wall_date(x) AS ${wallDateSql('x')}`);
}
