/**
 * SQL that turns a metric's fact table into its grain rows and exclusion counts.
 *
 * Every grain is a GROUPING SET, so a hospital or year cell is computed from its
 * records, never from finer cells' values (medians and rates do not add up): counts
 * and decimal sums are added up from the finest cells' counts and sums, which is
 * exact; quantiles and distinct counts are taken over the fact rows themselves.
 * Periods are grouped as truncated dates and formatted only on the result rows:
 * formatting every fact row costs three times as much.
 */
import { ident } from '../pipeline/core/db.js';
import type { MetricKind } from './types.js';

export const METRICS_DDL = `CREATE TABLE metrics (
  metric_id VARCHAR NOT NULL,
  view VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  hospital_id VARCHAR NOT NULL,
  department_id VARCHAR NOT NULL,
  numerator DOUBLE,
  denominator DOUBLE,
  value DOUBLE,
  lower DOUBLE,
  upper DOUBLE
)`;

export const EXCLUSIONS_DDL = `CREATE TABLE exclusions (
  metric_id VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  hospital_id VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  count BIGINT NOT NULL
)`;

export interface AggregateSpec {
  factTable: string;
  kind: MetricKind;
  level: 'department' | 'hospital';
  /** kind ratio: the denominator counts distinct values of `den_distinct`. */
  denDistinct: boolean;
  /**
   * kind count: a fact row stands for `records` counted records (bed_days: the nights of
   * one contact in one month), so that a count need not list its records one row each.
   */
  records?: boolean;
  /** Only the facts for which this SQL condition holds (a night re-aggregates the years that changed). */
  where?: string;
}

/** The grains of a metric as GROUPING SETS over `month`/`year`, `hospital_id` and (department level) `department_id`. */
export function groupingSets(level: 'department' | 'hospital'): string {
  const sets: string[] = [];
  for (const period of ['month', 'year']) {
    if (level === 'department') sets.push(`(${period}, hospital_id, department_id)`);
    sets.push(`(${period}, hospital_id)`, `(${period})`);
  }
  return sets.join(', ');
}

/**
 * The sets of `groupingSets` each with `column` added: the first step of a distinct count per
 * grain (one row per cell and distinct value), which a second GROUP BY then counts. For the
 * people of a share metric (three filtered distinct counts over a few hundred thousand facts)
 * one grouping-sets pass and a count take half the time of a `count(DISTINCT …)` per set and
 * aggregate (metrics/people.ts); for one distinct count over millions of facts
 * (`trips_per_patient`) they took 1.7 times as long, so `aggregates` keeps `count(DISTINCT …)`.
 */
export function groupingSetsWith(level: 'department' | 'hospital', column: string): string {
  return groupingSets(level).replace(/\)/g, `, ${column})`);
}

/**
 * Which grain a row of `groupingSetsWith` belongs to: `grouping(month, year, hospital_id,
 * department_id)`, the department's bit set (not grouped by it) at the hospital level.
 */
export function grainId(level: 'department' | 'hospital'): string {
  return level === 'department' ? 'grouping(month, year, hospital_id, department_id)' : 'grouping(month, year, hospital_id) * 2 + 1';
}

/**
 * The `period`, `hospital_id` and `department_id` of a grain's row from `g`, a `grainId` kept by the
 * first step of a distinct count (bits, high to low: month, year, hospital_id, department_id; 1 = not
 * grouped by it); `grainKeys` is the same over the grouping itself.
 */
export function grainKeysOf(level: 'department' | 'hospital', g = 'g'): string {
  return `CASE WHEN ${g} & 8 = 0 THEN strftime(month, '%Y-%m') ELSE strftime(year, '%Y') END AS period,
  CASE WHEN ${g} & 2 = 0 THEN hospital_id ELSE 'ALL' END AS hospital_id,
  ${level === 'department' ? `CASE WHEN ${g} & 1 = 0 THEN department_id ELSE 'ALL' END` : "'ALL'"} AS department_id`;
}

/** The `period`, `hospital_id` and `department_id` of a grain's row, from `grouping()` over the sets above. */
export function grainKeys(level: 'department' | 'hospital'): string {
  return grainKeysOf(level, `(${grainId(level)})`);
}

// Sums go through DECIMAL so that they do not depend on the order in which parallel
// threads add them up: the same input must give byte-identical outputs (rounding each
// term to 1e-12 first is far below any published precision).

/**
 * What a cell's aggregates are made of: its count of records, of records with a `num`, its sums of
 * `num`, `den` and `records`. Over the fact rows, or over the finest cells' counts and sums
 * (`CELL_SUMS`), which add up to the same numbers exactly: the sums are DECIMAL, the counts whole.
 */
interface Terms {
  n: string;
  nNum: string;
  num: string;
  den: string;
  records: string;
}
const FACT_TERMS: Terms = {
  n: 'count(*)',
  nNum: 'count(num)',
  num: 'CAST(sum(CAST(num AS DECIMAL(38, 12))) AS DOUBLE)',
  den: 'CAST(sum(CAST(den AS DECIMAL(38, 12))) AS DOUBLE)',
  records: 'CAST(sum(records) AS BIGINT)',
};
/** The finest cells' columns (month, hospital, department), each a count or sum over its fact rows. */
const CELL_SUMS: Record<string, string> = {
  n: 'count(*)',
  n_num: 'count(num)',
  s_num: 'sum(CAST(num AS DECIMAL(38, 12)))',
  s_den: 'sum(CAST(den AS DECIMAL(38, 12)))',
  s_records: 'sum(records)',
};
const CELL_TERMS: Terms = {
  n: 'CAST(sum(n) AS BIGINT)',
  nNum: 'CAST(sum(n_num) AS BIGINT)',
  num: 'CAST(sum(s_num) AS DOUBLE)',
  den: 'CAST(sum(s_den) AS DOUBLE)',
  records: 'CAST(sum(s_records) AS BIGINT)',
};

