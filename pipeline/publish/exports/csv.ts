/**
 * CSV cells for spreadsheets: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order
 * mark (without it Excel reads UTF-8 as the local code page), and formula defusing.
 */

import { defuse } from '../defuse.js';

export type Locale = 'en' | 'da';

/** Excel splits a double-clicked CSV on the list separator of the user's locale. */
export const DELIMITER: Record<Locale, string> = { en: ',', da: ';' };
export const BOM = '\uFEFF';
export const CRLF = '\r\n';
/** Decimal places kept; fewer are shown when the rest are zeros. */
export const DECIMALS = 4;

// The one defusing rule (pipeline/publish/defuse.ts), also applied to metrics.csv and exclusions.csv.
export { defuse };

/** Quote a cell when it holds the delimiter, a double quote or a line break (RFC 4180). */
export function quote(cell: string, delimiter: string): string {
  if (cell.includes(delimiter) || /["\r\n]/.test(cell)) return '"' + cell.replaceAll('"', '""') + '"';
  return cell;
}

/** A text cell: defused, then quoted as needed. */
export function textCell(text: string | null, locale: Locale): string {
  return text === null ? '' : quote(defuse(text), DELIMITER[locale]);
}

/**
 * A number as plain decimal text: never an exponent, at most DECIMALS decimals with
 * trailing zeros dropped (counts come out as integers), no thousands separator, and
 * a decimal comma for `da`. Empty for null and non-finite values. Numbers are never
 * defused: a negative number is a number to the spreadsheet, not a formula.
 */
export function numberCell(x: number | null, locale: Locale): string {
  if (x === null || !Number.isFinite(x)) return '';
  let s: string;
  // toFixed switches to exponent notation from 1e21 on.
  if (Math.abs(x) >= 1e21) s = BigInt(Math.round(x)).toString();
  else {
    s = x.toFixed(DECIMALS).replace(/\.?0+$/, '');
    if (s === '-0') s = '0';
  }
  return locale === 'da' ? s.replace('.', ',') : s;
}

/** One CSV record, with its line end. */
export function csvLine(cells: string[], locale: Locale): string {
  return cells.join(DELIMITER[locale]) + CRLF;
}
