/** The one query of the dashboards: the aggregated rows of the `metrics` table. */
import type { MetricRow } from '../metrics/types.js';
import type { Db } from '../pipeline/db.js';

const SQL = `SELECT metric_id, view, period, hospital_id, department_id,
  CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator,
  CAST(value AS DOUBLE) AS value, CAST(lower AS DOUBLE) AS lower, CAST(upper AS DOUBLE) AS upper
FROM metrics
ORDER BY metric_id, view, period, hospital_id, department_id`;

/** Every row of the metrics table (aggregated cells only; nothing patient-level exists there). */
export async function readMetricRows(db: Db): Promise<MetricRow[]> {
  if (!(await db.hasTable('metrics'))) throw new Error('the database has no metrics table: run `outcomes run` first');
  return db.all<MetricRow>(SQL, undefined, 'dashboards/read.ts');
}
