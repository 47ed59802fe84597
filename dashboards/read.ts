/** The one query of the dashboards: the aggregated rows of the `metrics` table. */
import { readMetricRows as readRows } from '../metrics/people.js';
import type { MetricRow } from '../metrics/types.js';
import type { Db } from '../pipeline/core/db.js';

/**
 * Every row of the metrics table (aggregated cells only; nothing patient-level exists
 * there), with the people behind share cells that suppression needs and never publishes.
 */
export async function readMetricRows(db: Db): Promise<MetricRow[]> {
  if (!(await db.hasTable('metrics'))) throw new Error('the database has no metrics table: run `outcomes run` first');
  return readRows(db);
}
