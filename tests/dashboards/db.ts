/** Put metric rows into a real DuckDB `metrics` table (and a run_info row), as a run leaves them. */
import { METRICS_DDL } from '../../metrics/aggregate.js';
import { PEOPLE_DDL, PEOPLE_TABLE } from '../../metrics/people.js';
import type { MetricRow } from '../../metrics/types.js';
import type { Db } from '../../pipeline/core/db.js';

const COLUMNS: (keyof MetricRow)[] = ['metric_id', 'view', 'period', 'hospital_id', 'department_id', 'numerator', 'denominator', 'value', 'lower', 'upper'];

export async function loadMetricRows(db: Db, rows: MetricRow[]): Promise<void> {
  await db.run(`CREATE TABLE metrics_text (${COLUMNS.map((c) => `${c} VARCHAR`).join(', ')})`);
  await db.appendTextColumns(
    'metrics_text',
    COLUMNS.map((c) => rows.map((r) => (r[c] === null ? null : String(r[c])))),
  );
  await db.run(METRICS_DDL);
  await db.run(`INSERT INTO metrics SELECT metric_id, view, period, hospital_id, department_id,
    CAST(numerator AS DOUBLE), CAST(denominator AS DOUBLE), CAST(value AS DOUBLE), CAST(lower AS DOUBLE), CAST(upper AS DOUBLE) FROM metrics_text`);
  await db.run('DROP TABLE metrics_text');
  const withPeople = rows.filter((r) => r.people);
  await db.run(PEOPLE_DDL);
  const keys = ['metric_id', 'period', 'hospital_id', 'department_id'] as const;
  await db.run(`CREATE TABLE people_text (${[...keys, 'n', 'd', 'c'].map((c) => `${c} VARCHAR`).join(', ')})`);
  await db.appendTextColumns('people_text', [
    ...keys.map((k) => withPeople.map((r) => r[k])),
    ...(['numerator', 'denominator', 'complement'] as const).map((k) => withPeople.map((r) => String(r.people![k]))),
  ]);
  await db.run(`INSERT INTO ${PEOPLE_TABLE} SELECT metric_id, period, hospital_id, department_id, CAST(n AS BIGINT), CAST(d AS BIGINT), CAST(c AS BIGINT) FROM people_text`);
  await db.run('DROP TABLE people_text');
}
