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
 * - share: numerator = sum of a measure over the records of the numerator set, denominator =
 *   sum of it over all records (each record's num is its den or 0); value = share. The
 *   people behind each cell are counted for suppression (`CellPeople`), never published
 */
export type MetricKind = 'count' | 'sum' | 'rate' | 'mean' | 'quantile' | 'ratio' | 'oe' | 'share';

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
  /**
   * The metric whose value is this metric's denominator in every cell (the DRG share divides
   * by `drg_value`): a cell is hidden whenever that metric's cell is, or its denominator would
   * publish the hidden value.
   */
  denominatorMetric?: string;
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

/** One row of the metrics table (docs/reference/contract.md#outputs). */
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
  /** Kind share only: who is behind the cell, for small-cell suppression (never published). */
  people?: CellPeople | null;
}

/**
 * Distinct patients behind the numbers of a `share` cell: a sum of weights speaks about
 * the people whose weights it adds, however many contacts they had. Kept in the
 * `metric_people` table and read only by suppression (docs/exports.md).
 */
export interface CellPeople {
  /** Patients with a positive weight in the numerator set. */
  numerator: number;
  /** Patients with a positive weight in the cell. */
  denominator: number;
  /** Patients with a positive weight outside the numerator set (what denominator − numerator adds up). */
  complement: number;
}
