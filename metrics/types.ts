/** Shapes shared by the metric registry, the run, the exports and the dashboards. */

export type View = 'activity' | 'outcome';
export type Direction = 'higher_is_better' | 'lower_is_better' | 'neutral';
/**
 * How the fact rows of a metric aggregate into a cell:
 * - count: numerator = value = number of counted records, denominator empty
 * - sum: value = numerator = sum of a measure (e.g. DRG weights), denominator empty
 * - rate: numerator = records with the event, denominator = records; value = share
 * - mean: numerator = sum of a measure, denominator = records; value = mean
 * - quantile: value = nearest-rank quantile, numerator empty, denominator = records
 * - ratio: numerator and denominator are two counts of different things (trips / patients)
 * - oe: observed / expected, with exact Poisson limits in lower/upper
 */
export type MetricKind = 'count' | 'sum' | 'rate' | 'mean' | 'quantile' | 'ratio' | 'oe';

/** One entry of catalog.json. */
export interface CatalogEntry {
  id: string;
  view: View;
  title: string;
  description: string;
  unit: string;
  direction: Direction;
  version: string;
  kind: MetricKind;
  /** 'department' (the default) or 'hospital' for metrics without department rows. */
  level: 'department' | 'hospital';
  /** What the metric needs beyond admissions and treatments. */
  requires: ('patients' | 'drg')[];
  /** Header lines of the metric file, carried into catalog.json for readers. */
  grain?: string;
  numerator?: string;
  denominator?: string;
  /** Exclusion reasons the metric may report (empty: none). */
  exclusions?: string[];
  /** For kind quantile: the fraction p/q. */
  quantile?: { p: number; q: number };
  /** The SQL file, relative to the project root. */
  source?: string;
  /** Position in the definition order: lists and pages sort by view, then by this. */
  order: number;
  /** The page under docs/ that explains the metric, e.g. `metrics/trips.md`. */
  docs: string;
  /** Charts the dashboards draw of the metric besides its trend: funnel plots, control charts (p-charts). */
  charts: ChartKind[];
  /** The reader's texts in Danish (see `inLocale` in catalog.ts). */
  da: LocalTexts;
}

export type ChartKind = 'funnel' | 'control';

/** The texts of a catalog entry that a reader sees, in one language. */
export interface LocalTexts {
  title: string;
  description: string;
  unit: string;
  grain: string;
  numerator: string;
  denominator: string;
}

/** One row of the metrics table (contract §5). */
export interface MetricRow {
  metric_id: string;
  view: View;
  period: string;
  hospital_id: string;
  department_id: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
}
