/** Shapes shared by the dashboard builders: pure data in, pages and chart specs out. */
import type { CatalogEntry } from '../metrics/types.js';
import type { PublishedRow } from '../metrics/suppress.js';

export type { PublishedRow };

/** Texts per state: `texts[nameKey(values of params)]`. */
export interface ChartName {
  params: string[];
  texts: Record<string, string>;
}
export type Locale = 'en' | 'da';

/** One row of a dataset embedded in a page (aggregated numbers and labels only). */
export type DataRow = Record<string, string | number | boolean | null>;

/** A Vega-Lite spec as plain JSON; checked by compiling it in the tests. */
export type Spec = Record<string, unknown>;

/** What every builder needs besides the rows. */
export interface SiteContext {
  catalog: CatalogEntry[];
  locale: Locale;
  minCell: number;
  runDate: string;
  /** Last instant the data speaks for (`YYYY-MM-DD` or a timestamp). */
  cutoff: string;
  /** Base of the links to the project documentation (ends with `/`). */
  docsBase: string;
}

/**
 * Which rows of a dataset a chart's table shows: a field equal to the current value
 * of a parameter, equal to one of several parameters' values, or one of fixed values.
 */
export type TableFilter = { field: string; param: string } | { field: string; params: string[] } | { field: string; oneOf: string[] };

export interface TableColumn {
  field: string;
  label: string;
  /** d3-format string for numbers; omitted for text. */
  format?: string;
  /** Per-row format chosen by the value of another field (a metric id): {field, formats}. */
  formatBy?: { field: string; formats: Record<string, string> };
  /** Text shown for a value (e.g. a metric title for its id). */
  labels?: Record<string, string>;
  /** A null here means the cell was hidden by small-cell suppression. */
  hiddenWhenNull?: boolean;
}

/** The "show as table" alternative of a chart, built in the page from the embedded data. */
export interface TableDef {
  dataset: string;
  columns: TableColumn[];
  filters: TableFilter[];
}

/** One chart: its spec refers to datasets by name (`data: {name}`). */
export interface Chart {
  id: string;
  title: string;
  description: string;
  spec: Spec;
  datasets: Record<string, DataRow[]>;
  table: TableDef;
  /** What the chart shows, in words, for each state of its controls (its accessible name). */
  name: ChartName;
  /**
   * The metrics whose rows the chart can draw, when every part of its spec keeps only their rows
   * (a filter on `metric_id`) of datasets shared with other charts: its image key then reads only those
   * rows (and any row without a metric_id), so a night that changes one metric does not redraw the
   * charts of the others (render-cache.ts). The render-cache tests draw every such chart from only
   * these rows and compare it with the chart drawn from all of them.
   */
  keyMetrics?: string[];
}

/** A labelled `<select>` a chart's parameter is bound to (`bind: {element: '#id'}`). */
export interface Control {
  id: string;
  label: string;
  options: { value: string; label: string }[];
  value: string;
}

export interface Page {
  /** File name inside the dashboards folder, e.g. `index.html`. */
  file: string;
  title: string;
  html: string;
  charts: Chart[];
}
