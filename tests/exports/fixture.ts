/** A database holding only a `metrics` table with the given rows, as a finished run leaves it. */
import { METRICS_DDL } from '../../metrics/aggregate.js';
import { PEOPLE_DDL, PEOPLE_TABLE } from '../../metrics/people.js';
import type { MetricRow } from '../../metrics/types.js';
import { Db } from '../../pipeline/core/db.js';
import { row } from './catalog.js';

/** The rows into `metrics`, and the people of share rows into `metric_people`, as a run leaves them. */
export async function insertMetrics(db: Db, rows: MetricRow[]): Promise<void> {
  await db.run('DROP TABLE IF EXISTS metrics');
  await db.run(`DROP TABLE IF EXISTS ${PEOPLE_TABLE}`);
  await db.run(METRICS_DDL);
  await db.run(PEOPLE_DDL);
  for (const { people, ...r } of rows) {
    await db.run(
      `INSERT INTO metrics VALUES ($metric_id, $view, $period, $hospital_id, $department_id, $numerator, $denominator, $value, $lower, $upper)`,
      { ...r },
    );
    if (people)
      await db.run(`INSERT INTO ${PEOPLE_TABLE} VALUES ($metric_id, $period, $hospital_id, $department_id, $n, $d, $c)`, {
        metric_id: r.metric_id,
        period: r.period,
        hospital_id: r.hospital_id,
        department_id: r.department_id,
        n: people.numerator,
        d: people.denominator,
        c: people.complement,
      });
  }
}

export async function metricsDb(rows: MetricRow[]): Promise<Db> {
  const db = await Db.open(':memory:');
  await insertMetrics(db, rows);
  return db;
}

/** A department name that a spreadsheet would run as a formula if it were not defused. */
export const EVIL = '=HYPERLINK("http://example.com/x?a=1,b=2","click")';

/**
 * The fixture of the golden reports (k = 5). What each group shows:
 * - admissions 2024-01, H1: SURG 3 is primary; the next smallest department (EVIL, 12) is secondary.
 * - readmission_30d 2024-01: H1's total (2 of 31) is primary, so one level up the next smallest
 *   hospital (Nord/Syd, 12 index stays) is secondary, and then its only department too.
 * - los_mean 2024-01, H1: SURG has 3 stays (primary); EVIL (12 stays) is secondary.
 * - drg_value 2024-01, H1: SURG has 3 admissions (primary); EVIL (12 admissions) is secondary.
 * - trips_per_patient 2024-01: Nord/Syd has 4 patients (primary); H1 (20) is the next smallest.
 * - readmission_drg_share 2024-01, H1: SURG has 1 readmitted patient (primary); EVIL is hidden
 *   with its drg_value cell (secondary); MED and the totals are shown, with fractional sums.
 * - 2024: nothing small; a large DRG sum without exponent, an O/E row with limits, a DRG share.
 */
