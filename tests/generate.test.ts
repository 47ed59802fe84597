import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateResult } from '../fixtures/generate.js';
import { command } from '../pipeline/commands/generate.js';
import { parseConfig } from '../pipeline/core/config.js';
import { Db, ident, literal } from '../pipeline/core/db.js';
import { UsageError } from '../pipeline/core/errors.js';
import { writeParams } from '../pipeline/ingest/params.js';
import { TABLES, TABLE_NAMES, tableDdl } from '../pipeline/ingest/schema.js';
import { buildStays } from '../pipeline/ingest/stays.js';
import { runCommand } from '../pipeline/commands/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'outcomes-generate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bytes = (dir: string, table: string, ext = 'csv') => readFileSync(join(dir, `${table}.${ext}`));

/** Views `txt_<table>` over the generated files, every column as text (as the loader sees them). */
async function textViews(db: Db, dir: string, ext: 'csv' | 'parquet' = 'csv'): Promise<void> {
  for (const t of TABLE_NAMES) {
    const file = literal(join(dir, `${t}.${ext}`));
    const src = ext === 'csv' ? `read_csv(${file}, header = true, all_varchar = true)` : `read_parquet(${file})`;
    await db.run(`CREATE OR REPLACE VIEW ${ident('txt_' + t)} AS SELECT COLUMNS(*)::VARCHAR FROM ${src}`);
  }
}

/** Typed canonical tables (defaults applied), params and stays, from the text views. */
async function canonical(db: Db): Promise<void> {
  for (const t of TABLE_NAMES) {
    await db.run(tableDdl(t));
    const cols = TABLES[t].columns.map((c) => {
      const x = ident(c.name);
      const typed = { timestamp: `CAST(${x} AS TIMESTAMP)`, date: `CAST(${x} AS DATE)`, integer: `CAST(${x} AS INTEGER)`, number: `CAST(${x} AS DOUBLE)` }[c.kind as string] ?? x;
      return c.default ? `coalesce(${typed}, ${literal(c.default)})` : typed;
    });
    await db.run(`INSERT INTO ${ident(t)} SELECT ${cols.join(', ')}, 'generated', 0 FROM ${ident('txt_' + t)}`);
  }
  await writeParams(db, parseConfig({}));
  await buildStays(db);
}

