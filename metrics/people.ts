/**
 * The people behind the cells of `share` metrics: one row per cell in `metric_people`,
 * written beside the metric's rows and read only by small-cell suppression. A share of
 * DRG weight over three contacts of one patient speaks about one person, so suppression
 * counts patients, not contacts (docs/exports.md). The table never leaves the database.
 */
import { Db, ident, type Params } from '../pipeline/core/db.js';
import { grainId, grainKeysOf, groupingSetsWith } from './aggregate.js';
import type { MetricRow } from './types.js';

export const PEOPLE_TABLE = 'metric_people';

export const PEOPLE_DDL = `CREATE TABLE ${PEOPLE_TABLE} (
  metric_id VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  hospital_id VARCHAR NOT NULL,
  department_id VARCHAR NOT NULL,
  numerator_people BIGINT NOT NULL,
  denominator_people BIGINT NOT NULL,
  complement_people BIGINT NOT NULL
)`;

/**
 * `INSERT INTO metric_people` for every grain of one share metric, over the same fact rows
 * and grouping sets as its `metrics` rows (the cells without a row are dropped by the join
 * when read). A patient counts where they have a positive weight: a weight of 0 adds
 * nothing to a sum, so it must not add a person that hides another. Bound: `$metric_id`.
 * `where`: only the facts for which it holds (a night's changed years: every cell lies in one year).
 * `patient`: the column naming the patient (in a slim store, its number: the same people are counted).
 */
export function peopleSql(factTable: string, level: 'department' | 'hospital', where?: string, patient: 'patient_id' | 'patient_key' = 'patient_id'): string {
  // Two steps (see groupingSetsWith): one row per cell and patient with what the patient has
  // there, then the patients counted per cell. A fact without a patient counts nobody (as
  // count(DISTINCT) leaves NULL out) but still makes its cell.
  return `INSERT INTO ${PEOPLE_TABLE}
WITH f AS (
  SELECT date_trunc('month', CAST(period_date AS DATE)) AS month,
         date_trunc('year', CAST(period_date AS DATE)) AS year,
         CAST(hospital_id AS VARCHAR) AS hospital_id,
         CAST(department_id AS VARCHAR) AS department_id,
         CAST(${ident(patient)} AS VARCHAR) AS patient_id,
         CAST(num AS DOUBLE) AS num,
         CAST(den AS DOUBLE) AS den
  FROM ${ident(factTable)}
  WHERE exclusion IS NULL${where ? ` AND (${where})` : ''}
), per AS (
  SELECT month, year, hospital_id, patient_id, ${grainId(level)} AS g,${level === 'department' ? ' department_id,' : ''}
         bool_or(num > 0) AS in_num, bool_or(den > 0) AS in_den, bool_or(den > num) AS in_complement
  FROM f
  GROUP BY GROUPING SETS (${groupingSetsWith(level, 'patient_id')})
)
SELECT
  $metric_id AS metric_id,
  ${grainKeysOf(level)},
  count(patient_id) FILTER (WHERE in_num) AS numerator_people,
  count(patient_id) FILTER (WHERE in_den) AS denominator_people,
  count(patient_id) FILTER (WHERE in_complement) AS complement_people
FROM per
GROUP BY month, year, hospital_id, ${level === 'department' ? 'department_id, ' : ''}g`;
}

const COLS = 'm.metric_id, m.view, m.period, m.hospital_id, m.department_id, m.numerator, m.denominator, m.value, m.lower, m.upper';

interface Flat extends Omit<MetricRow, 'people'> {
  numerator_people: number | bigint | null;
  denominator_people: number | bigint | null;
  complement_people: number | bigint | null;
}

/**
 * Rows of the `metrics` table (alias `m` in `where` and `order`), each with the people
 * behind it when the metric is a share (`people`, else null). What suppression reads: a
 * database without `metric_people` (written before share metrics existed) gives null,
 * which hides every share cell rather than guessing.
 */
export async function readMetricRows(db: Db, opts: { where?: string; params?: Params; order?: string } = {}): Promise<MetricRow[]> {
  const join = (await db.hasTable(PEOPLE_TABLE))
    ? `LEFT JOIN ${PEOPLE_TABLE} p USING (metric_id, period, hospital_id, department_id)`
    : '';
  const people = join ? 'p.numerator_people, p.denominator_people, p.complement_people' : 'NULL AS numerator_people, NULL AS denominator_people, NULL AS complement_people';
  const rows = await db.all<Flat>(
    `SELECT ${COLS}, ${people} FROM metrics m ${join} WHERE ${opts.where ?? 'true'} ORDER BY ${opts.order ?? 'm.metric_id, m.view, m.period, m.hospital_id, m.department_id'}`,
    opts.params,
    'metrics/people.ts',
  );
  return rows.map(({ numerator_people, denominator_people, complement_people, ...r }) => ({
    ...r,
    people:
      numerator_people === null || denominator_people === null || complement_people === null
        ? null
        : { numerator: Number(numerator_people), denominator: Number(denominator_people), complement: Number(complement_people) },
  }));
}
