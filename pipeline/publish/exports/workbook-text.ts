/**
 * Text for a cell of an Office Open XML workbook, so that a spreadsheet shows exactly
 * the string we hold. XML 1.0 cannot carry most control characters (and exceljs drops
 * them without a word), and Excel reads `_xHHHH_` in a cell's text as the character
 * U+HHHH. ECMA-376 Part 1, §22.9.2.19 (ST_Xstring) gives the escape for both: a
 * character XML cannot hold is written `_xHHHH_`, and the `_` of a literal `_xHHHH_`
 * is written `_x005F_`. Excel, LibreOffice and exceljs all decode it.
 */

const ESCAPE = /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000B-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const hex = (c: string) => '_x' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') + '_';

/** Excel's limit on the characters in one cell. */
export const MAX_CELL_TEXT = 32_767;

/**
 * A string as it must be stored in a workbook cell to read back unchanged. A text
 * longer than a cell holds (no real id or title comes near) is cut and ends in `…`,
 * rather than making Excel "repair" the whole workbook; the CSV file keeps it whole.
 */
export function xlsxText(s: string): string {
  const fits = s.length <= MAX_CELL_TEXT ? s : s.slice(0, MAX_CELL_TEXT - 1).replace(/[\uD800-\uDBFF]$/, '') + '…';
  return fits.replace(ESCAPE, hex);
}
