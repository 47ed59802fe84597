/**
 * Synthea CSV export → raw tables (docs/reference/contract.md#formats `synthea`). Reads `patients.csv`
 * and `encounters.csv` (required), `providers.csv` and `procedures.csv`
 * (optional), from older and newer Synthea versions (procedures with `START` or
 * `DATE`; extra columns such as `SYSTEM` are ignored). The mapping is `synthea.sql`.
 */
import type { Config } from '../../core/config.js';
import { Db } from '../../core/db.js';
import { InputError } from '../../core/errors.js';
import { runSqlFile } from '../../core/sql.js';
import type { AdapterReport } from './report.js';
import { loadCodes, writeCodeTables } from './codes.js';
import { stageSources, type ColumnWant } from './files.js';
import { createMapTables, createRawTables, outcomeCounts, writeMapped } from './output.js';

const TABLES: Record<string, { target: string; required: boolean; columns: ColumnWant[] }> = {
  patients: {
    target: 'adp_syn_patients',
    required: true,
    columns: [
      { as: 'id', from: ['Id'], required: true },
      { as: 'birthdate', from: ['BIRTHDATE'] },
      { as: 'deathdate', from: ['DEATHDATE'] },
      { as: 'gender', from: ['GENDER'] },
    ],
  },
  encounters: {
    target: 'adp_syn_encounters',
    required: true,
    columns: [
      { as: 'id', from: ['Id'], required: true },
      { as: 'start', from: ['START'], required: true },
      { as: 'stop', from: ['STOP'] },
      { as: 'patient', from: ['PATIENT'], required: true },
      { as: 'organization', from: ['ORGANIZATION'], required: true },
      { as: 'provider', from: ['PROVIDER'] },
      { as: 'encounterclass', from: ['ENCOUNTERCLASS'], required: true },
      { as: 'code', from: ['CODE'] },
    ],
  },
  providers: {
    target: 'adp_syn_providers',
    required: false,
    columns: [
      { as: 'id', from: ['Id'], required: true },
      { as: 'speciality', from: ['SPECIALITY'] },
    ],
  },
  procedures: {
    target: 'adp_syn_procedures',
    required: false,
    columns: [
      { as: 'start', from: ['START'] },
      { as: 'date', from: ['DATE'] },
      { as: 'encounter', from: ['ENCOUNTER'], required: true },
      { as: 'code', from: ['CODE'] },
    ],
  },
};

/** Map a Synthea CSV export in `inputDir` onto `raw_*` and `rejects`. */
export async function adaptSynthea(db: Db, inputDir: string, _cfg: Config): Promise<AdapterReport> {
  const { files, present } = await stageSources(db, inputDir, TABLES, (table) => {
    if (TABLES[table]?.required) throw new InputError(`no ${table}.csv in ${inputDir} (a Synthea CSV export needs patients.csv and encounters.csv)`, inputDir);
  });
  if (present['procedures']) {
    const cols = await db.all<{ s: number; d: number }>('SELECT count(start) AS s, count(date) AS d FROM adp_syn_procedures');
    const n = Number(await db.scalar('SELECT count(*) FROM adp_syn_procedures'));
    if (n > 0 && Number(cols[0]?.s) === 0 && Number(cols[0]?.d) === 0) {
      throw new InputError(`procedures.csv in ${inputDir}: missing column START (or DATE in older Synthea versions)`, inputDir, 'START');
    }
  }
  const hasPatients = Number(await db.scalar('SELECT count(*) FROM adp_syn_patients')) > 0;
  await db.run('CREATE OR REPLACE TEMP TABLE adp_syn_flags AS SELECT $providers AS has_providers', {
    providers: present['providers'] ?? false,
  });

  await writeCodeTables(db, loadCodes('synthea'));
  await createMapTables(db);
  await runSqlFile(db, 'pipeline/ingest/adapters/synthea.sql');
  await createRawTables(db, hasPatients);
  await writeMapped(db, hasPatients);
  const counts = await outcomeCounts(db, hasPatients, 'patient:loaded');
  return { files, counts };
}
