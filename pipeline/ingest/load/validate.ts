/**
 * Validation (docs/reference/contract.md#bad-input): every broken rule sends the row to
 * `rejects` with its file, line, rule, column and raw value; rows that pass become the typed
 * canonical tables. Nothing disappears. The per-row rules ran when each file was loaded
 * (`rows.ts`, into `parsed_<table>`); here run the rules that need other rows — contacts after
 * the patient's death, duplicate ids, corrected records, birth years after the cutoff — over
 * the typed rows of every file, with no text to parse.
 */
import { Db, ident } from '../../core/db.js';
import { REJECTS_DDL, TABLES, idColumn, type TableName } from '../schema.js';
import { advanceCanonical, birthYearOutside, dropCanonical, previousView } from './canonical.js';
import { excerptSql } from './excerpt.js';
import { absorbRaw, assertParsedUnder } from './parsed.js';
import { PARSED_NOW_DDL, TO_VALIDATE, TO_VALIDATE_DDL, VALIDATE_STATE, installMacros, parsedTableDdl, type ParseOptions } from './rows.js';
import { resolveCutoff } from '../params.js';

export { RULES, installMacros } from './rows.js';

/**
 * The patients whose rows in a canonical table changed since the metrics last took them in
 * (docs/architecture.md#nightly-recompute): validation adds to it whenever it changes a table, before
 * changing it; a row without patient_id says every patient of that table changed (the table
 * was written anew). The metrics clear it once they have recomputed those patients.
 */
export const CHANGED_PATIENTS = 'changed_patients';
const CHANGED_DDL = `CREATE TABLE IF NOT EXISTS ${CHANGED_PATIENTS} (table_name VARCHAR NOT NULL, patient_id VARCHAR)`;

/** The ids that had more than one row passing the per-row rules at the last validation, per table. */
const DUPS = 'validate_dups';
const DUPS_DDL = `CREATE TABLE IF NOT EXISTS ${DUPS} (table_name VARCHAR NOT NULL, id VARCHAR NOT NULL)`;
/** The ids a night's validation looks at (`candidateIds`); none: every id. */
const IDS = 'validate_ids';
/** Patients whose death date differs from the last validation's (their contacts' `after_death` may have changed). */
const DEATHS = 'validate_deaths';
/** The files (path, SHA-256) the last validation took in. */
const VALIDATED_FILES = 'validated_files';

/** What validation needs from the run's configuration (docs/operations.md). */
export interface ValidateOptions extends ParseOptions {
  /** The configured cutoff, whose year bounds birth years; default: the newest event. */
  cutoff?: string;
  /**
   * A fingerprint of the code and configuration (all but the cutoff): a night's validation looks
   * only at the ids that can have changed when the last one ran with the same. Without it every
   * id is checked.
   */
  basis?: string;
}

export interface TableValidation {
  table: TableName;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  reject_share: number;
  /** Rows put through the per-row rules in this run: those of new and changed files (docs/operations.md#nightly-runs-store-once-validate-what-is-new). */
  rows_parsed: number;
  /** Rows replaced by a row with the same id in a later file (a corrected record). */
  rows_superseded: number;
  /** Against the previous run's canonical table, by id: new ids, changed rows, same rows, ids gone. */
  inserted: number;
  replaced: number;
  unchanged: number;
  removed: number;
}

