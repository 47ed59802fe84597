/**
 * Nightly recompute per patient (docs/architecture.md#nightly-recompute): a night computes the
 * facts of the metrics marked `recompute: patients` only for the patients whose rows changed or
 * who have an event near the cutoff when it moved, and must end exactly where a full run over
 * the same folder ends. A store the run cannot trust makes the night a full run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { fromScratch, night, nightFolder, put, snapshot } from './helpers.js';

const ADM = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
const TRT = 'treatment_id,patient_id,hospital_id,start_ts,setting';
const PAT = 'patient_id,birth_year,sex,death_date';

// The newest event is t4 (2024-03-06 12:00): p2's emergency visit of 2024-03-05 08:00 lacks
// 72 hours of follow-up at that cutoff.
const base = {
  'patients.csv': [PAT, 'p1,1950,F,', 'p2,1960,M,', 'p3,1970,F,', 'p4,1980,M,', 'p5,1990,F,'],
  'admissions/2024-02.csv': [ADM, 'a1,p5,H1,MED,2024-02-01 08:00,2024-02-03 10:00,acute,home', 'a2,p4,H1,MED,2024-02-20 08:00,2024-02-22 10:00,acute,home'],
  'treatments/2024-03.csv': [
    TRT,
    't1,p1,H1,2024-03-01 09:00,ambulatory',
    't2,p1,H1,2024-03-01 11:00,ambulatory',
    't3,p2,H1,2024-03-05 08:00,emergency',
    't4,p3,H2,2024-03-06 12:00,ambulatory',
    't5,p4,H1,2024-02-10 09:00,ambulatory',
  ],
};

/** The "per patient" lines of a night's log: how many patients each follow-up window recomputed. */
function recomputed(log: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of log) {
    const m = /per patient, follow-up (\d+) days, reading ([a-z, ]+): (\d+) patient/.exec(line);
    if (m) out[`${m[1]} ${m[2]}`] = Number(m[3]);
  }
  return out;
}

/** How many patients' stays a night built again (undefined: the stays were built in full). */
function staysRebuilt(log: string[]): number | undefined {
  const m = log.map((l) => /stays of (\d+) patient\(s\)/.exec(l)).find(Boolean);
  return m ? Number(m[1]) : undefined;
}

/** Every row of the stays and contact_stay tables, in one order. */
async function stayRows(dbPath: string): Promise<string[]> {
  const db = await Db.open(dbPath);
  try {
    const stays = await db.all('SELECT * FROM stays ORDER BY stay_id');
    const contacts = await db.all('SELECT * FROM contact_stay ORDER BY admission_id');
    return [...stays, ...contacts].map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  } finally {
    db.close();
  }
}

/** The stays of a full build: the same folder run once into a fresh database under `dir/name`. */
async function staysBuiltAnew(dir: string, input: string, name: string, config: Record<string, unknown> = {}): Promise<string[]> {
  const scratch = join(dir, name);
  await night(input, join(scratch, 'out'), join(scratch, 'db.duckdb'), config);
  return stayRows(join(scratch, 'db.duckdb'));
}

async function tables(dbPath: string): Promise<string[]> {
  const db = await Db.open(dbPath);
  try {
    return (await db.all<{ t: string }>('SELECT table_name AS t FROM duckdb_tables() ORDER BY 1')).map((r) => r.t);
  } finally {
    db.close();
  }
}

