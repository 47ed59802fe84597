/**
 * The per-row rules (docs/reference/contract.md#bad-input): everything decided from one row
 * alone — types, required fields, codes, ranges, plausible years, text length and control
 * characters, an end before its start. They run once per input file, when it is loaded, into
 * the persistent `parsed_<table>` (docs/operations.md#nightly-runs-store-once-validate-what-is-new); the rules that need
 * other rows run in `validate.ts`.
 */
import { createHash } from 'node:crypto';
import { Db, ident, literal } from '../../core/db.js';
import { TABLES, TEXT_MAX_CHARS, sqlType, type ColumnSpec, type TableName } from '../schema.js';
import { CONTROL_RE, visibleSql } from './excerpt.js';

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

/** What the per-row rules need from the run's configuration (docs/operations.md). */
export interface ParseOptions {
  /** Timestamps and dates in years before this are rejected (default 1900). */
  earliest_year?: number;
  /** Timestamps and dates in years after this are rejected (default 2999). */
  latest_year?: number;
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
 * SQL that turns raw text rows (`source`) into typed values plus a list of the per-row rules
 * each breaks (`_errs`). Every field is trimmed and parsed once (the inner query); the rules read those.
 * Parameters: `$ts_lo`, `$ts_hi`, the first instant of the earliest and after the latest
 * plausible year.
 */
export function checkSelect(table: TableName, source: string): string {
  const cols = TABLES[table].columns;
  const inner: string[] = [];
  const sel: string[] = [];
  // Each common rule as its condition and the error it gives.
  const errs: { when: string; then: string }[] = [];
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
    if (c.required || c.id) errs.push({ when: `${t(c)} IS NULL`, then: err('required_missing', c.name, `coalesce(${raw}, '')`) });
    if (c.kind !== 'text') errs.push({ when: `${t(c)} IS NOT NULL AND ${typed} IS NULL`, then: err(invalidRule(c), c.name, raw) });
    if (c.kind === 'text') {
      // strlen (bytes) costs nothing; length (characters) decodes, so it runs only past the byte bound.
      rareIf.push(`strlen(${typed}) > ${TEXT_MAX_CHARS}`);
      rare.push(`CASE WHEN length(${typed}) > ${TEXT_MAX_CHARS} THEN ${err('text_too_long', c.name, raw)} END`);
      rare.push(`CASE WHEN _ctl AND regexp_matches(${typed}, '${CONTROL_RE}') THEN ${err('control_character', c.name, visibleSql(raw))} END`);
    }
    if (c.min !== undefined) errs.push({ when: `${typed} < ${c.min}`, then: err('negative_number', c.name, raw) });
    if (c.max !== undefined) errs.push({ when: `${typed} > ${c.max}`, then: err('number_too_large', c.name, raw) });
    if (c.kind === 'timestamp' || c.kind === 'date') {
      const type = c.kind === 'timestamp' ? 'TIMESTAMP' : 'DATE';
      const outside = `${typed} < CAST($ts_lo AS ${type}) OR ${typed} >= CAST($ts_hi AS ${type})`;
      rareIf.push(outside);
      rare.push(`CASE WHEN ${outside} THEN ${err(c.kind === 'timestamp' ? 'implausible_timestamp' : 'implausible_date', c.name, raw)} END`);
    }
    if (c.notBefore) {
      const other = cols.find((o) => o.name === c.notBefore)!;
      const rule = c.name === 'discharge_ts' ? 'discharge_before_admit' : 'end_before_start';
      errs.push({ when: `${typed} < ${v(other)}`, then: err(rule, c.name, raw) });
    }
  }
  const common = `[${errs.map((e) => `CASE WHEN ${e.when} THEN ${e.then} END`).join(',\n        ')}]`;
  // Three branches rather than one list_concat: concatenating lists costs more, row for row, than all
  // the checks, and so does making a list and filtering it; a row that breaks no rule (nearly all) gets
  // the empty list without either.
  const all = `CASE WHEN ${rareIf.join(' OR ')}
      THEN list_filter(list_concat(${common}, [${rare.join(',\n          ')}]), e -> e IS NOT NULL)
      WHEN ${errs.map((e) => `(${e.when})`).join(' OR ')}
      THEN list_filter(${common}, e -> e IS NOT NULL)
      ELSE CAST([] AS STRUCT(rule VARCHAR, col VARCHAR, raw VARCHAR)[]) END`;
  return `SELECT ${sel.join(',\n      ')},
      x._source_file, x._line,
      ${all} AS _errs
    FROM (SELECT r.*, ${inner.join(', ')} FROM ${source} r) x`;
}

/**
 * `CREATE TABLE` of `parsed_<table>`: every row of every loaded file, typed, with its file,
 * line and the per-row rules it breaks (`_errs`, empty when none; its typed values are then
 * those of the canonical table before the rules that need other rows).
 */
