/**
 * Reading a finished run back from its database: the metric rows (with the people behind share cells
 * that suppression needs) and the run's date, cutoff, min_cell and locale (the one-row `run_info`
 * table, written here too so that its shape has one home). The publishing floor
 * (exports, dashboards) gets its rows from here, through the composing floor.
 */
import type { Db } from '../pipeline/core/db.js';
import { readMetricRows } from './people.js';
import type { MetricRow } from './types.js';

/**
 * Every row of the metrics table (aggregated cells only; nothing patient-level exists
 * there), with the people behind share cells that suppression needs and never publishes.
 */
export async function readAllMetricRows(db: Db): Promise<MetricRow[]> {
  if (!(await db.hasTable('metrics'))) throw new Error('the database has no metrics table: run `outcomes run` first');
  return readMetricRows(db);
}

export interface RunInfo {
  runId?: string;
  runDate?: string;
  cutoff?: string;
  minCell?: number;
  locale?: string;
}

/** The one-row `run_info` table, read by `outcomes export` and `outcomes dashboards`. */
export async function writeRunInfo(
  db: Db,
  info: { runId: string; startedAt: Date; cutoff: string; minCell: number; locale: string; timezone: string },
): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TABLE run_info AS SELECT $runId AS run_id, $runDate AS run_date, $startedAt AS started_at,
       $cutoff AS cutoff, $minCell AS min_cell, $locale AS locale, $timezone AS timezone`,
    {
      runId: info.runId,
      runDate: info.startedAt.toISOString().slice(0, 10),
      startedAt: info.startedAt.toISOString(),
      cutoff: info.cutoff,
      minCell: info.minCell,
      locale: info.locale,
      timezone: info.timezone,
    },
  );
}

const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/**
 * The run's id, date, cutoff, min_cell and locale from the one-row `run_info` table,
 * or the cutoff from `params` when a database predates `run_info`. Missing values
 * stay undefined.
 */
export async function readRunInfo(db: Db): Promise<RunInfo> {
  const info: RunInfo = {};
  if (await db.hasTable('run_info')) {
    const r = await db.one<Record<string, unknown>>('SELECT * FROM run_info LIMIT 1');
    if (r) {
      const runId = text(r['run_id']);
      const runDate = text(r['run_date']);
      const cutoff = text(r['cutoff']);
      const locale = text(r['locale']);
      const minCell = r['min_cell'] === null || r['min_cell'] === undefined ? undefined : Number(r['min_cell']);
      if (runId !== undefined) info.runId = runId;
      if (runDate !== undefined) info.runDate = runDate;
      if (cutoff !== undefined) info.cutoff = cutoff;
      if (locale !== undefined) info.locale = locale;
      if (minCell !== undefined && Number.isInteger(minCell)) info.minCell = minCell;
    }
  }
  if (info.cutoff === undefined && (await db.hasTable('params'))) {
    const c = await db.scalar<string | null>('SELECT CAST(cutoff AS VARCHAR) FROM params LIMIT 1');
    if (c !== null && c !== undefined) info.cutoff = c;
  }
  return info;
}
