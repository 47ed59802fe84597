/**
 * Store once (docs/architecture.md#canonical-tables): the canonical tables are views over the
 * parsed rows, which are written once. A changed file's old rows are retired until the next
 * validation has compared with them; a database of the earlier layout (canonical tables as a
 * second copy) is taken over.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../pipeline/core/config.js';
import { Db } from '../../pipeline/core/db.js';
import { memoryLogger } from '../../pipeline/core/log.js';
import { runPipeline } from '../../pipeline/compose/run.js';
import { tempDir } from '../load/helpers.js';
import { loadNative } from '../../pipeline/ingest/load/native.js';
import { fromScratch, night, nightFolder, put, snapshot } from './helpers.js';

const ADM = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
const TRT = 'treatment_id,patient_id,hospital_id,start_ts,setting';
const PAT = 'patient_id,birth_year,sex,death_date';
const TABLES = ['patients', 'admissions', 'treatments'];

async function withDb<T>(path: string, f: (db: Db) => Promise<T>): Promise<T> {
  const db = await Db.open(path);
  try {
    return await f(db);
  } finally {
    db.close();
  }
}

/** The canonical rows, rejects and the kind of each canonical relation. */
async function state(path: string) {
  return withDb(path, async (db) => {
    const rows = async (sql: string) => (await db.all(sql)).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    return {
      patients: await rows('SELECT * FROM patients ORDER BY patient_id'),
      admissions: await rows('SELECT * FROM admissions ORDER BY admission_id'),
      treatments: await rows('SELECT * FROM treatments ORDER BY treatment_id'),
      rejects: await rows('SELECT * FROM rejects ORDER BY ALL'),
    };
  });
}

/** Base tables of the database whose name starts with one of `prefixes`, or is a canonical table's. */
async function baseTables(path: string): Promise<string[]> {
  return withDb(path, async (db) =>
    (await db.all<{ n: string }>(`SELECT table_name AS n FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`))
      .map((r) => r.n)
      .filter((n) => TABLES.includes(n) || n.startsWith('parsed_') || n.startsWith('retired_')),
  );
}

/** Each view's rows as `canonical_state` keeps them (a night adds the new ids, less those gone) and as counted. */
async function counts(path: string) {
  return withDb(path, async (db) => {
    const out: Record<string, [number, number]> = {};
    for (const t of TABLES) {
      out[t] = [Number(await db.scalar('SELECT rows FROM canonical_state WHERE table_name = $t', { t })), Number(await db.scalar(`SELECT count(*) FROM "${t}"`))];
    }
    return out;
  });
}

/** The database's canonical rows and rejects, and the outputs, equal those of one run over `input` into a new database. */
async function endsLikeFullRun(dir: string, input: string, db: string, out: string, config: Record<string, unknown> = {}): Promise<void> {
  const full = await fromScratch(dir, input, config);
  expect(await state(db)).toEqual(await state(full.db));
  expect(snapshot(out)).toEqual(full.snap);
}

const FILES = {
  'patients.csv': [PAT, 'p1,1950,F,', 'p2,1960,M,', 'p3,1870,F,'],
  'admissions/a.csv': [ADM, 'a1,p1,H1,MED,2024-01-01 08:00,2024-01-03 10:00,acute,home', 'a2,p2,H1,MED,2024-01-02 08:00,2024-01-04 10:00,acute,home'],
  'treatments/a.csv': [
    TRT,
    't1,p1,H1,2024-01-05 09:00,ambulatory',
    't2,p1,H1,2024-02-10 09:00,ambulatory',
    't3,p2,H1,2024-02-11 09:00,emergency',
    't3,p2,H1,2024-02-11 10:00,emergency',
    't4,p2,H1,not a time,ambulatory',
  ],
};

