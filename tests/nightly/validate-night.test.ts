/**
 * A night's validation (docs/architecture.md#validation-of-a-night) looks only at the ids that can
 * have changed: those of the files read since the last validation, the ids that had more than one
 * row then, and those of patients whose death date changed. Every night must end with the
 * canonical tables, rejects and outputs of a full validation of the same folder.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { night, nightFolder, put, snapshot } from './helpers.js';

const ADM = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
const TRT = 'treatment_id,patient_id,hospital_id,start_ts,setting';
const PAT = 'patient_id,birth_year,sex,death_date';

/** The candidate ids of each table a night's validation looked at (undefined: it checked every row). */
function candidates(log: string[]): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const line of log) {
    const m = /(patients|admissions|treatments): (\d+) candidate id\(s\)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The canonical tables and rejects of a database, in one order. */
async function validated(dbPath: string): Promise<Record<string, string[]>> {
  const db = await Db.open(dbPath);
  const rows = async (sql: string) => (await db.all(sql)).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  try {
    return {
      patients: await rows('SELECT * FROM patients ORDER BY patient_id'),
      admissions: await rows('SELECT * FROM admissions ORDER BY admission_id'),
      treatments: await rows('SELECT * FROM treatments ORDER BY treatment_id'),
      rejects: await rows('SELECT * FROM rejects ORDER BY ALL'),
    };
  } finally {
    db.close();
  }
}

describe("a night's validation", () => {
  it('looks at the changed ids alone and ends where a full validation ends: corrections, duplicates kept from earlier nights, death dates', async () => {
    const { dir, input, out, db } = nightFolder({
      'patients.csv': [PAT, 'p1,1950,F,', 'p2,1960,M,'],
      'admissions/a.csv': [ADM, 'a1,p1,H1,MED,2024-01-01 08:00,2024-01-03 10:00,acute,home'],
      'treatments/a.csv': [TRT, 't1,p1,H1,2024-01-05 09:00,ambulatory', 't2,p1,H1,2024-02-10 09:00,ambulatory', 't3,p2,H1,2024-02-11 09:00,emergency'],
    });
    let k = 0;
    const same = async () => {
      const scratch = join(dir, `scratch-${k++}`);
      await night(input, join(scratch, 'out'), join(scratch, 'db.duckdb'));
      expect(await validated(db)).toEqual(await validated(join(scratch, 'db.duckdb')));
      expect(snapshot(out)).toEqual(snapshot(join(scratch, 'out')));
    };
    const first = await night(input, out, db);
    expect(candidates(first.log)).toBeUndefined();

    // b.csv corrects t1 (a later file wins) and holds t4 twice (the second is a duplicate_id reject).
    put(input, { 'treatments/b.csv': [TRT, 't1,p1,H2,2024-01-05 09:00,ambulatory', 't4,p2,H1,2024-02-12 09:00,ambulatory', 't4,p2,H1,2024-02-12 10:00,ambulatory'] });
    const second = await night(input, out, db);
    expect(candidates(second.log)).toEqual({ patients: 0, admissions: 0, treatments: 2 });
    expect(second.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ rows_superseded: 1, inserted: 1, replaced: 1 });
    await same();

    // A new file of another id: t4's duplicate (an id with two rows at the last validation) is
    // still rejected, and t1 still corrected, though neither's file was read.
    put(input, { 'treatments/c.csv': [TRT, 't5,p2,H1,2024-02-13 09:00,ambulatory'] });
    const third = await night(input, out, db);
    expect(candidates(third.log)).toEqual({ patients: 0, admissions: 0, treatments: 3 });
    await same();

    // p1 died on 2024-02-01: t2 (2024-02-10, in a.csv, not read again) is now after death.
    put(input, { 'patients.csv': [PAT, 'p1,1950,F,2024-02-01', 'p2,1960,M,'] });
    const fourth = await night(input, out, db);
    // patients: p1 and p2 (the file was read again); treatments: t1, t4 (two rows each at the
    // last validation) and p1's t1, t2.
    expect(candidates(fourth.log)).toEqual({ patients: 2, admissions: 1, treatments: 3 });
    expect((await validated(db)).treatments.some((r) => r.includes('"t2"'))).toBe(false);
    await same();

    // The death date was wrong: t2 is back.
    put(input, { 'patients.csv': [PAT, 'p1,1950,F,', 'p2,1960,M,'] });
    await night(input, out, db);
    expect((await validated(db)).treatments.some((r) => r.includes('"t2"'))).toBe(true);
    await same();

    // b.csv again, without t1: a.csv's t1 is the row again.
    put(input, { 'treatments/b.csv': [TRT, 't4,p2,H1,2024-02-12 09:00,ambulatory', 't4,p2,H1,2024-02-12 10:00,ambulatory'] });
    const sixth = await night(input, out, db);
    expect(sixth.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ rows_superseded: 0, replaced: 1 });
    await same();

    // c.csv again, empty: t5 (one row, from that file) goes.
    put(input, { 'treatments/c.csv': [TRT] });
    const seventh = await night(input, out, db);
    expect(seventh.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ removed: 1 });
    await same();
  }, 180_000);

  it('checks every row after a validation that did not finish, an adapter export, another version', async () => {
    const { input, out, db } = nightFolder({
      'patients.csv': [PAT, 'p1,1950,F,'],
      'admissions/a.csv': [ADM, 'a1,p1,H1,MED,2024-01-01 08:00,2024-01-03 10:00,acute,home'],
      'treatments/a.csv': [TRT, 't1,p1,H1,2024-01-05 09:00,ambulatory'],
    });
    await night(input, out, db);
    const sql = async (statement: string) => {
      const d = await Db.open(db);
      try {
        await d.run(statement);
      } finally {
        d.close();
      }
    };
    // A night delivering one new treatment: the candidate ids its validation looked at.
    let n = 0;
    const deliver = async () => {
      n++;
      put(input, { [`treatments/n${n}.csv`]: [TRT, `t${n + 1},p1,H1,2024-01-${String(5 + n).padStart(2, '0')} 09:00,ambulatory`] });
      return candidates((await night(input, out, db)).log);
    };
    const one = { patients: 0, admissions: 0, treatments: 1 };
    // A validation killed half way leaves no state.
    await sql('DROP TABLE validate_state');
    expect(await deliver()).toBeUndefined();
    expect(await deliver()).toEqual(one);
    // Rows parsed from a whole export (an adapter's, or raw rows of an earlier version) are listed without a file.
    await sql("INSERT INTO files_to_validate VALUES ('treatments', NULL)");
    expect(await deliver()).toBeUndefined();
    expect(await deliver()).toEqual(one);
    // Another version (its rules may differ) validated last, or loaded a file without listing it.
    await sql("UPDATE validate_state SET basis = 'another version'");
    expect(await deliver()).toBeUndefined();
    await sql("DELETE FROM validated_files WHERE path LIKE '%n4.csv'");
    expect(await deliver()).toBeUndefined();
  }, 120_000);

  it("a cutoff moved into the next year looks at the patients born between the two years, and ends where a full validation ends", async () => {
    const { dir, input, out, db } = nightFolder({
      'patients.csv': [PAT, 'p1,1950,F,', 'p2,2025,M,', 'p3,2026,F,', 'p4,2024,F,'],
      'admissions/a.csv': [ADM, 'a1,p1,H1,MED,2024-01-01 08:00,2024-01-03 10:00,acute,home'],
      'treatments/a.csv': [TRT, 't1,p1,H1,2024-12-30 09:00,ambulatory', 't2,p4,H1,2024-12-31 09:00,ambulatory'],
    });
    await night(input, out, db);
    // Cutoff 2024-12-31: p2 (2025) and p3 (2026) born after its year, cleared; p4 (2024) kept.
    const born = async () => (await validated(db)).patients.map((r) => JSON.parse(r) as { patient_id: string; birth_year: number | null }).map((r) => `${r.patient_id}:${r.birth_year}`);
    expect(await born()).toEqual(['p1:1950', 'p2:null', 'p3:null', 'p4:2024']);
    // A treatment of 2025-01-01 moves the cutoff into 2025: p2's birth year is kept now; only p2 is looked at.
    put(input, { 'treatments/b.csv': [TRT, 't3,p2,H1,2025-01-01 09:00,ambulatory'] });
    const second = await night(input, out, db);
    expect(candidates(second.log)).toEqual({ patients: 1, admissions: 0, treatments: 1 });
    expect(await born()).toEqual(['p1:1950', 'p2:2025', 'p3:null', 'p4:2024']);
    expect(second.manifest.tables.find((t) => t.table === 'patients')).toMatchObject({ replaced: 1, unchanged: 3 });
    const scratch = join(dir, 'scratch');
    await night(input, join(scratch, 'out'), join(scratch, 'db.duckdb'));
    expect(await validated(db)).toEqual(await validated(join(scratch, 'db.duckdb')));
    expect(snapshot(out)).toEqual(snapshot(join(scratch, 'out')));
  }, 60_000);

  it('a night without a new death date keeps the contacts after death of the files not read again, and judges those of the new files', async () => {
    const { dir, input, out, db } = nightFolder({
      'patients.csv': [PAT, 'p1,1950,F,2024-02-01', 'p2,1960,M,'],
      'admissions/a.csv': [ADM, 'a1,p1,H1,MED,2024-01-01 08:00,2024-01-03 10:00,acute,home', 'a2,p1,H1,MED,2024-02-05 08:00,2024-02-06 10:00,acute,home'],
      'treatments/a.csv': [TRT, 't1,p1,H1,2024-01-05 09:00,ambulatory', 't2,p1,H1,2024-02-10 09:00,ambulatory'],
    });
    const lateRows = async () => (await validated(db)).rejects.filter((r) => r.includes('after_death')).map((r) => (JSON.parse(r) as { source_file: string; line: number }).line + ':' + (JSON.parse(r) as { source_file: string }).source_file.split('/').slice(-2).join('/')).sort();
    await night(input, out, db);
    expect(await lateRows()).toEqual(['3:admissions/a.csv', '3:treatments/a.csv']);
    // b.csv: t3 of p1 after the death (late), t4 of p2; a2 and t2 stay late though a.csv is not read again.
    put(input, { 'treatments/b.csv': [TRT, 't3,p1,H1,2024-03-01 09:00,ambulatory', 't4,p2,H1,2024-03-01 09:00,ambulatory'] });
    await night(input, out, db);
    expect(await lateRows()).toEqual(['2:treatments/b.csv', '3:admissions/a.csv', '3:treatments/a.csv']);
    const scratch = join(dir, 'scratch');
    await night(input, join(scratch, 'out'), join(scratch, 'db.duckdb'));
    expect(await validated(db)).toEqual(await validated(join(scratch, 'db.duckdb')));
    expect(snapshot(out)).toEqual(snapshot(join(scratch, 'out')));
  }, 60_000);
});