/** The per-row rejects of every loaded file, as they were found when it was loaded. */
async function rejectFromChecks(db: Db, table: TableName): Promise<void> {
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, e.rule, e.col, ${excerptSql('e.raw')}, 'reject'
     FROM (SELECT _source_file, _line, unnest(_errs) AS e FROM ${ident('parsed_' + table)} WHERE len(_errs) > 0)
     ORDER BY _source_file, _line`,
    { table },
  );
}

/** The view `ok_<table>`: the rows that broke no rule so far (less those of `late_<table>`, when given). */
async function okView(db: Db, table: TableName, late?: string): Promise<void> {
  const unless = late ? `AND NOT EXISTS (SELECT 1 FROM ${ident(late)} l WHERE l._source_file = p._source_file AND l._line = p._line)` : '';
  await db.run(`CREATE OR REPLACE TEMP VIEW ${ident('ok_' + table)} AS SELECT * FROM ${ident('parsed_' + table)} p WHERE len(p._errs) = 0 ${unless}`);
}

/** At most this many files are bound one by one in the after-death check of a night. */
const MAX_BOUND_FILES = 100;

/**
 * Reject contacts that start more than one day after the patient's death (a linkage error),
 * by the patients kept; they then take no part in the duplicate check (`ok_<table>`).
 * `sinceLast`: no kept death date changed since the last validation, which finished: a row of a
 * file not read since is late exactly when it was then (`validate_prev_late`, that validation's
 * `after_death` rejects), so only the rows of the files read since are joined with the patients
 * (the join of every row costs about 0.13 s for 8.5M treatments).
 */
async function rejectAfterDeath(db: Db, table: 'admissions' | 'treatments', sinceLast: boolean): Promise<void> {
  const start = table === 'admissions' ? 'admit_ts' : 'start_ts';
  const late = 'late_' + table;
  // The contacts to judge are selected before the join: filtered after it, the join ran over every row.
  const judged = (rows: string) => `SELECT c._source_file, c._line, CAST(c.${start} AS VARCHAR) AS raw
     FROM (SELECT * FROM ${ident('parsed_' + table)} WHERE len(_errs) = 0 ${rows}) c JOIN kept_patients p ON p.patient_id = c.patient_id
     WHERE p.death_date IS NOT NULL AND date_diff('day', p.death_date, CAST(c.${start} AS DATE)) > 1`;
  const files = sinceLast
    ? (await db.all<{ f: string }>(`SELECT DISTINCT source_file AS f FROM ${TO_VALIDATE} WHERE table_name = $table AND source_file IS NOT NULL ORDER BY 1`, { table })).map((r) => r.f)
    : [];
  // A backlog of many files read since is judged whole rather than bound value by value.
  if (!sinceLast || files.length > MAX_BOUND_FILES) {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${ident(late)} AS ${judged('')}`);
  } else {
    const params: Record<string, string> = { table };
    files.forEach((f, i) => (params[`f${i}`] = f));
    const list = files.map((_, i) => `$f${i}`).join(', ');
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${ident(late)} AS
       SELECT source_file AS _source_file, line AS _line, raw_value AS raw FROM validate_prev_late
       WHERE table_name = $table ${files.length ? `AND source_file NOT IN (${list})` : ''}
       ${files.length ? `UNION ALL (${judged(`AND _source_file IN (${list})`)})` : ''}`,
      params,
    );
  }
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, 'after_death', $col, raw, 'reject' FROM ${ident(late)} ORDER BY _source_file, _line`,
    { table, col: start },
  );
  const any = Number(await db.scalar(`SELECT count(*) FROM ${ident(late)}`)) > 0;
  await okView(db, table, any ? late : undefined);
}

/**
 * One row per id: within a file the first (by line) is kept and the rest are rejected
 * (`duplicate_id`); across files the row of the later file (by path) replaces the earlier
 * one, a corrected record, so that nightly files that correct earlier ones need no deletes.
 * Leaves the view `kept_<table>` of the rows that stay; returns the rows superseded.
 */
