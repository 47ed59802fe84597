/**
 * Exact (Garwood) 95% confidence limits of a Poisson count, for observed/expected
 * ratios (docs/reference/metrics.md#readmission-oe). With chi-square quantiles:
 *   lower = χ²(0.025; 2O) / 2   (0 when O = 0),  upper = χ²(0.975; 2O + 2) / 2.
 * χ²(p; 2a)/2 is the p-quantile of a Gamma(a, 1) variable, so both limits are
 * inverses of the regularised incomplete gamma function, computed here to about
 * 1e-14 relative: no statistics package is a dependency of this project.
 */

const ALPHA = 0.05;

/**
 * Exact 95% Poisson limits of an observed count (a non-negative integer).
 * Divide both by E to get the limits of an O/E ratio.
 */
export function poissonExactLimits(observed: number): { lower: number; upper: number } {
  if (!Number.isInteger(observed) || observed < 0) {
    throw new RangeError(`poissonExactLimits: observed must be a non-negative integer, got ${observed}`);
  }
  const lower = observed === 0 ? 0 : gammaQuantile(observed, ALPHA / 2);
  const upper = gammaQuantile(observed + 1, 1 - ALPHA / 2);
  return { lower, upper };
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(a) for a > 0 (Lanczos, relative error ~1e-15). */
export function lnGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - lnGamma(1 - a);
  const x = a - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i]! / (x + i);
  const t = x + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** log of x^a e^-x / Γ(a): the common factor of P and Q, and x times the density. */
function lnPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - lnGamma(a);
}

/**
 * Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), each
 * computed directly (series below a + 1, Lentz continued fraction above), so the
 * smaller of the two keeps full relative precision.
 */
export function regularisedGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  const pre = lnPrefactor(a, x);
  // Enough terms for the slow region x ≈ a, where terms shrink like exp(-n²/2a).
  const maxIter = 200 + Math.ceil(20 * Math.sqrt(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < maxIter; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    const p = Math.exp(pre) * sum;
    return { p, q: 1 - p };
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < maxIter; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  const q = Math.exp(pre) * h;
  return { p: 1 - q, q };
}

/**
 * The p-quantile of Gamma(a, 1): x with P(a, x) = p. Newton steps from the
 * Wilson–Hilferty start, kept inside a shrinking bracket (bisection when a step
 * leaves it). The equation is solved on the smaller tail for precision near 1.
 */
export function gammaQuantile(a: number, p: number): number {
  if (!(a > 0) || !(p > 0 && p < 1)) throw new RangeError(`gammaQuantile: need a > 0 and 0 < p < 1 (a=${a}, p=${p})`);
  const upperTail = p > 0.5;
  const target = upperTail ? 1 - p : p;
  // f(x) > 0 when x is above the quantile.
  const f = (x: number): number => {
    const r = regularisedGamma(a, x);
    return upperTail ? target - r.q : r.p - target;
  };
  let lo = 0;
  let hi = Math.max(1, a);
  while (f(hi) < 0) {
    lo = hi;
    hi *= 2;
  }
  let x = wilsonHilferty(a, p);
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx > 0) hi = x;
    else lo = x;
    const density = Math.exp(lnPrefactor(a, x)) / x;
    let next = x - fx / density;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, x) || hi - lo <= 1e-15 * Math.max(1, x)) return next;
    x = next;
  }
  return x;
}

/** Wilson–Hilferty approximation of the Gamma(a, 1) p-quantile (a first guess). */
function wilsonHilferty(a: number, p: number): number {
  const z = normalQuantile(p);
  const c = 1 / (9 * a);
  const w = 1 - c + z * Math.sqrt(c);
  return a * w * w * w;
}

/** Standard normal quantile (Acklam's rational approximation, ~1e-9; only a start value). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
