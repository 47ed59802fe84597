/**
 * The canonical tables (docs/reference/contract.md#tables), defined once.
 *
 * From this one definition come: the DuckDB table definitions (`tableDdl`),
 * the SQL validation rules of the loader (`pipeline/ingest/load/validate.ts`), the zod
 * row schemas (`rowSchema`), and the README's input table (`npm run docs:schema`).
 */
import { z } from 'zod';

export type ColumnKind = 'text' | 'integer' | 'number' | 'timestamp' | 'date' | 'enum';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  required?: boolean;
  /** Value used when the field is empty. */
  default?: string;
  /** Allowed codes for `enum` columns. */
  values?: readonly string[];
  /** The id column of its table: required and unique. */
  id?: boolean;
  /** Lower bound for numbers. */
  min?: number;
  /** Upper bound for numbers: beyond it a value means nothing and its sums overflow. */
  max?: number;
  /** Column that this timestamp may not precede. */
  notBefore?: string;
  doc: string;
}

export interface TableSpec {
  name: TableName;
  required: boolean;
  doc: string;
  columns: readonly ColumnSpec[];
}

export const TABLE_NAMES = ['patients', 'admissions', 'treatments'] as const;

/** Longest id or code (characters) a text column takes; longer ones are rejected (`text_too_long`). */
export const TEXT_MAX_CHARS = 256;
/** Earliest plausible `birth_year`; the latest is the cutoff's year. Outside them it is cleared. */
export const BIRTH_YEAR_MIN = 1880;
export type TableName = (typeof TABLE_NAMES)[number];

export const SEX = ['F', 'M', 'O', 'U'] as const;
export const ADMISSION_TYPES = ['acute', 'elective', 'unknown'] as const;
export const DISPOSITIONS = ['home', 'transfer', 'facility', 'died', 'against_advice', 'other', 'unknown'] as const;
export const SETTINGS = ['ambulatory', 'emergency'] as const;
export const MODES = ['in_person', 'virtual'] as const;

export const TABLES: Record<TableName, TableSpec> = {
  patients: {
    name: 'patients',
    required: false,
    doc: 'optional; needed for mortality and risk adjustment, and gives days alive out of hospital the deaths after discharge',
    columns: [
      { name: 'patient_id', kind: 'text', id: true, required: true, doc: 'pseudonym; required, unique' },
      {
        name: 'birth_year',
        kind: 'integer',
        doc: 'optional; outside 1880..the year of the cutoff it is treated as unknown (the row is kept)',
      },
      { name: 'sex', kind: 'enum', values: SEX, default: 'U', doc: 'optional, default `U`' },
      { name: 'death_date', kind: 'date', doc: 'optional' },
    ],
  },
  admissions: {
    name: 'admissions',
    required: true,
    doc: 'one row per inpatient contact',
    columns: [
      { name: 'admission_id', kind: 'text', id: true, required: true, doc: 'required, unique' },
      { name: 'patient_id', kind: 'text', required: true, doc: 'required' },
      { name: 'hospital_id', kind: 'text', required: true, doc: 'required' },
      { name: 'department_id', kind: 'text', default: 'UNKNOWN', doc: 'optional, default `UNKNOWN`' },
      { name: 'admit_ts', kind: 'timestamp', required: true, doc: 'required' },
      {
        name: 'discharge_ts',
        kind: 'timestamp',
        notBefore: 'admit_ts',
        doc: 'empty = still admitted; when present, not before `admit_ts`',
      },
      { name: 'admission_type', kind: 'enum', values: ADMISSION_TYPES, default: 'unknown', doc: 'default `unknown`' },
      {
        name: 'discharge_disposition',
        kind: 'enum',
        values: DISPOSITIONS,
        default: 'unknown',
        doc: 'default `unknown`; `transfer` = to another acute hospital, `facility` = nursing home, rehabilitation, hospice, psychiatric facility',
      },
      { name: 'primary_diagnosis', kind: 'text', doc: 'ICD-10, optional' },
      { name: 'drg_code', kind: 'text', doc: 'optional' },
      { name: 'drg_weight', kind: 'number', min: 0, max: 1e9, doc: 'optional, 0 to 1,000,000,000' },
    ],
  },
  treatments: {
    name: 'treatments',
    required: true,
    doc: 'one row per ambulatory or emergency contact or treatment',
    columns: [
      { name: 'treatment_id', kind: 'text', id: true, required: true, doc: 'required, unique' },
      { name: 'patient_id', kind: 'text', required: true, doc: 'required' },
      { name: 'hospital_id', kind: 'text', required: true, doc: 'required' },
      { name: 'department_id', kind: 'text', default: 'UNKNOWN', doc: 'optional, default `UNKNOWN`' },
      { name: 'start_ts', kind: 'timestamp', required: true, doc: 'required' },
      { name: 'end_ts', kind: 'timestamp', notBefore: 'start_ts', doc: 'optional; not before `start_ts`' },
      { name: 'setting', kind: 'enum', values: SETTINGS, required: true, doc: 'required' },
      { name: 'mode', kind: 'enum', values: MODES, default: 'in_person', doc: 'default `in_person`' },
      { name: 'procedure_code', kind: 'text', doc: 'optional' },
    ],
  },
};

