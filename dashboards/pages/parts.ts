/** Pieces several pages share: units, controls, table definitions, the common context. */
import type { CatalogEntry, ChartKind } from '../../metrics/types.js';
import { ALL, type RowIndex } from '../data/rows.js';
import type { Unit } from '../data/changes.js';
import type { YearPair } from '../data/periods.js';
import { COUNT_FORMAT, vegaFormat } from '../format.js';
import type { Strings } from '../i18n.js';
import type { Control, SiteContext, TableColumn, TableDef } from '../types.js';
import type { NavLinks } from './layout.js';

/** Everything a page builder reads. */
export interface Built {
  index: RowIndex;
  ctx: SiteContext;
  t: Strings;
  nav: NavLinks;
  /** Catalog entries of the metrics present in the rows, in listing order, with the locale's texts. */
  metrics: CatalogEntry[];
  pairs: YearPair[];
  latest: YearPair | null;
}

export const entryOf = (b: Built, id: string): CatalogEntry | undefined => b.metrics.find((m) => m.id === id);

/** The metrics whose headers ask for a chart (`charts: funnel, control`), in listing order. */
export const chartMetrics = (b: Built, chart: ChartKind): CatalogEntry[] => b.metrics.filter((m) => m.charts.includes(chart));

/** Hospitals as units (department ALL), then all hospitals together. */
export function hospitalUnits(b: Built): Unit[] {
  return [
    ...b.index.hospitals.map((h) => ({ id: h, label: h, hospital: h, department: ALL })),
    { id: ALL, label: b.t.allHospitals, hospital: ALL, department: ALL },
  ];
}

/** A hospital's departments as units, then the whole hospital. */
export function departmentUnits(b: Built, hospital: string): Unit[] {
  return [
    ...b.index.departments(hospital).map((d) => ({ id: d, label: d, hospital, department: d })),
    { id: ALL, label: b.t.wholeHospital, hospital, department: ALL },
  ];
}

export function unitControl(id: string, label: string, units: Unit[], value: string): Control {
  return { id, label, options: units.map((u) => ({ value: u.id, label: u.label })), value };
}

export function yearControl(b: Built, id = 'sel-year'): Control | null {
  if (!b.latest) return null;
  return {
    id,
    label: b.t.year,
    options: b.pairs.map((p) => ({ value: p.year, label: b.t.yearOption(p.year, p.previous, p.partial) })),
    value: b.latest.year,
  };
}

/** Year periods for funnel plots, newest first, and the default (the latest complete year). */
export function periodControl(b: Built, id = 'sel-period'): Control | null {
  const years = b.index.periods.filter((p) => /^\d{4}$/.test(p)).sort().reverse();
  if (years.length === 0) return null;
  const partial = new Set(b.pairs.filter((p) => p.partial).map((p) => p.year));
  const complete = years.filter((y) => !partial.has(y));
  const value = b.latest?.year ?? complete[0] ?? years[0]!;
  return { id, label: b.t.period, options: years.map((y) => ({ value: y, label: partial.has(y) ? `${y} (${b.t.partial})` : y })), value };
}

export const titles = (metrics: CatalogEntry[]): Record<string, string> => Object.fromEntries(metrics.map((m) => [m.id, m.title]));
export const formats = (metrics: CatalogEntry[]): Record<string, string> => Object.fromEntries(metrics.map((m) => [m.id, vegaFormat(m)]));

/** Table of monthly rows (trend datasets): metric, month, value, numerator, denominator for the chosen unit. */
export function monthTable(dataset: string, metrics: CatalogEntry[], t: Strings, unit: { param: string } | { fixed: string }, valueField = 'value'): TableDef {
  const columns: TableColumn[] = [
    { field: 'metric_id', label: t.metric, labels: titles(metrics) },
    { field: 'period', label: t.month },
    { field: valueField, label: t.value, formatBy: { field: 'metric_id', formats: formats(metrics) }, hiddenWhenNull: true },
    { field: 'numerator', label: t.numerator, format: COUNT_FORMAT },
    { field: 'denominator', label: t.denominator, format: COUNT_FORMAT },
  ];
  return {
    dataset,
    columns,
    filters: [
      'param' in unit ? { field: 'unit', param: unit.param } : { field: 'unit', oneOf: [unit.fixed] },
      { field: 'metric_id', oneOf: metrics.map((m) => m.id) },
    ],
  };
}

/** The "show as table" of a year-on-year change matrix, one row per unit and metric. */
export function changesTable(t: Strings, unitTitle: string): TableDef {
  return {
    dataset: 'changes',
    columns: [
      { field: 'label', label: unitTitle },
      { field: 'metric', label: t.metric },
      { field: 'prev_text', label: t.yearBefore },
      { field: 'value_text', label: t.thisYear },
      { field: 'change_text', label: t.change },
      { field: 'numerator', label: t.numerator, format: COUNT_FORMAT },
      { field: 'denominator', label: t.denominator, format: COUNT_FORMAT },
    ],
    filters: [{ field: 'year', param: 'year' }],
  };
}
