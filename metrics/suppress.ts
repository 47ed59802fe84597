/**
 * Small-cell suppression of published metric rows (docs/reference/metrics.md#suppression).
 *
 * Which numbers of a row are counts of records, and so subject to the threshold k,
 * depends on the metric's kind:
 *
 * | kind      | counts checked (hidden when 1 ≤ c < k)                          | size used to pick secondary cells |
 * |-----------|-----------------------------------------------------------------|-----------------------------------|
 * | count     | the count (numerator, else value)                               | the count |
 * | sum       | the records summed: the row's denominator when the metric fills it, else the `admissions` count of the same cell (see below) | that count |
 * | rate      | numerator, denominator → `primary`; denominator − numerator → `complement` | denominator |
 * | mean      | denominator (the records averaged; the numerator is a sum of days, not of records) | denominator |
 * | quantile  | denominator                                                     | denominator |
 * | ratio     | numerator and denominator (both count records: trips, patients, treatments); a ratio whose unit is a share (`share of …`, e.g. avoidable trips out of all trips) is a rate of records and is checked as one, complement included | denominator |
 * | oe        | the observed count O (numerator); and when the metric `<id>` without the `_oe` suffix is among the rows, that rate's cell is checked too (O is its numerator, its denominator counts the index stays), so the O/E row is hidden whenever the plain rate is | the base rate's denominator, else O |
 * | share     | the people behind the row (`MetricRow.people`): those in the numerator, in the denominator → `primary`; those outside the numerator → `complement`. No people → hidden | people in the denominator |
 *
 * A share's numerator and denominator are sums of weights (DRG weights), not counts: a
 * sum over few people tells what those people were paid for, so the threshold applies to
 * the distinct patients behind each sum. Patients, not contacts: a transfer chain of three
 * contacts is one person. The complement rule hides a cell where nearly everyone's weight
 * is in the numerator, as for a rate.
 *
 * A metric whose catalog entry names a `denominatorMetric` (the DRG share divides by
 * `drg_value`) publishes that metric's value as its denominator, so its cell is hidden
 * (`secondary`) whenever the other metric's cell is hidden, for any reason; a cell whose
 * linked cell is missing from the rows is hidden (`primary`), as we cannot tell.
 *
 * Sums (DRG production value) carry no count of their own. A DRG weight sum over one
 * or two admissions tells which groups they fell into, so a sum is hidden with the
 * count of the records behind it. Until the metric reports that count in its
 * denominator, the `admissions` row of the same cell stands in for it: same
 * hospital, department and period, though attributed by admission rather than by
 * discharge month, so it approximates the discharged admissions summed. A sum whose
 * cell has no such count is hidden (we cannot tell how many records it speaks for).
 * A row whose checked count is missing is hidden for the same reason.
 *
 * Secondary suppression, per metric and period. A total and the rows under it form
 * one equation (total = sum of its parts, for the counts behind every kind), so a
 * single hidden cell in it can be recovered by subtraction. In every such group, the
 * hidden cells must therefore number 0 or at least 2:
 * - department level (docs/reference/metrics.md#suppression): when exactly one department row under a
 *   published hospital total is hidden, the published department row of that
 *   hospital with the smallest size (ties by department id as text) is hidden too;
 *   if there is none, the hospital total is hidden instead;
 * - hospital level, the same rule one level up: when exactly one hospital total
 *   (department `ALL`) under the published overall total (`ALL`, `ALL`) is hidden,
 *   the next smallest hospital total is hidden (or the overall total if none);
 * - a hidden total whose parts are all published is recoverable by adding them up,
 *   so the smallest of them is hidden too. This happens to a hospital total hidden
 *   by the rule above: without it, hiding that total would protect nothing.
 * The rules are applied until nothing changes. Groups without parts (metrics of
 * hospital level at the department level) are no equation and are left alone.
 *
 * Not covered (documented in docs/exports.md): differencing across time (a year row
 * minus its published months), across metrics that share records, and a pair of
 * hidden cells whose sum is itself below k.
 */
import { isShareRatio } from './catalog.js';
import type { CatalogEntry, MetricKind, MetricRow } from './types.js';

export type SuppressionReason = 'primary' | 'complement' | 'secondary';
export type PublishedRow = MetricRow & { suppressed: SuppressionReason | null };

/** The rolled-up hospital or department id. */
export const ALL = 'ALL';
/** Metric whose cell count stands in for the record count of a `sum` metric. */
export const SUM_COUNT_METRIC = 'admissions';

const SEP = '\u0000';
const cellKey = (metric: string, r: MetricRow): string =>
  metric + SEP + r.period + SEP + r.hospital_id + SEP + r.department_id;

/** Is a count small enough to hide? Zero is shown. */
const small = (c: number, k: number): boolean => c > 0 && c < k;