/** Rows breaking each canonical rule (docs/reference/contract.md#tables and §3), counted on the text files. */
async function violations(db: Db): Promise<Record<string, number>> {
  const q = (sql: string) => db.scalar<number>(sql).then(Number);
  const ts = (c: string) => `(${c} IS NOT NULL AND try_cast(${c} AS TIMESTAMP) IS NULL)`;
  return {
    patients_duplicate_id: await q(`SELECT count(patient_id) - count(DISTINCT patient_id) FROM txt_patients`),
    patients_empty_id: await q(`SELECT count(*) FROM txt_patients WHERE patient_id IS NULL`),
    patients_bad_sex: await q(`SELECT count(*) FROM txt_patients WHERE sex NOT IN ('F', 'M', 'O', 'U')`),
    patients_bad_date: await q(`SELECT count(*) FROM txt_patients WHERE death_date IS NOT NULL AND try_cast(death_date AS DATE) IS NULL`),
    patients_bad_birth_year: await q(`SELECT count(*) FROM txt_patients WHERE birth_year IS NOT NULL AND try_cast(birth_year AS INTEGER) IS NULL`),
    admissions_duplicate_id: await q(`SELECT count(admission_id) - count(DISTINCT admission_id) FROM txt_admissions`),
    admissions_empty_required: await q(
      `SELECT count(*) FROM txt_admissions WHERE admission_id IS NULL OR patient_id IS NULL OR hospital_id IS NULL OR admit_ts IS NULL`,
    ),
    admissions_bad_timestamp: await q(`SELECT count(*) FROM txt_admissions WHERE ${ts('admit_ts')} OR ${ts('discharge_ts')}`),
    admissions_discharge_before_admit: await q(
      `SELECT count(*) FROM txt_admissions WHERE try_cast(discharge_ts AS TIMESTAMP) < try_cast(admit_ts AS TIMESTAMP)`,
    ),
    admissions_bad_code: await q(
      `SELECT count(*) FROM txt_admissions WHERE admission_type NOT IN ('acute', 'elective', 'unknown')
         OR discharge_disposition NOT IN ('home', 'transfer', 'facility', 'died', 'against_advice', 'other', 'unknown')
         OR try_cast(drg_weight AS DOUBLE) < 0`,
    ),
    treatments_duplicate_id: await q(`SELECT count(treatment_id) - count(DISTINCT treatment_id) FROM txt_treatments`),
    treatments_empty_required: await q(
      `SELECT count(*) FROM txt_treatments WHERE treatment_id IS NULL OR patient_id IS NULL OR hospital_id IS NULL OR start_ts IS NULL OR setting IS NULL`,
    ),
    treatments_bad_timestamp: await q(`SELECT count(*) FROM txt_treatments WHERE ${ts('start_ts')} OR ${ts('end_ts')}`),
    treatments_end_before_start: await q(
      `SELECT count(*) FROM txt_treatments WHERE try_cast(end_ts AS TIMESTAMP) < try_cast(start_ts AS TIMESTAMP)`,
    ),
    treatments_bad_code: await q(
      `SELECT count(*) FROM txt_treatments WHERE setting NOT IN ('ambulatory', 'emergency') OR mode NOT IN ('in_person', 'virtual')`,
    ),
    after_death: await q(
      `SELECT count(*) FROM (
         SELECT patient_id, admit_ts AS ts FROM txt_admissions UNION ALL SELECT patient_id, start_ts FROM txt_treatments
       ) c JOIN txt_patients p USING (patient_id)
       WHERE CAST(try_cast(c.ts AS TIMESTAMP) AS DATE) > try_cast(p.death_date AS DATE) + 1`,
    ),
    unknown_patient: await q(
      `SELECT count(*) FROM (SELECT patient_id FROM txt_admissions UNION ALL SELECT patient_id FROM txt_treatments) c
       WHERE c.patient_id IS NOT NULL AND c.patient_id NOT IN (SELECT patient_id FROM txt_patients WHERE patient_id IS NOT NULL)`,
    ),
  };
}

describe('generate: determinism and size', () => {
  it('the same seed gives byte-identical files, another seed different ones (CSV and Parquet)', async () => {
    const opts = { patients: 1500, years: 3 };
    await generate({ ...opts, seed: 11, outDir: join(tmp, 'same1') });
    await generate({ ...opts, seed: 11, outDir: join(tmp, 'same2') });
    await generate({ ...opts, seed: 12, outDir: join(tmp, 'other') });
    for (const t of TABLE_NAMES) {
      expect(bytes(join(tmp, 'same1'), t).equals(bytes(join(tmp, 'same2'), t)), t).toBe(true);
      expect(bytes(join(tmp, 'same1'), t).equals(bytes(join(tmp, 'other'), t)), t).toBe(false);
    }
    await generate({ ...opts, seed: 11, outDir: join(tmp, 'pq1'), format: 'parquet' });
    await generate({ ...opts, seed: 11, outDir: join(tmp, 'pq2'), format: 'parquet' });
    for (const t of TABLE_NAMES) expect(bytes(join(tmp, 'pq1'), t, 'parquet').equals(bytes(join(tmp, 'pq2'), t, 'parquet')), t).toBe(true);
  });

  it('Parquet holds the same rows as CSV', async () => {
    const db = await Db.open(':memory:');
    try {
      const fromCsv = join(tmp, 'same1');
      const fromPq = join(tmp, 'pq1');
      for (const t of TABLE_NAMES) {
        const diff = await db.scalar<number>(
          `SELECT count(*) FROM (
             (SELECT COLUMNS(*)::VARCHAR FROM read_csv(${literal(join(fromCsv, t + '.csv'))}, header = true, all_varchar = true)
              EXCEPT ALL SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${literal(join(fromPq, t + '.parquet'))}))
             UNION ALL
             (SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${literal(join(fromPq, t + '.parquet'))})
              EXCEPT ALL SELECT COLUMNS(*)::VARCHAR FROM read_csv(${literal(join(fromCsv, t + '.csv'))}, header = true, all_varchar = true)))`,
        );
        expect(Number(diff), t).toBe(0);
      }
    } finally {
      db.close();
    }
  });

  it('row counts scale with the number of patients', async () => {
    const small = await generate({ patients: 1000, years: 3, seed: 5, outDir: join(tmp, 'n1000') });
    const large = await generate({ patients: 4000, years: 3, seed: 5, outDir: join(tmp, 'n4000') });
    expect(small.rows.patients).toBe(1000);
    expect(large.rows.patients).toBe(4000);
    for (const t of ['admissions', 'treatments'] as const) {
      const ratio = large.rows[t] / small.rows[t];
      expect(ratio, t).toBeGreaterThan(3.4);
      expect(ratio, t).toBeLessThan(4.6);
    }
    const longer = await generate({ patients: 1000, years: 6, seed: 5, outDir: join(tmp, 'y6') });
    expect(longer.rows.admissions / small.rows.admissions).toBeGreaterThan(1.6);
  });
});