describe('a night recomputes the patients that changed', () => {
  it('only the changed patients and those near a moved cutoff are recomputed, and the night ends where a full run does', async () => {
    const { dir, input, out, db } = nightFolder(base);
    const first = await night(input, out, db);
    expect(recomputed(first.log)).toEqual({});
    const stored = await tables(db);
    expect(stored).toEqual(expect.arrayContaining(['pfacts_treatments', 'pfacts_ed_return_72h', 'pfacts_avoidable_trips', 'pfacts_state', 'changed_patients']));
    // O/E keeps its index stays with their strata per patient (its expected rates are computed by year).
    // (The DRG share is kept per patient too, but these admissions carry no DRG weights: it is absent here.)
    expect(stored.filter((t) => t.startsWith('pfacts_readmission'))).toEqual(['pfacts_readmission_30d', 'pfacts_readmission_30d_oe', 'pfacts_readmission_7d']);

    // p3 comes again six days later: the cutoff moves to 2024-03-12 09:00. p2's emergency visit
    // (2024-03-05 08:00, within 3 days before the old cutoff) now has its 72 hours of follow-up:
    // p2 is recomputed for ed_return_72h although none of p2's rows changed.
    put(input, { 'treatments/2024-03-b.csv': [TRT, 't6,p3,H2,2024-03-12 09:00,ambulatory'] });
    const second = await night(input, out, db);
    // Per group of metrics (follow-up days, tables read): the treatment metrics recompute p3,
    // ed_return_72h also p2, the 30-day outcomes p4 (discharged 2024-02-22, within 31 days of
    // the old cutoff), the admission counts nobody (no admission changed or near the cutoff).
    expect(recomputed(second.log)).toEqual({
      '0 admissions': 0,
      '0 admissions, patients': 0,
      '0 treatments': 1,
      '0 admissions, patients, treatments': 1,
      '3 admissions, treatments': 2,
      '31 admissions, patients': 1,
    });
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
    const ed = second.manifest.tables.find((t) => t.table === 'treatments')!;
    expect(ed.inserted).toBe(1);

    // A changed file takes t5 away: p4 loses a treatment (and nothing else changes).
    put(input, { 'treatments/2024-03.csv': base['treatments/2024-03.csv'].filter((l) => !l.startsWith('t5,')) });
    const third = await night(input, out, db);
    // The cutoff stays: only p4, whose treatments changed, for the metrics that read treatments.
    expect(recomputed(third.log)).toEqual({
      '0 admissions': 0,
      '0 admissions, patients': 0,
      '0 treatments': 1,
      '0 admissions, patients, treatments': 1,
      '3 admissions, treatments': 1,
      '31 admissions, patients': 0,
    });
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
  }, 120_000);

  it('a patient first seen on a night gets the next number in the stores, and the night ends where a full run does', async () => {
    // p7 has only a treatment and p8 only an admission: the first run numbers them from those tables.
    const { dir, input, out, db } = nightFolder({
      ...base,
      'admissions/2024-02-b.csv': [ADM, 'a9,p8,H2,MED,2024-02-05 08:00,2024-02-06 10:00,acute,home'],
      'treatments/2024-03-c.csv': [TRT, 't9,p7,H2,2024-03-02 09:00,ambulatory'],
    });
    await night(input, out, db);
    const keys = async () => {
      const d = await Db.open(db);
      try {
        return await d.all<{ patient_id: string; patient_key: number }>('SELECT patient_id, patient_key FROM pfacts_patient_keys ORDER BY patient_key');
      } finally {
        d.close();
      }
    };
    const before = await keys();
    expect(before.map((k) => k.patient_id).sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p7', 'p8']);
    // p9 is in no patients file: the night's treatments bring the patient.
    put(input, { 'treatments/2024-03-b.csv': [TRT, 't7,p9,H1,2024-03-07 09:00,ambulatory', 't8,p9,H1,2024-03-08 09:00,ambulatory'] });
    await night(input, out, db);
    const after = await keys();
    expect(after.slice(0, 7)).toEqual(before);
    expect(after.slice(7)).toEqual([{ patient_id: 'p9', patient_key: Math.max(...before.map((k) => Number(k.patient_key))) + 1 }]);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
  }, 120_000);

  it('the DRG share and the O/E strata are kept per patient: a night computes again the years it changed, and ends where a full run does', async () => {
    const ADM_DRG = `${ADM},drg_code,drg_weight`;
    const { dir, input, out, db } = nightFolder({
      'patients.csv': [PAT, 'p1,1950,F,', 'p2,1960,M,', 'p3,1970,F,'],
      'admissions/2023.csv': [
        ADM_DRG,
        'a1,p1,H1,MED,2023-05-01 08:00,2023-05-03 10:00,acute,home,D1,1.5',
        'a2,p1,H1,MED,2023-05-20 08:00,2023-05-22 10:00,acute,home,D1,2.0',
        'a3,p2,H1,MED,2023-06-01 08:00,2023-06-02 10:00,acute,home,D2,1.0',
      ],
      'admissions/2024-01.csv': [ADM_DRG, 'a4,p2,H1,MED,2024-01-10 08:00,2024-01-12 10:00,acute,home,D1,1.2', 'a5,p3,H1,MED,2024-01-15 08:00,2024-01-16 10:00,acute,home,D2,0.8'],
      'treatments/2023.csv': [TRT, 't1,p1,H1,2023-07-01 09:00,ambulatory'],
    });
    await night(input, out, db);
    // p3 is readmitted 16 days after a5: a fact of 2024 changes, none of 2023.
    put(input, { 'admissions/2024-02.csv': [ADM_DRG, 'a6,p3,H1,MED,2024-02-01 08:00,2024-02-03 10:00,acute,home,D1,1.1'] });
    const second = await night(input, out, db);
    expect(second.log.filter((l) => l.includes('metric readmission_drg_share:'))).toEqual([expect.stringMatching(/per patient, .* years 2024 aggregated again/)]);
    const scratch = await fromScratch(dir, input);
    expect(snapshot(out)).toEqual(scratch.snap);
    const people = async (path: string) => {
      const d = await Db.open(path);
      try {
        return await d.all(`SELECT * FROM metric_people WHERE metric_id = 'readmission_drg_share' ORDER BY ALL`);
      } finally {
        d.close();
      }
    };
    const kept = await people(db);
    // Each cell once (2023's were kept, 2024's counted again), as in a full run.
    expect(kept.filter((r) => String(r['period']).startsWith('2023')).length).toBeGreaterThan(0);
    expect(kept).toEqual(await people(scratch.db));

    // O/E keeps its index stays with their strata per patient: p3's readmission changed 2024's, not 2023's.
    const oe = (log: string[]) => log.filter((l) => l.includes('metric readmission_30d_oe:'));
    expect(oe(second.log)).toEqual([expect.stringMatching(/per patient \(readmission_strata\), .* years 2024 computed again/)]);
    // p2 is now born in 1950 and a woman, as p1: a3 (2023) joins the stratum of a1 and a2 (one of
    // two readmitted), whose expected rate becomes 1 in 3; a4 (2024) changes stratum too. Nothing
    // but the patients file changed, so only the strata tell which years to compute again.
    put(input, { 'patients.csv': [PAT, 'p1,1950,F,', 'p2,1950,F,', 'p3,1970,F,'] });
    const third = await night(input, out, db);
    expect(oe(third.log)).toEqual([expect.stringMatching(/years 2023, 2024 computed again/)]);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
  }, 120_000);

  it('the stays of the changed patients alone are built again, also of an admission taken away, and equal a full build', async () => {
    const { dir, input, out, db } = nightFolder(base);
    const first = await night(input, out, db);
    expect(staysRebuilt(first.log)).toBeUndefined();
    // a2 (p4) is corrected in a later file, p1 is admitted after the old cutoff (2024-03-06 12:00)
    // and still in: the cutoff moves to that admission, 2024-03-08 08:00. p4 and p1 changed.
    put(input, {
      'admissions/2024-03.csv': [ADM, 'a2,p4,H1,MED,2024-02-20 08:00,2024-02-23 10:00,acute,home', 'a3,p1,H1,MED,2024-03-08 08:00,,acute,'],
    });
    const second = await night(input, out, db);
    expect(staysRebuilt(second.log)).toBe(2);
    expect(await stayRows(db)).toEqual(await staysBuiltAnew(dir, input, 'scratch-2'));
    expect((await stayRows(db)).length).toBe(6);

    // The February file is delivered again without a1 (p5); a2 stays, from the March file. Only p5
    // changed, and p5's stay and its contact row go.
    put(input, { 'admissions/2024-02.csv': [ADM, 'a2,p4,H1,MED,2024-02-20 08:00,2024-02-22 10:00,acute,home'] });
    const third = await night(input, out, db);
    expect(staysRebuilt(third.log)).toBe(1);
    expect(await stayRows(db)).toEqual(await staysBuiltAnew(dir, input, 'scratch-3'));
    expect((await stayRows(db)).length).toBe(4);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);

    // Another stay gap: every stay is built anew.
    const other = await night(input, out, db, { stay_gap_hours: 12 });
    expect(staysRebuilt(other.log)).toBeUndefined();
  }, 120_000);

  it('a moved cutoff closes a stay whose discharge lay after the old cutoff: that stay is built again, no row having changed', async () => {
    const { dir, input, out, db } = nightFolder({
      'patients.csv': [PAT, 'r1,1950,F,', 'r2,1960,M,'],
      'admissions/2024-03.csv': [ADM, 'c1,r1,H1,MED,2024-03-01 08:00,2024-03-08 10:00,acute,home', 'c2,r2,H1,MED,2024-01-01 08:00,2024-01-03 10:00,acute,home'],
      'treatments/2024-03.csv': [TRT, 't1,r2,H1,2024-03-02 09:00,ambulatory'],
    });
    // At 2024-03-06 12:00 c1 is still open (its discharge lies later).
    await night(input, out, db, { cutoff: '2024-03-06 12:00:00' });
    const later = { cutoff: '2024-03-10 00:00:00' };
    const second = await night(input, out, db, later);
    expect(staysRebuilt(second.log)).toBe(1);
    const rows = await stayRows(db);
    expect(rows).toEqual(await staysBuiltAnew(dir, input, 'scratch', later));
    expect(rows.find((r) => r.includes('"stay_id":"c1"'))).toContain('"is_open":false');
  }, 120_000);

  it('a moved cutoff completes 30-day follow-ups and counts an open stay further, for patients whose rows did not change', async () => {
    // Cutoff at first: t1, 2024-01-20 12:00. q1's stay (discharged 2024-01-05) and q3's
    // (discharged 2024-01-04, died 2024-01-25) lack 30 days of follow-up; q2 is still admitted.
    const { dir, input, out, db } = nightFolder({
      'patients.csv': [PAT, 'q1,1950,F,', 'q2,1960,M,', 'q3,1970,F,2024-01-25', 'q4,1980,M,', 'q5,1990,F,'],
      'admissions/2024-01.csv': [
        ADM,
        'b1,q1,H1,MED,2024-01-01 08:00,2024-01-05 10:00,acute,home',
        'b2,q2,H1,MED,2024-01-15 08:00,,acute,',
        'b3,q3,H2,SUR,2024-01-03 08:00,2024-01-04 10:00,elective,home',
      ],
      'treatments/2024-01.csv': [TRT, 't1,q4,H1,2024-01-20 12:00,ambulatory'],
    });
    await night(input, out, db);
    const before = readFileSync(join(out, 'metrics.csv'), 'utf8');
    // Only q5 comes: the cutoff moves to 2024-02-10 09:00.
    put(input, { 'treatments/2024-02.csv': [TRT, 't2,q5,H1,2024-02-10 09:00,ambulatory'] });
    const second = await night(input, out, db);
    // 30-day outcomes: q1 and q3 (stays within 31 days of the old cutoff), q2 (open). Counts of
    // stays and nights: q2 (open) and q3 (died between the two cutoffs).
    expect(recomputed(second.log)['31 admissions, patients']).toBe(3);
    expect(recomputed(second.log)['0 admissions, patients']).toBe(2);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
    const after = readFileSync(join(out, 'metrics.csv'), 'utf8');
    const row = (csv: string, id: string, period: string) => csv.split('\n').find((l) => l.startsWith(`${id},`) && l.includes(`,${period},H1,ALL,`));
    // The follow-up of January's stays is now complete, and q2's open stay has more nights.
    expect(row(before, 'readmission_30d', '2024-01')).toBeUndefined();
    expect(row(after, 'readmission_30d', '2024-01')).toBeDefined();
    expect(row(after, 'bed_days', '2024-02')).toBeDefined();
    expect(row(before, 'bed_days', '2024-02')).toBeUndefined();
  }, 120_000);

  it('patients changed on a night refused by the quality gate are recomputed on the next night', async () => {
    const { dir, input, out, db } = nightFolder(base);
    const cfg = { max_reject_share: 0.3 };
    await night(input, out, db, cfg);
    // Four bad rows of five: the gate refuses the night, after validation took in p1's new treatment.
    put(input, { 'treatments/2024-03-b.csv': [TRT, 't6,p1,H1,2024-03-06 10:00,ambulatory', 'x1,p2,H1,nope,ambulatory', 'x2,p2,H1,nope,ambulatory', 'x3,p2,H1,nope,ambulatory', 'x4,p2,H1,nope,ambulatory'] });
    await expect(night(input, out, db, cfg)).rejects.toThrow(/quality gate/);
    // The file is corrected: p1's row is the same as on the refused night, so validation sees no change.
    put(input, { 'treatments/2024-03-b.csv': [TRT, 't6,p1,H1,2024-03-06 10:00,ambulatory'] });
    const fixed = await night(input, out, db, cfg);
    expect(fixed.manifest.tables.find((t) => t.table === 'treatments')!.inserted).toBe(0);
    expect(recomputed(fixed.log)['0 treatments']).toBe(1);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input, cfg)).snap);
  }, 120_000);

  it('a store written under another configuration, or left without its state by a killed run, is not trusted: the night is a full run', async () => {
    const { dir, input, out, db } = nightFolder(base);
    await night(input, out, db);
    put(input, { 'treatments/2024-03-b.csv': [TRT, 't6,p1,H1,2024-03-09 09:00,ambulatory'] });
    const other = await night(input, out, db, { course_gap_days: 2 });
    expect(recomputed(other.log)).toEqual({});
    expect(snapshot(out)).toEqual((await fromScratch(dir, input, { course_gap_days: 2 })).snap);

    // A run killed between changing the store and saying it is whole leaves no state row.
    const h = await Db.open(db);
    await h.run('DROP TABLE pfacts_state');
    h.close();
    put(input, { 'treatments/2024-03-c.csv': [TRT, 't7,p2,H1,2024-03-10 09:00,emergency'] });
    const after = await night(input, out, db, { course_gap_days: 2 });
    expect(recomputed(after.log)).toEqual({});
    expect(snapshot(out)).toEqual((await fromScratch(dir, input, { course_gap_days: 2 })).snap);
    // and the store is whole again: the next night is per patient
    put(input, { 'treatments/2024-03-d.csv': [TRT, 't8,p5,H1,2024-03-11 09:00,emergency'] });
    const next = await night(input, out, db, { course_gap_days: 2 });
    // 72-hour returns: p5 changed, and p2's emergency visit (2024-03-10) lies within 3 days of the old
    // cutoff; p1's ambulatory visit (2024-03-09) does too, but returns read emergency visits only.
    expect(recomputed(next.log)['3 admissions, treatments']).toBe(2);
    expect(recomputed(next.log)['0 treatments']).toBe(1);
    expect(snapshot(out)).toEqual((await fromScratch(dir, input, { course_gap_days: 2 })).snap);
  }, 120_000);

  it('a cutoff moved back is a full run; keep_facts keeps audit facts and no store', async () => {
    const { dir, input, out, db } = nightFolder(base);
    await night(input, out, db);
    const back = await night(input, out, db, { cutoff: '2024-03-02 00:00:00' });
    expect(recomputed(back.log)).toEqual({});
    expect(snapshot(out)).toEqual((await fromScratch(dir, input, { cutoff: '2024-03-02 00:00:00' })).snap);

    put(input, { 'treatments/2024-03-b.csv': [TRT, 't6,p3,H2,2024-03-12 09:00,ambulatory'] });
    const audit = await night(input, out, db, { keep_facts: true });
    expect(recomputed(audit.log)).toEqual({});
    const kept = await tables(db);
    expect(kept.filter((t) => t.startsWith('pfacts_'))).toEqual([]);
    expect(kept).toContain('fact_treatments');
    expect(snapshot(out)).toEqual((await fromScratch(dir, input)).snap);
  }, 120_000);
});
