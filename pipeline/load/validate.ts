/**
 * Validation is SQL over the raw text tables (contract §3): every broken rule
 * sends the row to `rejects` with its file, line, rule, column and raw value;
 * rows that pass become the typed canonical tables. Nothing disappears.
 */
import { Db, ident, literal } from '../db.js';
import { REJECTS_DDL, TABLES, idColumn, tableDdl, type ColumnSpec, type TableName } from '../schema.js';

/** Rule names written to `rejects.rule`. */
export const RULES = {
  required_missing: 'a required field is empty',
  invalid_timestamp: 'not an ISO 8601 date or date-time',
  invalid_date: 'not an ISO 8601 date',
  invalid_integer: 'not a whole number',
  invalid_number: 'not a number',
  negative_number: 'below the allowed minimum (0)',
  invalid_code: 'not one of the allowed codes',
  discharge_before_admit: 'discharge_ts is before admit_ts',
  end_before_start: 'end_ts is before start_ts',
  after_death: "the contact starts more than one day after the patient's death_date",
  duplicate_id: 'the id was already used by an earlier row of the same file',
  unparseable_row: 'the reader could not parse the record (wrong number of fields, bad quoting or not UTF-8)',
} as const;

export interface TableValidation {
  table: TableName;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  reject_share: number;
  /** Rows replaced by a row with the same id in a later file (a corrected record). */
  rows_superseded: number;
  /** Against the previous run's canonical table, by id: new ids, changed rows, same rows, ids gone. */
  inserted: number;
  replaced: number;
  unchanged: number;
  removed: number;
}

/**
 * Timestamp text → wall-clock TIMESTAMP in the session zone (set to the configured
 * `timezone`): text with an offset is an instant and is converted; text without
 * one is taken as it is; a date alone is midnight. NULL when it does not parse.
 */
const MACROS = [
  `CREATE OR REPLACE TEMP MACRO outcomes_ts_parts(s) AS
     regexp_extract(s, '^(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2})(?::(\\d{2}(?:\\.\\d+)?))?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?$',
                    ['d', 'hm', 'sec', 'off'])`,
  `CREATE OR REPLACE TEMP MACRO outcomes_ts_from_parts(x) AS CASE
     WHEN x.d IS NULL OR x.d = '' THEN NULL
     WHEN x.hm = '' AND x.off <> '' THEN NULL
     WHEN x.off = '' THEN TRY_CAST(x.d || ' ' || coalesce(nullif(x.hm, ''), '00:00') || ':' || coalesce(nullif(x.sec, ''), '00') AS TIMESTAMP)
     ELSE TRY_CAST(TRY_CAST(x.d || ' ' || x.hm || ':' || coalesce(nullif(x.sec, ''), '00') || CASE WHEN x.off = 'Z' THEN '+00' ELSE x.off END AS TIMESTAMPTZ) AS TIMESTAMP)
   END`,
  `CREATE OR REPLACE TEMP MACRO outcomes_parse_ts(s) AS outcomes_ts_from_parts(outcomes_ts_parts(trim(s)))`,
];

/** Install the parsing macros (also used by tests and adapters). */
export async function installMacros(db: Db): Promise<void> {
  for (const m of MACROS) await db.run(m);
}

function typedExpr(c: ColumnSpec, t: string): string {
  switch (c.kind) {
    case 'text':
      return t;
    case 'enum': {
      const norm = c.name === 'sex' ? `upper(${t})` : `lower(${t})`;
      const list = (c.values ?? []).map(literal).join(', ');
      return `CASE WHEN ${norm} IN (${list}) THEN ${norm} END`;
    }
    case 'integer':
      return `CASE WHEN TRY_CAST(${t} AS DOUBLE) = floor(TRY_CAST(${t} AS DOUBLE)) AND abs(TRY_CAST(${t} AS DOUBLE)) < 2e9 THEN CAST(TRY_CAST(${t} AS DOUBLE) AS INTEGER) END`;
    case 'number':
      return `CASE WHEN isfinite(TRY_CAST(${t} AS DOUBLE)) THEN TRY_CAST(${t} AS DOUBLE) END`;
    case 'timestamp':
      return parseTs(t);
    case 'date':
      return `CAST(${parseTs(t)} AS DATE)`;
  }
}

