/** A small catalog with one metric of every kind, for the export and suppression tests, taken from the registry. */
import { catalogEntries } from '../../metrics/registry.js';
import type { CatalogEntry, MetricRow } from '../../metrics/types.js';

/** One metric of every kind (count, sum, rate, oe, mean, quantile, ratio of hospital level, share of a weight). */
export const CATALOG_IDS = ['admissions', 'drg_value', 'readmission_30d', 'readmission_30d_oe', 'los_mean', 'los_median', 'trips_per_patient', 'readmission_drg_share'];

export const CATALOG: CatalogEntry[] = CATALOG_IDS.map((id) => {
  const entry = catalogEntries().find((c) => c.id === id);
  if (!entry) throw new Error(`the registry has no metric ${id}`);
  return entry;
});

/** A metric row; numbers default to empty. */
export function row(
  metric_id: string,
  period: string,
  hospital_id: string,
  department_id: string,
  n: number | null,
  d: number | null = null,
  value: number | null = n,
  lower: number | null = null,
  upper: number | null = null,
): MetricRow {
  const view = CATALOG.find((c) => c.id === metric_id)?.view ?? 'activity';
  return { metric_id, view, period, hospital_id, department_id, numerator: n, denominator: d, value, lower, upper };
}
