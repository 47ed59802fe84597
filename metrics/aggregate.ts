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
function additive(spec: Pick<AggregateSpec, 'kind' | 'denDistinct'>): boolean {
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

/** A fact row's record count, as the grains and exclusions read it. */
const RECORDS = ', CAST(records AS BIGINT) AS records';

/**
 * The fact rows the grains read: periods truncated, ids as text, num and den as DOUBLE, and
 * `den_distinct` and `records` where the spec has them (then the columns `more` names).
 */
function factRows(spec: AggregateSpec, more = ''): string {
  const extra = (spec.denDistinct ? ', den_distinct' : '') + (spec.records ? RECORDS : '') + more;
  return `SELECT date_trunc('month', CAST(period_date AS DATE)) AS month,
         date_trunc('year', CAST(period_date AS DATE)) AS year,
         CAST(hospital_id AS VARCHAR) AS hospital_id,
         CAST(department_id AS VARCHAR) AS department_id,
         CAST(num AS DOUBLE) AS num,
         CAST(den AS DOUBLE) AS den${extra}
  FROM ${ident(spec.factTable)}
  WHERE exclusion IS NULL${spec.where ? ` AND (${spec.where})` : ''}`;
}

/** The finest cells' sums a kind's aggregates read (`CELL_SUMS` keys). */
function cellSumsRead(spec: AggregateSpec): string[] {
  const a = aggregates(spec, CELL_TERMS);
  return Object.keys(CELL_SUMS).filter((c) => Object.values(a).some((x) => new RegExp(`\\(${c}\\)`).test(x)));
}

/** The grain rows of `metrics` made of `from` (the fact rows `f`, or finest cells), grouped by the grains' sets. */
function grainRows(spec: AggregateSpec, from: string, t: Terms): string {
  const a = aggregates(spec, t);
  return `SELECT
  $metric_id AS metric_id,
  $view AS view,
  ${grainKeys(spec.level)},
  ${a.numerator} AS numerator,
  ${a.denominator} AS denominator,
  ${a.value} AS value,
  CAST(NULL AS DOUBLE) AS lower,
  CAST(NULL AS DOUBLE) AS upper
FROM ${from}
GROUP BY GROUPING SETS (${groupingSets(spec.level)})
HAVING ${a.present}`;
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
  const summed = cells
    ? `,
cells AS (
  SELECT month, year, hospital_id, department_id, ${cellSumsRead(spec).map((c) => `${CELL_SUMS[c]} AS ${c}`).join(', ')}
  FROM f
  GROUP BY month, year, hospital_id, department_id
)`
    : '';
  return `INSERT INTO metrics
WITH f AS (
  ${factRows(spec)}
)${summed}
${grainRows(spec, cells ? 'cells' : 'f', cells ? CELL_TERMS : FACT_TERMS)}`;
}

/**
 * Kept cells (docs/architecture.md#nightly-recompute): a metric whose grains add up (`keepsCells`) and
 * whose facts a night recomputes per patient keeps its finest cells between runs, so that a night
 * adds to them the facts that came and takes away those that went, and makes the grains of the years
 * that changed from the cells, never from the store's facts. Each sum comes with the count of the
 * values it adds (a sum of none is NULL); a cell is there while it has a fact (`n`). The sums are
 * DECIMAL and the counts whole: adding and taking away gives exactly the cells a full run makes.
 */
export function keepsCells(spec: Pick<AggregateSpec, 'kind' | 'denDistinct'>): boolean {
  return spec.kind !== 'share' && spec.kind !== 'oe' && additive(spec);
}

/** A kept sum (`sum`) of the values `value`, with the count of those values (`count`). */
interface KeptSum {
  sum: string;
  count: string;
  value: string;
}

/** The columns of kept cells for a kind: `n`, and each sum it reads with the count of its values. */
function keptCellColumns(spec: AggregateSpec): KeptSum[] {
  const pairs: KeptSum[] = [
    { sum: 's_num', count: 'n_num', value: 'CAST(num AS DECIMAL(38, 12))' },
    { sum: 's_den', count: 'n_den', value: 'CAST(den AS DECIMAL(38, 12))' },
    { sum: 's_records', count: 'n_records', value: 'records' },
  ];
  const read = cellSumsRead(spec);
  return pairs.filter((p) => read.includes(p.sum) || read.includes(p.count));
}

/**
 * `CREATE TABLE cellsTable AS` the finest cells of a fact table (a full run, over the store): as
 * `aggregateSql` makes them, with the counts `keptCellColumns` adds.
 */
export function keptCellsSql(spec: AggregateSpec, cellsTable: string): string {
  const cols = keptCellColumns(spec).flatMap((p) => [`count(${p.value}) AS ${p.count}`, `sum(${p.value}) AS ${p.sum}`]);
  return `CREATE OR REPLACE TABLE ${ident(cellsTable)} AS
WITH f AS (
  ${factRows(spec)}
)
SELECT month, year, hospital_id, department_id, count(*) AS n${cols.map((c) => `, ${c}`).join('')}
FROM f
GROUP BY month, year, hospital_id, department_id`;
}

/**
 * The statements (one text, no parameters) that make the kept cells of some years (`inYears`: a
 * condition on their \`year\` column) again from those cells and the facts that changed (\`delta\`, a fact
 * table with \`_rid\`: NULL for a fact that came, a row id for one that went), replacing those years'
 * cells. A cell counting fewer than no facts means the cells do not match the store: an error, never a
 * silent grain.
 */
export function updateKeptCellsSql(spec: AggregateSpec, cellsTable: string, delta: string, inYears: string): string {
  return mergedCellsSql(cellsTable, 'month, year, hospital_id, department_id', factRows({ ...spec, factTable: delta }, ', _rid'), keptCellColumns(spec), inYears, 'cells');
}

/**
 * The statements of `updateKeptCellsSql` for cells keyed by `keys`: `f` gives the difference's rows (the
 * cells' keys, the values `pairs` sum, `_rid`).
 */
function mergedCellsSql(cellsTable: string, keys: string, f: string, pairs: KeptSum[], inYears: string, what: string): string {
  const cells = ident(cellsTable);
  const came = 'CASE WHEN _rid IS NULL THEN 1 ELSE -1 END';
  const signed = pairs
    .map((p) => `, CASE WHEN ${p.value} IS NULL THEN 0 ELSE ${came} END AS ${p.count}, CASE WHEN _rid IS NULL THEN ${p.value} ELSE -(${p.value}) END AS ${p.sum}`)
    .join('');
  const cols = pairs.map((p) => `, ${p.count}, ${p.sum}`).join('');
  const merged = pairs
    .map((p) => `,
       CAST(sum(${p.count}) AS BIGINT) AS ${p.count},
       CASE WHEN sum(${p.count}) = 0 THEN NULL ELSE sum(${p.sum}) END AS ${p.sum}`)
    .join('');
  return [
    `CREATE OR REPLACE TEMP TABLE pfacts_cells AS
WITH f AS (
  ${f}
), d AS (
  SELECT ${keys}, ${came} AS n${signed} FROM f
)
SELECT ${keys},
       CASE WHEN sum(n) < 0 THEN error('the kept ${what} do not match the store') ELSE CAST(sum(n) AS BIGINT) END AS n${merged}
FROM (SELECT ${keys}, n${cols} FROM ${cells} WHERE ${inYears}
      UNION ALL
      SELECT ${keys}, n${cols} FROM d WHERE ${inYears})
GROUP BY ${keys}`,
    `DELETE FROM ${cells} WHERE ${inYears}`,
    `INSERT INTO ${cells} SELECT * FROM pfacts_cells WHERE n > 0`,
    'DROP TABLE temp.pfacts_cells',
  ].join(';\n');
}

/** `INSERT INTO metrics` of the grains made of kept cells (`where`: a condition on the cells, e.g. their years). Bound as `aggregateSql`. */
export function grainsOfKeptCellsSql(spec: AggregateSpec, cellsTable: string, where?: string): string {
  return `INSERT INTO metrics
WITH cells AS (SELECT * FROM ${ident(cellsTable)}${where ? ` WHERE ${where}` : ''})
${grainRows(spec, 'cells', CELL_TERMS)}`;
}

/**
 * `INSERT INTO exclusions`: excluded records by reason, per month and per year,
 * per hospital and for 'ALL' hospitals (`records`: fact rows carry a record count).
 * Bound parameter: `$metric_id`. `where`: only the facts for which it holds.
 */
export function exclusionsSql(factTable: string, records = false, where?: string): string {
  return `INSERT INTO exclusions
WITH f AS (
  ${excludedRows(factTable, records, where)}
)
${exclusionRows('f', records ? 'CAST(sum(records) AS BIGINT)' : 'count(*)')}`;
}

/** The rows of `exclusions` made of `from` (excluded facts, or kept exclusion cells), each cell's count being `count`. */
function exclusionRows(from: string, count: string): string {
  return `SELECT
  $metric_id AS metric_id,
  CASE WHEN grouping(month) = 0 THEN strftime(month, '%Y-%m') ELSE strftime(year, '%Y') END AS period,
  CASE WHEN grouping(hospital_id) = 0 THEN hospital_id ELSE 'ALL' END AS hospital_id,
  reason,
  ${count} AS count
FROM ${from}
GROUP BY GROUPING SETS ((month, hospital_id, reason), (month, reason), (year, hospital_id, reason), (year, reason))`;
}

/** The exclusion rows of `exclusionsSql` (month, year, hospital_id, reason and, with `records`, records) of a fact table. */
function excludedRows(factTable: string, records: boolean, where?: string, extra = ''): string {
  return `SELECT date_trunc('month', CAST(period_date AS DATE)) AS month,
         date_trunc('year', CAST(period_date AS DATE)) AS year,
         CAST(hospital_id AS VARCHAR) AS hospital_id,
         CAST(exclusion AS VARCHAR) AS reason${records ? RECORDS : ''}${extra}
  FROM ${ident(factTable)}
  WHERE exclusion IS NOT NULL${where ? ` AND (${where})` : ''}`;
}

/**
 * `CREATE TABLE cellsTable AS` the kept cells of a metric's exclusions (`keepsCells`): the excluded facts
 * by month, hospital and reason, counted (`n`) and, with `records`, their records summed.
 */
export function keptExclusionCellsSql(factTable: string, cellsTable: string, records = false): string {
  return `CREATE OR REPLACE TABLE ${ident(cellsTable)} AS
WITH f AS (
  ${excludedRows(factTable, records)}
)
SELECT month, year, hospital_id, reason, count(*) AS n${records ? ', count(records) AS n_records, sum(records) AS s_records' : ''}
FROM f
GROUP BY month, year, hospital_id, reason`;
}

/** As `updateKeptCellsSql`, for the kept cells of the exclusions. */
export function updateKeptExclusionCellsSql(cellsTable: string, delta: string, records: boolean, inYears: string): string {
  const pairs: KeptSum[] = records ? [{ sum: 's_records', count: 'n_records', value: 'records' }] : [];
  return mergedCellsSql(cellsTable, 'month, year, hospital_id, reason', excludedRows(delta, records, undefined, ', _rid'), pairs, inYears, 'exclusion cells');
}

/** `INSERT INTO exclusions` made of kept exclusion cells, as `exclusionsSql` makes them of the facts. Bound parameter: `$metric_id`. */
export function exclusionsOfKeptCellsSql(cellsTable: string, records = false, where?: string): string {
  return `INSERT INTO exclusions
${exclusionRows(`(SELECT * FROM ${ident(cellsTable)}${where ? ` WHERE ${where}` : ''})`, records ? 'CAST(sum(s_records) AS BIGINT)' : 'CAST(sum(n) AS BIGINT)')}`;
}
