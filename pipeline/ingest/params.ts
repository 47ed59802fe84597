/**
 * The run's parameters as a one-row `params` table, so that metric SQL reads the
 * cutoff and the gaps without string-building (values go in as bound parameters).
 */
import type { Config } from '../core/config.js';
import { Db } from '../core/db.js';
import { tableDdl } from './schema.js';

export interface RunParams {
  cutoff: string;
  cutoffFromConfig: boolean;
  hasPatients: boolean;
  hasDrg: boolean;
}

/** The newest admit, discharge or treatment start of the canonical tables as DuckDB prints it; null without events. */
export async function newestEventTs(db: Db): Promise<string | null> {
  return db.scalar<string | null>(`
    SELECT CAST(greatest(
      (SELECT max(admit_ts) FROM admissions),
      (SELECT max(discharge_ts) FROM admissions),
      (SELECT max(start_ts) FROM treatments)) AS VARCHAR)`);
}

/**
 * The cutoff as wall-clock text: the configured one (an offset makes it an instant, shown in
 * the configured zone), else the newest event; undefined when neither exists.
 */
export async function resolveCutoff(db: Db, configured: string | undefined): Promise<string | undefined> {
  if (configured) {
    const hasOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(configured) && configured.length > 10;
    const text = configured.replace('T', ' ').replace(/Z$/, '+00');
    return hasOffset
      ? db.scalar<string>('SELECT CAST(CAST(CAST($t AS TIMESTAMPTZ) AS TIMESTAMP) AS VARCHAR)', { t: text })
      : db.scalar<string>('SELECT CAST(CAST($t AS TIMESTAMP) AS VARCHAR)', { t: text });
  }
  return (await newestEventTs(db)) ?? undefined;
}

/**
 * Write `params` and `patients_or_empty`. The default cutoff is the latest
 * admit, discharge or treatment start in the loaded data (docs/reference/metrics.md#conventions).
 */
export async function writeParams(db: Db, cfg: Config): Promise<RunParams> {
  const hasPatients = await db.hasTable('patients');
  const kind = await db.scalar<string | undefined>(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'patients_or_empty'`,
  );
  if (kind === 'VIEW') await db.run('DROP VIEW patients_or_empty');
  else if (kind) await db.run('DROP TABLE patients_or_empty');
  if (hasPatients) await db.run('CREATE VIEW patients_or_empty AS SELECT * FROM patients');
  else await db.run(tableDdl('patients', 'patients_or_empty'));
  const hasDrg = Number(await db.scalar('SELECT count(drg_weight) FROM admissions')) > 0;
  const cutoff = (await resolveCutoff(db, cfg.cutoff)) ?? '1970-01-01 00:00:00';
  await db.run('DROP TABLE IF EXISTS params');
  await db.run(
    `CREATE TABLE params AS SELECT
       CAST($cutoff AS TIMESTAMP) AS cutoff,
       CAST(CAST($cutoff AS TIMESTAMP) AS DATE) AS cutoff_date,
       $fromConfig AS cutoff_from_config,
       CAST($gap AS DOUBLE) AS stay_gap_hours,
       CAST($courseGap AS INTEGER) AS course_gap_days,
       $tz AS timezone,
       $hasPatients AS has_patients,
       $hasDrg AS has_drg`,
    {
      cutoff,
      fromConfig: cfg.cutoff !== undefined,
      gap: cfg.stay_gap_hours,
      courseGap: cfg.course_gap_days,
      tz: cfg.timezone,
      hasPatients,
      hasDrg,
    },
  );
  return { cutoff, cutoffFromConfig: cfg.cutoff !== undefined, hasPatients, hasDrg };
}
