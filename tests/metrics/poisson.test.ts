import { describe, expect, it } from 'vitest';
import { gammaQuantile, lnGamma, poissonExactLimits, regularisedGamma } from '../../metrics/poisson.js';

// Reference values computed with mpmath at 40 digits (findroot on gammainc(regularized=True)),
// agreeing with scipy.stats.chi2.ppf to the last printed digit.
const REFERENCE: [number, number, number][] = [
  [0, 0, 3.6888794541139363],
  [1, 0.025317807984289875, 5.5716433909388986],
  [2, 0.24220927854396490, 7.2246876677239608],
  [3, 0.61867212289560129, 8.7672730697423260],
  [5, 1.6234863901184205, 11.668332079322670],
  [10, 4.7953886961324336, 18.390356042017779],
  [20, 12.216519585403944, 30.888377902674599],
  [50, 37.110963737461863, 65.918766664336817],
  [100, 81.363991250923140, 121.62679379242639],
  [1000, 938.97301840769522, 1063.9521360163020],
  [100000, 99381.152663744731, 100621.74473974388],
];

describe('poissonExactLimits', () => {
  it.each(REFERENCE)('O = %i matches the reference to 1e-10 relative', (o, lower, upper) => {
    const r = poissonExactLimits(o);
    expect(Math.abs(r.lower - lower)).toBeLessThanOrEqual(1e-10 * Math.max(1, lower));
    expect(Math.abs(r.upper - upper)).toBeLessThanOrEqual(1e-10 * upper);
  });

  it('has closed forms for O = 0 and O = 1: upper(0) = -ln 0.025, lower(1) = -ln 0.975', () => {
    expect(poissonExactLimits(0)).toEqual({ lower: 0, upper: expect.closeTo(-Math.log(0.025), 14) });
    expect(poissonExactLimits(1).lower).toBeCloseTo(-Math.log(0.975), 15);
    // upper(1) solves e^-x (1 + x) = 0.025
    const u = poissonExactLimits(1).upper;
    expect(Math.exp(-u) * (1 + u)).toBeCloseTo(0.025, 15);
  });

  it('is monotone in O and brackets O', () => {
    let prev = poissonExactLimits(0);
    for (let o = 1; o <= 300; o++) {
      const r = poissonExactLimits(o);
      expect(r.lower).toBeGreaterThan(prev.lower);
      expect(r.upper).toBeGreaterThan(prev.upper);
      expect(r.lower).toBeLessThan(o);
      expect(r.upper).toBeGreaterThan(o);
      prev = r;
    }
  });

  it('handles very large counts', () => {
    const r = poissonExactLimits(10_000_000);
    // normal approximation: O ± 1.96 √O, good to well under 1 at this size
    expect(r.lower).toBeCloseTo(10_000_000 - 1.959964 * Math.sqrt(10_000_000), -1);
    expect(r.upper).toBeCloseTo(10_000_000 + 1.959964 * Math.sqrt(10_000_000), -1);
  });

  it('rejects a count that is not a non-negative integer', () => {
    expect(() => poissonExactLimits(-1)).toThrow(RangeError);
    expect(() => poissonExactLimits(1.5)).toThrow(RangeError);
  });
});

describe('incomplete gamma building blocks', () => {
  it('lnGamma of integers is ln((n-1)!)', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(11)).toBeCloseTo(Math.log(3628800), 12);
  });

  it('P(1, x) = 1 - e^-x and P + Q = 1 on both branches', () => {
    for (const x of [0.01, 0.5, 2, 10]) {
      const r = regularisedGamma(1, x);
      expect(r.p).toBeCloseTo(1 - Math.exp(-x), 14);
      expect(r.p + r.q).toBeCloseTo(1, 14);
    }
  });

  it('gammaQuantile inverts P', () => {
    for (const [a, p] of [[0.5, 0.3], [3, 0.975], [40, 0.025], [7.5, 0.5]] as const) {
      expect(regularisedGamma(a, gammaQuantile(a, p)).p).toBeCloseTo(p, 13);
    }
  });
});
