/**
 * Excel number formats of the workbook cells, by what a number is. The codes are
 * locale-neutral: Excel shows `#,##0.00` as 1,234.50 in English and 1.234,50 in
 * Danish. A format only rounds what is shown; the cell keeps the full number.
 */
import { isShareRatio } from '../../../metrics/catalog.js';
import type { CatalogEntry } from '../../../metrics/types.js';

export const INTEGER = '#,##0';
export const DECIMALS_2 = '#,##0.00';
export const PERCENT = '0.0%';
/** Excel's Text format: what a user types into the cell later stays text too. */
export const TEXT = '@';

export interface NumberFormats {
  numerator: string;
  denominator: string;
  /** Also the format of the confidence limits. */
  value: string;
}

/**
 * The formats of a metric's numbers. Counts are whole numbers; a share (a rate, or a
 * ratio whose unit is a share, as avoidable trips, or a share of a weight, as the DRG
 * value paid for readmissions) is a percentage; means and ratios get two decimals, as
 * do sums of DRG weights and the expected count of an O/E ratio;
 * a quantile of length of stay is whole days.
 */
export function numberFormats(entry: Pick<CatalogEntry, 'kind' | 'unit'>): NumberFormats {
  switch (entry.kind) {
    case 'count':
      return { numerator: INTEGER, denominator: INTEGER, value: INTEGER };
    case 'sum':
      return { numerator: DECIMALS_2, denominator: INTEGER, value: DECIMALS_2 };
    case 'rate':
      return { numerator: INTEGER, denominator: INTEGER, value: PERCENT };
    case 'mean':
      return { numerator: INTEGER, denominator: INTEGER, value: DECIMALS_2 };
    case 'quantile':
      return { numerator: INTEGER, denominator: INTEGER, value: INTEGER };
    case 'ratio':
      return { numerator: INTEGER, denominator: INTEGER, value: isShareRatio(entry) ? PERCENT : DECIMALS_2 };
    case 'oe':
      return { numerator: INTEGER, denominator: DECIMALS_2, value: DECIMALS_2 };
    case 'share':
      return { numerator: DECIMALS_2, denominator: DECIMALS_2, value: PERCENT };
  }
}