interface Verdict {
  reason: 'primary' | 'complement' | null;
  /** Size used to choose secondary cells; null when unknown. */
  size: number | null;
}

function rateVerdict(n: number | null, d: number | null, k: number): Verdict {
  if (n === null || d === null) return { reason: 'primary', size: d };
  if (small(n, k) || small(d, k)) return { reason: 'primary', size: d };
  if (small(d - n, k)) return { reason: 'complement', size: d };
  return { reason: null, size: d };
}

function countVerdict(c: number | null, k: number): Verdict {
  if (c === null) return { reason: 'primary', size: null };
  return { reason: small(c, k) ? 'primary' : null, size: c };
}

/** The id of the plain rate an O/E metric standardises (`readmission_30d_oe` → `readmission_30d`). */
export function oeBaseMetric(id: string): string | null {
  return id.endsWith('_oe') ? id.slice(0, -3) : null;
}

function verdictOf(kind: MetricKind, r: MetricRow, k: number, cell: (metric: string) => MetricRow | undefined): Verdict {
  switch (kind) {
    case 'count':
      return countVerdict(r.numerator ?? r.value, k);
    case 'sum': {
      if (r.denominator !== null) return countVerdict(r.denominator, k);
      const proxy = cell(SUM_COUNT_METRIC);
      return countVerdict(proxy ? (proxy.numerator ?? proxy.value) : null, k);
    }
    case 'rate':
      return rateVerdict(r.numerator, r.denominator, k);
    case 'mean':
    case 'quantile':
      return countVerdict(r.denominator, k);
    case 'ratio': {
      const v = countVerdict(r.denominator, k);
      if (v.reason === null && r.numerator !== null && small(r.numerator, k)) return { reason: 'primary', size: v.size };
      return v;
    }
    case 'share': {
      const p = r.people;
      if (!p) return { reason: 'primary', size: null };
      if (small(p.numerator, k) || small(p.denominator, k)) return { reason: 'primary', size: p.denominator };
      return { reason: small(p.complement, k) ? 'complement' : null, size: p.denominator };
    }
    case 'oe': {
      const base = oeBaseMetric(r.metric_id);
      const b = base === null ? undefined : cell(base);
      const own = r.numerator === null ? null : small(r.numerator, k) ? 'primary' : null;
      if (b) {
        const bv = rateVerdict(b.numerator, b.denominator, k);
        return { reason: own ?? bv.reason, size: b.denominator ?? r.numerator };
      }
      return { reason: r.numerator === null ? 'primary' : own, size: r.numerator };
    }
  }
}

/**
 * Order of code points, which is the byte order of UTF-8 that DuckDB sorts text in.
 * UTF-16 units agree with it except that surrogates (U+D800–DFFF, used above U+FFFF)
 * must sort after U+E000–FFFF; shifting both ranges fixes that without encoding.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    x = x >= 0xe000 ? x - 0x800 : x >= 0xd800 ? x + 0x2000 : x;
    y = y >= 0xe000 ? y - 0x800 : y >= 0xd800 ? y + 0x2000 : y;
    return x - y;
  }
  return a.length - b.length;
}

interface Group {
  total: number | undefined;
  children: number[];
  /** Id of each child that breaks ties (department, or hospital one level up). */
  childId: (i: number) => string;
  /** A group of a metric with a `denominatorMetric`: looked at once that metric's cells are settled. */
  deferred: boolean;
}

/**
 * Suppress small cells of metric rows for publication (docs/reference/metrics.md#suppression; rules per kind
 * in this module's header). Returns one row per input row, in input order, with the
 * MetricRow columns and `suppressed` (other properties are not copied); a hidden
 * row has numerator, denominator, value, lower and upper all null and `suppressed`
 * set to the reason.
 *
 * Pass every row the published output is made from, all grains and all metrics:
 * secondary suppression looks across departments and hospitals, a `sum` metric needs
 * the `admissions` rows of the same cells, an `oe` metric its plain rate, and a metric
 * with a `denominatorMetric` that metric's rows (and theirs); `share` rows carry their
 * `people` (see `readMetricRows` in metrics/people.ts). A
 * metric without a catalog entry is an error (its kind decides what is a count).
 *
 * @param k threshold: a count c with 1 ≤ c < k is hidden (config `min_cell`).
 */
