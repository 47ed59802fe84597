/**
 * Exact Poisson limits of observed/expected cells. The limits need the inverse
 * incomplete gamma function, which DuckDB lacks, so they are computed in JS, once
 * per distinct observed count (few), and joined back onto the aggregated rows.
 */
import { Db, type SqlValue } from '../pipeline/core/db.js';
import { poissonExactLimits } from './poisson.js';

const CHUNK = 300;

/** Fill `lower`/`upper` of every `metrics` row of an oe metric: limits of O divided by E. */
export async function addPoissonLimits(db: Db, metricId: string): Promise<void> {
  const counts = await db.all<{ o: number }>(
    'SELECT DISTINCT numerator AS o FROM metrics WHERE metric_id = $id AND numerator IS NOT NULL',
    { id: metricId },
  );
  await db.run('CREATE OR REPLACE TEMP TABLE poisson_limits (o DOUBLE, lo DOUBLE, hi DOUBLE)');
  for (let off = 0; off < counts.length; off += CHUNK) {
    const part = counts.slice(off, off + CHUNK);
    const params: Record<string, SqlValue> = {};
    const values = part.map(({ o }, i) => {
      if (!Number.isInteger(o) || o < 0) throw new Error(`metric ${metricId}: observed count ${o} is not a whole number`);
      const { lower, upper } = poissonExactLimits(o);
      params[`o${i}`] = o;
      params[`l${i}`] = lower;
      params[`u${i}`] = upper;
      return `($o${i}, $l${i}, $u${i})`;
    });
    await db.run(`INSERT INTO poisson_limits VALUES ${values.join(', ')}`, params);
  }
  await db.run(
    `UPDATE metrics m SET lower = l.lo / m.denominator, upper = l.hi / m.denominator
     FROM poisson_limits l
     WHERE m.metric_id = $id AND m.numerator = l.o`,
    { id: metricId },
  );
  await db.run('DROP TABLE poisson_limits');
}
