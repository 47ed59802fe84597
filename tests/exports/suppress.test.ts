import { describe, expect, it } from 'vitest';
import { compareText, suppress, type PublishedRow } from '../../metrics/suppress.js';
import type { MetricRow } from '../../metrics/types.js';
import { CATALOG, row } from './catalog.js';

/** The reason per cell, keyed `metric period hospital department`. */
function reasons(rows: MetricRow[], k = 5): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const r of suppress(rows, CATALOG, k)) out[`${r.metric_id} ${r.period} ${r.hospital_id} ${r.department_id}`] = r.suppressed;
  return out;
}

describe('suppress: primary rules per kind', () => {
  it('hides counts 1..k-1, shows 0 and k', () => {
    const rows = [0, 1, 4, 5].map((c, i) => row('admissions', '2024-01', 'H' + i, 'ALL', c));
    expect(Object.values(reasons(rows, 5))).toEqual([null, 'primary', 'primary', null]);
    expect(Object.values(reasons([row('admissions', '2024-01', 'H', 'ALL', 10)], 11))).toEqual(['primary']);
    expect(Object.values(reasons([row('admissions', '2024-01', 'H', 'ALL', 11)], 11))).toEqual([null]);
  });

  it('nulls every number of a hidden row and keeps published rows as they were', () => {
    const [hidden, shown] = suppress(
      [row('readmission_30d', '2024', 'H1', 'ALL', 2, 20, 0.1, 0.01, 0.3), row('readmission_30d', '2024', 'H2', 'ALL', 5, 20, 0.25, 0.1, 0.5)],
      CATALOG,
      5,
    ) as [PublishedRow, PublishedRow];
    expect(hidden).toMatchObject({ numerator: null, denominator: null, value: null, lower: null, upper: null, suppressed: 'primary' });
    expect(shown).toMatchObject({ numerator: 5, denominator: 20, value: 0.25, lower: 0.1, upper: 0.5, suppressed: null });
  });

  it('rates: small numerator or denominator is primary, small denominator - numerator is complement', () => {
    const r = reasons([
      row('readmission_30d', '2024', 'small_num', 'ALL', 2, 20),
      row('readmission_30d', '2024', 'small_den', 'ALL', 0, 3),
      row('readmission_30d', '2024', 'small_complement', 'ALL', 18, 20),
      row('readmission_30d', '2024', 'zero_num', 'ALL', 0, 20),
      row('readmission_30d', '2024', 'all_events', 'ALL', 20, 20),
    ]);
    expect(Object.values(r)).toEqual(['primary', 'primary', 'complement', null, null]);
  });

  it('means and quantiles: only the number of records (denominator) counts', () => {
    const r = reasons([
      row('los_mean', '2024', 'four_stays', 'ALL', 40, 4, 10),
      row('los_mean', '2024', 'small_sum', 'ALL', 2, 6, 0.33),
      row('los_median', '2024', 'three_stays', 'ALL', null, 3, 7),
      row('los_median', '2024', 'nine_stays', 'ALL', null, 9, 7),
    ]);
    expect(Object.values(r)).toEqual(['primary', null, 'primary', null]);
  });

  it('ratios: numerator and denominator are both counts', () => {
    const r = reasons([
      row('trips_per_patient', '2024', 'few_patients', 'ALL', 8, 3, 2.67),
      row('trips_per_patient', '2024', 'many', 'ALL', 12, 10, 1.2),
    ]);
    expect(Object.values(r)).toEqual(['primary', null]);
  });

  it('sums: hidden with the admissions count of the same cell, or their own denominator', () => {
    const r = reasons([
      row('admissions', '2024', 'H_few', 'ALL', 3),
      row('drg_value', '2024', 'H_few', 'ALL', 2.5),
      row('admissions', '2024', 'H_many', 'ALL', 8),
      row('drg_value', '2024', 'H_many', 'ALL', 7.25),
      row('drg_value', '2024', 'H_no_count', 'ALL', 1.5),
      row('drg_value', '2024', 'H_own_count', 'ALL', 4.5, 2),
    ]);
    expect(r['drg_value 2024 H_few ALL']).toBe('primary');
    expect(r['drg_value 2024 H_many ALL']).toBeNull();
    expect(r['drg_value 2024 H_no_count ALL']).toBe('primary');
    expect(r['drg_value 2024 H_own_count ALL']).toBe('primary');
  });

  it('O/E follows its plain rate (same index stays), and hides a small observed count on its own', () => {
    const r = reasons([
      row('readmission_30d', '2024', 'H_complement', 'ALL', 18, 20),
      row('readmission_30d_oe', '2024', 'H_complement', 'ALL', 18, 15.2, 1.18),
      row('readmission_30d', '2024', 'H_fine', 'ALL', 6, 20),
      row('readmission_30d_oe', '2024', 'H_fine', 'ALL', 6, 5.5, 1.09),
      row('readmission_30d_oe', '2024', 'H_alone_small', 'ALL', 3, 4.1, 0.73),
      row('readmission_30d_oe', '2024', 'H_alone_zero', 'ALL', 0, 4.1, 0),
    ]);
    expect(r['readmission_30d_oe 2024 H_complement ALL']).toBe('complement');
    expect(r['readmission_30d_oe 2024 H_fine ALL']).toBeNull();
    expect(r['readmission_30d_oe 2024 H_alone_small ALL']).toBe('primary');
    expect(r['readmission_30d_oe 2024 H_alone_zero ALL']).toBeNull();
  });

  it('rejects a metric missing from the catalog and a bad threshold', () => {
    expect(() => suppress([row('nope', '2024', 'H', 'ALL', 1)], CATALOG, 5)).toThrow(/nope/);
    expect(() => suppress([], CATALOG, 0)).toThrow(/threshold/);
  });
});