async function dedupe(db: Db, table: TableName, mark: (name: string) => void, restricted: boolean): Promise<number> {
  const id = ident(idColumn(table));
  const ok = ident('ok_' + table);
  const losers = ident('losers_' + table);
  // Only the rows of ids that occur more than once are ranked (usually none): the
  // first of a file wins within it, the file that sorts last wins across files. On a night
  // only the candidate ids can occur more than once (`candidateIds`).
  const only = restricted ? `WHERE ${id} IN (SELECT id FROM ${IDS})` : '';
  await db.run(`CREATE OR REPLACE TEMP TABLE validate_dup AS SELECT ${id} AS id FROM ${ok} ${only} GROUP BY ${id} HAVING count(*) > 1`);
  await db.run(DUPS_DDL);
  await db.run(`DELETE FROM ${DUPS} WHERE table_name = $table`, { table });
  await db.run(`INSERT INTO ${DUPS} SELECT $table, id FROM validate_dup`, { table });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${losers} AS
     WITH dup AS (SELECT id FROM validate_dup),
          ranked AS (
            SELECT c.${id} AS id, c._source_file, c._line,
              row_number() OVER (PARTITION BY c.${id} ORDER BY c._source_file DESC, c._line) AS _rank,
              first_value(c._source_file) OVER (PARTITION BY c.${id} ORDER BY c._source_file DESC, c._line) AS _winner_file
            FROM ${ok} c SEMI JOIN dup ON c.${id} = dup.id)
     SELECT id, _source_file, _line, _source_file = _winner_file AS same_file FROM ranked WHERE _rank > 1`,
  );
  await db.run('DROP TABLE temp.validate_dup');
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, 'duplicate_id', $col, id, 'reject'
     FROM ${losers} WHERE same_file ORDER BY _source_file, _line`,
    { table, col: idColumn(table) },
  );
  const superseded = Number(await db.scalar(`SELECT count(*) FROM ${losers} WHERE NOT same_file`));
  // Usually no id occurs twice: then every row stays, and the view needs no anti-join (which,
  // probed by every row, costs about as much as writing the table).
  const any = Number(await db.scalar(`SELECT count(*) FROM ${losers}`)) > 0;
  const unless = any ? `WHERE NOT EXISTS (SELECT 1 FROM ${losers} l WHERE l._source_file = c._source_file AND l._line = c._line)` : '';
  await db.run(`CREATE OR REPLACE TEMP VIEW ${ident('kept_' + table)} AS SELECT * FROM ${ok} c ${unless}`);
  mark(`${table}: duplicates`);
  return superseded;
}

/**
 * The rows whose `_dropped` changes (TEMP table `validate_flip`; undefined when none): rows that
 * pass the per-row rules and are left out now (`late_<table>`, `losers_<table>`) but were not, or
 * the reverse. Whatever the restriction of a night, these sets are whole: a contact becomes late
 * only when it is new or its patient's death date changed, and only candidate ids have losers.
 */
