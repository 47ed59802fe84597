/**
 * Adapters: map a standard export (FHIR Bulk Data, OMOP CDM, Synthea CSV) onto
 * the raw staging tables `raw_patients` (when the export has patients),
 * `raw_admissions`, `raw_treatments`, and add what cannot be mapped to `rejects`.
 * The shared validator then types, checks and defaults the raw rows exactly as
 * for native input. The mappings and their readings: `docs/adapters.md`.
 */
import type { Config } from '../../core/config.js';
import { Db, literal } from '../../core/db.js';
import { runSqlFile } from '../../core/sql.js';
import type { AdapterFormat } from './codes.js';
import { adaptFhir } from './fhir.js';
import { adaptOmop } from './omop.js';
import { dropTemporary } from './output.js';
import type { AdapterReport } from './report.js';
import { adaptSynthea } from './synthea.js';
import { createTimeMacros } from './time.js';

export type { AdapterReport } from './report.js';
export type { AdapterFormat } from './codes.js';
/** The `--format` values an adapter serves. */
export const ADAPTER_FORMATS: readonly AdapterFormat[] = ['fhir', 'omop', 'synthea'];

/**
 * Read the export in `inputDir` and fill `raw_*` and `rejects`. Throws
 * `InputError` (exit 2) when a required file, resource or column is missing or a
 * file cannot be read. Sets the session time zone to `cfg.timezone`, which the
 * adapters' own timestamp readings (12-hour rule, death dates) depend on.
 * The readings every format applies alike (`rules.sql`) are installed here, once.
 */
export async function adapt(db: Db, format: AdapterFormat, inputDir: string, cfg: Config): Promise<AdapterReport> {
  await db.run(`SET TimeZone = ${literal(cfg.timezone)}`);
  await createTimeMacros(db);
  await runSqlFile(db, 'pipeline/ingest/adapters/rules.sql');
  try {
    switch (format) {
      case 'fhir':
        return await adaptFhir(db, inputDir, cfg);
      case 'omop':
        return await adaptOmop(db, inputDir, cfg);
      case 'synthea':
        return await adaptSynthea(db, inputDir, cfg);
    }
  } finally {
    await dropTemporary(db);
  }
}
