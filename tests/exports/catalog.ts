/** A small catalog with one metric of every kind, for the export and suppression tests. */
import type { CatalogEntry, MetricKind, MetricRow, View } from '../../metrics/types.js';

function entry(id: string, kind: MetricKind, view: View, title: string, unit: string, level: 'department' | 'hospital' = 'department'): CatalogEntry {
  return { id, kind, view, title, unit, level, description: title, direction: 'neutral', version: '1', requires: [] };
}

export const CATALOG: CatalogEntry[] = [
  entry('admissions', 'count', 'activity', 'Admissions', 'admissions'),
  entry('drg_value', 'sum', 'activity', 'DRG production value', 'DRG weight'),
  entry('readmission_30d', 'rate', 'outcome', 'Readmission within 30 days', 'share'),
  entry('readmission_30d_oe', 'oe', 'outcome', 'Readmission within 30 days, observed/expected', 'ratio'),
  entry('los_mean', 'mean', 'outcome', 'Length of stay, mean', 'days'),
  entry('los_median', 'quantile', 'outcome', 'Length of stay, median', 'days'),
  entry('trips_per_patient', 'ratio', 'outcome', 'Trips per patient', 'trips', 'hospital'),
  { ...entry('readmission_drg_share', 'share', 'outcome', 'DRG value paid for readmissions', 'share of DRG value'), denominatorMetric: 'drg_value' },
];

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
