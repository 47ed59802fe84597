/**
 * The peer: `readmission_30d` and `los_mean` at (month, hospital) computed with
 * nodejs-polars straight from the canonical CSV files, following docs/reference/metrics.md#conventions
 * (default cutoff), §1 (stays: 4-hour gap against the running maximum of
 * discharges), §3.1 (index stays, exclusions in order, first next stay decides)
 * and §3.3 (los_days = max(1, date difference)). What it does not do — the
 * loader's full validation — is listed in `PEER_LIMITS`.
 *
 * Child process: `node dist/bench/peer/polars.js --input DIR --out FILE`; writes
 * `metric_id,period,hospital_id,numerator,denominator,value` and prints one JSON
 * line of stage timings.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type pl from 'nodejs-polars';
import { isMain, runMain } from '../main.js';

type Pl = typeof pl;
type Frame = pl.DataFrame;

/** What the peer leaves out of the loader's work, so a reader knows what "the same" means. */
export const PEER_LIMITS = [
  'reads only the generator\'s timestamp form "YYYY-MM-DD HH:MM:SS" (no offsets, no "T", no date-only values)',
  'no row validation (codes, required fields, duplicate ids, discharge before admit): the input is assumed clean',
  'applies the after_death reject (a contact starting more than one day after death_date) to admissions and treatments',
  'no configured cutoff: the default cutoff (latest admit, discharge or treatment start) only',
];

const TS = '%Y-%m-%d %H:%M:%S';
const MS_PER_DAY = 86_400_000;
/** Stands for "still open": later than any real discharge, so it sorts last and wins every running maximum. */
const OPEN = 9e15;

/** Load nodejs-polars (a devDependency; its native part may be missing, see bench/polars-binding.ts). */
export function loadPolars(): Pl {
  const require = createRequire(import.meta.url);
  return require('nodejs-polars') as Pl;
}

function msOf(p: Pl, name: string): pl.Expr {
  // strptime yields microseconds whatever unit it is asked for: cast to ms explicitly.
  return p.col(name).str.strptime(p.Datetime('ms'), TS).cast(p.Datetime('ms')).cast(p.Int64);
}

/** Days since 1970-01-01 of the calendar date of a millisecond timestamp. */
function dayOf(p: Pl, e: pl.Expr): pl.Expr {
  return e.cast(p.Datetime('ms')).cast(p.Date).cast(p.Int32);
}

export interface PeerInput {
  admissions: Frame;
  treatments: Frame;
  patients: Frame | undefined;
}

/** Read the three canonical CSV files, only the columns the two metrics need, as text. */
export function readInput(p: Pl, dir: string, hasPatients: boolean): PeerInput {
  const text = { inferSchemaLength: 0 };
  const admissions = p.readCSV(join(dir, 'admissions.csv'), {
    ...text,
    columns: ['admission_id', 'patient_id', 'hospital_id', 'department_id', 'admit_ts', 'discharge_ts', 'admission_type', 'discharge_disposition'],
  });
  const treatments = p.readCSV(join(dir, 'treatments.csv'), { ...text, columns: ['patient_id', 'start_ts'] });
  const patients = hasPatients ? p.readCSV(join(dir, 'patients.csv'), { ...text, columns: ['patient_id', 'death_date'] }) : undefined;
  return { admissions, treatments, patients };
}

export interface PeerStays {
  stays: Frame;
  cutoffMs: number;
}

/**
 * Typed contacts in scope and their stays (docs/reference/metrics.md#stays). Returns one row per stay with
 * patient_id, stay_id, admit_ms, end_ms (OPEN when open), is_open, admission_type,
 * last disposition, discharging hospital, died_in_stay and los_days.
 */
