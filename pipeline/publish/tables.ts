/** Writing the data team's tables (docs/reference/contract.md#outputs) with DuckDB `COPY`, never row by row in JavaScript. */
import { join } from 'node:path';
import { Db, literal } from '../core/db.js';
import { defuseSql } from './defuse.js';

/** Text of a number for CSV: whole numbers without a trailing `.0`. */
const num = (c: string) =>
  `CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} = floor(${c}) AND abs(${c}) < 1e15 THEN CAST(CAST(${c} AS BIGINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END AS ${c}`;

/** A text column defused as in the reports: a spreadsheet opening the file must not run a cell as a formula. */
const text = (c: string) => `${defuseSql(c)} AS ${c}`;

export const METRIC_KEYS = ['metric_id', 'period', 'hospital_id', 'department_id'] as const;
const METRIC_ORDER = 'metric_id, period, hospital_id, department_id';

const METRIC_COPIES = (dir: string) => [
  `COPY (SELECT metric_id, view, period, hospital_id, department_id, numerator, denominator, value, lower, upper FROM metrics ORDER BY ${METRIC_ORDER})
   TO ${literal(join(dir, 'metrics.parquet'))} (FORMAT parquet, COMPRESSION zstd)`,
  `COPY (SELECT ${['metric_id', 'view', 'period', 'hospital_id', 'department_id'].map(text).join(', ')}, ${['numerator', 'denominator', 'value', 'lower', 'upper'].map(num).join(', ')}
         FROM metrics m ORDER BY ${METRIC_ORDER.split(', ').map((c) => 'm.' + c).join(', ')})
   TO ${literal(join(dir, 'metrics.csv'))} (FORMAT csv, HEADER true)`,
];

const EXCLUSIONS_COPY = (dir: string) =>
  `COPY (SELECT ${['metric_id', 'period', 'hospital_id', 'reason'].map(text).join(', ')}, count FROM exclusions e
         ORDER BY e.metric_id, e.period, e.hospital_id, e.reason)
   TO ${literal(join(dir, 'exclusions.csv'))} (FORMAT csv, HEADER true)`;

const REJECTS_COPY = (dir: string) =>
  `COPY (SELECT table_name, source_file, line, rule, column_name, raw_value, kind FROM rejects
         ORDER BY table_name, source_file, line, rule, column_name)
   TO ${literal(join(dir, 'rejects.csv'))} (FORMAT csv, HEADER true)`;

/** `metrics.parquet` and `metrics.csv`: every metric at every grain, unsuppressed, sorted by the key columns. */
export async function writeMetricTables(db: Db, dir: string): Promise<number> {
  for (const sql of METRIC_COPIES(dir)) await db.run(sql);
  return Number(await db.scalar('SELECT count(*) FROM metrics'));
}

/** `exclusions.csv`: records left out of a denominator, by reason. */
export async function writeExclusions(db: Db, dir: string): Promise<number> {
  await db.run(EXCLUSIONS_COPY(dir));
  return Number(await db.scalar('SELECT count(*) FROM exclusions'));
}

/** `rejects.csv`: every rejected (or, for adapters, skipped) input record with file, line, rule and raw value. */
export async function writeRejects(db: Db, dir: string): Promise<number> {
  await db.run(REJECTS_COPY(dir));
  return Number(await db.scalar('SELECT count(*) FROM rejects'));
}

/**
 * All four tables of a run in two calls to the database (one for the files, one for the counts):
 * while other work keeps this thread busy, each call waits for a turn of it.
 */
export async function writeDataTeamTables(db: Db, dir: string): Promise<{ metrics: number; exclusions: number; rejects: number }> {
  await db.run([...METRIC_COPIES(dir), EXCLUSIONS_COPY(dir), REJECTS_COPY(dir)].join(';\n'));
  const n = await db.one<{ metrics: number; exclusions: number; rejects: number }>(
    'SELECT (SELECT count(*) FROM metrics) AS metrics, (SELECT count(*) FROM exclusions) AS exclusions, (SELECT count(*) FROM rejects) AS rejects',
  );
  return { metrics: Number(n!.metrics), exclusions: Number(n!.exclusions), rejects: Number(n!.rejects) };
}
