/** Helpers for the nightly-operation tests: generated data split into nightly files, in-process runs. */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import { generate } from '../../fixtures/generate.js';
import { parseConfig } from '../../pipeline/core/config.js';
import { Db, literal } from '../../pipeline/core/db.js';
import { memoryLogger } from '../../pipeline/core/log.js';
import { MARKER } from '../../pipeline/core/marker.js';
import { runPipeline, type RunResult } from '../../pipeline/compose/run.js';
import { tempDir } from '../load/helpers.js';

/** Generate a small clean data set (CSV) into dir/src; returns its folder. */
export async function generated(dir: string, patients = 300, seed = 7): Promise<string> {
  const src = join(dir, 'src');
  await generate({ outDir: src, patients, years: 2, seed });
  return src;
}

/**
 * Split the generated tables into `nights` nightly deliveries under `inputDir`:
 * `patients.csv` arrives whole on the first night; admissions and treatments are
 * assigned to nights by `nightOf(row index)`. An admission that is discharged on a
 * later night first arrives open (no discharge) and again, complete, on the
 * night of its discharge: a corrected record with the same id in a later file.
 */
export async function splitIntoNights(src: string, inputDir: string, nights: number, seed = 1): Promise<string[][]> {
  const db = await Db.open(':memory:');
  const perNight: string[][] = [];
  try {
    await db.run(`CREATE TABLE a AS SELECT * FROM read_csv(${literal(join(src, 'admissions.csv'))}, all_varchar = true)`);
    await db.run(`CREATE TABLE t AS SELECT * FROM read_csv(${literal(join(src, 'treatments.csv'))}, all_varchar = true)`);
    // Night of a row: a deterministic hash of its id, so that nights interleave in time.
    const night = (id: string) => `(hash(${id}, ${seed}) % ${nights})`;
    for (let n = 0; n < nights; n++) {
      const files: string[] = [];
      const name = `night-${String(n + 1).padStart(2, '0')}.csv`;
      for (const dirName of ['admissions', 'treatments']) mkdirSync(join(inputDir, dirName), { recursive: true });
      if (n === 0) {
        await db.run(`COPY (SELECT * FROM read_csv(${literal(join(src, 'patients.csv'))}, all_varchar = true)) TO ${literal(join(inputDir, 'patients.csv'))} (HEADER)`);
        files.push('patients.csv');
      }
      // A third of the admissions first arrive open and are completed on the next night.
      const k = night('admission_id');
      const openFirst = `(hash(admission_id, 'open') % 3 = 0 AND ${k} + 1 < ${nights})`;
      await db.run(
        `COPY (
           SELECT * REPLACE (CASE WHEN ${openFirst} THEN NULL ELSE discharge_ts END AS discharge_ts) FROM a WHERE ${k} = ${n}
           UNION ALL
           SELECT * FROM a WHERE ${openFirst} AND ${k} + 1 = ${n}
         ) TO ${literal(join(inputDir, 'admissions', name))} (HEADER)`,
      );
      await db.run(`COPY (SELECT * FROM t WHERE ${night('treatment_id')} = ${n}) TO ${literal(join(inputDir, 'treatments', name))} (HEADER)`);
      files.push(`admissions/${name}`, `treatments/${name}`);
      perNight.push(files);
    }
  } finally {
    db.close();
  }
  return perNight;
}

/** One in-process run with a pinned clock and a memory logger. */
export async function run(input: string, out: string, db: string, config: Record<string, unknown> = {}): Promise<RunResult> {
  return runPipeline({
    input,
    format: 'native',
    out,
    db,
    config: parseConfig(config),
    log: memoryLogger(),
    now: new Date('2026-01-01T02:00:00Z'),
  });
}

/** Every file under dir, sorted, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/**
 * Every file under dir (relative path → bytes), except the manifest and the output-folder
 * markers, which carry the run, and the workbooks, zip files stamped with the time they
 * were written (see workbookSnapshot).
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of filesUnder(dir)) {
    if (basename(f) !== 'manifest.json' && basename(f) !== MARKER && !f.endsWith('.xlsx')) out[f] = readFileSync(join(dir, f)).toString('base64');
  }
  return out;
}

/** Every cell of every workbook under dir, with the run id (which each README sheet names) masked. */
export async function workbookSnapshot(dir: string, runId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of filesUnder(dir).filter((x) => x.endsWith('.xlsx'))) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, f));
    const cells: string[] = [];
    for (const ws of wb.worksheets) ws.eachRow((r, i) => r.eachCell((c, j) => cells.push(`${ws.name}!${i},${j}=${JSON.stringify(c.value)}`)));
    out[f] = cells.join('\n').replaceAll(runId, '<run id>');
  }
  return out;
}

/** Write small CSV files (name → lines) under dir. */
export function put(dir: string, files: Record<string, string[]>): void {
  for (const [name, lines] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), lines.join('\n') + '\n');
  }
}

/** A temporary folder holding `files` as the input folder `in`, with the paths of an output folder and a database beside it. */
export function nightFolder(files: Record<string, string[]>) {
  const dir = tempDir();
  const input = join(dir, 'in');
  put(input, files);
  return { dir, input, out: join(dir, 'out'), db: join(dir, 'db.duckdb') };
}

/** One night over a small hand-made folder: the manifest, the rows parsed per table and every log line. */
export async function night(input: string, out: string, db: string, config: Record<string, unknown> = {}) {
  const log = memoryLogger();
  // The fixtures hold a bad row among a few: the gate is not what these tests are about.
  const r = await runPipeline({ input, format: 'native', out, db, config: parseConfig({ max_reject_share: 1, ...config }), log, now: new Date('2026-01-01T02:00:00Z') });
  const parsed = Object.fromEntries(r.manifest.tables.map((t) => [t.table, t.rows_parsed]));
  return { ...r, parsed, log: log.events.map((e) => `${e.level} ${e.msg}`) };
}

/** The same folder, run once into a fresh database: what every night must end with. */
export async function fromScratch(dir: string, input: string, config: Record<string, unknown> = {}) {
  const out = join(dir, `scratch-${Math.random().toString(36).slice(2)}`);
  const r = await night(input, out, join(out + '.duckdb'), config);
  return { snap: snapshot(out), manifest: r.manifest, db: out + '.duckdb' };
}