/** The id column of a table. */
export function idColumn(table: TableName): string {
  const c = TABLES[table].columns.find((col) => col.id);
  if (!c) throw new Error(`table ${table} has no id column`);
  return c.name;
}

/** Columns a file must have for the table to load. */
export function requiredColumns(table: TableName): string[] {
  return TABLES[table].columns.filter((c) => c.required || c.id).map((c) => c.name);
}

/** DuckDB type of a canonical column. */
export function sqlType(c: ColumnSpec): string {
  switch (c.kind) {
    case 'integer':
      return 'INTEGER';
    case 'number':
      return 'DOUBLE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'date':
      return 'DATE';
    case 'text':
    case 'enum':
      return 'VARCHAR';
  }
}

/** `CREATE TABLE` statement of a canonical table (typed, after validation). */
export function tableDdl(table: TableName, name: string = table): string {
  const cols = TABLES[table].columns.map((c) => `"${c.name}" ${sqlType(c)}${c.required || c.id || c.default ? ' NOT NULL' : ''}`);
  cols.push('"_source_file" VARCHAR NOT NULL', '"_line" BIGINT NOT NULL');
  return `CREATE TABLE "${name}" (\n  ${cols.join(',\n  ')}\n)`;
}

/** `CREATE TABLE` of the raw staging table: every canonical column as text, plus where it came from. */
export function rawTableDdl(table: TableName, name = `raw_${table}`): string {
  const cols = TABLES[table].columns.map((c) => `"${c.name}" VARCHAR`);
  cols.push('"_source_file" VARCHAR NOT NULL', '"_line" BIGINT NOT NULL');
  return `CREATE TABLE "${name}" (\n  ${cols.join(',\n  ')}\n)`;
}

function zodColumn(c: ColumnSpec): z.ZodType {
  let t: z.ZodType;
  switch (c.kind) {
    case 'integer':
      t = z.number().int();
      break;
    case 'number':
      t = c.min === undefined ? z.number() : z.number().min(c.min);
      if (c.max !== undefined) t = (t as z.ZodNumber).max(c.max);
      break;
    case 'timestamp':
    case 'date':
      t = z.string().min(1);
      break;
    case 'enum':
      t = z.enum(c.values as [string, ...string[]]);
      break;
    case 'text':
      t = z.string().min(1);
      break;
  }
  return c.required || c.id ? t : t.nullable().optional();
}

/** zod schema of one canonical row (for hand-made fixtures and property tests). */
export function rowSchema(table: TableName): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const c of TABLES[table].columns) shape[c.name] = zodColumn(c);
  return z.object(shape);
}

/** Markdown table of a canonical table, for the README. */
export function markdownTable(table: TableName): string {
  const lines = ['| column | type | rule |', '|---|---|---|'];
  for (const c of TABLES[table].columns) {
    const type = c.kind === 'enum' ? (c.values ?? []).map((v) => '`' + v + '`').join(' ') : c.kind;
    lines.push(`| \`${c.name}\` | ${type} | ${c.doc} |`);
  }
  return lines.join('\n');
}

/** The rejects table (docs/reference/contract.md#bad-input): one row per broken rule, or per adapter record skipped by design. */
export const REJECTS_DDL = `CREATE TABLE IF NOT EXISTS rejects (
  table_name VARCHAR NOT NULL,
  source_file VARCHAR,
  line BIGINT,
  rule VARCHAR NOT NULL,
  column_name VARCHAR,
  raw_value VARCHAR,
  kind VARCHAR NOT NULL DEFAULT 'reject'
)`;