describe('store once', () => {
  it('the canonical tables are views over the parsed rows: no second copy, and no retired rows after a night', async () => {
    const { dir, input, out, db } = nightFolder(FILES);
    await night(input, out, db);
    expect(await baseTables(db)).toEqual(['parsed_admissions', 'parsed_patients', 'parsed_treatments']);
    await withDb(db, async (d) => {
      for (const t of TABLES) {
        expect(await d.scalar(`SELECT table_type FROM information_schema.tables WHERE table_name = $t`, { t })).toBe('VIEW');
      }
      // t3's second row (duplicate_id) and t4 (invalid_timestamp) are parsed and left out; p3's birth year is cleared.
      expect(Number(await d.scalar('SELECT count(*) FROM parsed_treatments'))).toBe(5);
      expect(await d.all('SELECT treatment_id, _line FROM treatments ORDER BY 1')).toEqual([
        { treatment_id: 't1', _line: 2 },
        { treatment_id: 't2', _line: 3 },
        { treatment_id: 't3', _line: 4 },
      ]);
      expect(await d.scalar("SELECT birth_year FROM patients WHERE patient_id = 'p3'")).toBeNull();
      expect(await d.scalar("SELECT birth_year FROM parsed_patients WHERE patient_id = 'p3'")).toBe(1870);
    });
    // a.csv changes (t2 goes, t1 moves to H2): its old rows are retired by the load and gone after validation.
    put(input, { 'treatments/a.csv': [TRT, 't1,p1,H2,2024-01-05 09:00,ambulatory', 't3,p2,H1,2024-02-11 09:00,emergency'] });
    expect(await counts(db)).toEqual({ patients: [3, 3], admissions: [2, 2], treatments: [3, 3] });
    const second = await night(input, out, db);
    expect(second.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ replaced: 1, removed: 1, unchanged: 1 });
    expect(await counts(db)).toEqual({ patients: [3, 3], admissions: [2, 2], treatments: [2, 2] });
    expect(await baseTables(db)).toEqual(['parsed_admissions', 'parsed_patients', 'parsed_treatments']);
    await endsLikeFullRun(dir, input, db, out);
  }, 60_000);

  it('rows retired by a load whose run stopped before validation are still compared with by the next run', async () => {
    const { dir, input, out, db } = nightFolder(FILES);
    await night(input, out, db);
    // A changed file loaded, then the run stops (killed) before validating: its old rows wait in
    // retired_treatments, out of the view, which shows no row of the file until validation.
    put(input, { 'treatments/a.csv': [TRT, 't1,p1,H2,2024-01-05 09:00,ambulatory', 't3,p2,H1,2024-02-11 09:00,emergency'] });
    await withDb(db, async (d) => {
      await loadNative(d, input, 'killed');
      expect(Number(await d.scalar('SELECT count(*) FROM retired_treatments'))).toBe(5);
      expect(Number(await d.scalar('SELECT count(*) FROM parsed_treatments'))).toBe(2);
      expect(Number(await d.scalar('SELECT count(*) FROM treatments'))).toBe(0);
    });
    const next = await night(input, out, db);
    // t1 replaced, t2 removed: p1 is recomputed, as the full run says.
    expect(next.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ replaced: 1, removed: 1, unchanged: 1 });
    expect((await counts(db)).treatments).toEqual([2, 2]);
    await endsLikeFullRun(dir, input, db, out);
    expect(await baseTables(db)).toEqual(['parsed_admissions', 'parsed_patients', 'parsed_treatments']);
  }, 60_000);

  it('a database of the earlier layout (canonical tables as tables, parsed rows without batches) is taken over and ends where a full run does', async () => {
    const { dir, input, out, db } = nightFolder(FILES);
    await night(input, out, db);
    // Back to the earlier layout: the canonical rows as tables of their own, no batches, no state.
    await withDb(db, async (d) => {
      for (const t of TABLES) {
        await d.run(`CREATE TABLE "${t}_copy" AS SELECT * FROM "${t}"`);
        await d.run(`DROP VIEW "${t}"`);
        await d.run(`ALTER TABLE "${t}_copy" RENAME TO "${t}"`);
        await d.run(`ALTER TABLE "parsed_${t}" DROP COLUMN _batch`);
        await d.run(`ALTER TABLE "parsed_${t}" DROP COLUMN _dropped`);
      }
      await d.run('DROP TABLE canonical_state');
    });
    put(input, { 'treatments/b.csv': [TRT, 't1,p1,H3,2024-01-05 09:00,ambulatory', 't5,p2,H1,2024-03-01 09:00,ambulatory'] });
    const taken = await night(input, out, db);
    // b.csv corrects t1 and brings t5: against the old tables, 1 replaced, 1 new, 1 unchanged.
    expect(taken.manifest.tables.find((t) => t.table === 'treatments')).toMatchObject({ inserted: 1, replaced: 1, unchanged: 2, removed: 0 });
    expect(await counts(db)).toEqual({ patients: [3, 3], admissions: [2, 2], treatments: [4, 4] });
    expect(await baseTables(db)).toEqual(['parsed_admissions', 'parsed_patients', 'parsed_treatments']);
    await endsLikeFullRun(dir, input, db, out);
    // A state without the rows' count (a build in between): not trusted, every id is checked, the state made anew.
    await withDb(db, (d) => d.run('ALTER TABLE canonical_state DROP COLUMN rows'));
    put(input, { 'treatments/c.csv': [TRT, 't6,p1,H1,2024-03-02 09:00,ambulatory'] });
    await night(input, out, db);
    expect(await counts(db)).toEqual({ patients: [3, 3], admissions: [2, 2], treatments: [5, 5] });
    await endsLikeFullRun(dir, input, db, out);
  }, 60_000);

  it('an adapter export mapped again retires every earlier row and ends where a run into a new database does', async () => {
    const dir = tempDir('store-once-fhir');
    const input = join(dir, 'in');
    cpSync('fixtures/fhir', input, { recursive: true });
    const fhir = (db: string, out: string) =>
      runPipeline({ input, format: 'fhir', out, db, config: parseConfig({ max_reject_share: 1 }), log: memoryLogger(), now: new Date('2026-01-01T02:00:00Z') });
    const db = join(dir, 'db.duckdb');
    await fhir(db, join(dir, 'out'));
    const second = await fhir(db, join(dir, 'out'));
    // The same export: every id compared with the rows retired, none changed.
    for (const t of second.manifest.tables) expect({ t: t.table, inserted: t.inserted, replaced: t.replaced, removed: t.removed }).toEqual({ t: t.table, inserted: 0, replaced: 0, removed: 0 });
    expect(await baseTables(db)).toEqual(['parsed_admissions', 'parsed_patients', 'parsed_treatments']);
    await fhir(join(dir, 'fresh.duckdb'), join(dir, 'fresh'));
    expect(await state(db)).toEqual(await state(join(dir, 'fresh.duckdb')));
    expect(snapshot(join(dir, 'out'))).toEqual(snapshot(join(dir, 'fresh')));
  }, 60_000);

  it('a load that stopped before validation is validated by the next run, even when the old files are back and nothing else changed', async () => {
    const { dir, input, out, db } = nightFolder(FILES);
    await night(input, out, db);
    // A changed file loaded, the run stopped before validating, then the old delivery put back.
    put(input, { 'treatments/a.csv': [TRT, 't1,p1,H2,2024-01-05 09:00,ambulatory'] });
    await withDb(db, (d) => loadNative(d, input, 'killed').then(() => undefined));
    put(input, FILES);
    const next = await night(input, out, db);
    expect(next.log.some((l) => l.includes('nothing changed'))).toBe(false);
    await endsLikeFullRun(dir, input, db, out);
    // Now nothing changed: the night after is quiet.
    expect((await night(input, out, db)).log.some((l) => l.includes('nothing changed'))).toBe(true);
  }, 60_000);

  it('a reading of every file under new settings that stopped half way, then the old settings: the next run validates, and ends where a full run does', async () => {
    const files = { ...FILES, 'treatments/b.csv': [TRT, 't5,p1,H1,2024-02-20 09:00,ambulatory'] };
    const { dir, input, out, db } = nightFolder(files);
    const cfg = { max_staleness_days: 100000 };
    await night(input, out, db, cfg);
    // b.csv loses a required column: the reading under earliest_year 2024 stops at it, after a.csv was read again.
    put(input, { 'treatments/b.csv': ['treatment_id,patient_id', 't5,p1'] });
    await expect(night(input, out, db, { ...cfg, earliest_year: 2024 })).rejects.toThrow(/required column/);
    put(input, files);
    await night(input, out, db, cfg);
    await endsLikeFullRun(dir, input, db, out, cfg);
  }, 60_000);

  it('a canonical table of an earlier layout with other columns is not compared with: the view is made anew and the night ends where a full run does', async () => {
    const { dir, input, out, db } = nightFolder(FILES);
    await night(input, out, db);
    await withDb(db, async (d) => {
      await d.run('CREATE TABLE "treatments_copy" AS SELECT treatment_id, patient_id, start_ts FROM "treatments"');
      await d.run('DROP VIEW "treatments"');
      await d.run('ALTER TABLE "treatments_copy" RENAME TO "treatments"');
      await d.run("DELETE FROM canonical_state WHERE table_name = 'treatments'");
    });
    put(input, { 'treatments/b.csv': [TRT, 't5,p2,H1,2024-03-01 09:00,ambulatory'] });
    await night(input, out, db);
    expect(await withDb(db, (d) => d.scalar("SELECT table_type FROM information_schema.tables WHERE table_name = 'treatments'"))).toBe('VIEW');
    await endsLikeFullRun(dir, input, db, out);
  }, 60_000);
});