/** Whether a kind's grains add up from the finest cells: not a quantile, not a count of distinct values. */
function additive(spec: AggregateSpec): boolean {
  return spec.kind !== 'quantile' && !(spec.kind === 'ratio' && spec.denDistinct);
}

/** numerator, denominator and value of one cell, and when the cell exists, made of `t`. */
function aggregates(spec: AggregateSpec, t: Terms): { numerator: string; denominator: string; value: string; present: string } {
  switch (spec.kind) {
    case 'count': {
      const n = spec.records ? t.records : t.n;
      return { numerator: n, denominator: 'NULL', value: n, present: `${n} > 0` };
    }
    case 'sum':
      return { numerator: t.num, denominator: 'NULL', value: t.num, present: `${t.nNum} > 0` };
    case 'rate':
    case 'mean':
      return { numerator: t.num, denominator: t.n, value: `${t.num} / ${t.n}`, present: `${t.n} > 0` };
    case 'quantile':
      // Nearest rank: the k-th smallest value with k = ceil(p*n/q) in integer arithmetic.
      return {
        numerator: 'NULL',
        denominator: 'count(*)',
        value: 'list_sort(list(num))[(CAST($p AS BIGINT) * count(*) + CAST($q AS BIGINT) - 1) // CAST($q AS BIGINT)]',
        present: 'count(*) > 0',
      };
    case 'ratio': {
      const den = spec.denDistinct ? 'count(DISTINCT den_distinct)' : t.den;
      return { numerator: t.num, denominator: den, value: `${t.num} / ${den}`, present: `coalesce(${den}, 0) <> 0` };
    }
    case 'oe':
    case 'share':
      return { numerator: t.num, denominator: t.den, value: `${t.num} / ${t.den}`, present: `coalesce(${t.den}, 0) <> 0` };
  }
}

/**
 * `INSERT INTO metrics` of every grain of one metric. Bound parameters:
 * `$metric_id`, `$view`, and for quantiles `$p`, `$q`.
 *
 * Counts and sums add up: the facts are first summed into their finest cells (month, hospital,
 * department), one pass over them, and every grain is then made of those cells, a few thousand
 * rows, instead of one pass over the facts per grain. A quantile or a distinct count does not add
 * up: its grains are made of the fact rows.
 */
export function aggregateSql(spec: AggregateSpec): string {
  const cells = additive(spec);
  const a = aggregates(spec, cells ? CELL_TERMS : FACT_TERMS);
  const extra =
    (spec.denDistinct ? ', den_distinct' : '') + (spec.records ? ', CAST(records AS BIGINT) AS records' : '');
  // Only the counts and sums the kind's aggregates read are made.
  const read = Object.keys(CELL_SUMS).filter((c) => Object.values(a).some((x) => new RegExp(`\\(${c}\\)`).test(x)));
  const summed = cells
    ? `,
cells AS (
  SELECT month, year, hospital_id, department_id, ${read.map((c) => `${CELL_SUMS[c]} AS ${c}`).join(', ')}
  FROM f
  GROUP BY month, year, hospital_id, department_id
)`
    : '';
  return `INSERT INTO metrics
WITH f AS (
  SELECT date_trunc('month', CAST(period_date AS DATE)) AS month,
         date_trunc('year', CAST(period_date AS DATE)) AS year,
         CAST(hospital_id AS VARCHAR) AS hospital_id,
         CAST(department_id AS VARCHAR) AS department_id,
         CAST(num AS DOUBLE) AS num,
         CAST(den AS DOUBLE) AS den${extra}
  FROM ${ident(spec.factTable)}
  WHERE exclusion IS NULL${spec.where ? ` AND (${spec.where})` : ''}
)${summed}
SELECT
  $metric_id AS metric_id,
  $view AS view,
  ${grainKeys(spec.level)},
  ${a.numerator} AS numerator,
  ${a.denominator} AS denominator,
  ${a.value} AS value,
  CAST(NULL AS DOUBLE) AS lower,
  CAST(NULL AS DOUBLE) AS upper
FROM ${cells ? 'cells' : 'f'}
GROUP BY GROUPING SETS (${groupingSets(spec.level)})
HAVING ${a.present}`;
}

/**
 * `INSERT INTO exclusions`: excluded records by reason, per month and per year,
 * per hospital and for 'ALL' hospitals (`records`: fact rows carry a record count).
 * Bound parameter: `$metric_id`. `where`: only the facts for which it holds.
 */
export function exclusionsSql(factTable: string, records = false, where?: string): string {
  return `INSERT INTO exclusions
WITH f AS (
  SELECT date_trunc('month', CAST(period_date AS DATE)) AS month,
         date_trunc('year', CAST(period_date AS DATE)) AS year,
         CAST(hospital_id AS VARCHAR) AS hospital_id,
         CAST(exclusion AS VARCHAR) AS reason${records ? ', CAST(records AS BIGINT) AS records' : ''}
  FROM ${ident(factTable)}
  WHERE exclusion IS NOT NULL${where ? ` AND (${where})` : ''}
)
SELECT
  $metric_id AS metric_id,
  CASE WHEN grouping(month) = 0 THEN strftime(month, '%Y-%m') ELSE strftime(year, '%Y') END AS period,
  CASE WHEN grouping(hospital_id) = 0 THEN hospital_id ELSE 'ALL' END AS hospital_id,
  reason,
  ${records ? 'CAST(sum(records) AS BIGINT)' : 'count(*)'} AS count
FROM f
GROUP BY GROUPING SETS ((month, hospital_id, reason), (month, reason), (year, hospital_id, reason), (year, reason))`;
}
