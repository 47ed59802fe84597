/**
 * Validation is SQL over the raw text tables (docs/reference/contract.md#bad-input): every broken rule
 * sends the row to `rejects` with its file, line, rule, column and raw value;
 * rows that pass become the typed canonical tables. Nothing disappears.
 */
import { Db, ident, literal } from '../../core/db.js';
import { BIRTH_YEAR_MIN, REJECTS_DDL, TABLES, TEXT_MAX_CHARS, idColumn, tableDdl, type ColumnSpec, type TableName } from '../schema.js';
import { CONTROL_RE, excerptSql, visibleSql } from './excerpt.js';

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
  number_too_large: 'above the largest value the column can mean (drg_weight: 1,000,000,000)',
  implausible_timestamp: 'a year before earliest_year (default 1900) or after latest_year (default 2999)',
  implausible_date: 'a year before earliest_year (default 1900) or after latest_year (default 2999)',
  text_too_long: `an id or code longer than ${TEXT_MAX_CHARS} characters`,
  control_character: 'an id or code holding a control character (NUL, tab, line break, …)',
  implausible_birth_year: 'birth_year before 1880 or after the year of the cutoff: cleared (unknown), the row is kept (kind "cleared")',
} as const;

/** What validation needs from the run's configuration (docs/operations.md). */
export interface ValidateOptions {
  /** Timestamps and dates in years before this are rejected (default 1900). */
  earliest_year?: number;
  /** Timestamps and dates in years after this are rejected (default 2999). */
  latest_year?: number;
  /** The configured cutoff, whose year bounds birth years; default: the newest event. */
  cutoff?: string;
}

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
  // Offsets that exist: −12:00 to +14:00, minutes below 60 (`+HH`, `+HHMM` or `+HH:MM`).
  `CREATE OR REPLACE TEMP MACRO outcomes_offset_ok(o) AS
     (length(o) = 3 OR CAST(right(o, 2) AS INTEGER) < 60)
     AND CAST(substr(o, 2, 2) AS INTEGER) * 60 + CASE WHEN length(o) > 3 THEN CAST(right(o, 2) AS INTEGER) ELSE 0 END
         <= CASE WHEN left(o, 1) = '-' THEN 720 ELSE 840 END`,
  `CREATE OR REPLACE TEMP MACRO outcomes_ts_parts(s) AS
     regexp_extract(s, '^(\\d{4}-\\d{2}-\\d{2})(?:[T ](\\d{2}:\\d{2})(?::(\\d{2}(?:\\.\\d+)?))?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?$',
                    ['d', 'hm', 'sec', 'off'])`,
  `CREATE OR REPLACE TEMP MACRO outcomes_ts_from_parts(x) AS CASE
     WHEN x.d IS NULL OR x.d = '' THEN NULL
     WHEN x.hm = '' AND x.off <> '' THEN NULL
     WHEN x.off NOT IN ('', 'Z') AND NOT outcomes_offset_ok(x.off) THEN NULL
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

function pad4(year: number): string {
  return String(year).padStart(4, '0');
}

function err(rule: string, col: string, raw: string): string {
  return `{'rule': ${literal(rule)}, 'col': ${literal(col)}, 'raw': ${raw}}`;
}

/**
 * SQL that turns `raw_<table>` into `chk_<table>`: typed values plus a list of broken
 * rules. Every field is trimmed and parsed once (the inner query); the rules read those.
 * Parameters: `$ts_lo`, `$ts_hi`, the first instant of the earliest and after the latest
 * plausible year.
 */
function checkSql(table: TableName): string {
  const cols = TABLES[table].columns;
  const inner: string[] = [];
  const sel: string[] = [];
  const errs: string[] = [];
  // Rules that almost no row breaks: their checks are built only for a row that a cheap
  // test flags (`rareIf`), so that a clean row does not carry them in its list.
  const rare: string[] = [];
  const rareIf: string[] = [];
  const t = (c: ColumnSpec) => ident('t_' + c.name);
  const v = (c: ColumnSpec) => ident('v_' + c.name);
  const texts = cols.filter((c) => c.kind === 'text');
  for (const c of cols) {
    inner.push(`nullif(trim(r.${ident(c.name)}), '') AS ${t(c)}`);
    if (c.kind !== 'text') inner.push(`${typedExpr(c, `nullif(trim(r.${ident(c.name)}), '')`)} AS ${v(c)}`);
  }
  // One search of all text fields of a row; each field is searched only in a row that has one.
  inner.push(`regexp_matches(concat(${texts.map((c) => `r.${ident(c.name)}`).join(', ')}), '${CONTROL_RE}') AS _ctl`);
  rareIf.push('_ctl');
  for (const c of cols) {
    const raw = `x.${ident(c.name)}`;
    const typed = c.kind === 'text' ? t(c) : v(c);
    // An empty optional field takes its default; a non-empty unknown code is an error.
    const value = c.default !== undefined ? `CASE WHEN ${t(c)} IS NULL THEN ${literal(c.default)} ELSE ${typed} END` : typed;
    sel.push(`${value} AS ${ident(c.name)}`);
    if (c.required || c.id) errs.push(`CASE WHEN ${t(c)} IS NULL THEN ${err('required_missing', c.name, `coalesce(${raw}, '')`)} END`);
    if (c.kind !== 'text') errs.push(`CASE WHEN ${t(c)} IS NOT NULL AND ${typed} IS NULL THEN ${err(invalidRule(c), c.name, raw)} END`);
    if (c.kind === 'text') {
      // strlen (bytes) costs nothing; length (characters) decodes, so it runs only past the byte bound.
      rareIf.push(`strlen(${typed}) > ${TEXT_MAX_CHARS}`);
      rare.push(`CASE WHEN length(${typed}) > ${TEXT_MAX_CHARS} THEN ${err('text_too_long', c.name, raw)} END`);
      rare.push(`CASE WHEN _ctl AND regexp_matches(${typed}, '${CONTROL_RE}') THEN ${err('control_character', c.name, visibleSql(raw))} END`);
    }
    if (c.min !== undefined) errs.push(`CASE WHEN ${typed} < ${c.min} THEN ${err('negative_number', c.name, raw)} END`);
    if (c.max !== undefined) errs.push(`CASE WHEN ${typed} > ${c.max} THEN ${err('number_too_large', c.name, raw)} END`);
    if (c.kind === 'timestamp' || c.kind === 'date') {
      const type = c.kind === 'timestamp' ? 'TIMESTAMP' : 'DATE';
      const outside = `${typed} < CAST($ts_lo AS ${type}) OR ${typed} >= CAST($ts_hi AS ${type})`;
      rareIf.push(outside);
      rare.push(`CASE WHEN ${outside} THEN ${err(c.kind === 'timestamp' ? 'implausible_timestamp' : 'implausible_date', c.name, raw)} END`);
    }
    if (c.notBefore) {
      const other = cols.find((o) => o.name === c.notBefore)!;
      const rule = c.name === 'discharge_ts' ? 'discharge_before_admit' : 'end_before_start';
      errs.push(`CASE WHEN ${typed} < ${v(other)} THEN ${err(rule, c.name, raw)} END`);
    }
  }
  const common = `[${errs.join(',\n        ')}]`;
  // Two branches rather than one list_concat: concatenating lists costs more, row for row, than all the checks.
  const all = `CASE WHEN ${rareIf.join(' OR ')}
      THEN list_filter(list_concat(${common}, [${rare.join(',\n          ')}]), e -> e IS NOT NULL)
      ELSE list_filter(${common}, e -> e IS NOT NULL) END`;
  return `CREATE OR REPLACE TEMP TABLE ${ident('chk_' + table)} AS
    SELECT ${sel.join(',\n      ')},
      x._source_file, x._line,
      ${all} AS _errs
    FROM (SELECT r.*, ${inner.join(', ')} FROM ${ident('raw_' + table)} r) x`;
}

async function rejectFromChecks(db: Db, table: TableName): Promise<void> {
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT $table, _source_file, _line, e.rule, e.col, ${excerptSql('e.raw')}, 'reject'
     FROM (SELECT _source_file, _line, unnest(_errs) AS e FROM ${ident('chk_' + table)} WHERE len(_errs) > 0)
     ORDER BY _source_file, _line`,
    { table },
  );
}