describe('generate: contents of a 5000-patient data set', () => {
  let db: Db;
  let result: GenerateResult;
  beforeAll(async () => {
    result = await generate({ patients: 5000, years: 3, seed: 7, outDir: join(tmp, 'main') });
    db = await Db.open(':memory:');
    await textViews(db, join(tmp, 'main'));
    await canonical(db);
  });
  afterAll(() => db.close());

  it('writes the three files with the counted rows', async () => {
    expect(result.files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['patients.csv', 'admissions.csv', 'treatments.csv']);
    expect(result.bad).toEqual({ patients: {}, admissions: {}, treatments: {} });
    for (const t of TABLE_NAMES) expect(Number(await db.scalar(`SELECT count(*) FROM ${ident('txt_' + t)}`)), t).toBe(result.rows[t]);
    const header = readFileSync(result.files[1]!, 'utf8').split('\n')[0];
    expect(header).toBe(TABLES.admissions.columns.map((c) => c.name).join(','));
  });

  it('numbers the contacts in time order: ids are consecutive down the file, times never go back', () => {
    const lines = (t: string) => readFileSync(join(tmp, 'main', `${t}.csv`), 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split(','));
    for (const [t, prefix, width, tsCol] of [['admissions', 'A', 8, 4], ['treatments', 'T', 9, 4]] as const) {
      const rows = lines(t);
      expect(rows.every((r, k) => r[0] === prefix + String(k + 1).padStart(width, '0')), t).toBe(true);
      expect(rows.every((r, k) => k === 0 || r[tsCol]! >= rows[k - 1]![tsCol]!), t).toBe(true);
    }
    const ids = lines('patients').map((r) => r[0]!);
    expect(ids.every((id, k) => /^P\d{9}$/.test(id) && (k === 0 || id > ids[k - 1]!))).toBe(true);
  });

  it('every row passes the canonical rules', async () => {
    const v = await violations(db);
    expect(Object.values(v).every((n) => n === 0), JSON.stringify(v)).toBe(true);
  });

  it('the cutoff is the last minute of the last year, and stays are still open then', async () => {
    expect(await db.scalar(`SELECT CAST(cutoff AS VARCHAR) FROM params`)).toBe('2024-12-31 23:59:00');
    expect(await db.scalar(`SELECT CAST(min(least(admit_ts, (SELECT min(start_ts) FROM treatments))) AS DATE) >= DATE '2022-01-01' FROM admissions`)).toBe(true);
    const open = Number(await db.scalar(`SELECT count(*) FROM stays, params p WHERE is_open AND admit_ts >= p.cutoff - INTERVAL 30 DAY`));
    expect(open).toBeGreaterThan(5);
  });

  // Each named case of the metric definitions (docs/reference/metrics.md; § numbers are its sections)
  // occurs at least once: a count of 0 fails the test.
  const scenarios: [string, string][] = [
    [
      'transfer 3 hours after discharge: one stay (§1)',
      `SELECT count(*) FROM admissions a JOIN admissions b ON b.patient_id = a.patient_id AND b.admit_ts = a.discharge_ts + INTERVAL 3 HOUR
       JOIN contact_stay ca ON ca.admission_id = a.admission_id JOIN contact_stay cb ON cb.admission_id = b.admission_id
       WHERE ca.stay_id = cb.stay_id`,
    ],
    [
      'transfer exactly 4 hours after discharge: still one stay (§1)',
      `SELECT count(*) FROM admissions a JOIN admissions b ON b.patient_id = a.patient_id AND b.admit_ts = a.discharge_ts + INTERVAL 4 HOUR
       JOIN contact_stay ca ON ca.admission_id = a.admission_id JOIN contact_stay cb ON cb.admission_id = b.admission_id
       WHERE ca.stay_id = cb.stay_id`,
    ],
    [
      'admission 5 hours after discharge: a new stay (§1)',
      `SELECT count(*) FROM admissions a JOIN admissions b ON b.patient_id = a.patient_id AND b.admit_ts = a.discharge_ts + INTERVAL 5 HOUR
       JOIN contact_stay ca ON ca.admission_id = a.admission_id JOIN contact_stay cb ON cb.admission_id = b.admission_id
       WHERE ca.stay_id <> cb.stay_id`,
    ],
    [
      'admitted at a second hospital before discharge from the first (overlap, one stay)',
      `SELECT count(*) FROM admissions a JOIN admissions b ON b.patient_id = a.patient_id
         AND b.admit_ts > a.admit_ts AND b.admit_ts < a.discharge_ts AND b.hospital_id <> a.hospital_id`,
    ],
    ['chain of three contacts (§1)', `SELECT count(*) FROM stays WHERE n_contacts = 3`],
    ['died in hospital (disposition died)', `SELECT count(*) FROM stays WHERE discharge_disposition = 'died' AND died_in_stay`],
    [
      'death within 30 days after discharge (mortality_30d)',
      `SELECT count(*) FROM stays s JOIN patients p USING (patient_id)
       WHERE NOT s.died_in_stay AND p.death_date BETWEEN CAST(s.discharge_ts AS DATE) + 1 AND CAST(s.discharge_ts AS DATE) + 30`,
    ],
    [
      'death later than 30 days after discharge',
      `SELECT count(*) FROM stays s JOIN patients p USING (patient_id)
       WHERE NOT s.died_in_stay AND p.death_date > CAST(s.discharge_ts AS DATE) + 30`,
    ],
    ['death of a patient never admitted', `SELECT count(*) FROM patients WHERE death_date IS NOT NULL AND patient_id NOT IN (SELECT patient_id FROM admissions)`],
    ['discharge against advice', `SELECT count(*) FROM stays WHERE discharge_disposition = 'against_advice'`],
    ['transfer out to another hospital', `SELECT count(*) FROM stays WHERE discharge_disposition = 'transfer'`],
    ['discharge to a facility', `SELECT count(*) FROM stays WHERE discharge_disposition = 'facility'`],
    ['unplanned readmission on the day of discharge (day 0)', `SELECT count(*) FROM next_stay WHERE days = 0 AND next_type <> 'elective'`],
    ['unplanned readmission on day 30 (counts)', `SELECT count(*) FROM next_stay WHERE days = 30 AND next_type <> 'elective'`],
    ['unplanned readmission on day 31 (does not count)', `SELECT count(*) FROM next_stay WHERE days = 31 AND next_type <> 'elective'`],
    ['planned (elective) readmission within 30 days', `SELECT count(*) FROM next_stay WHERE days <= 30 AND next_type = 'elective'`],
    ['readmission of type unknown within 30 days', `SELECT count(*) FROM next_stay WHERE days <= 30 AND next_type = 'unknown'`],
    [
      'dialysis Monday, Wednesday and Friday of one week',
      `SELECT count(*) FROM (
         SELECT patient_id, hospital_id, date_trunc('week', start_ts) FROM treatments
         WHERE department_id = 'NEPH' AND mode = 'in_person' GROUP BY ALL
         HAVING count(DISTINCT isodow(start_ts)) = 3 AND bool_and(isodow(start_ts) IN (1, 3, 5)))`,
    ],
    [
      'dialysis Monday, Wednesday, Friday and the eye clinic on Tuesday (§3.7 example: T=4, m=3)',
      `SELECT count(*) FROM (
         SELECT patient_id, hospital_id, date_trunc('week', start_ts) FROM treatments
         WHERE department_id IN ('NEPH', 'OPHT') AND mode = 'in_person' GROUP BY ALL
         HAVING count(DISTINCT isodow(start_ts)) FILTER (department_id = 'NEPH') = 3
            AND count(DISTINCT isodow(start_ts)) FILTER (department_id = 'OPHT' AND isodow(start_ts) = 2) = 1)`,
    ],
    [
      'cardiology and diabetes clinic on different days of one week (avoidable trip)',
      `SELECT count(*) FROM treatments c JOIN treatments e ON e.patient_id = c.patient_id AND e.hospital_id = c.hospital_id
       WHERE c.department_id = 'CARD' AND e.department_id = 'ENDO' AND c.mode = 'in_person' AND e.mode = 'in_person'
         AND date_trunc('week', c.start_ts) = date_trunc('week', e.start_ts) AND CAST(c.start_ts AS DATE) <> CAST(e.start_ts AS DATE)`,
    ],
    [
      'cardiology and diabetes clinic on the same day (consolidated)',
      `SELECT count(*) FROM treatments c JOIN treatments e ON e.patient_id = c.patient_id AND e.hospital_id = c.hospital_id
       WHERE c.department_id = 'CARD' AND e.department_id = 'ENDO' AND c.mode = 'in_person' AND e.mode = 'in_person'
         AND CAST(c.start_ts AS DATE) = CAST(e.start_ts AS DATE)`,
    ],
    ['virtual treatments', `SELECT count(*) FROM treatments WHERE setting = 'ambulatory' AND mode = 'virtual'`],
    [
      'in-person ambulatory treatment during an inpatient stay (not a trip, §3.6)',
      `SELECT count(*) FROM treatments t JOIN stays s ON s.patient_id = t.patient_id
       WHERE t.setting = 'ambulatory' AND t.mode = 'in_person' AND t.start_ts BETWEEN s.admit_ts AND s.end_ts`,
    ],
    [
      'emergency visit that becomes an admission (§3.8)',
      `SELECT count(*) FROM treatments t JOIN admissions a ON a.patient_id = t.patient_id
       WHERE t.setting = 'emergency' AND a.admit_ts BETWEEN t.start_ts AND coalesce(t.end_ts, t.start_ts) + INTERVAL 4 HOUR`,
    ],
    ['emergency visit without an end time', `SELECT count(*) FROM treatments WHERE setting = 'emergency' AND end_ts IS NULL`],
    ['emergency return within 72 hours', `SELECT count(*) FROM ed_next WHERE gap_h <= 72`],
    ['emergency return at exactly 72 hours (counts)', `SELECT count(*) FROM ed_next WHERE gap_h = 72`],
    ['emergency return after 73 hours or more (does not count)', `SELECT count(*) FROM ed_next WHERE gap_h >= 73 AND gap_h < 130`],
    ['acute, elective and unknown admissions', `SELECT count(DISTINCT admission_type) = 3 FROM admissions`],
    ['admissions with and without DRG', `SELECT count(drg_code) > 0 AND count(drg_code) < count(*) AND min(drg_weight) >= 0 FROM admissions`],
    ['patients without birth year', `SELECT count(*) FROM patients WHERE birth_year IS NULL`],
    ['sexes F, M, O and U', `SELECT count(DISTINCT sex) = 4 FROM patients`],
  ];

  beforeAll(async () => {
    await db.run(`CREATE VIEW next_stay AS
      SELECT s.stay_id, date_diff('day', CAST(s.discharge_ts AS DATE), CAST(n.admit_ts AS DATE)) AS days, n.admission_type AS next_type
      FROM stays s JOIN stays n ON n.patient_id = s.patient_id AND n.stay_seq = s.stay_seq + 1
      WHERE NOT s.is_open AND NOT s.died_in_stay AND s.discharge_disposition NOT IN ('against_advice', 'transfer')`);
    await db.run(`CREATE VIEW ed_next AS
      SELECT v.treatment_id, min(date_diff('minute', v.start_ts, w.start_ts)) / 60.0 AS gap_h
      FROM treatments v JOIN treatments w ON w.patient_id = v.patient_id AND w.start_ts > v.start_ts
      WHERE v.setting = 'emergency' AND w.setting = 'emergency'
        AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.patient_id = v.patient_id
                        AND a.admit_ts BETWEEN v.start_ts AND coalesce(v.end_ts, v.start_ts) + INTERVAL 4 HOUR)
      GROUP BY v.treatment_id`);
  });

  it.each(scenarios)('scenario: %s', async (_name, sql) => {
    const n = await db.scalar<number | boolean>(sql);
    expect(n === true || Number(n) > 0).toBe(true);
  });

  it('has about ten hospitals, each with several departments, and the named department ids', async () => {
    const hospitals = await db.all<{ hospital_id: string; n: number }>(
      `SELECT hospital_id, count(DISTINCT department_id) AS n FROM (
         SELECT hospital_id, department_id FROM admissions UNION ALL SELECT hospital_id, department_id FROM treatments)
       GROUP BY 1 ORDER BY 1`,
    );
    expect(hospitals.map((h) => h.hospital_id)).toEqual(['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09', 'H10']);
    expect(Math.min(...hospitals.map((h) => h.n))).toBeGreaterThanOrEqual(4);
    const depts = await db.all<{ d: string }>(`SELECT DISTINCT department_id AS d FROM treatments UNION SELECT department_id FROM admissions ORDER BY 1`);
    expect(depts.map((r) => r.d)).toEqual(expect.arrayContaining(['CARD', 'ED', 'ENDO', 'MED', 'NEPH', 'OPHT', 'ORTH', 'SURG']));
  });

  it('looks plausible: readmission rate 10-15%, LOS mostly 1-10 days, few contacts for most, more for the old', async () => {
    const r = await db.one<{ idx: number; readmitted: number }>(
      `SELECT count(*) AS idx, count(*) FILTER (days <= 30 AND next_type <> 'elective') AS readmitted
       FROM stays s CROSS JOIN params p LEFT JOIN next_stay n USING (stay_id)
       WHERE NOT s.is_open AND NOT s.died_in_stay AND s.discharge_disposition NOT IN ('against_advice', 'transfer')
         AND CAST(s.discharge_ts AS DATE) + 30 <= p.cutoff_date`,
    );
    const rate = r!.readmitted / r!.idx;
    expect(rate).toBeGreaterThan(0.1);
    expect(rate).toBeLessThan(0.15);
    const los = await db.one<{ median: number; within: number; max: number }>(
      `SELECT quantile_disc(los_days, 0.5) AS median, avg(CASE WHEN los_days <= 10 THEN 1 ELSE 0 END) AS within, max(los_days) AS max
       FROM stays WHERE NOT is_open`,
    );
    expect(los!.median).toBeGreaterThanOrEqual(1);
    expect(los!.median).toBeLessThanOrEqual(4);
    expect(los!.within).toBeGreaterThan(0.8);
    expect(los!.max).toBeGreaterThan(30);
    const contacts = await db.all<{ old: boolean; mean: number; few: number }>(
      `WITH c AS (SELECT patient_id, count(*) AS n FROM (
                    SELECT patient_id FROM admissions UNION ALL SELECT patient_id FROM treatments) GROUP BY 1)
       SELECT p.birth_year <= 1946 AS old, avg(coalesce(c.n, 0)) AS mean, avg(CASE WHEN coalesce(c.n, 0) <= 3 THEN 1 ELSE 0 END) AS few
       FROM patients p LEFT JOIN c USING (patient_id) WHERE p.birth_year IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    expect(contacts[1]!.mean).toBeGreaterThan(1.5 * contacts[0]!.mean);
    expect(contacts[0]!.few).toBeGreaterThan(0.6);
  });
});

describe('generate: dirty', () => {
  it('adds exactly the reported bad rows of each kind, well under 1% of each table', async () => {
    const dir = join(tmp, 'dirty');
    const r = await generate({ patients: 5000, years: 3, seed: 7, outDir: dir, dirty: true });
    const clean = await generate({ patients: 5000, years: 3, seed: 7, outDir: join(tmp, 'clean') });
    // 5000 patients → 2 bad rows per kind; admissions (under 4000 rows) → 1; treatments → rows // 2000.
    expect(r.bad.patients).toEqual({ duplicate_id: 2, invalid_code: 2, invalid_date: 2, required_missing: 2 });
    expect(r.bad.admissions).toEqual({ discharge_before_admit: 1, duplicate_id: 1, invalid_code: 1, invalid_timestamp: 1, required_missing: 1 });
    const perKind = Math.floor(clean.rows.treatments / 2000);
    expect(Object.values(r.bad.treatments)).toEqual([perKind, perKind, perKind, perKind, perKind]);
    for (const t of TABLE_NAMES) {
      const nBad = Object.values(r.bad[t]).reduce((a, b) => a + b, 0);
      expect(r.rows[t] - clean.rows[t], t).toBe(nBad);
      expect(nBad / r.rows[t], t).toBeLessThan(0.005);
    }
    const db = await Db.open(':memory:');
    try {
      await textViews(db, dir);
      const v = await violations(db);
      expect(v).toMatchObject({
        patients_duplicate_id: 2,
        patients_empty_id: 2,
        patients_bad_sex: 2,
        patients_bad_date: 2,
        admissions_duplicate_id: 1,
        admissions_empty_required: 1,
        admissions_bad_timestamp: 1,
        admissions_discharge_before_admit: 1,
        admissions_bad_code: 1,
        treatments_duplicate_id: perKind,
        treatments_empty_required: perKind,
        treatments_bad_timestamp: perKind,
        treatments_end_before_start: perKind,
        treatments_bad_code: perKind,
        after_death: 0,
      });
    } finally {
      db.close();
    }
  });
});

describe('outcomes generate', () => {
  it('writes the files and prints one line per file with its row count', async () => {
    const lines: string[] = [];
    const out = join(tmp, 'cli');
    await runCommand(command, { out, patients: '300', seed: '3', years: '2', format: 'parquet' }, (l) => lines.push(l));
    const r = await generate({ outDir: join(tmp, 'cli-check'), patients: 300, years: 2, seed: 3, format: 'parquet' });
    expect(lines).toEqual([
      `${join(out, 'patients.parquet')}: 300 rows`,
      `${join(out, 'admissions.parquet')}: ${r.rows.admissions} rows`,
      `${join(out, 'treatments.parquet')}: ${r.rows.treatments} rows`,
    ]);
    expect(bytes(out, 'admissions', 'parquet').equals(bytes(join(tmp, 'cli-check'), 'admissions', 'parquet'))).toBe(true);
  });

  it.each([
    [{ patients: '-5' }, '--patients'],
    [{ patients: '1.5' }, '--patients'],
    [{ patients: 'many' }, '--patients'],
    [{ patients: '0' }, '--patients'],
    [{ years: '0' }, '--years'],
    [{ seed: '-1' }, '--seed'],
    [{ format: 'xlsx' }, '--format'],
  ])('rejects %o with a usage error naming %s', async (bad, name) => {
    const run = runCommand(command, { out: join(tmp, 'never'), ...bad }, () => {});
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(name);
  });
});
