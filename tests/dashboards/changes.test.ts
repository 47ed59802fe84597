import { describe, expect, it } from 'vitest';
import { change, proportionZ } from '../../dashboards/data/changes.js';
import { lastCompleteYear, monthRange, yearPairs } from '../../dashboards/data/periods.js';
import { formatChange, formatNumber } from '../../dashboards/format.js';
import { FIXTURE_CATALOG } from './fixture.js';

const entry = (id: string) => FIXTURE_CATALOG.find((c) => c.id === id)!;

describe('year-on-year change', () => {
  it('activity: relative change, neither better nor worse', () => {
    expect(change(100, 110, entry('admissions'), 'en')).toEqual({ rel: 0.1, score: 0.1, status: 'up', text: '+10.0%' });
    expect(change(200, 150, entry('admissions'), 'en')).toMatchObject({ rel: -0.25, status: 'down', text: '\u221225.0%' });
  });

  it('a rate that rises is worse when lower is better; text in percentage points', () => {
    const c = change(0.1, 0.12, entry('readmission_30d'), 'en');
    expect(c.rel).toBeCloseTo(0.2, 12);
    expect(c.score).toBeCloseTo(-0.2, 12);
    expect(c.status).toBe('worse');
    expect(c.text).toBe('+2.0 pp');
    expect(change(0.1, 0.12, entry('readmission_30d'), 'da').text).toBe('+2,0 %-point');
  });

  it('higher is better for days alive out of hospital; the colour score is capped at 25%', () => {
    expect(change(20, 30, entry('daoh_30'), 'en')).toMatchObject({ rel: 0.5, score: 0.25, status: 'better', text: '+10.00' });
    expect(change(0.1, 0.2, entry('readmission_30d'), 'en').score).toBe(-0.25);
  });

  it('under half a percent is no change; from zero there is no relative change', () => {
    expect(change(1000, 1004, entry('admissions'), 'en').status).toBe('same');
    expect(change(0, 5, entry('admissions'), 'en')).toEqual({ rel: null, score: null, status: null, text: '' });
    expect(change(0, 0, entry('admissions'), 'en')).toMatchObject({ rel: 0, status: 'same' });
  });
});

describe('two-proportion z', () => {
  it('is the difference over the pooled standard error', () => {
    // 10/100 → 20/100: pooled p = 0.15, se = sqrt(0.15 × 0.85 × (1/100 + 1/100)) = 0.050498
    expect(proportionZ(10, 100, 20, 100)).toBeCloseTo(1.9803, 4);
    expect(proportionZ(20, 100, 10, 100)).toBeCloseTo(-1.9803, 4);
    expect(proportionZ(null, 100, 10, 100)).toBe(null);
    expect(proportionZ(0, 100, 0, 50)).toBe(0);
  });
});

describe('formatting', () => {
  it('groups thousands and uses the locale’s separators and a true minus sign', () => {
    expect(formatNumber(1234567.891, 2, 'en')).toBe('1,234,567.89');
    expect(formatNumber(1234567.891, 2, 'da')).toBe('1.234.567,89');
    // a negative number that rounds to zero shows no sign
    expect(formatNumber(-0.04, 1, 'en')).toBe('0.0');
    expect(formatNumber(-1.25, 1, 'en')).toBe('\u22121.3');
    expect(formatChange(3, 4, { kind: 'quantile', unit: 'days' }, 'en')).toBe('+1');
  });
});

describe('periods', () => {
  it('a year is complete when the cutoff reaches 31 December', () => {
    expect(lastCompleteYear('2024-12-31 23:59:59')).toBe('2024');
    expect(lastCompleteYear('2024-12-31')).toBe('2024');
    expect(lastCompleteYear('2024-12-30 23:00')).toBe('2023');
    expect(lastCompleteYear('unknown')).toBe(null);
  });

  it('pairs each year with the year before, newest first; the default is the latest complete one', () => {
    const { pairs, latest } = yearPairs(['2022', '2023', '2024', '2024-01', '2021-06'], '2024-06-30');
    expect(pairs).toEqual([
      { year: '2024', previous: '2023', partial: true },
      { year: '2023', previous: '2022', partial: false },
    ]);
    expect(latest?.year).toBe('2023');
    expect(yearPairs(['2024'], '2024-12-31').latest).toBe(null);
  });

  it('fills the months between the first and the last, across a year end', () => {
    expect(monthRange(['2023-11', '2024-02', '2023', '2023-11'])).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthRange([])).toEqual([]);
  });
});