/** Reject contacts that start more than one day after the patient's death (a linkage error), by the patients kept. */
async function rejectAfterDeath(db: Db, table: 'admissions' | 'treatments'): Promise<void> {
  const start = table === 'admissions' ? 'admit_ts' : 'start_ts';
  const chk = ident('chk_' + table);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE late AS
     SELECT c._source_file, c._line, CAST(c.${start} AS VARCHAR) AS raw
     FROM ${chk} c JOIN kept_patients p ON p.patient_id = c.patient_id
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
 * Leaves the view `kept_<table>` of the rows that stay; returns the rows superseded.
 */
async function dedupe(db: Db, table: TableName, mark: (name: string) => void): Promise<number> {
  const id = ident(idColumn(table));
  const chk = ident('chk_' + table);
  const losers = ident('losers_' + table);
  // Only the rows of ids that occur more than once are ranked (usually none): the
  // first of a file wins within it, the file that sorts last wins across files.
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${losers} AS
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
     FROM ${losers} WHERE same_file ORDER BY _source_file, _line`,
    { table, col: idColumn(table) },
  );
  const superseded = Number(await db.scalar(`SELECT count(*) FROM ${losers} WHERE NOT same_file`));
  await db.run(
    `CREATE OR REPLACE TEMP VIEW ${ident('kept_' + table)} AS
     SELECT * FROM ${chk} c WHERE len(c._errs) = 0
       AND NOT EXISTS (SELECT 1 FROM ${losers} l WHERE l._source_file = c._source_file AND l._line = c._line)`,
  );
  mark(`${table}: duplicates`);
  return superseded;
}

/** Replace the canonical table by the rows of `kept_<table>`; returns how they differ from the previous one. */
async function write(db: Db, table: TableName, mark: (name: string) => void): Promise<Diff> {
  const kept = ident('kept_' + table);
  const cols = TABLES[table].columns.map((c) => ident(c.name));
  const diff = await diffAgainstPrevious(db, table, cols);
  mark(`${table}: diff`);
  await db.run(`DROP TABLE IF EXISTS ${ident(table)}`);
  await db.run(tableDdl(table));
  const names = [...cols, '"_source_file"', '"_line"'].join(', ');
  // Rows keep the order of the raw tables (files in load order, lines in order); no metric
  // depends on row order, and a sort of every row costs more than all the checks.
  await db.run(`INSERT INTO ${ident(table)} (${names}) SELECT ${names} FROM ${kept}`);
  await db.run(`DROP VIEW ${kept}`);
  await db.run(`DROP TABLE ${ident('losers_' + table)}`);
  await db.run(`DROP TABLE ${ident('chk_' + table)}`);
  mark(`${table}: write`);
  return diff;
}

/**
 * The year of the cutoff, read as `writeParams` reads it: the configured cutoff (an offset
 * makes it an instant, shown in the configured zone), else the newest admit, discharge or
 * treatment start among the rows kept. Undefined when there is no event at all.
 */
async function cutoffYear(db: Db, cutoff: string | undefined): Promise<number | undefined> {
  if (cutoff) {
    const hasOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(cutoff) && cutoff.length > 10;
    const text = cutoff.replace('T', ' ').replace(/Z$/, '+00');
    const sql = hasOffset ? 'SELECT year(CAST(CAST($t AS TIMESTAMPTZ) AS TIMESTAMP))' : 'SELECT year(CAST($t AS TIMESTAMP))';
    return Number(await db.scalar(sql, { t: text }));
  }
  const y = await db.scalar<number | null>(`
    SELECT year(greatest((SELECT max(admit_ts) FROM admissions), (SELECT max(discharge_ts) FROM admissions),
                         (SELECT max(start_ts) FROM treatments)))`);
  return y === null || y === undefined ? undefined : Number(y);
}

/**
 * A birth year before 1880 or after the cutoff's year is treated as unknown: cleared, with a
 * row of kind `cleared` in `rejects` (not counted by the gate). The patients row stays: its
 * sex and death date still count (some research extracts shift the birth years of the very
 * old by centuries).
 */
async function clearBirthYears(db: Db, latest: number | undefined): Promise<void> {
  const outside = `birth_year IS NOT NULL AND (birth_year < ${BIRTH_YEAR_MIN} OR birth_year > $latest)`;
  const params = { latest: latest ?? 9999 };
  await db.run(
    `INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
     SELECT 'patients', _source_file, _line, 'implausible_birth_year', 'birth_year', CAST(birth_year AS VARCHAR), 'cleared'
     FROM kept_patients WHERE ${outside} ORDER BY _source_file, _line`,
    params,
  );
  await db.run(`UPDATE chk_patients SET birth_year = NULL WHERE len(_errs) = 0 AND ${outside}`, params);
}

interface Diff {
  inserted: number;
  replaced: number;
  unchanged: number;
  removed: number;
}

/** Compare the new rows (`kept_<table>`) with the previous canonical table, by id and content. */
async function diffAgainstPrevious(db: Db, table: TableName, cols: string[]): Promise<Diff> {
  const id = ident(idColumn(table));
  const rowHash = `hash(${cols.join(', ')})`;
  if (!(await db.hasTable(table))) {
    const n = Number(await db.scalar(`SELECT count(*) FROM ${ident('kept_' + table)}`));
    return { inserted: n, replaced: 0, unchanged: 0, removed: 0 };
  }
  const r = await db.one<Diff>(
    `WITH n AS (SELECT ${id} AS id, ${rowHash} AS h FROM ${ident('kept_' + table)}),
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
  // Rejects of this validation start from what the readers (or an adapter) quarantined.
  await db.run(REJECTS_DDL);
  if (await db.hasTable('read_rejects')) {
    await db.run('DELETE FROM rejects');
    await db.run('INSERT INTO rejects SELECT * FROM read_rejects');
  }
  const hasPatients = await db.hasTable('raw_patients');
  if (!hasPatients) await db.run('DROP TABLE IF EXISTS patients');
  const order: TableName[] = hasPatients ? ['patients', 'admissions', 'treatments'] : ['admissions', 'treatments'];
  const years = { ts_lo: `${pad4(opts.earliest_year ?? 1900)}-01-01`, ts_hi: `${pad4((opts.latest_year ?? 2999) + 1)}-01-01` };
  const done = new Map<TableName, { superseded: number; diff: Diff }>();
  const superseded = new Map<TableName, number>();
  for (const table of order) {
    await db.run(checkSql(table), years);
    mark(`${table}: parse`);
    await rejectFromChecks(db, table);
    if (hasPatients && table !== 'patients') await rejectAfterDeath(db, table);
    mark(`${table}: rules`);
    superseded.set(table, await dedupe(db, table, mark));
    // Patients are written last: their birth years are bounded by the cutoff, which by
    // default is the newest contact kept.
    if (table !== 'patients') done.set(table, { superseded: superseded.get(table)!, diff: await write(db, table, mark) });
  }
  if (hasPatients) {
    await clearBirthYears(db, await cutoffYear(db, opts.cutoff));
    done.set('patients', { superseded: superseded.get('patients')!, diff: await write(db, 'patients', mark) });
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
