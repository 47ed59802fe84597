/**
 * Arrow IPC (file or stream format) into the text staging table, one record
 * batch at a time: DuckDB has no built-in Arrow IPC reader without an extension.
 */
import { createReadStream } from 'node:fs';
import { DataType, RecordBatchReader, Type, type Vector } from 'apache-arrow';
import { Db, ident } from '../../core/db.js';
import type { TableName } from '../schema.js';
import { assertScalarColumns, assertUniqueColumns } from './content.js';
import type { StagedFile } from './staged.js';

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Wall-clock text of epoch milliseconds read as UTC components (no zone shift). */
function isoFromMs(ms: number, withZ: boolean): string {
  const d = new Date(ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds() ? '.' + pad(d.getUTCMilliseconds(), 3) : '';
  return base + frac + (withZ ? 'Z' : '');
}

function toText(v: unknown, type: DataType): string | null {
  if (v === null || v === undefined) return null;
  switch (type.typeId) {
    case Type.Timestamp: {
      // apache-arrow gives timestamps as epoch milliseconds; a zone on the type makes them instants.
      const tz = (type as unknown as { timezone?: string | null }).timezone;
      return isoFromMs(Number(v), Boolean(tz));
    }
    case Type.Date:
      return isoFromMs(v instanceof Date ? v.getTime() : Number(v), false).slice(0, 10);
    default:
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Date) return v.toISOString();
      if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
      return String(v);
  }
}

/** An Arrow type in words when it is nested (a list, struct, map or union). */
function nestedArrowType(t: DataType): string | undefined {
  if (DataType.isList(t) || DataType.isFixedSizeList(t)) return `a list type (${t})`;
  if (DataType.isStruct(t)) return `a struct type (${t})`;
  if (DataType.isMap(t)) return `a map type (${t})`;
  if (DataType.isUnion(t)) return `a union type (${t})`;
  return undefined;
}

/** Stream an Arrow IPC file into `stage` (all text columns plus `_line`). */
export async function readArrowIntoStage(db: Db, path: string, stage: string, table: TableName): Promise<StagedFile> {
  const reader = await RecordBatchReader.from(createReadStream(path));
  await reader.open();
  const fields = reader.schema.fields;
  const columns = fields.map((f) => f.name);
  assertUniqueColumns(path, columns);
  assertScalarColumns(path, table, fields.map((f) => ({ name: f.name, nested: nestedArrowType(f.type) })));
  await db.run(`CREATE TABLE ${stage} (${[...columns.map((c) => `${ident(c)} VARCHAR`), '_line VARCHAR'].join(', ')})`);
  let rows = 0;
  for await (const batch of reader) {
    const cols: (string | null)[][] = fields.map((f, i) => {
      const vec = batch.getChildAt(i) as Vector | null;
      const out: (string | null)[] = new Array(batch.numRows);
      for (let r = 0; r < batch.numRows; r++) out[r] = vec ? toText(vec.get(r), f.type) : null;
      return out;
    });
    const lines: string[] = new Array(batch.numRows);
    for (let r = 0; r < batch.numRows; r++) lines[r] = String(rows + r + 1);
    cols.push(lines);
    await db.appendTextColumns(stage, cols);
    rows += batch.numRows;
  }
  await db.run(`ALTER TABLE ${stage} ALTER _line TYPE BIGINT`);
  return { columns, rows, unparsed: 0 };
}
