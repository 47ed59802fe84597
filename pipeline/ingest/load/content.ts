/**
 * Checks on what a file holds that stop the run (exit 2) rather than quarantine rows:
 * an encoding other than UTF-8, a binary file that ends early, two columns with one
 * name, a list/struct/map where a table wants a single value. The reasons:
 * docs/operations.md, "What outcomes refuses, and why".
 */
import { isUtf8 } from 'node:buffer';
import { InputError } from '../../core/errors.js';
import { TABLES, type TableName } from '../schema.js';
import { csvRecords } from '../../core/csv-text.js';

/** The encoding a text file's first bytes show when it is not UTF-8 (or undefined). */
export function foreignEncoding(head: Buffer): string | undefined {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return 'UTF-32LE';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return 'UTF-32BE';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'UTF-16LE';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'UTF-16BE';
  // Without a byte order mark: mostly-ASCII UTF-16 has a zero in every other byte. A
  // stray NUL in one field of a UTF-8 file is a row's problem, not the file's.
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 8) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  if (odd > n / 2 / 2 && even === 0) return 'UTF-16LE';
  if (even > n / 2 / 2 && odd === 0) return 'UTF-16BE';
  return undefined;
}

/**
 * Refuse a CSV or NDJSON file in UTF-16/32, or whose first line is not UTF-8: the readers
 * would turn the one into garbage columns and silently take the first data row as the
 * header of the other. (Bytes that are not UTF-8 in a later row reject that row.)
 */
export function assertUtf8(path: string, head: Buffer): void {
  const enc = foreignEncoding(head);
  const why = enc ? `the encoding is ${enc}, not UTF-8` : !isUtf8(firstLine(head)) ? 'the first line is not UTF-8 (the encoding is not UTF-8: perhaps Windows-1252 or Latin-1)' : undefined;
  if (why) throw new InputError(`${path}: ${why}; save the file as UTF-8 and run again`, path);
}

function firstLine(head: Buffer): Buffer {
  const nl = head.indexOf(0x0a);
  // Without a line end in the first bytes, the last character may be cut in two: leave it out.
  return nl >= 0 ? head.subarray(0, nl) : head.subarray(0, Math.max(0, head.length - 4));
}

const ARROW_MAGIC = Buffer.from('ARROW1');
const ARROW_EOS = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * Refuse an Arrow IPC file that ends early: the file format ends with its footer and the
 * magic `ARROW1`; the stream format ends with the end-of-stream marker. Either reader
 * would otherwise stop quietly at the last whole batch.
 */
export function assertArrowComplete(path: string, head: Buffer, tail: Buffer): void {
  const isFile = head.subarray(0, 6).equals(ARROW_MAGIC);
  const ok = isFile ? tail.subarray(-6).equals(ARROW_MAGIC) : tail.subarray(-8).equals(ARROW_EOS);
  if (!ok) {
    const what = isFile ? 'its footer (an Arrow IPC file ends with "ARROW1")' : 'its end-of-stream marker';
    throw new InputError(`${path} is not a whole Arrow IPC file: ${what} is missing, so it was cut short; none of it is loaded`, path);
  }
}

/**
 * The header names of a CSV file as written, from its first bytes, given the column names
 * the reader produced: the delimiter is the one that splits the header into as many names as
 * the reader found, each equal to the reader's name or to the name the reader gave a repeat
 * (`name_1`). Undefined when no delimiter explains the reader's names.
 */
export function csvHeader(head: Buffer, staged: readonly string[]): string[] | undefined {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  for (const delim of [',', ';', '\t', '|']) {
    // The reader trims names and calls an empty one `column<i>`.
    const names = (csvRecords(text, delim, 1)[0] ?? ['']).map((n) => n.trim());
    if (names.length !== staged.length) continue;
    const explains = (n: string, i: number) => n === '' || staged[i] === n || staged[i]!.toLowerCase().startsWith(n.toLowerCase() + '_');
    if (names.every(explains)) return names.filter((n) => n !== '');
  }
  return undefined;
}

/**
 * Refuse two columns whose names are equal, or equal but for case (DuckDB, which reads the
 * files, does not tell such names apart and would rename one copy, so that its values would
 * silently never arrive).
 */
export function assertUniqueColumns(path: string, names: readonly string[]): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const key = name.toLowerCase();
    const j = seen.get(key);
    if (j !== undefined) {
      const how = names[j] === name ? `column "${name}" appears twice` : `columns "${names[j]}" and "${name}" differ only in case`;
      throw new InputError(`${path}: ${how} in the header (columns ${j + 1} and ${i + 1}); rename or remove one of them`, path, name);
    }
    seen.set(key, i);
  });
}

/** Refuse a canonical column whose values are lists, structs or maps: `[P1]` is not a patient id. */
export function assertScalarColumns(path: string, table: TableName, columns: readonly { name: string; nested: string | undefined }[]): void {
  const canonical = new Set(TABLES[table].columns.map((c) => c.name));
  for (const c of columns) {
    if (c.nested && canonical.has(c.name)) {
      throw new InputError(
        `${path}: column "${c.name}" is of ${c.nested}, where table ${table} needs a single value per row`,
        path,
        c.name,
      );
    }
  }
}

/** A DuckDB type in words when it is nested (a list, array, struct, map or union). */
export function nestedDuckType(type: string): string | undefined {
  if (/\[\d*\]$/.test(type)) return `a list type (${type})`;
  const m = /^(STRUCT|MAP|UNION)\b/i.exec(type);
  return m ? `a ${m[1]!.toLowerCase()} type (${type})` : undefined;
}
