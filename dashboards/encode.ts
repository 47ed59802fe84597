/**
 * Compact column-wise encoding of the datasets embedded in a page. Row objects
 * repeat every field name; columns do not, and text columns (ids, labels, metric
 * ids) become a dictionary plus small integer codes, as do numeric columns that
 * repeat a few values (a p-chart's centre line). `assets/dashboard.js` decodes it
 * back into row objects for Vega.
 */
import type { DataRow } from './types.js';

export type Column = { v: (number | boolean | null)[] } | { d: (string | number)[]; k: (number | null)[] };

export interface EncodedDataset {
  n: number;
  cols: Record<string, Column>;
}

/** Encode rows column by column; a field absent from a row is null. */
export function encodeRows(rows: DataRow[]): EncodedDataset {
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const f of Object.keys(r)) {
      if (!seen.has(f)) {
        seen.add(f);
        fields.push(f);
      }
    }
  }
  const cols: Record<string, Column> = {};
  for (const f of fields) {
    const values = rows.map((r) => r[f] ?? null);
    const text = values.some((v) => typeof v === 'string');
    const numeric = !text && values.every((v) => v === null || typeof v === 'number');
    const distinct = new Set(values.filter((v) => v !== null)).size;
    if (text || (numeric && distinct * 3 <= rows.length)) {
      const dict: (string | number)[] = [];
      const code = new Map<string | number, number>();
      const k = values.map((v) => {
        if (v === null) return null;
        const key = text ? String(v) : (v as number);
        let c = code.get(key);
        if (c === undefined) {
          c = dict.length;
          dict.push(key);
          code.set(key, c);
        }
        return c;
      });
      cols[f] = { d: dict, k };
    } else {
      cols[f] = { v: values as (number | boolean | null)[] };
    }
  }
  return { n: rows.length, cols };
}

/** The inverse of `encodeRows` (the page script does the same in JavaScript). */
export function decodeRows(data: EncodedDataset): DataRow[] {
  const rows: DataRow[] = [];
  for (let i = 0; i < data.n; i++) {
    const row: DataRow = {};
    for (const [f, c] of Object.entries(data.cols)) {
      if ('v' in c) row[f] = c.v[i] ?? null;
      else {
        const k = c.k[i];
        row[f] = k === null || k === undefined ? null : c.d[k]!;
      }
    }
    rows.push(row);
  }
  return rows;
}
