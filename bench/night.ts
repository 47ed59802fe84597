/**
 * The nights after the first run (docs/benchmarks.md): the run's own input folder, which a
 * typical night adds one file to, and that file — one more day of treatments.
 */
import { copyFileSync, linkSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Db, ident, literal } from '../pipeline/core/db.js';
import { TABLES } from '../pipeline/ingest/schema.js';

/**
 * A folder of its own for the runs of one size, holding the data set's files as hard links
 * (copies where the file system has none): a night adds a file to it, and the data set that
 * the floor and the peer read, and later benches reuse, stays as generated. The loader knows a
 * file by its path, so every run of the size reads this folder.
 */
export function prepareRunInput(dataDir: string, runInput: string): void {
  rmSync(runInput, { recursive: true, force: true });
  mkdirSync(runInput, { recursive: true });
  for (const name of readdirSync(dataDir).sort()) {
    if (name.startsWith('.') || !statSync(join(dataDir, name)).isFile()) continue;
    try {
      linkSync(join(dataDir, name), join(runInput, name));
    } catch {
      copyFileSync(join(dataDir, name), join(runInput, name));
    }
  }
}

export interface NightFile {
  path: string;
  /** The day the file brings (`YYYY-MM-DD`). */
  day: string;
  rows: number;
  bytes: number;
}

/**
 * One day of treatments after the last day of the data set, written to
 * `<runInput>/treatments/<day>.csv`: the treatments of the same weekday a week before,
 * moved forward seven days, without the patients who died before the new day, with fresh ids
 * (`T<yyyymmdd>-<n>`, unlike any the generator makes). Made from the data set alone, so the
 * same data set always gives the same file; one day's volume of the data set (1M patients
 * of the region profile: about 8,000 rows, the generator's period ending on a Tuesday).
 */
export async function writeNightFile(dataDir: string, runInput: string): Promise<NightFile> {
  const src = join(dataDir, 'treatments.csv');
  const patients = join(dataDir, 'patients.csv');
  const db = await Db.open(':memory:');
  try {
    const day = String(
      await db.scalar(`SELECT CAST(CAST(max(start_ts) AS DATE) + 1 AS VARCHAR) FROM read_csv(${literal(src)}, header = true, types = {'start_ts': 'TIMESTAMP'})`),
    );
    mkdirSync(join(runInput, 'treatments'), { recursive: true });
    const path = join(runInput, 'treatments', `${day}.csv`);
    const cols = TABLES.treatments.columns.map((c) => c.name);
    const select = cols
      .map((c) =>
        c === 'treatment_id'
          ? `'T' || strftime(CAST($day AS DATE), '%Y%m%d') || '-' || lpad(CAST(row_number() OVER (ORDER BY t.start_ts, t.treatment_id) AS VARCHAR), 6, '0') AS treatment_id`
          : c === 'start_ts' || c === 'end_ts'
            ? `t.${ident(c)} + INTERVAL 7 DAY AS ${ident(c)}`
            : `t.${ident(c)}`,
      )
      .join(', ');
    await db.run(
      `COPY (
         SELECT ${select}
         FROM read_csv(${literal(src)}, header = true, all_varchar = true, types = {'start_ts': 'TIMESTAMP', 'end_ts': 'TIMESTAMP'}) t
         LEFT JOIN read_csv(${literal(patients)}, header = true, all_varchar = true, types = {'death_date': 'DATE'}) p USING (patient_id)
         WHERE CAST(t.start_ts AS DATE) = CAST($day AS DATE) - 7
           AND (p.death_date IS NULL OR p.death_date >= CAST($day AS DATE))
         ORDER BY t.start_ts, t.treatment_id
       ) TO ${literal(path)} (FORMAT csv, HEADER, DELIMITER ',')`,
      { day },
    );
    const rows = Number(await db.scalar(`SELECT count(*) FROM read_csv(${literal(path)}, header = true, all_varchar = true)`));
    return { path, day, rows, bytes: statSync(path).size };
  } finally {
    db.close();
  }
}