export function buildStays(p: Pl, input: PeerInput): PeerStays {
  const death = input.patients
    ? input.patients.select(p.col('patient_id'), p.col('death_date').str.strptime(p.Date, '%Y-%m-%d').cast(p.Int32).alias('death_day'))
    : undefined;
  // Contacts starting more than one day after the patient's death are rejected (docs/reference/contract.md#bad-input).
  const alive = (f: Frame, start: string): Frame => {
    if (!death) return f;
    return f
      .join(death, { on: 'patient_id', how: 'left' })
      .filter(p.col('death_day').isNull().or(dayOf(p, p.col(start)).minus(p.col('death_day')).ltEq(1)))
      .drop('death_day');
  };
  let adm = input.admissions.select(
    p.col('admission_id'),
    p.col('patient_id'),
    p.col('hospital_id'),
    msOf(p, 'admit_ts').alias('admit_ms'),
    msOf(p, 'discharge_ts').alias('discharge_ms'),
    p.col('admission_type').fillNull('unknown'),
    p.col('discharge_disposition').fillNull('unknown'),
  );
  adm = alive(adm, 'admit_ms');
  const trt = alive(input.treatments.select(p.col('patient_id'), msOf(p, 'start_ts').alias('start_ms')), 'start_ms');
  const cutoffMs = Math.max(
    Number(adm.getColumn('admit_ms').max()),
    Number(adm.getColumn('discharge_ms').max() ?? -Infinity),
    Number(trt.getColumn('start_ms').max() ?? -Infinity),
  );
  // In scope: started by the cutoff; a discharge after it means still admitted (docs/reference/metrics.md#conventions).
  const contacts = adm
    .filter(p.col('admit_ms').ltEq(cutoffMs))
    .withColumns(
      p.when(p.col('discharge_ms').isNull().or(p.col('discharge_ms').gt(cutoffMs)))
        .then(p.lit(OPEN))
        .otherwise(p.col('discharge_ms'))
        .cast(p.Int64)
        .alias('d_eff'),
    )
    .sort(['patient_id', 'admit_ms', 'd_eff', 'admission_id']);
  const gapMs = 4 * 3_600_000;
  const flagged = contacts
    .withColumns(p.col('d_eff').cumMax().shift(1).over('patient_id').alias('prev_max'))
    .withColumns(
      p.col('prev_max').isNull().or(p.col('admit_ms').gt(p.col('prev_max').plus(gapMs))).alias('new_stay'),
    )
    .withColumns(p.col('new_stay').cast(p.Int64).cumSum().alias('stay_no'));
  let stays = flagged.groupBy('stay_no').agg(
    p.col('admission_id').first().alias('stay_id'),
    p.col('patient_id').first(),
    p.col('admit_ms').first(),
    p.col('admission_type').first(),
    p.col('d_eff').max().alias('end_eff'),
    // The last contact: latest discharge (open counts as latest), ties by the largest admission_id.
    p.col('discharge_disposition').sortBy(['d_eff', 'admission_id'], [true, true]).first().alias('last_disposition'),
    p.col('hospital_id').sortBy(['d_eff', 'admission_id'], [true, true]).first().alias('discharge_hospital_id'),
  );
  stays = stays.withColumns(p.col('end_eff').eq(OPEN).alias('is_open'));
  if (death) stays = stays.join(death, { on: 'patient_id', how: 'left' });
  else stays = stays.withColumns(p.lit(null).cast(p.Int32).alias('death_day'));
  const endDay = dayOf(p, p.when(p.col('is_open')).then(p.lit(cutoffMs)).otherwise(p.col('end_eff')));
  stays = stays
    .withColumns(
      p.col('is_open').not().and(p.col('last_disposition').eq(p.lit('died')))
        .or(p.col('death_day').isNotNull().and(p.col('death_day').ltEq(endDay)))
        .alias('died_in_stay'),
      dayOf(p, p.col('admit_ms')).alias('admit_day'),
      p.when(p.col('is_open')).then(p.lit(null)).otherwise(dayOf(p, p.col('end_eff'))).alias('discharge_day'),
    )
    .withColumns(
      p.when(p.col('discharge_day').minus(p.col('admit_day')).lt(1))
        .then(p.lit(1))
        .otherwise(p.col('discharge_day').minus(p.col('admit_day')))
        .alias('los_days'),
    )
    .sort(['patient_id', 'admit_ms', 'stay_id']);
  return { stays, cutoffMs };
}

/** `YYYY-MM` of a day number. */
function monthOf(p: Pl, day: pl.Expr): pl.Expr {
  return day.cast(p.Int32).cast(p.Date).dt.strftime('%Y-%m');
}

/** readmission_30d (§3.1) and los_mean (§3.3) at (month of discharge, discharging hospital). */
export function computeMetrics(p: Pl, { stays, cutoffMs }: PeerStays): Frame {
  const cutoffDay = Math.floor(cutoffMs / MS_PER_DAY);
  const withNext = stays.withColumns(
    p.col('patient_id').shift(-1).eq(p.col('patient_id')).fillNull(false).alias('has_next'),
    dayOf(p, p.col('admit_ms').shift(-1)).alias('next_admit_day'),
    p.col('admission_type').shift(-1).alias('next_type'),
  );
  const closed = withNext.filter(p.col('is_open').not()).withColumns(monthOf(p, p.col('discharge_day')).alias('period'));
  const index = closed.filter(
    p.col('died_in_stay').not()
      .and(p.col('last_disposition').neq(p.lit('against_advice')))
      .and(p.col('last_disposition').neq(p.lit('transfer')))
      .and(p.col('discharge_day').plus(30).ltEq(cutoffDay)),
  );
  const readmitted = p.col('has_next')
    .and(p.col('next_admit_day').minus(p.col('discharge_day')).ltEq(30))
    .and(p.col('next_type').isIn(['acute', 'unknown']));
  const readmission = index
    .withColumns(readmitted.fillNull(false).cast(p.Float64).alias('num'))
    .groupBy(['period', 'discharge_hospital_id'])
    .agg(p.col('num').sum().alias('numerator'), p.col('num').count().cast(p.Float64).alias('denominator'))
    .withColumns(p.lit('readmission_30d').alias('metric_id'));
  const los = closed
    .groupBy(['period', 'discharge_hospital_id'])
    .agg(p.col('los_days').cast(p.Float64).sum().alias('numerator'), p.col('los_days').count().cast(p.Float64).alias('denominator'))
    .withColumns(p.lit('los_mean').alias('metric_id'));
  return p
    .concat([readmission, los])
    .select(
      p.col('metric_id'),
      p.col('period'),
      p.col('discharge_hospital_id').alias('hospital_id'),
      p.col('numerator'),
      p.col('denominator'),
      p.col('numerator').div(p.col('denominator')).alias('value'),
    )
    .sort(['metric_id', 'period', 'hospital_id']);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { input: { type: 'string' }, out: { type: 'string' }, 'no-patients': { type: 'boolean' } } });
  if (!values.input || !values.out) throw new Error('usage: polars.js --input DIR --out FILE');
  const p = loadPolars();
  const t0 = performance.now();
  const input = readInput(p, values.input, !values['no-patients']);
  const t1 = performance.now();
  const stays = buildStays(p, input);
  const t2 = performance.now();
  const metrics = computeMetrics(p, stays);
  const t3 = performance.now();
  metrics.writeCSV(values.out);
  const t4 = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  process.stdout.write(
    JSON.stringify({ read_ms: ms(t0, t1), stays_ms: ms(t1, t2), metrics_ms: ms(t2, t3), write_ms: ms(t3, t4), stays: stays.stays.height, rows: metrics.height }) + '\n',
  );
}

if (isMain(import.meta.url)) runMain('polars peer', main);
