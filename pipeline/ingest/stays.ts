/**
 * Build `contact_stay` and `stays` (docs/reference/metrics.md#stays) from the canonical admissions,
 * in full or, on a night, for the patients that changed alone (docs/architecture.md#nightly-recompute).
 */
import { Db, ident } from '../core/db.js';
import { withCleanup } from '../core/errors.js';
import { sqlFile, statements } from '../core/sql.js';
import { AFFECTED, dropNear, findAffected, findNear, recomputableSince } from './affected.js';
import { CHANGED_PATIENTS } from './load/validate.js';
import type { TableName } from './schema.js';

const FILE = 'pipeline/ingest/stays.sql';
/** What the stays were last built with: the code and configuration (all but the cutoff), and the cutoff. */
const STATE = 'stays_state';
/** The tables of stays.sql, made by its `CREATE OR REPLACE TABLE <name> AS` statements. */
const MADE = ['contact_stay', 'stays'] as const;

export interface StaysOptions {
  /**
   * A fingerprint of the code and configuration (all but the cutoff): when the stays were built
   * with the same, a later run rebuilds only the stays of the patients that changed. Without it
   * the stays are always built in full.
   */
  basis?: string;
  log?: (msg: string) => void;
}

/**
 * Needs `admissions`, `params` and `patients_or_empty` (see `writeParams`). A stay belongs to one
 * patient: it is made of that patient's contacts, death date and the cutoff. So when the last
 * build had the same basis and a cutoff no later than this one, only these patients' stays can
 * differ: those listed in `changed_patients` for admissions or patients (validation lists them;
 * the metrics clear the list after the stays were built), and those with an admission or
 * discharge after the last cutoff, a contact open at it, or a death date in between
 * (`findNear`). Their rows are replaced; every other row stays as it is.
 */
export async function buildStays(db: Db, opts: StaysOptions = {}): Promise<void> {
  const old = opts.basis ? await reusableCutoff(db, opts.basis) : undefined;
  // Cleared before the tables change: a run that dies in between makes the next build a full one.
  await db.run(`DROP TABLE IF EXISTS ${STATE}`);
  if (old === undefined) await runStays(db);
  else await recomputeStays(db, old, opts.log ?? (() => undefined));
  if (opts.basis) {
    await db.run(`CREATE TABLE ${STATE} (basis VARCHAR NOT NULL, cutoff VARCHAR NOT NULL)`);
    await db.run(`INSERT INTO ${STATE} SELECT $basis, CAST(cutoff AS VARCHAR) FROM params`, { basis: opts.basis });
  }
}

/** Run stays.sql; `temp`: its tables are made as TEMP tables (and its views left as they are). */
async function runStays(db: Db, temp = false): Promise<void> {
  for (const stmt of statements(sqlFile(FILE))) {
    const made = MADE.find((t) => stmt.includes(`CREATE OR REPLACE TABLE ${t} AS`));
    if (!temp) await db.run(stmt, undefined, FILE);
    else if (made) await db.run(stmt.replace(`CREATE OR REPLACE TABLE ${made} AS`, `CREATE OR REPLACE TEMP TABLE ${made} AS`), undefined, FILE);
  }
}

/** The cutoff of the last build, when its stays can be kept for the patients that did not change. */
async function reusableCutoff(db: Db, basis: string): Promise<string | undefined> {
  for (const t of [STATE, CHANGED_PATIENTS, ...MADE, 'admissions_in_scope']) if (!(await db.hasTable(t))) return undefined;
  const s = await db.one<{ basis: string; cutoff: string }>(`SELECT basis, cutoff FROM ${STATE}`);
  if (!s || s.basis !== basis) return undefined;
  return (await recomputableSince(db, s.cutoff)) ? s.cutoff : undefined;
}

/** Replace the stays (and contact_stay rows) of the patients that changed since the build at `oldCutoff`. */
async function recomputeStays(db: Db, oldCutoff: string, log: (msg: string) => void): Promise<void> {
  const t0 = Date.now();
  const tables: TableName[] = (await db.hasTable('patients')) ? ['admissions', 'patients'] : ['admissions'];
  await findNear(db, oldCutoff, 0, tables);
  const n = await findAffected(db, oldCutoff, 0, tables);
  const catalog = ident((await db.scalar<string>('SELECT current_database()'))!);
  const main = (t: string) => `${catalog}.main.${ident(t)}`;
  const shadowed: string[] = [];
  // The shadows are dropped whatever happened; a drop that fails after an error does not hide it.
  await withCleanup(
    async () => {
      // TEMP tables named like the input tables, with only these patients' rows: stays.sql (and the
      // views it reads) resolve the names to them first (as metrics/incremental.ts does).
      for (const t of ['admissions', 'patients']) {
        if (!(await db.hasTable(t))) continue;
        await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(t)} AS SELECT * FROM ${main(t)} WHERE patient_id IN (SELECT patient_id FROM ${AFFECTED})`);
        shadowed.push(t);
      }
      await runStays(db, true);
      shadowed.push(...MADE);
      // Every contact_stay row belongs to a stay of its patient, also one whose admission is gone now.
      await db.run(`DELETE FROM ${main('contact_stay')} WHERE stay_id IN (SELECT stay_id FROM ${main('stays')} WHERE patient_id IN (SELECT patient_id FROM ${AFFECTED}))`);
      await db.run(`DELETE FROM ${main('stays')} WHERE patient_id IN (SELECT patient_id FROM ${AFFECTED})`);
      await db.run(`INSERT INTO ${main('contact_stay')} SELECT * FROM temp.contact_stay`);
      await db.run(`INSERT INTO ${main('stays')} SELECT * FROM temp.stays`);
    },
    async () => {
      for (const t of shadowed.reverse()) await db.run(`DROP TABLE IF EXISTS temp.${ident(t)}`);
      await dropNear(db);
    },
  );
  log(`stays of ${n} patient(s) changed or with a contact near the cutoff built again in ${Date.now() - t0} ms`);
}
