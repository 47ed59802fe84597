/**
 * FHIR R4 Bulk Data export → raw tables (docs/reference/contract.md#formats `fhir`). Every `*.ndjson`
 * (or `.jsonl`, optionally gzipped) file under the input folder is recognised by
 * the `resourceType` of its first record; the Patient, Encounter and Procedure
 * files are read in one `read_json` pass, and each line is then routed by its
 * own `resourceType`. The mapping itself is `fhir.sql`.
 */
import type { Config } from '../../core/config.js';
import { Db } from '../../core/db.js';
import { InputError } from '../../core/errors.js';
import { runSqlFile } from '../../core/sql.js';
import type { AdapterReport } from './report.js';
import { loadCodes, writeCodeTables } from './codes.js';
import { fileList, firstLine, lineNumberedView, listFiles, rowsPerFile } from './files.js';
import { createMapTables, createRawTables, outcomeCounts, writeMapped } from './output.js';

const NDJSON = /\.(ndjson|jsonl)(\.gz)?$/i;
const USED = ['Patient', 'Encounter', 'Procedure'];

/** Top-level fields read from every line; all as JSON except the two keys. */
const FIELDS = [
  'status', 'gender', 'birthDate', 'deceasedDateTime', 'class', 'subject', 'period', 'actualPeriod',
  'serviceProvider', 'serviceType', 'type', 'priority', 'hospitalization', 'admission', 'code', 'encounter',
  'context', 'performedDateTime', 'performedPeriod', 'occurrenceDateTime', 'occurrencePeriod',
];

/** The resource type of a file's first record. */
async function sniff(path: string): Promise<string | undefined> {
  const line = await firstLine(path);
  if (line === undefined) return undefined;
  if (line.startsWith('\uFEFF')) {
    throw new InputError(`${path} starts with a byte order mark, which the NDJSON reader does not accept: save it as UTF-8 without BOM`, path);
  }
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch (e) {
    throw new InputError(`${path}: line 1 is not JSON: ${(e as Error).message}`, path);
  }
  const t = (rec as { resourceType?: unknown } | null)?.resourceType;
  return typeof t === 'string' ? t : '(no resourceType)';
}

/** Map a FHIR Bulk Data export in `inputDir` onto `raw_*` and `rejects`. */
export async function adaptFhir(db: Db, inputDir: string, _cfg: Config): Promise<AdapterReport> {
  const counts: Record<string, number> = {};
  const typed: { path: string; type: string }[] = [];
  for (const path of listFiles(inputDir).filter((p) => NDJSON.test(p))) {
    const type = await sniff(path);
    if (type === undefined) counts['file:empty'] = (counts['file:empty'] ?? 0) + 1;
    else if (USED.includes(type)) typed.push({ path, type });
    else counts[`file:ignored:${type}`] = (counts[`file:ignored:${type}`] ?? 0) + 1;
  }
  if (!typed.some((f) => f.type === 'Encounter')) {
    const seen = Object.keys(counts).filter((k) => k.startsWith('file:ignored:')).map((k) => k.slice(13));
    throw new InputError(
      `no Encounter resources in ${inputDir}: expected FHIR Bulk Data NDJSON files (*.ndjson)` +
        (seen.length ? `; found only ${seen.join(', ')}` : ''),
      inputDir,
    );
  }

  const paths = typed.map((f) => f.path);
  const columns = [`resourceType: 'VARCHAR'`, `id: 'VARCHAR'`, ...FIELDS.map((f) => `${f}: 'JSON'`)].join(', ');
  try {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE adp_fhir_read AS SELECT * EXCLUDE (filename), filename AS _source_file
       FROM read_json(${fileList(paths)}, format = 'newline_delimited', records = true, filename = true,
                      maximum_object_size = 67108864, columns = {${columns}})`,
    );
  } catch (e) {
    throw new InputError(`cannot read the FHIR NDJSON files (${paths.join(', ')}): ${(e as Error).message}`, paths[0]);
  }
  await db.run(`CREATE OR REPLACE TEMP VIEW adp_fhir_src AS ${await lineNumberedView(db, 'adp_fhir_read', 1)}`);

  const byType = await db.all<{ t: string; n: number }>(
    `SELECT coalesce(resourceType, '(no resourceType)') AS t, count(*) AS n FROM adp_fhir_src GROUP BY 1 ORDER BY 1`,
  );
  for (const r of byType) if (!USED.includes(r.t)) counts[`resource:ignored:${r.t}`] = Number(r.n);
  if (!byType.some((r) => r.t === 'Encounter')) throw new InputError(`no Encounter resources in ${inputDir}`, inputDir);
  const hasPatients = byType.some((r) => r.t === 'Patient');

  await writeCodeTables(db, loadCodes('fhir'));
  await createMapTables(db);
  await runSqlFile(db, 'pipeline/ingest/adapters/fhir.sql');
  await createRawTables(db, hasPatients);
  await writeMapped(db, hasPatients);
  Object.assign(counts, await outcomeCounts(db, hasPatients, 'patient:loaded'));

  const rows = await rowsPerFile(db, 'adp_fhir_src', paths);
  return { files: typed.map((f) => ({ path: f.path, table: f.type, rows: rows.get(f.path) ?? 0 })), counts };
}
