/**
 * The input of one run into the store: native files incrementally, each parsed once (`load/native.ts`),
 * or an export mapped by an adapter, whose files are recorded in `loaded_files` the same way.
 */
import type { Config } from '../core/config.js';
import type { Db } from '../core/db.js';
import { assertUnchangedSince, hashFile, identitiesUnder } from '../core/hash.js';
import type { Logger } from '../core/log.js';
import { adapt } from './adapters/index.js';
import { loadNative, resetRaw, type FileReport } from './load/native.js';

export const INPUT_FORMATS = ['native', 'fhir', 'omop', 'synthea'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface LoadedInput {
  files: FileReport[];
  /** What an adapter mapped, by kind (FHIR resources, OMOP rows, …). */
  adapterCounts?: Record<string, number>;
}

/** Bring the parsed tables (native) or the raw tables (an adapter) up to date with `input`; every file read is in `loaded_files` with its size and SHA-256. */
export async function loadInput(
  db: Db,
  opts: { input: string; format: InputFormat; config: Config; log: Logger },
  runId: string,
): Promise<LoadedInput> {
  if (opts.format === 'native') {
    // A database last loaded by an adapter is reloaded from scratch.
    if (await db.hasTable('loaded_files')) {
      const other = Number(await db.scalar(`SELECT count(*) FROM loaded_files WHERE format NOT IN ('csv', 'parquet', 'ndjson', 'arrow')`));
      if (other > 0) await resetRaw(db);
    }
    const files = await loadNative(db, opts.input, runId, (f) => {
      if (f.action !== 'unchanged') opts.log.info(`${f.action} file ${f.path}`, { stage: 'load', rows: f.rows });
      else opts.log.debug(`unchanged file ${f.path}`, { stage: 'load' });
    }, { ...opts.config, note: (m) => opts.log.info(m, { stage: 'load' }), warn: (m) => opts.log.warn(m, { stage: 'load' }) });
    for (const f of files.filter((x) => x.action === 'missing')) {
      opts.log.warn(`file ${f.path}, loaded earlier, is no longer in the input folder; its rows are kept`, { stage: 'load' });
    }
    return { files };
  }
  // Adapters map a whole export each run (no incremental loading).
  const before = identitiesUnder(opts.input);
  await resetRaw(db);
  const report = await adapt(db, opts.format, opts.input, opts.config);
  await db.run('INSERT INTO read_rejects SELECT * FROM rejects');
  const files: FileReport[] = [];
  for (const f of report.files) {
    const { bytes, sha256 } = await hashFile(f.path, { gzip: f.path.toLowerCase().endsWith('.gz') });
    // The size and SHA-256 recorded must describe the bytes the adapter read.
    assertUnchangedSince(f.path, before);
    await db.run(`INSERT INTO loaded_files VALUES ($path, $table, $format, $bytes, $sha, $rows, [], $run)`, {
      path: f.path,
      table: f.table,
      format: opts.format,
      bytes,
      sha: sha256,
      rows: f.rows,
      run: runId,
    });
    files.push({ path: f.path, table: f.table, format: opts.format, rows: f.rows, extra_columns: [], action: 'new', bytes, sha256 });
  }
  return { files, adapterCounts: report.counts };
}

/** Input files with their size, SHA-256 and rows read/rejected, for the manifest. */
export async function describeInputs(db: Db, files: FileReport[]) {
  const rejected = new Map<string, number>();
  for (const r of await db.all<{ source_file: string; n: number }>(
    `SELECT source_file, count(DISTINCT line) AS n FROM rejects WHERE kind = 'reject' GROUP BY source_file`,
  )) {
    rejected.set(r.source_file, Number(r.n));
  }
  return files.map((f) => ({ ...f, bytes: f.bytes ?? 0, sha256: f.sha256 ?? '', rows_rejected: rejected.get(f.path) ?? 0 }));
}
