/**
 * Checking the peer's numbers against ours: the `metrics.csv` rows of the two
 * metrics at (month, hospital) — department `ALL`, hospital not `ALL`, period
 * `YYYY-MM` — joined on (metric, period, hospital) to the peer's file.
 */
import { Db } from '../pipeline/core/db.js';

export interface Mismatch {
  metric_id: string;
  period: string;
  hospital_id: string;
  ours_numerator: number | null;
  ours_denominator: number | null;
  peer_numerator: number | null;
  peer_denominator: number | null;
}

export interface Comparison {
  /** Cells compared (present on either side). */
  cells: number;
  /** Cells whose numerator, denominator or presence differ (value follows from them). */
  mismatches: number;
  /** Up to ten of them, for the report. */
  examples: Mismatch[];
}

/**
 * Compare the peer's CSV (`metric_id,period,hospital_id,numerator,denominator,value`)
 * with our `metrics.csv`. Numerators and denominators are whole numbers on both sides,
 * so they must be equal exactly; a cell present on one side only is a mismatch.
 */
export async function comparePeer(oursCsv: string, peerCsv: string): Promise<Comparison> {
  const db = await Db.open(':memory:');
  try {
    await db.run(
      `CREATE TABLE ours AS
       SELECT metric_id, period, hospital_id, CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator
       FROM read_csv($ours, header = true, all_varchar = true)
       WHERE metric_id IN ('readmission_30d', 'los_mean') AND department_id = 'ALL' AND hospital_id <> 'ALL'
         AND regexp_full_match(period, '\\d{4}-\\d{2}')`,
      { ours: oursCsv },
    );
    await db.run(
      `CREATE TABLE peer AS
       SELECT metric_id, period, hospital_id, CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator
       FROM read_csv($peer, header = true, all_varchar = true)`,
      { peer: peerCsv },
    );
    await db.run(
      `CREATE TABLE cmp AS
       SELECT coalesce(o.metric_id, p.metric_id) AS metric_id, coalesce(o.period, p.period) AS period,
              coalesce(o.hospital_id, p.hospital_id) AS hospital_id,
              o.numerator AS ours_numerator, o.denominator AS ours_denominator,
              p.numerator AS peer_numerator, p.denominator AS peer_denominator
       FROM ours o FULL JOIN peer p USING (metric_id, period, hospital_id)`,
    );
    const differs = `ours_numerator IS DISTINCT FROM peer_numerator OR ours_denominator IS DISTINCT FROM peer_denominator`;
    const cells = Number(await db.scalar('SELECT count(*) FROM cmp'));
    const mismatches = Number(await db.scalar(`SELECT count(*) FROM cmp WHERE ${differs}`));
    const examples = await db.all<Mismatch>(`SELECT * FROM cmp WHERE ${differs} ORDER BY ALL LIMIT 10`);
    return { cells, mismatches, examples };
  } finally {
    db.close();
  }
}
