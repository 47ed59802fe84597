/** Build `contact_stay` and `stays` (metrics §1) from the canonical admissions. */
import { Db } from './db.js';
import { runSqlFile } from './sql.js';

/** Needs `admissions`, `params` and `patients_or_empty` (see `writeParams`). */
export async function buildStays(db: Db): Promise<void> {
  await runSqlFile(db, 'pipeline/stays.sql');
}