export function parsedTableDdl(table: TableName, name = 'parsed_' + table): string {
  const cols = TABLES[table].columns.map((c) => `${ident(c.name)} ${sqlType(c)}`);
  cols.push(
    '"_source_file" VARCHAR NOT NULL',
    '"_line" BIGINT NOT NULL',
    `"_errs" STRUCT(rule VARCHAR, col VARCHAR, raw VARCHAR)[] NOT NULL`,
    '"_batch" BIGINT NOT NULL',
    '"_dropped" BOOLEAN NOT NULL',
  );
  return `CREATE TABLE IF NOT EXISTS ${ident(name)} (\n  ${cols.join(',\n  ')}\n)`;
}

/** Columns of `parsed_<table>`, quoted, in order. */
export function parsedColumns(table: TableName): string {
  return [...TABLES[table].columns.map((c) => ident(c.name)), '"_source_file"', '"_line"', '"_errs"', '"_batch"', '"_dropped"'].join(', ');
}

/**
 * The load batch of the rows parsed next (docs/architecture.md#canonical-tables): a number
 * that only grows, one per file read (or per adapter export). The canonical views show the
 * rows of the batches their last validation took in.
 */
export async function nextBatch(db: Db): Promise<number> {
  await db.run('CREATE SEQUENCE IF NOT EXISTS load_batch START 1');
  return Number(await db.scalar(`SELECT nextval('load_batch')`));
}

/**
 * Append to `parsed_<table>` the rows of `source`: a relation with every canonical column as
 * text, `_source_file` and `_line` (the raw rows of one file, or of a whole adapter export).
 */
export async function parseInto(db: Db, table: TableName, source: string, opts: ParseOptions, params: Record<string, string> = {}): Promise<void> {
  const parsed = ident('parsed_' + table);
  await db.run(parsedTableDdl(table));
  const before = Number(await db.scalar(`SELECT count(*) FROM ${parsed}`));
  // `_dropped` starts as "breaks a per-row rule"; validation adds the rows the rules that need
  // other rows leave out (docs/architecture.md#canonical-tables).
  await db.run(
    `INSERT INTO ${parsed} (${parsedColumns(table)}) SELECT *, CAST($batch AS BIGINT), len(_errs) > 0 FROM (${checkSelect(table, source)})`,
    { ...yearParams(opts), ...params, batch: String(await nextBatch(db)) },
  );
  // Counted for the manifest (`rows_parsed`): what this run put through the per-row rules.
  await db.run(PARSED_NOW_DDL);
  await db.run(`INSERT INTO parsed_now SELECT $t, (SELECT count(*) FROM ${parsed}) - $before`, { t: table, before });
  // The next validation checks the ids of this file's rows (a whole export: every id).
  await db.run(TO_VALIDATE_DDL);
  await db.run(`INSERT INTO ${TO_VALIDATE} VALUES ($t, $f)`, { t: table, f: params.path ?? null });
}

/**
 * The files whose rows in `parsed_<table>` changed since the last whole validation (a file read
 * anew, or changed: its old rows were deleted in the same transaction); `source_file` NULL: rows
 * of every file may have (an adapter's export, raw rows of an earlier version). A validation
 * clears it when it has finished (docs/architecture.md#validation-of-a-night).
 */
export const TO_VALIDATE = 'files_to_validate';
export const TO_VALIDATE_DDL = `CREATE TABLE IF NOT EXISTS ${TO_VALIDATE} (table_name VARCHAR NOT NULL, source_file VARCHAR)`;
/** What the last whole validation ran with; without it the next one checks every row. */
export const VALIDATE_STATE = 'validate_state';

/** Rows parsed by this connection since the last validation, by table (a temporary table). */
export const PARSED_NOW_DDL = 'CREATE TEMP TABLE IF NOT EXISTS parsed_now (table_name VARCHAR NOT NULL, rows BIGINT NOT NULL)';

/** `$ts_lo`, `$ts_hi`: the first instant of the earliest plausible year and of the year after the latest. */
export function yearParams(opts: ParseOptions): { ts_lo: string; ts_hi: string } {
  return { ts_lo: `${pad4(opts.earliest_year ?? 1900)}-01-01`, ts_hi: `${pad4((opts.latest_year ?? 2999) + 1)}-01-01` };
}

/**
 * What the parsed rows depend on besides the input: the rules themselves (their SQL), the
 * plausible years and the time zone that timestamps with an offset are converted to. Rows
 * parsed under other settings are parsed again (docs/operations.md#nightly-runs-store-once-validate-what-is-new).
 */
export async function parseSettings(db: Db, opts: ParseOptions): Promise<string> {
  const h = createHash('sha256');
  h.update(MACROS.join('\n'));
  for (const t of Object.keys(TABLES) as TableName[]) h.update(checkSelect(t, 'src'));
  const zone = await db.scalar<string>(`SELECT current_setting('TimeZone')`);
  return JSON.stringify({ rules: h.digest('hex').slice(0, 16), ...yearParams(opts), timezone: zone });
}
