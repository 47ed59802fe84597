/**
 * Formula defusing for every CSV a spreadsheet may open: the reports for
 * administrators (`pipeline/publish/exports/`) and the data team's `metrics.csv` and
 * `exclusions.csv`. One rule, in JavaScript and in SQL (for files written by
 * DuckDB `COPY`), from one list of characters.
 */
import { literal } from '../core/quote.js';

/**
 * Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV
 * injection"), plus their full-width forms, which some spreadsheets and input
 * methods turn into the ASCII ones.
 */
export const FORMULA_START: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
const START = new Set(FORMULA_START);

/** Prefix a text cell that a spreadsheet would run as a formula with an apostrophe. */
export function defuse(text: string): string {
  return text.length > 0 && START.has(text[0]!) ? "'" + text : text;
}

/** The same as `defuse`, as a SQL expression over the text expression `expr` (NULL stays NULL). */
export function defuseSql(expr: string): string {
  const starts = FORMULA_START.map((c) => `starts_with(${expr}, ${literal(c)})`).join(' OR ');
  return `CASE WHEN ${starts} THEN '''' || ${expr} ELSE ${expr} END`;
}