describe('suppress: secondary', () => {
  it('hides the next smallest department when exactly one is hidden under a published hospital total', () => {
    const r = reasons([
      row('admissions', '2024-01', 'H1', 'ALL', 40),
      row('admissions', '2024-01', 'H1', 'A', 4),
      row('admissions', '2024-01', 'H1', 'B', 6),
      row('admissions', '2024-01', 'H1', 'C', 30),
    ]);
    expect(r).toEqual({
      'admissions 2024-01 H1 ALL': null,
      'admissions 2024-01 H1 A': 'primary',
      'admissions 2024-01 H1 B': 'secondary',
      'admissions 2024-01 H1 C': null,
    });
  });

  it('breaks a tie in size by department id as text (upper case before lower case)', () => {
    const r = reasons([
      row('admissions', '2024-01', 'H1', 'ALL', 26),
      row('admissions', '2024-01', 'H1', 'A', 2),
      row('admissions', '2024-01', 'H1', 'b', 12),
      row('admissions', '2024-01', 'H1', 'C', 12),
    ]);
    expect(r['admissions 2024-01 H1 C']).toBe('secondary');
    expect(r['admissions 2024-01 H1 b']).toBeNull();
  });

  it('picks the next smallest by the size that drives the kind (the denominator of a rate)', () => {
    const r = reasons([
      row('readmission_30d', '2024', 'H1', 'ALL', 12, 90),
      row('readmission_30d', '2024', 'H1', 'small', 1, 10),
      row('readmission_30d', '2024', 'H1', 'big_few_events', 5, 60),
      row('readmission_30d', '2024', 'H1', 'mid_more_events', 6, 20),
    ]);
    expect(r['readmission_30d 2024 H1 mid_more_events']).toBe('secondary');
    expect(r['readmission_30d 2024 H1 big_few_events']).toBeNull();
  });

  it('leaves two hidden departments alone', () => {
    const r = reasons([
      row('admissions', '2024-01', 'H1', 'ALL', 40),
      row('admissions', '2024-01', 'H1', 'A', 4),
      row('admissions', '2024-01', 'H1', 'B', 3),
      row('admissions', '2024-01', 'H1', 'C', 33),
    ]);
    expect(r['admissions 2024-01 H1 C']).toBeNull();
  });

  it('hides the hospital total when its only department is hidden', () => {
    const r = reasons([
      // Not additive on purpose (the total would normally equal its one part): the rule must still act.
      row('readmission_30d', '2024', 'H1', 'ALL', 10, 30),
      row('readmission_30d', '2024', 'H1', 'ONLY', 2, 20),
    ]);
    expect(r['readmission_30d 2024 H1 ONLY']).toBe('primary');
    expect(r['readmission_30d 2024 H1 ALL']).toBe('secondary');
  });

  it('one level up: hides the next smallest hospital, and then one of its departments so its total cannot be re-added', () => {
    const r = reasons([
      row('admissions', '2024', 'ALL', 'ALL', 83),
      row('admissions', '2024', 'H1', 'ALL', 3),
      row('admissions', '2024', 'H1', 'A', 3),
      row('admissions', '2024', 'H2', 'ALL', 50),
      row('admissions', '2024', 'H2', 'A', 50),
      row('admissions', '2024', 'H3', 'ALL', 30),
      row('admissions', '2024', 'H3', 'X', 15),
      row('admissions', '2024', 'H3', 'Y', 15),
    ]);
    expect(r).toEqual({
      'admissions 2024 ALL ALL': null,
      'admissions 2024 H1 ALL': 'primary',
      'admissions 2024 H1 A': 'primary',
      'admissions 2024 H2 ALL': null,
      'admissions 2024 H2 A': null,
      'admissions 2024 H3 ALL': 'secondary',
      'admissions 2024 H3 X': 'secondary',
      'admissions 2024 H3 Y': null,
    });
  });

  it('applies the hospital-level rule to metrics without department rows', () => {
    const r = reasons([
      row('trips_per_patient', '2024-02', 'ALL', 'ALL', 130, 100, 1.3),
      row('trips_per_patient', '2024-02', 'H1', 'ALL', 8, 4, 2),
      row('trips_per_patient', '2024-02', 'H2', 'ALL', 70, 60, 1.17),
      row('trips_per_patient', '2024-02', 'H3', 'ALL', 52, 36, 1.44),
    ]);
    expect(r['trips_per_patient 2024-02 H1 ALL']).toBe('primary');
    expect(r['trips_per_patient 2024-02 H3 ALL']).toBe('secondary');
    expect(r['trips_per_patient 2024-02 H2 ALL']).toBeNull();
    expect(r['trips_per_patient 2024-02 ALL ALL']).toBeNull();
  });

  it('keeps metrics and periods apart', () => {
    const r = reasons([
      row('admissions', '2024-01', 'H1', 'ALL', 20),
      row('admissions', '2024-01', 'H1', 'A', 2),
      row('admissions', '2024-01', 'H1', 'B', 18),
      row('admissions', '2024-02', 'H1', 'ALL', 20),
      row('admissions', '2024-02', 'H1', 'A', 10),
      row('admissions', '2024-02', 'H1', 'B', 10),
    ]);
    expect(r['admissions 2024-01 H1 B']).toBe('secondary');
    expect(r['admissions 2024-02 H1 A']).toBeNull();
    expect(r['admissions 2024-02 H1 B']).toBeNull();
  });
});

describe('compareText', () => {
  it('orders by code point (UTF-8 bytes, as DuckDB), not by UTF-16 unit', () => {
    expect(compareText('B', 'a')).toBeLessThan(0);
    expect(compareText('Ø', 'Å')).toBeGreaterThan(0);
    // U+FFFD sorts before U+1F600, though its UTF-16 unit is larger than the surrogate's.
    expect(compareText('\uFFFD', '\u{1F600}')).toBeLessThan(0);
    expect(compareText('ab', 'abc')).toBeLessThan(0);
    expect(compareText('x', 'x')).toBe(0);
  });
});
