/**
 * The one quoting helper for SQL text (re-exported by db.ts): identifiers and the few literals
 * DuckDB cannot bind. A module of its own so that code which only writes SQL text (the formula
 * defusing of the reports' thread) does not load the DuckDB client with it.
 */

/** Quote an identifier (table or column name). */
export function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quote a string literal, for the places DuckDB cannot take a bound parameter. */
export function literal(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}
