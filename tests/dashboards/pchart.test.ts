import { describe, expect, it } from 'vitest';
import { pchart, type SeriesPoint } from '../../dashboards/data/pchart.js';

/** Months 2023-01 onwards with numerators out of 100 (null = hidden). */
function series(nums: (number | null)[]): SeriesPoint[] {
  return nums.map((n, i) => ({
    period: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    numerator: n,
    denominator: n === null ? null : 100,
  }));
}
// A baseline of 12 months averaging exactly 10% (120 / 1200) whose points alternate, so it holds no run.
const BASE = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11];

describe('pchart', () => {
  it('takes centre line and 3-sigma limits from the first 12 shown months', () => {
    const c = pchart(series([...BASE, 10]), 'lower_is_better');
    expect(c.centre).toBeCloseTo(0.1, 12);
    // sd = sqrt(0.1 * 0.9 / 100) = 0.03, so the limits are 0.1 ± 0.09
    expect(c.points[12]!.ucl).toBeCloseTo(0.19, 12);
    expect(c.points[12]!.lcl).toBeCloseTo(0.01, 12);
    expect(c.baseline).toEqual({ from: '2023-01', to: '2023-12', count: 12 });
    expect(c.points[11]!.baseline).toBe(true);
    expect(c.points[12]!.baseline).toBe(false);
    expect(c.summary).toEqual({ status: 'no_signal', rule: null, period: '2024-01' });
  });

  it('limits follow each month’s own denominator', () => {
    const s = series([...BASE, 10]);
    s[12] = { period: '2024-01', numerator: 40, denominator: 400 };
    // sd = sqrt(0.09 / 400) = 0.015: limits 0.1 ± 0.045
    expect(pchart(s, 'lower_is_better').points[12]!.ucl).toBeCloseTo(0.145, 12);
  });

  it('a point above the upper limit is a deteriorating signal when lower is better, improving when higher is better', () => {
    const up = series([...BASE, 20]);
    expect(pchart(up, 'lower_is_better').points[12]).toMatchObject({ rule: 'outside', signal: 'deteriorating', side: 1 });
    expect(pchart(up, 'lower_is_better').summary).toEqual({ status: 'deteriorating', rule: 'outside', period: '2024-01' });
    expect(pchart(up, 'higher_is_better').points[12]).toMatchObject({ rule: 'outside', signal: 'improving' });
    expect(pchart(up, 'neutral').points[12]).toMatchObject({ rule: 'outside', signal: 'higher' });
    // 19 out of 100 is on the limit, not beyond it
    expect(pchart(series([...BASE, 19]), 'lower_is_better').points[12]!.rule).toBe(null);
  });

  it('8 points in a row below the centre line are a shift; 7 are not', () => {
    const eight = pchart(series([...BASE, 8, 8, 8, 8, 8, 8, 8, 8]), 'lower_is_better');
    expect(eight.points.slice(12).map((p) => p.signal)).toEqual(Array(8).fill('improving'));
    expect(eight.points[19]!.rule).toBe('shift');
    expect(eight.summary.status).toBe('improving');
    const seven = pchart(series([...BASE, 8, 8, 8, 8, 8, 8, 8]), 'lower_is_better');
    expect(seven.points.every((p) => p.signal === null)).toBe(true);
    expect(seven.summary.status).toBe('no_signal');
  });

  it('a point on the centre line and a hidden month both break a run', () => {
    const onLine = pchart(series([...BASE, 12, 12, 12, 12, 10, 12, 12, 12, 12]), 'lower_is_better');
    expect(onLine.points.every((p) => p.signal === null)).toBe(true);
    const hidden = pchart(series([...BASE, 12, 12, 12, 12, null, 12, 12, 12, 12]), 'lower_is_better');
    expect(hidden.points.every((p) => p.signal === null)).toBe(true);
    expect(hidden.points[16]!.p).toBe(null);
  });

  it('6 points in a row each higher than the one before are a trend; 5 are not, and an equal value breaks it', () => {
    // The baseline ends on 11, so 11 → 10 is a fall and the rise starts at 10: 10, 12, 13, 14, 15 are five points.
    const five = pchart(series([...BASE, 10, 12, 13, 14, 15]), 'lower_is_better');
    expect(five.points.some((p) => p.rule === 'trend')).toBe(false);
    const trend = pchart(series([...BASE, 10, 12, 13, 14, 15, 16]), 'lower_is_better');
    expect(trend.points.slice(12).map((p) => p.rule)).toEqual(Array(6).fill('trend'));
    expect(trend.summary).toEqual({ status: 'deteriorating', rule: 'trend', period: '2024-06' });
    const flat = pchart(series([...BASE, 10, 12, 13, 13, 14, 15]), 'lower_is_better');
    expect(flat.points.some((p) => p.rule === 'trend')).toBe(false);
  });

  it('a falling trend is improving when lower is better', () => {
    const c = pchart(series([...BASE, 12, 11, 10, 9, 8, 7]), 'lower_is_better');
    expect(c.points.slice(12).map((p) => p.signal)).toEqual(Array(6).fill('improving'));
    expect(c.points.slice(12).map((p) => p.side)).toEqual(Array(6).fill(-1));
  });

  it('outside beats shift beats trend when one point meets several rules', () => {
    const c = pchart(series([...BASE, 11, 12, 13, 14, 15, 16, 17, 25]), 'lower_is_better');
    expect(c.points[19]!.rule).toBe('outside');
    expect(c.points[18]!.rule).toBe('shift');
  });

  it('with fewer than 12 shown months there are no limits and no verdict', () => {
    const c = pchart(series([9, 11, 9, 11, null, 9, 11, 9, 11, 9, 11]), 'lower_is_better');
    expect(c.centre).toBe(null);
    expect(c.summary).toEqual({ status: 'too_few', rule: null, period: '2023-11' });
    expect(c.points.every((p) => p.ucl === null && p.signal === null)).toBe(true);
  });

  it('hidden months are skipped when choosing the baseline', () => {
    const c = pchart(series([null, ...BASE, 10]), 'lower_is_better');
    expect(c.baseline).toEqual({ from: '2023-02', to: '2024-01', count: 12 });
    expect(c.points[0]!.baseline).toBe(true);
  });
});