/**
 * Fast path for the common shapes without an offset (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.f]]`,
 * with `T` or a space), which DuckDB's cast reads exactly; anything else (an offset, a
 * stray character) goes through the strict ISO 8601 parser.
 */
function parseTs(t: string): string {
  return `CASE WHEN regexp_full_match(${t}, '\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?)?')
               THEN TRY_CAST(${t} AS TIMESTAMP) ELSE outcomes_parse_ts(${t}) END`;
}

function invalidRule(c: ColumnSpec): keyof typeof RULES {
  switch (c.kind) {
    case 'enum':
      return 'invalid_code';
    case 'integer':
      return 'invalid_integer';
    case 'number':
      return 'invalid_number';
    case 'timestamp':
      return 'invalid_timestamp';
    case 'date':
      return 'invalid_date';
    case 'text':
      return 'required_missing';
  }
}

function err(rule: string, col: string, raw: string): string {
  return `{'rule': ${literal(rule)}, 'col': ${literal(col)}, 'raw': ${raw}}`;
}

/**
 * SQL that turns `raw_<table>` into `chk_<table>`: typed values plus a list of broken
 * rules. Every field is trimmed and parsed once (the inner query); the rules read those.
 */
function checkSql(table: TableName): string {
  const cols = TABLES[table].columns;
  const inner: string[] = [];
  const sel: string[] = [];
  const errs: string[] = [];
  const t = (c: ColumnSpec) => ident('t_' + c.name);
  const v = (c: ColumnSpec) => ident('v_' + c.name);
  for (const c of cols) {
    inner.push(`nullif(trim(r.${ident(c.name)}), '') AS ${t(c)}`);
    if (c.kind !== 'text') inner.push(`${typedExpr(c, `nullif(trim(r.${ident(c.name)}), '')`)} AS ${v(c)}`);
  }
  for (const c of cols) {
    const raw = `x.${ident(c.name)}`;
    const typed = c.kind === 'text' ? t(c) : v(c);
    // An empty optional field takes its default; a non-empty unknown code is an error.
    const value = c.default !== undefined ? `CASE WHEN ${t(c)} IS NULL THEN ${literal(c.default)} ELSE ${typed} END` : typed;
    sel.push(`${value} AS ${ident(c.name)}`);
    if (c.required || c.id) errs.push(`CASE WHEN ${t(c)} IS NULL THEN ${err('required_missing', c.name, `coalesce(${raw}, '')`)} END`);
    if (c.kind !== 'text') errs.push(`CASE WHEN ${t(c)} IS NOT NULL AND ${typed} IS NULL THEN ${err(invalidRule(c), c.name, raw)} END`);
    if (c.min !== undefined) errs.push(`CASE WHEN ${typed} < ${c.min} THEN ${err('negative_number', c.name, raw)} END`);
    if (c.notBefore) {
      const other = cols.find((o) => o.name === c.notBefore)!;
      const rule = c.name === 'discharge_ts' ? 'discharge_before_admit' : 'end_before_start';
      errs.push(`CASE WHEN ${typed} < ${v(other)} THEN ${err(rule, c.name, raw)} END`);
    }
  }
  return `CREATE OR REPLACE TEMP TABLE ${ident('chk_' + table)} AS
    SELECT ${sel.join(',\n      ')},
      x._source_file, x._line,
      list_filter([${errs.join(',\n        ')}], e -> e IS NOT NULL) AS _errs
    FROM (SELECT r.*, ${inner.join(', ')} FROM ${ident('raw_' + table)} r) x`;
}

