import { describe, expect, it } from 'vitest';
import { defuse, numberCell, quote, textCell } from '../../pipeline/publish/exports/csv.js';
import { UsageError } from '../../pipeline/core/errors.js';
import { parsePeriodOption, periodFilter } from '../../pipeline/publish/exports/period.js';

describe('numberCell', () => {
  it('writes plain decimals with at most 4 decimals, never an exponent', () => {
    expect(numberCell(3, 'en')).toBe('3');
    expect(numberCell(0.123456, 'en')).toBe('0.1235');
    expect(numberCell(2 / 31, 'en')).toBe('0.0645');
    expect(numberCell(12.000000001, 'en')).toBe('12');
    expect(numberCell(1.5e-7, 'en')).toBe('0');
    expect(numberCell(-0.00001, 'en')).toBe('0');
    expect(numberCell(-2.5, 'en')).toBe('-2.5');
    expect(numberCell(1e21, 'en')).toBe('1000000000000000000000');
    expect(numberCell(123456789.5, 'en')).toBe('123456789.5');
  });

  it('uses a decimal comma and no thousands separator for da', () => {
    expect(numberCell(1234567.891, 'da')).toBe('1234567,891');
    expect(numberCell(0.25, 'da')).toBe('0,25');
    expect(numberCell(970, 'da')).toBe('970');
  });

  it('leaves missing and non-finite values empty', () => {
    expect(numberCell(null, 'en')).toBe('');
    expect(numberCell(Number.NaN, 'en')).toBe('');
    expect(numberCell(Number.POSITIVE_INFINITY, 'da')).toBe('');
  });
});

describe('text cells', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    for (const s of ['=1+1', '+45 1234', '-2+3', '@SUM(A1)', '\tx', '\rx', '\uFF1D1+1']) expect(defuse(s)).toBe("'" + s);
    for (const s of ['a=b', 'MED', '', "'quoted", ' =x']) expect(defuse(s)).toBe(s);
  });

  it('quotes the delimiter, double quotes and line breaks (RFC 4180)', () => {
    expect(quote('a,b', ',')).toBe('"a,b"');
    expect(quote('a,b', ';')).toBe('a,b');
    expect(quote('a;b', ';')).toBe('"a;b"');
    expect(quote('say "hi"', ',')).toBe('"say ""hi"""');
    expect(quote('two\r\nlines', ';')).toBe('"two\r\nlines"');
  });

  it('defuses, then quotes', () => {
    expect(textCell('=HYPERLINK("http://x","y")', 'en')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(textCell('-1;2', 'da')).toBe('"\'-1;2"');
    expect(textCell(null, 'en')).toBe('');
  });
});

describe('periods', () => {
  const keep = (range: string, periods: string[]) => periods.filter(periodFilter(parsePeriodOption(range)));

  it('keeps the periods wholly inside FROM:TO', () => {
    expect(keep('2024-03:2024-12', ['2024', '2024-02', '2024-03', '2024-12', '2025-01'])).toEqual(['2024-03', '2024-12']);
    expect(keep('2024', ['2023-12', '2024', '2024-01', '2024-12', '2025'])).toEqual(['2024', '2024-01', '2024-12']);
    expect(keep('2024-01:', ['2023-12', '2024', '2031-05'])).toEqual(['2024', '2031-05']);
    expect(keep(':2023', ['2023', '2023-12', '2024-01'])).toEqual(['2023', '2023-12']);
  });

  it('keeps everything without a range', () => {
    expect(['2024', 'odd'].filter(periodFilter(undefined))).toEqual(['2024', 'odd']);
  });

  it('rejects malformed periods', () => {
    for (const bad of ['2024-13', '24', 'a:b', '2024:2025:2026', '2024-1']) expect(() => parsePeriodOption(bad)).toThrow(UsageError);
  });
});
