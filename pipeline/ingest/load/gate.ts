/**
 * The data-quality gate (exit 3), and what an empty table means for the metrics.
 * The rules: docs/operations.md, "What outcomes refuses, and why".
 */
import { Db } from '../../core/db.js';
import type { TableValidation } from './validate.js';

/** Why the gate fails (empty when it passes): a table with too many rejects, or no admissions at all. */
export function gateFailures(tables: readonly TableValidation[], maxRejectShare: number): string[] {
  const reasons: string[] = [];
  const admissions = tables.find((t) => t.table === 'admissions');
  if (admissions && admissions.rows_read === 0) {
    reasons.push('admissions: the table has no rows (its files hold a header and nothing else), so there is nothing to measure');
  }
  for (const t of tables.filter((x) => x.reject_share > maxRejectShare)) {
    reasons.push(
      `${t.table}: ${t.rows_rejected} of ${t.rows_read} rows rejected (${(t.reject_share * 100).toFixed(2)}%), above max_reject_share ${(maxRejectShare * 100).toFixed(2)}%`,
    );
  }
  return reasons;
}

/**
 * A note for a `treatments` table without rows (legal: inpatient-only extracts, such as ICU
 * databases, have none), naming the metrics that are then empty; undefined otherwise.
 */
export async function emptyTreatmentsNote(db: Db, tables: readonly TableValidation[], metricIds: readonly string[]): Promise<string | undefined> {
  const treatments = tables.find((t) => t.table === 'treatments');
  if (!treatments || treatments.rows_read > 0) return undefined;
  const present = new Set(
    (await db.all<{ id: string }>('SELECT DISTINCT metric_id AS id FROM metrics WHERE value IS NOT NULL')).map((r) => r.id),
  );
  const empty = metricIds.filter((id) => !present.has(id));
  return `treatments has no rows (legal: inpatient-only extracts have none); ${empty.length ? `metrics without values in this run: ${empty.join(', ')}` : 'every metric has values'}`;
}
