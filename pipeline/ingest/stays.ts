/** Build `contact_stay` and `stays` (docs/reference/metrics.md#stays) from the canonical admissions. */
import { Db } from '../core/db.js';
import { runSqlFile } from '../core/sql.js';

/** Needs `admissions`, `params` and `patients_or_empty` (see `writeParams`). */
export async function buildStays(db: Db): Promise<void> {
  await runSqlFile(db, 'pipeline/ingest/stays.sql');
}