export function suppress(rows: MetricRow[], catalog: CatalogEntry[], k: number): PublishedRow[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`suppression threshold must be an integer ≥ 1, got ${k}`);
  // A ratio that is a share of its denominator (unit "share of …") hides like a rate.
  const kinds = new Map(catalog.map((c) => [c.id, isShareRatio(c) ? ('rate' as const) : c.kind]));
  const byCell = new Map<string, MetricRow>();
  for (const r of rows) byCell.set(cellKey(r.metric_id, r), r);

  const reason: (SuppressionReason | null)[] = new Array<SuppressionReason | null>(rows.length).fill(null);
  const size: (number | null)[] = new Array<number | null>(rows.length).fill(null);
  const denominatorOf = new Map(catalog.filter((c) => c.denominatorMetric).map((c) => [c.id, c.denominatorMetric!]));
  const indexOf = new Map<string, number>();
  rows.forEach((r, i) => indexOf.set(cellKey(r.metric_id, r), i));
  // Rows whose denominator is the value of row i: hidden with it.
  const dependents = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const kind = kinds.get(r.metric_id);
    if (kind === undefined) throw new Error(`metric ${r.metric_id} has no catalog entry, so its kind is unknown`);
    const v = verdictOf(kind, r, k, (metric) => byCell.get(cellKey(metric, r)));
    reason[i] = v.reason;
    size[i] = v.size;
    const den = denominatorOf.get(r.metric_id);
    if (den === undefined) return;
    const j = indexOf.get(cellKey(den, r));
    if (j === undefined) reason[i] ??= 'primary';
    else dependents.set(j, [...(dependents.get(j) ?? []), i]);
  });

  const groups = new Map<string, Group>();
  const group = (key: string, childId: (i: number) => string, metric: string): Group => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { total: undefined, children: [], childId, deferred: denominatorOf.has(metric) }));
    return g;
  };
  // The groups each row belongs to (as a part of one, as the total of another).
  const memberOf: Group[][] = rows.map(() => []);
  const deptId = (i: number) => rows[i]!.department_id;
  const hospId = (i: number) => rows[i]!.hospital_id;
  rows.forEach((r, i) => {
    const upper = 'H' + SEP + r.metric_id + SEP + r.period;
    if (r.hospital_id === ALL) {
      if (r.department_id === ALL) memberOf[i]!.push(Object.assign(group(upper, hospId, r.metric_id), { total: i }));
      return;
    }
    const lower = group('D' + SEP + r.metric_id + SEP + r.period + SEP + r.hospital_id, deptId, r.metric_id);
    if (r.department_id === ALL) {
      lower.total = i;
      const up = group(upper, hospId, r.metric_id);
      up.children.push(i);
      memberOf[i]!.push(lower, up);
    } else {
      lower.children.push(i);
      memberOf[i]!.push(lower);
    }
  });

  const smallest = (g: Group): number | undefined => {
    let best: number | undefined;
    for (const i of g.children) {
      if (reason[i] !== null) continue;
      if (best === undefined) {
        best = i;
        continue;
      }
      const a = size[i] ?? Infinity;
      const b = size[best] ?? Infinity;
      if (a < b || (a === b && compareText(g.childId(i), g.childId(best)) < 0)) best = i;
    }
    return best;
  };

  // A worklist of groups to look at: hiding a cell revisits only the groups it is in.
  // Every step hides one more cell, so the loop ends. Groups of metrics that are hidden
  // with their denominator metric wait until those cells are settled: otherwise a lone
  // hidden cell would pull in a second one that the denominator metric hides anyway.
  let work: Group[] = [];
  const later: Group[] = [];
  let settled = false;
  const visit = (gs: Group[]) => {
    for (const g of gs) (g.deferred && !settled ? later : work).push(g);
  };
  const hide = (cell: number): void => {
    reason[cell] = 'secondary';
    visit(memberOf[cell]!);
    for (const d of dependents.get(cell) ?? []) if (reason[d] === null) hide(d);
  };
  const settle = () => {
    while (work.length > 0) {
      const g = work.pop()!;
      if (g.total === undefined || g.children.length === 0) continue;
      let hidden = reason[g.total] === null ? 0 : 1;
      for (const i of g.children) if (reason[i] !== null) hidden += 1;
      if (hidden !== 1) continue;
      // With the total hidden alone every part is published, so a part is found.
      hide(smallest(g) ?? g.total);
    }
  };
  visit([...groups.values()]);
  for (const [cell, ds] of dependents) {
    if (reason[cell] !== null) for (const d of ds) if (reason[d] === null) hide(d);
  }
  settle();
  settled = true;
  work = later;
  settle();

  // Object literals of one shape: spreading 10^5 rows costs several times more.
  return rows.map((r, i) => {
    const s = reason[i] ?? null;
    const hide = s !== null;
    return {
      metric_id: r.metric_id,
      view: r.view,
      period: r.period,
      hospital_id: r.hospital_id,
      department_id: r.department_id,
      numerator: hide ? null : r.numerator,
      denominator: hide ? null : r.denominator,
      value: hide ? null : r.value,
      lower: hide ? null : r.lower,
      upper: hide ? null : r.upper,
      suppressed: s,
    };
  });
}