async function rejectFromChecks(db: Db, table: TableName): Promise<void> {
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, e.rule, e.col, e.raw, 'reject'
     FROM (SELECT _source_file, _line, unnest(_errs) AS e FROM ${ident('chk_' + table)} WHERE len(_errs) > 0)
     ORDER BY _source_file, _line`,
    { table },
  );
}

/** Reject contacts that start more than one day after the patient's death (a linkage error). */
async function rejectAfterDeath(db: Db, table: 'admissions' | 'treatments'): Promise<void> {
  const start = table === 'admissions' ? 'admit_ts' : 'start_ts';
  const chk = ident('chk_' + table);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE late AS
     SELECT c._source_file, c._line, CAST(c.${start} AS VARCHAR) AS raw
     FROM ${chk} c JOIN patients p ON p.patient_id = c.patient_id
     WHERE len(c._errs) = 0 AND p.death_date IS NOT NULL
       AND date_diff('day', p.death_date, CAST(c.${start} AS DATE)) > 1`,
  );
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, 'after_death', $col, raw, 'reject' FROM late ORDER BY _source_file, _line`,
    { table, col: start },
  );
  await db.run(
    `UPDATE ${chk} SET _errs = [{'rule': 'after_death', 'col': ${literal(start)}, 'raw': ''}]
     FROM late WHERE ${chk}._source_file = late._source_file AND ${chk}._line = late._line`,
  );
  await db.run('DROP TABLE late');
}

/**
 * One row per id: within a file the first (by line) is kept and the rest are rejected
 * (`duplicate_id`); across files the row of the later file (by path) replaces the earlier
 * one, a corrected record, so that nightly files that correct earlier ones need no deletes.
 */
async function finish(db: Db, table: TableName, mark: (name: string) => void): Promise<{ superseded: number; diff: Diff }> {
  const id = ident(idColumn(table));
  const chk = ident('chk_' + table);
  // Only the rows of ids that occur more than once are ranked (usually none): the
  // first of a file wins within it, the file that sorts last wins across files.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE losers AS
     WITH dup AS (SELECT ${id} AS id FROM ${chk} WHERE len(_errs) = 0 GROUP BY ${id} HAVING count(*) > 1),
          ranked AS (
            SELECT c.${id} AS id, c._source_file, c._line,
              row_number() OVER (PARTITION BY c.${id} ORDER BY c._source_file DESC, c._line) AS _rank,
              first_value(c._source_file) OVER (PARTITION BY c.${id} ORDER BY c._source_file DESC, c._line) AS _winner_file
            FROM ${chk} c SEMI JOIN dup ON c.${id} = dup.id
            WHERE len(c._errs) = 0)
     SELECT id, _source_file, _line, _source_file = _winner_file AS same_file FROM ranked WHERE _rank > 1`,
  );
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, 'duplicate_id', $col, id, 'reject'
     FROM losers WHERE same_file ORDER BY _source_file, _line`,
    { table, col: idColumn(table) },
  );
  const superseded = Number(await db.scalar(`SELECT count(*) FROM losers WHERE NOT same_file`));
  await db.run(
    `CREATE OR REPLACE TEMP VIEW kept AS
     SELECT * FROM ${chk} c WHERE len(c._errs) = 0
       AND NOT EXISTS (SELECT 1 FROM losers l WHERE l._source_file = c._source_file AND l._line = c._line)`,
  );
  mark(`${table}: duplicates`);
  const cols = TABLES[table].columns.map((c) => ident(c.name));
  const diff = await diffAgainstPrevious(db, table, cols);
  mark(`${table}: diff`);
  await db.run(`DROP TABLE IF EXISTS ${ident(table)}`);
  await db.run(tableDdl(table));
  const names = [...cols, '"_source_file"', '"_line"'].join(', ');
  // Rows keep the order of the raw tables (files in load order, lines in order); no metric
  // depends on row order, and a sort of every row costs more than all the checks.
  await db.run(`INSERT INTO ${ident(table)} (${names}) SELECT ${names} FROM kept`);
  await db.run('DROP VIEW kept');
  await db.run('DROP TABLE losers');
  await db.run(`DROP TABLE ${chk}`);
  mark(`${table}: write`);
  return { superseded, diff };
}

interface Diff {
  inserted: number;
  replaced: number;
  unchanged: number;
  removed: number;
}

/** Compare the new rows (`kept`) with the previous canonical table, by id and content. */
async function diffAgainstPrevious(db: Db, table: TableName, cols: string[]): Promise<Diff> {
  const id = ident(idColumn(table));
  const rowHash = `hash(${cols.join(', ')})`;
  if (!(await db.hasTable(table))) {
    const n = Number(await db.scalar('SELECT count(*) FROM kept'));
    return { inserted: n, replaced: 0, unchanged: 0, removed: 0 };
  }
  const r = await db.one<Diff>(
    `WITH n AS (SELECT ${id} AS id, ${rowHash} AS h FROM kept),
          o AS (SELECT ${id} AS id, ${rowHash} AS h FROM ${ident(table)})
     SELECT count(*) FILTER (WHERE o.id IS NULL) AS inserted,
            count(*) FILTER (WHERE o.id IS NOT NULL AND n.id IS NOT NULL AND o.h <> n.h) AS replaced,
            count(*) FILTER (WHERE o.id IS NOT NULL AND n.id IS NOT NULL AND o.h = n.h) AS unchanged,
            count(*) FILTER (WHERE n.id IS NULL) AS removed
     FROM n FULL OUTER JOIN o USING (id)`,
  );
  return { inserted: Number(r?.inserted ?? 0), replaced: Number(r?.replaced ?? 0), unchanged: Number(r?.unchanged ?? 0), removed: Number(r?.removed ?? 0) };
}

/**
 * Validate `raw_patients` (when present), `raw_admissions`, `raw_treatments` into the
 * canonical tables; return per-table counts for the manifest and the quality gate.
 */
export async function validate(db: Db, step: (name: string, ms: number) => void = () => undefined): Promise<TableValidation[]> {
  let t0 = performance.now();
  const mark = (name: string) => {
    const t = performance.now();
    step(name, t - t0);
    t0 = t;
  };
  await installMacros(db);
  // Rejects of this validation start from what the readers (or an adapter) quarantined.
  await db.run(REJECTS_DDL);
  if (await db.hasTable('read_rejects')) {
    await db.run('DELETE FROM rejects');
    await db.run('INSERT INTO rejects SELECT * FROM read_rejects');
  }
  const hasPatients = await db.hasTable('raw_patients');
  if (!hasPatients) await db.run('DROP TABLE IF EXISTS patients');
  const order: TableName[] = hasPatients ? ['patients', 'admissions', 'treatments'] : ['admissions', 'treatments'];
  const done = new Map<TableName, { superseded: number; diff: Diff }>();
  for (const table of order) {
    await db.run(checkSql(table));
    mark(`${table}: parse`);
    await rejectFromChecks(db, table);
    if (hasPatients && table !== 'patients') await rejectAfterDeath(db, table);
    mark(`${table}: rules`);
    done.set(table, await finish(db, table, mark));
  }
  const out: TableValidation[] = [];
  for (const table of order) {
    const c = await db.one<{ read: number; loaded: number; rejected: number }>(
      `SELECT
         (SELECT count(*) FROM ${ident('raw_' + table)})
           -- records quarantined before they reached the raw table (unparseable rows, adapter rejects)
           + (SELECT count(DISTINCT (r.source_file, r.line)) FROM rejects r
              WHERE r.table_name = $t AND r.kind = 'reject'
                AND NOT EXISTS (SELECT 1 FROM ${ident('raw_' + table)} x WHERE x._source_file = r.source_file AND x._line = r.line)) AS read,
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
      rows_superseded: d.superseded,
      ...d.diff,
    });
  }
  return out;
}
