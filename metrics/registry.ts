/**
 * The metric registry: every `metrics/<view>/<metric_id>.sql` file, read at run
 * time from the project root (so the compiled `dist/` build uses the same files).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../pipeline/core/paths.js';
import { sqlFilesUnder } from '../pipeline/core/sql.js';
import { parseMetricFile, type Header } from './header.js';
import { SHARED_DIR } from './shared.js';
import type { CatalogEntry } from './types.js';

export interface MetricDef {
  id: string;
  /** Path relative to the project root, e.g. `metrics/outcome/readmission_30d.sql`. */
  file: string;
  header: Header;
  /** One SELECT statement returning one row per record (see docs/metrics.md). */
  sql: string;
  entry: CatalogEntry;
}

/** Relative paths of every metric SQL file (`metrics/<view>/*.sql`), sorted. */
export function metricFiles(): string[] {
  // shared/ holds the building blocks metric files read, not metrics (see shared.ts).
  return sqlFilesUnder('metrics').filter((f) => f.split('/').length === 3 && !f.startsWith(`${SHARED_DIR}/`));
}

function toEntry(h: Header, file: string): CatalogEntry {
  const e: CatalogEntry = {
    id: h.metric_id,
    view: h.view,
    title: h.title,
    description: h.definition,
    unit: h.unit,
    direction: h.direction,
    version: h.version,
    kind: h.kind,
    level: h.level,
    requires: h.requires,
    grain: h.grain,
    numerator: h.numerator,
    denominator: h.denominator,
    exclusions: h.exclusions,
    source: file,
    order: h.order,
    docs: h.docs,
    charts: h.charts,
    da: {
      title: h.title_da,
      description: h.definition_da,
      unit: h.unit_da,
      grain: h.grain_da,
      numerator: h.numerator_da,
      denominator: h.denominator_da,
    },
  };
  if (h.quantile) e.quantile = h.quantile;
  if (h.denominator_metric) e.denominatorMetric = h.denominator_metric;
  return e;
}

/** Read one metric file and check that its id and view match its path. */
export function loadMetricFile(file: string): MetricDef {
  const { header, body } = parseMetricFile(readFileSync(join(projectRoot(), file), 'utf8'), file);
  const [, view, name] = file.split('/');
  if (header.metric_id !== name?.replace(/\.sql$/, ''))
    throw new Error(`${file}: metric_id "${header.metric_id}" does not match the file name`);
  if (header.view !== view) throw new Error(`${file}: view "${header.view}" does not match the folder "${view}"`);
  return { id: header.metric_id, file, header, sql: body, entry: toEntry(header, file) };
}

/** Every metric, activity view first, then by id. Throws on a bad header, naming the file. */
export function loadRegistry(): MetricDef[] {
  const defs = metricFiles().map(loadMetricFile);
  const seen = new Set<string>();
  for (const d of defs) {
    if (seen.has(d.id)) throw new Error(`${d.file}: metric_id "${d.id}" is defined twice`);
    seen.add(d.id);
  }
  for (const d of defs) {
    const den = d.header.denominator_metric;
    if (den !== undefined && (!seen.has(den) || den === d.id))
      throw new Error(`${d.file}: denominator_metric "${den}" is not another metric`);
  }
  const viewOrder = { activity: 0, outcome: 1 } as const;
  return defs.sort((a, b) => viewOrder[a.header.view] - viewOrder[b.header.view] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The metrics whose header says `periods: spread`: a record is filed under every period its
 * stay spans, not under one event's. Read from the headers, not the catalog entries, so that
 * catalog.json stays what it is (the dashboards alone need it).
 */
export function spreadMetricIds(): ReadonlySet<string> {
  return new Set(loadRegistry().filter((d) => d.header.periods === 'spread').map((d) => d.id));
}

/** catalog.json entries of every metric in the registry. */
export function catalogEntries(): CatalogEntry[] {
  return loadRegistry().map((d) => d.entry);
}
