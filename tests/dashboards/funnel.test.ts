import { describe, expect, it } from 'vitest';
import { funnel, limitsAt } from '../../dashboards/data/funnel.js';

describe('funnel limits', () => {
  it('are p ± z·sqrt(p(1−p)/n) at 95% and 99.8%', () => {
    // p = 0.1, n = 100: sd = 0.03
    const l = limitsAt(0.1, 100);
    expect(l.lo95).toBeCloseTo(0.1 - 1.959964 * 0.03, 12);
    expect(l.hi95).toBeCloseTo(0.1 + 1.959964 * 0.03, 12);
    expect(l.lo998).toBeCloseTo(0.1 - 3.090232 * 0.03, 12);
    expect(l.hi998).toBeCloseTo(0.1 + 3.090232 * 0.03, 12);
  });

  it('are clipped to [0, 1]', () => {
    const l = limitsAt(0.01, 10);
    expect(l.lo95).toBe(0);
    expect(l.lo998).toBe(0);
    expect(limitsAt(0.99, 10).hi998).toBe(1);
  });

  it('place each unit inside, beyond 95% or beyond 99.8%, read with the direction', () => {
    const units = [
      { unit: 'inside', numerator: 15, denominator: 100 }, // 0.15 < 0.1588
      { unit: 'beyond95', numerator: 16, denominator: 100 }, // 0.1588 < 0.16 < 0.1927
      { unit: 'beyond998', numerator: 20, denominator: 100 }, // 0.20 > 0.1927
      { unit: 'low', numerator: 0, denominator: 100 }, // 0 < 0.0073
      { unit: 'empty', numerator: 0, denominator: 0 },
    ];
    const f = funnel(units, 0.1, 'lower_is_better');
    expect(f.points.map((p) => [p.unit, p.band, p.side])).toEqual([
      ['inside', 'within', null],
      ['beyond95', 'beyond95', 'worse'],
      ['beyond998', 'beyond998', 'worse'],
      ['low', 'beyond998', 'better'],
    ]);
    expect(funnel(units, 0.1, 'higher_is_better').points[2]!.side).toBe('better');
    expect(funnel(units, 0.1, 'neutral').points[2]!.side).toBe('higher');
  });

  it('samples the curves from half the smallest to 1.1 × the largest volume, evenly on a log scale', () => {
    const f = funnel([{ unit: 'a', numerator: 5, denominator: 50 }, { unit: 'b', numerator: 40, denominator: 400 }], 0.1, 'lower_is_better', 5);
    // 25 … 440, each step × (440 / 25)^(1/4) = 2.0482
    expect(f.limits.map((l) => Math.round(l.n * 1000) / 1000)).toEqual([25, 51.206, 104.881, 214.82, 440]);
    expect(f.centre).toBe(0.1);
  });
});