async function flips(db: Db, table: TableName, late: boolean): Promise<string | undefined> {
  const parsed = ident('parsed_' + table);
  const out = [`SELECT _source_file, _line FROM ${ident('losers_' + table)}`];
  if (late) out.push(`SELECT _source_file, _line FROM ${ident('late_' + table)}`);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE validate_flip AS
     WITH t AS (${out.join(' UNION ')}),
          d AS (SELECT _source_file, _line FROM ${parsed} WHERE _dropped AND len(_errs) = 0)
     (SELECT * FROM t EXCEPT SELECT * FROM d) UNION ALL (SELECT * FROM d EXCEPT SELECT * FROM t)`,
  );
  return Number(await db.scalar('SELECT count(*) FROM validate_flip')) > 0 ? 'validate_flip' : undefined;
}

/**
 * Make the canonical view show the rows of `kept` (a view) and return how they differ from the
 * previous ones (`prev_<table>`, of `prev.rows` rows, when there are). The rows are the parsed ones, not a copy
 * (docs/architecture.md#canonical-tables): only the rows that validation now leaves out, or no
 * longer does, are marked, and the view moves on to every batch parsed. The patients whose rows
 * changed are recorded in the same transaction. `late`: `late_<table>` exists; `birthYearMax`:
 * the patients view clears birth years after it.
 */
async function write(
  db: Db,
  table: TableName,
  mark: (name: string) => void,
  restricted: boolean,
  prev: { rows: number } | undefined,
  late: boolean,
  kept = ident('kept_' + table),
  birthYearMax: number | null = null,
): Promise<Diff> {
  const cols = TABLES[table].columns.map((c) => ident(c.name));
  await db.run(CHANGED_DDL);
  const flip = await flips(db, table, late);
  const diff = prev
    ? await diffAgainstPrevious(db, table, cols, kept, restricted, prev.rows)
    : { inserted: Number(await db.scalar(`SELECT count(*) FROM ${kept}`)), replaced: 0, unchanged: 0, removed: 0 };
  mark(`${table}: diff`);
  await db.transaction(async () => {
    if (prev) {
      await db.run(
        `INSERT INTO ${CHANGED_PATIENTS}
         SELECT DISTINCT $table, pid FROM (SELECT n_pid AS pid FROM validate_changed UNION ALL SELECT o_pid FROM validate_changed) WHERE pid IS NOT NULL`,
        { table },
      );
    } else {
      await db.run(`INSERT INTO ${CHANGED_PATIENTS} VALUES ($table, NULL)`, { table });
    }
    // One row per id: the ids new now, less those gone.
    await advanceCanonical(db, table, flip, prev ? prev.rows + diff.inserted - diff.removed : diff.inserted, birthYearMax);
  });
  await db.run('DROP TABLE IF EXISTS temp.validate_changed');
  await db.run('DROP TABLE IF EXISTS temp.validate_flip');
  mark(`${table}: write`);
  return diff;
}

/** The year of the cutoff as `writeParams` will set it (configured, else the newest event kept); undefined without events. */
async function cutoffYear(db: Db, cutoff: string | undefined): Promise<number | undefined> {
  const c = await resolveCutoff(db, cutoff);
  return c === undefined ? undefined : Number(await db.scalar('SELECT year(CAST($c AS TIMESTAMP))', { c }));
}

/**
 * A birth year before 1880 or after the cutoff's year is treated as unknown: cleared, with a
 * row of kind `cleared` in `rejects` (not counted by the gate). The patients row stays: its
 * sex and death date still count (some research extracts shift the birth years of the very
 * old by centuries). Leaves the view `cleared_patients`: `kept_patients` with those cleared.
 */
async function clearBirthYears(db: Db, latest: number | undefined): Promise<void> {
  const outside = birthYearOutside(latest);
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT 'patients', _source_file, _line, 'implausible_birth_year', 'birth_year', CAST(birth_year AS VARCHAR), 'cleared'
     FROM kept_patients WHERE ${outside} ORDER BY _source_file, _line`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP VIEW cleared_patients AS
     SELECT * REPLACE (CASE WHEN ${outside} THEN NULL ELSE birth_year END AS birth_year) FROM kept_patients`,
  );
}

interface Diff {
  inserted: number;
  replaced: number;
  unchanged: number;
  removed: number;
}

/**
 * Compare the new rows (`kept`) with the previous canonical table by id and content (the
 * counts; `restricted`: only the candidate ids, the others being the same), and leave the ids whose content or provenance (file, line) changed in the TEMP
 * table `validate_changed` (`present`: the id has a row in `kept`; `n_pid`, `o_pid`: its
 * patient now and before).
 */
async function diffAgainstPrevious(db: Db, table: TableName, cols: string[], kept: string, restricted: boolean, prevRows: number): Promise<Diff> {
  const id = ident(idColumn(table));
  const content = `hash(${cols.join(', ')})`;
  const whole = `hash(${content}, _source_file, _line)`;
  // On a night only the candidate ids can differ (`candidateIds`); with none, nothing did (the scan of
  // both sides costs about 0.13 s for a million patients).
  const none = restricted && Number(await db.scalar(`SELECT count(*) FROM ${IDS}`)) === 0;
  const only = none ? 'WHERE false' : restricted ? `WHERE ${id} IN (SELECT id FROM ${IDS})` : '';
  await db.run(
    `CREATE OR REPLACE TEMP TABLE validate_changed AS
     WITH n AS (SELECT ${id} AS id, patient_id, ${content} AS h, ${whole} AS w FROM ${kept} ${only}),
          o AS (SELECT ${id} AS id, patient_id, ${content} AS h, ${whole} AS w FROM ${ident('prev_' + table)} ${only})
     SELECT id, n.id IS NOT NULL AS present, o.id IS NOT NULL AS before, n.h IS NOT DISTINCT FROM o.h AS same,
            n.patient_id AS n_pid, o.patient_id AS o_pid
     FROM n FULL OUTER JOIN o USING (id)
     WHERE n.w IS DISTINCT FROM o.w`,
  );
  // Ids whose row is the same in content and provenance are not in validate_changed: unchanged.
  const r = await db.one<Diff>(
    `SELECT count(*) FILTER (WHERE NOT before) AS inserted,
            count(*) FILTER (WHERE before AND present AND NOT same) AS replaced,
            CAST($prev AS BIGINT) - count(*) FILTER (WHERE before AND NOT (present AND same)) AS unchanged,
            count(*) FILTER (WHERE NOT present) AS removed
     FROM validate_changed`,
    { prev: String(prevRows) },
  );
  return { inserted: Number(r?.inserted ?? 0), replaced: Number(r?.replaced ?? 0), unchanged: Number(r?.unchanged ?? 0), removed: Number(r?.removed ?? 0) };
}

/**
 * Whether this validation may look only at the ids that can have changed since the last whole one
 * (docs/architecture.md#validation-of-a-night): that one left its state (with the same presence of
 * a patients table) and every file whose parsed rows changed since is listed in `files_to_validate`.
 * Returns the cutoff year it cleared birth years by (undefined: check every row). The state is
 * removed here, before any table changes: a validation that dies leaves the next one checking
 * every row.
 */
async function priorValidation(db: Db, hasPatients: boolean, basis: string | undefined): Promise<{ cutoffYear: number | null } | undefined> {
  await db.run(TO_VALIDATE_DDL);
  let prior: { cutoffYear: number | null } | undefined;
  if (basis !== undefined && (await db.hasTable(VALIDATE_STATE)) && (await db.hasTable(DUPS)) && (await db.hasTable(VALIDATED_FILES))) {
    const s = await db.one<{ has_patients: boolean; cutoff_year: number | null; basis: string }>(`SELECT has_patients, cutoff_year, basis FROM ${VALIDATE_STATE}`);
    const whole = Number(await db.scalar(`SELECT count(*) FROM ${TO_VALIDATE} WHERE source_file IS NULL`)) > 0;
    const canonical = !hasPatients || (await db.hasTable('patients'));
    if (s && s.basis === basis && s.has_patients === hasPatients && !whole && canonical && !(await unlistedFiles(db))) {
      prior = { cutoffYear: s.cutoff_year === null ? null : Number(s.cutoff_year) };
    }
  }
  await db.run(`DROP TABLE IF EXISTS ${VALIDATE_STATE}`);
  return prior;
}

/**
 * Whether a file was loaded, changed or forgotten since the last validation without being listed
 * in `files_to_validate` (a version that did not list them ran in between).
 */
async function unlistedFiles(db: Db): Promise<boolean> {
  const n = await db.scalar(
    `SELECT count(*) FROM (
       (SELECT path, sha256 FROM loaded_files EXCEPT SELECT path, sha256 FROM ${VALIDATED_FILES})
       UNION ALL
       (SELECT path, sha256 FROM ${VALIDATED_FILES} EXCEPT SELECT path, sha256 FROM loaded_files)
     ) d WHERE path NOT IN (SELECT source_file FROM ${TO_VALIDATE} WHERE source_file IS NOT NULL)`,
  );
  return Number(n) > 0;
}

/** After a whole validation: the files are validated, and its state is what the next one compares with. */
async function saveValidation(db: Db, hasPatients: boolean, cutoffYear: number | undefined, basis: string | undefined): Promise<void> {
  await db.run(`DELETE FROM ${TO_VALIDATE}`);
  if (!hasPatients) await db.run(`DELETE FROM ${DUPS} WHERE table_name = 'patients'`);
  if (basis === undefined || !(await db.hasTable('loaded_files'))) return;
  await db.run(`CREATE OR REPLACE TABLE ${VALIDATED_FILES} AS SELECT path, sha256 FROM loaded_files`);
  await db.run(`CREATE TABLE ${VALIDATE_STATE} (has_patients BOOLEAN NOT NULL, cutoff_year INTEGER, basis VARCHAR NOT NULL)`);
  await db.run(`INSERT INTO ${VALIDATE_STATE} VALUES ($p, $y, $b)`, { p: hasPatients, y: cutoffYear ?? null, b: basis });
}

/**
 * The ids of `table` whose kept row can differ from the last validation's, into `IDS`: the ids of
 * the rows of files read since (new rows, and the old rows of a changed file), those that had
 * more than one row then, and those of patients whose death date changed (`DEATHS`, when made);
 * for the patients, when the cutoff's year moved (`years`: the last validation's and this one's),
 * those born after the earlier and not after the later, whose birth year one clears and the other keeps.
 * Any other id has the same rows as then, with the same checks: it kept the same row, and it
 * has at most one (else it would have had two then).
 */
async function candidateIds(db: Db, table: TableName, deaths: boolean, years?: [number, number]): Promise<number> {
  const id = ident(idColumn(table));
  const files = `_source_file IN (SELECT source_file FROM ${TO_VALIDATE} WHERE table_name = $table)`;
  const parts = [
    `SELECT ${id} AS id FROM ${ident('parsed_' + table)} WHERE ${files}`,
    `SELECT ${id} FROM ${ident('prev_' + table)} WHERE ${files}`,
    `SELECT id FROM ${DUPS} WHERE table_name = $table`,
  ];
  if (deaths) parts.push(`SELECT ${id} FROM ${ident('parsed_' + table)} WHERE patient_id IN (SELECT patient_id FROM ${DEATHS})`);
  if (years && years[0] !== years[1]) {
    const [lo, hi] = [Math.min(...years), Math.max(...years)].map((y) => Math.trunc(y));
    parts.push(`SELECT ${id} FROM ${ident('parsed_' + table)} WHERE birth_year > ${lo} AND birth_year <= ${hi}`);
  }
  await db.run(`CREATE OR REPLACE TEMP TABLE ${IDS} AS ${parts.join(' UNION ')}`, { table });
  return Number(await db.scalar(`SELECT count(*) FROM ${IDS}`));
}

/**
 * The patients whose death date (kept now, against the canonical table of the last validation)
 * differs, into `DEATHS`; only when a patients file was read since (else none can). Returns
 * whether it was made.
 */
async function changedDeaths(db: Db): Promise<boolean> {
  const read = Number(await db.scalar(`SELECT count(*) FROM ${TO_VALIDATE} WHERE table_name = 'patients'`)) > 0;
  if (!read) return false;
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${DEATHS} AS
     SELECT patient_id FROM (SELECT patient_id, death_date FROM kept_patients) k
     FULL OUTER JOIN (SELECT patient_id, death_date FROM prev_patients) p USING (patient_id)
     WHERE k.death_date IS DISTINCT FROM p.death_date`,
  );
  return true;
}

