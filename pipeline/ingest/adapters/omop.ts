/**
 * OMOP CDM export → raw tables (docs/reference/contract.md#formats `omop`). Reads `person`,
 * `visit_occurrence`, `death` and `care_site` as CSV or Parquet files (or folders
 * of them), names in any case, CDM 5.3 or 5.4 column names. The mapping itself is
 * `omop.sql`.
 */
import type { Config } from '../../core/config.js';
import { Db } from '../../core/db.js';
import { InputError } from '../../core/errors.js';
import { runSqlFile } from '../../core/sql.js';
import type { AdapterReport } from './report.js';
import { loadCodes, writeCodeTables } from './codes.js';
import { stageSources, type ColumnWant } from './files.js';
import { createMapTables, createRawTables, outcomeCounts, writeMapped } from './output.js';

const TABLES: Record<string, { target: string; columns: ColumnWant[] }> = {
  person: {
    target: 'adp_omop_person',
    columns: [
      { as: 'person_id', from: ['person_id'], required: true },
      { as: 'gender_concept_id', from: ['gender_concept_id'] },
      { as: 'year_of_birth', from: ['year_of_birth'] },
      { as: 'birth_datetime', from: ['birth_datetime'] },
    ],
  },
  visit_occurrence: {
    target: 'adp_omop_visit',
    columns: [
      { as: 'visit_occurrence_id', from: ['visit_occurrence_id'], required: true },
      { as: 'person_id', from: ['person_id'], required: true },
      { as: 'visit_concept_id', from: ['visit_concept_id'], required: true },
      // The datetime when it is given, else the date (midnight).
      { as: 'start_text', from: ['visit_start_datetime', 'visit_start_date'], required: true },
      { as: 'end_text', from: ['visit_end_datetime', 'visit_end_date'] },
      { as: 'care_site_id', from: ['care_site_id'] },
      { as: 'admitted_from_concept_id', from: ['admitted_from_concept_id', 'admitting_source_concept_id'] },
      { as: 'admitted_from_source_value', from: ['admitted_from_source_value', 'admitting_source_value'] },
      { as: 'discharged_to_concept_id', from: ['discharged_to_concept_id', 'discharge_to_concept_id'] },
    ],
  },
  death: {
    target: 'adp_omop_death',
    columns: [
      { as: 'person_id', from: ['person_id'], required: true },
      { as: 'death_date', from: ['death_date'] },
      { as: 'death_datetime', from: ['death_datetime'] },
    ],
  },
  care_site: {
    target: 'adp_omop_care_site',
    columns: [
      { as: 'care_site_id', from: ['care_site_id'], required: true },
      { as: 'location_id', from: ['location_id'] },
    ],
  },
};

/** Map an OMOP CDM export in `inputDir` onto `raw_*` and `rejects`. */
export async function adaptOmop(db: Db, inputDir: string, _cfg: Config): Promise<AdapterReport> {
  const { files, present } = await stageSources(db, inputDir, TABLES, (table) => {
    if (table === 'visit_occurrence') {
      throw new InputError(`no visit_occurrence file in ${inputDir} (expected visit_occurrence.csv or .parquet, in any case)`, inputDir);
    }
  });
  const hasPatients = Number(await db.scalar('SELECT count(*) FROM adp_omop_person')) > 0;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE adp_omop_flags AS SELECT $person AS has_person, $careSite AS has_care_site`,
    { person: hasPatients, careSite: present['care_site'] ?? false },
  );

  await writeCodeTables(db, loadCodes('omop'));
  await createMapTables(db);
  await runSqlFile(db, 'pipeline/ingest/adapters/omop.sql');
  await createRawTables(db, hasPatients);
  await writeMapped(db, hasPatients);
  const counts = await outcomeCounts(db, hasPatients, 'person:loaded');
  return { files, counts };
}