const drgShare = (period: string, h: string, d: string, n: number, den: number, people: [number, number, number]): MetricRow => ({
  ...row('readmission_drg_share', period, h, d, n, den, n / den),
  people: { numerator: people[0], denominator: people[1], complement: people[2] },
});
export const GOLDEN_ROWS: MetricRow[] = [
  row('admissions', '2024-01', 'H1', 'MED', 20),
  row('admissions', '2024-01', 'H1', 'SURG', 3),
  row('admissions', '2024-01', 'H1', EVIL, 12),
  row('admissions', '2024-01', 'H1', 'ALL', 35),
  row('admissions', '2024-01', 'Nord/Syd', 'MED', 8),
  row('admissions', '2024-01', 'Nord/Syd', 'ALL', 8),
  row('admissions', '2024-01', 'Sankt Øster', 'MED', 40),
  row('admissions', '2024-01', 'Sankt Øster', 'ALL', 40),
  row('admissions', '2024-01', 'ALL', 'ALL', 83),
  row('readmission_30d', '2024-01', 'H1', 'MED', 2, 18, 2 / 18),
  row('readmission_30d', '2024-01', 'H1', 'SURG', 0, 3, 0),
  row('readmission_30d', '2024-01', 'H1', EVIL, 0, 10, 0),
  row('readmission_30d', '2024-01', 'H1', 'ALL', 2, 31, 2 / 31),
  row('readmission_30d', '2024-01', 'Nord/Syd', 'MED', 6, 12, 0.5),
  row('readmission_30d', '2024-01', 'Nord/Syd', 'ALL', 6, 12, 0.5),
  row('readmission_30d', '2024-01', 'Sankt Øster', 'MED', 10, 40, 0.25),
  row('readmission_30d', '2024-01', 'Sankt Øster', 'ALL', 10, 40, 0.25),
  row('readmission_30d', '2024-01', 'ALL', 'ALL', 18, 83, 18 / 83),
  row('los_mean', '2024-01', 'H1', 'MED', 90, 20, 4.5),
  row('los_mean', '2024-01', 'H1', 'SURG', 10, 3, 10 / 3),
  row('los_mean', '2024-01', 'H1', EVIL, 36, 12, 3),
  row('los_mean', '2024-01', 'H1', 'ALL', 136, 35, 136 / 35),
  row('los_mean', '2024-01', 'ALL', 'ALL', 136, 35, 136 / 35),
  row('drg_value', '2024-01', 'H1', 'MED', 25.5),
  row('drg_value', '2024-01', 'H1', 'SURG', 4.25),
  row('drg_value', '2024-01', 'H1', EVIL, 9.125),
  row('drg_value', '2024-01', 'H1', 'ALL', 38.875),
  row('drg_value', '2024-01', 'ALL', 'ALL', 38.875),
  drgShare('2024-01', 'H1', 'MED', 6.375, 25.5, [6, 18, 15]),
  drgShare('2024-01', 'H1', 'SURG', 1, 4.25, [1, 3, 2]),
  drgShare('2024-01', 'H1', EVIL, 2.5, 9.125, [5, 11, 9]),
  drgShare('2024-01', 'H1', 'ALL', 9.875, 38.875, [12, 32, 26]),
  drgShare('2024-01', 'ALL', 'ALL', 9.875, 38.875, [12, 32, 26]),
  row('trips_per_patient', '2024-01', 'H1', 'ALL', 30, 20, 1.5),
  row('trips_per_patient', '2024-01', 'Nord/Syd', 'ALL', 7, 4, 1.75),
  row('trips_per_patient', '2024-01', 'Sankt Øster', 'ALL', 52, 40, 1.3),
  row('trips_per_patient', '2024-01', 'ALL', 'ALL', 89, 64, 89 / 64),
  row('admissions', '2024', 'H1', 'ALL', 390),
  row('admissions', '2024', 'Nord/Syd', 'ALL', 100),
  row('admissions', '2024', 'Sankt Øster', 'ALL', 480),
  row('admissions', '2024', 'ALL', 'ALL', 970),
  row('drg_value', '2024', 'H1', 'ALL', 123456789.5),
  drgShare('2024', 'H1', 'ALL', 12345678.95, 123456789.5, [300, 360, 350]),
  row('readmission_30d', '2024', 'H1', 'ALL', 30, 300, 0.1),
  row('readmission_30d_oe', '2024', 'H1', 'ALL', 30, 25.5, 30 / 25.5, 0.79371, 1.67956),
  row('los_median', '2024', 'H1', 'ALL', null, 350, 3),
];

/**
 * Hospital ids that a spreadsheet would run as a formula (`=1+1`, `@x`, `+1`, `-2`),
 * turn into a date (`1-2`, `2024-12`), decode as an escape (`_x0041_` is Excel's
 * spelling of `A`), or that XML cannot carry (a bell character).
 */
export const HOSTILE_IDS = ['=1+1', '@x', '+1', '-2', '1-2', '2024-12', '_x0041_', 'bell\u0007'];

/** Ten admissions in 2024-12 in one department of each hostile hospital (nothing is hidden). */
export const HOSTILE_ROWS: MetricRow[] = HOSTILE_IDS.flatMap((h) => [row('admissions', '2024-12', h, 'MED', 10), row('admissions', '2024-12', h, 'ALL', 10)]);