/**
 * Validate `parsed_patients` (when present), `parsed_admissions`, `parsed_treatments` into
 * the canonical tables; return per-table counts for the manifest and the quality gate.
 * `raw_<table>` tables (an adapter's export) are parsed into them first.
 */
export async function validate(
  db: Db,
  step: (name: string, ms: number) => void = () => undefined,
  opts: ValidateOptions = {},
): Promise<TableValidation[]> {
  let t0 = performance.now();
  const mark = (name: string) => {
    const t = performance.now();
    step(name, t - t0);
    t0 = t;
  };
  await installMacros(db);
  await absorbRaw(db, opts);
  await assertParsedUnder(db, opts);
  mark('parse');
  // Rejects of this validation start from what the readers (or an adapter) quarantined.
  await db.run(REJECTS_DDL);
  // The last validation's after-death rejects, before they go (see rejectAfterDeath).
  await db.run(`CREATE OR REPLACE TEMP TABLE validate_prev_late AS SELECT table_name, source_file, line, raw_value FROM rejects WHERE rule = 'after_death'`);
  if (await db.hasTable('read_rejects')) {
    await db.run('DELETE FROM rejects');
    await db.run('INSERT INTO rejects SELECT * FROM read_rejects');
  }
  const hasPatients = await db.hasTable('parsed_patients');
  if (!hasPatients && (await db.hasTable('patients'))) {
    // Every patient's death date and birth year are gone with the table.
    await db.run(CHANGED_DDL);
    await db.run(`INSERT INTO ${CHANGED_PATIENTS} VALUES ('patients', NULL)`);
    await dropCanonical(db, 'patients');
  }
  for (const t of ['admissions', 'treatments'] as const) await db.run(parsedTableDdl(t));
  const order: TableName[] = hasPatients ? ['patients', 'admissions', 'treatments'] : ['admissions', 'treatments'];
  const prior = await priorValidation(db, hasPatients, opts.basis);
  // The canonical rows as the last validation left them, before any view moves on.
  const hasPrev = new Map<TableName, { rows: number } | undefined>();
  for (const table of order) hasPrev.set(table, await previousView(db, table));
  const done = new Map<TableName, { superseded: number; diff: Diff }>();
  const superseded = new Map<TableName, number>();
  let deaths = false;
  for (const table of order) {
    await rejectFromChecks(db, table);
    if (hasPatients && table !== 'patients') {
      const sinceLast = prior !== undefined && (!deaths || Number(await db.scalar(`SELECT count(*) FROM ${DEATHS}`)) === 0);
      await rejectAfterDeath(db, table, sinceLast);
    }
    else await okView(db, table);
    mark(`${table}: rules`);
    // A table this version has not written (or written with other columns) is checked whole.
    const restricted = prior !== undefined && hasPrev.get(table) !== undefined;
    if (restricted) mark(`${table}: ${await candidateIds(db, table, deaths)} candidate id(s)`);
    superseded.set(table, await dedupe(db, table, mark, restricted));
    if (table === 'patients' && prior) deaths = await changedDeaths(db);
    // Patients are written last: their birth years are bounded by the cutoff, which by
    // default is the newest contact kept.
    if (table !== 'patients') {
      done.set(table, { superseded: superseded.get(table)!, diff: await write(db, table, mark, restricted, hasPrev.get(table), hasPatients) });
    }
  }
  let year: number | undefined;
  if (hasPatients) {
    year = await cutoffYear(db, opts.cutoff);
    await clearBirthYears(db, year);
    // A cutoff in another year clears the birth years between the two years otherwise (none: 9999).
    const restricted = prior !== undefined && hasPrev.get('patients') !== undefined;
    if (restricted) {
      const years: [number, number] = [prior.cutoffYear ?? 9999, year ?? 9999];
      const n = await candidateIds(db, 'patients', false, years);
      mark(`patients: ${n} candidate id(s)${years[0] !== years[1] ? `, with those born in ${Math.min(...years) + 1}–${Math.max(...years)} (the cutoff's year moved)` : ''}`);
    }
    const diff = await write(db, 'patients', mark, restricted, hasPrev.get('patients'), false, 'cleared_patients', year === undefined ? null : Math.trunc(year));
    done.set('patients', { superseded: superseded.get('patients')!, diff });
  }
  await saveValidation(db, hasPatients, year, opts.basis);
  await dropWorkTables(db, order);
  await db.run(PARSED_NOW_DDL);
  const parsedNow = new Map(
    (await db.all<{ t: string; n: number }>('SELECT table_name AS t, sum(rows) AS n FROM parsed_now GROUP BY 1')).map((r) => [r.t, Number(r.n)]),
  );
  await db.run('DELETE FROM parsed_now');
  const out: TableValidation[] = [];
  for (const table of order) {
    const parsed = ident('parsed_' + table);
    const c = await db.one<{ read: number; loaded: number; rejected: number }>(
      `SELECT
         (SELECT count(*) FROM ${parsed})
           -- records quarantined before they were parsed (unparseable rows, adapter rejects)
           + (SELECT count(DISTINCT (r.source_file, r.line)) FROM rejects r
              WHERE r.table_name = $t AND r.kind = 'reject'
                AND NOT EXISTS (SELECT 1 FROM ${parsed} x WHERE x._source_file = r.source_file AND x._line = r.line)) AS read,
         (SELECT count(*) FROM ${ident(table)}) AS loaded,
         (SELECT count(DISTINCT (source_file, line)) FROM rejects WHERE table_name = $t AND kind = 'reject') AS rejected`,
      { t: table },
    );
    const read = Number(c?.read ?? 0);
    const rejected = Number(c?.rejected ?? 0);
    const d = done.get(table)!;
    out.push({
      table,
      rows_read: read,
      rows_loaded: Number(c?.loaded ?? 0),
      rows_rejected: rejected,
      reject_share: read ? rejected / read : 0,
      rows_parsed: parsedNow.get(table) ?? 0,
      rows_superseded: d.superseded,
      ...d.diff,
    });
  }
  return out;
}

/** Drop the views and temporary tables of one validation (views first: they read the tables). */
async function dropWorkTables(db: Db, tables: TableName[]): Promise<void> {
  await db.run('DROP VIEW IF EXISTS cleared_patients');
  for (const t of tables) {
    await db.run(`DROP VIEW IF EXISTS ${ident('prev_' + t)}`);
    await db.run(`DROP VIEW IF EXISTS ${ident('kept_' + t)}`);
    await db.run(`DROP VIEW IF EXISTS ${ident('ok_' + t)}`);
    await db.run(`DROP TABLE IF EXISTS ${ident('losers_' + t)}`);
    await db.run(`DROP TABLE IF EXISTS ${ident('late_' + t)}`);
  }
  for (const t of [IDS, DEATHS, 'validate_prev_late']) await db.run(`DROP TABLE IF EXISTS temp.${ident(t)}`);
}
