/**
 * Property test of suppression: for random metric tables of every kind (additive or
 * not), no published count or rate complement lies in 1..k-1, no total with parts has
 * exactly one hidden cell among itself and its parts (so no published hospital total
 * has exactly one hidden department), no published share shows the value of a hidden
 * cell of its denominator metric, hidden rows are empty, shown rows untouched (their
 * people never published), and every primary or complement flag is justified.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellPeople, MetricRow } from '../../metrics/types.js';
import { suppress, type PublishedRow } from '../../metrics/suppress.js';
import { CATALOG, row } from './catalog.js';

const HOSPITALS = ['H1', 'H2', 'h1', 'Nord/Syd', 'Øst'];
const DEPARTMENTS = ['A', 'B', 'b', 'C', '=X'];

interface Shape {
  periods: string[];
  hospitals: { id: string; depts: string[] }[];
  additive: boolean;
  numbers: number[];
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  periods: fc.subarray(['2024', '2024-01', '2024-02'], { minLength: 1 }),
  hospitals: fc.uniqueArray(
    fc.record({ id: fc.constantFrom(...HOSPITALS), depts: fc.subarray(DEPARTMENTS) }),
    { minLength: 1, maxLength: 4, selector: (h) => h.id },
  ),
  additive: fc.boolean(),
  numbers: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 64, maxLength: 64 }),
});

type Cell = { n: number | null; d: number | null; v: number | null; people?: CellPeople };
const addPeople = (a?: CellPeople, b?: CellPeople): CellPeople | undefined =>
  a && b ? { numerator: a.numerator + b.numerator, denominator: a.denominator + b.denominator, complement: a.complement + b.complement } : a;
const add = (a: Cell, b: Cell): Cell => ({
  n: a.n === null ? null : a.n + (b.n ?? 0),
  d: a.d === null ? null : a.d + (b.d ?? 0),
  v: null,
  ...(a.people ? { people: addPeople(a.people, b.people)! } : {}),
});

/** Build a table of every catalog metric over the shape; numbers are drawn in turn from shape.numbers. */
function table(s: Shape): MetricRow[] {
  let i = 0;
  const next = () => s.numbers[i++ % s.numbers.length]! + ((i / s.numbers.length) | 0);
  const leaf: Record<string, () => Cell> = {
    count: () => ({ n: next(), d: null, v: null }),
    sum: () => ({ n: next() * 1.25, d: null, v: null }),
    rate: () => {
      const d = 1 + next();
      return { n: Math.min(d, next()), d, v: null };
    },
    mean: () => ({ n: next() * 3, d: 1 + next(), v: null }),
    quantile: () => ({ n: null, d: 1 + next(), v: next() }),
    ratio: () => {
      const d = 1 + next();
      return { n: d + next(), d, v: null };
    },
    // People in and outside the numerator (a patient may be both), weights of 0.75 a person.
    share: () => {
      const numerator = next();
      const complement = next();
      const denominator = Math.max(1, numerator + complement - (next() % 3));
      return { n: numerator * 0.75, d: (numerator + complement) * 0.75 + 0.5, v: null, people: { numerator, denominator, complement } };
    },
  };
  const rows: MetricRow[] = [];
  const rateCells = new Map<string, Cell>();
  const emit = (metric: string, period: string, h: string, dpt: string, c: Cell) => {
    const r = row(metric, period, h, dpt, c.n, c.d, c.v ?? (c.n !== null && c.d ? c.n / c.d : c.n));
    rows.push(c.people ? { ...r, people: c.people } : r);
    if (metric === 'readmission_30d') rateCells.set(`${period} ${h} ${dpt}`, c);
  };
  for (const entry of CATALOG.filter((c) => c.kind !== 'oe')) {
    const make = leaf[entry.kind]!;
    for (const period of s.periods) {
      let grand: Cell | undefined;
      for (const h of s.hospitals) {
        let total: Cell | undefined;
        for (const dpt of entry.level === 'department' ? h.depts : []) {
          const c = make();
          emit(entry.id, period, h.id, dpt, c);
          total = total ? add(total, c) : { ...c };
        }
        if (!total || !s.additive) total = make();
        emit(entry.id, period, h.id, 'ALL', total);
        grand = grand ? add(grand, total) : { ...total };
      }
      emit(entry.id, period, 'ALL', 'ALL', s.additive && grand ? grand : make());
    }
  }
  // O/E rows share their observed count with the plain rate of the same cell.
  for (const [key, c] of rateCells) {
    const [period, h, dpt] = key.split(' ') as [string, string, string];
    rows.push(row('readmission_30d_oe', period, h, dpt, c.n, (c.d ?? 0) * 0.2 + 0.5, null, 0.5, 1.5));
  }
  return rows;
}

const small = (c: number | null, k: number) => c !== null && c >= 1 && c < k;
const cellKey = (r: MetricRow) => `${r.period} ${r.hospital_id} ${r.department_id}`;

/** The counts of a row that the threshold applies to (docs of metrics/suppress.ts), and its rate complement. */
function checkedCounts(r: MetricRow, byCell: Map<string, MetricRow>): { counts: (number | null)[]; complement: number | null } {
  const kind = CATALOG.find((c) => c.id === r.metric_id)!.kind;
  switch (kind) {
    case 'count':
      return { counts: [r.numerator], complement: null };
    case 'sum':
      return { counts: [byCell.get(`admissions ${cellKey(r)}`)?.numerator ?? null], complement: null };
    case 'rate':
      return { counts: [r.numerator, r.denominator], complement: r.denominator! - r.numerator! };
    case 'mean':
    case 'quantile':
      return { counts: [r.denominator], complement: null };
    case 'ratio':
      return { counts: [r.numerator, r.denominator], complement: null };
    case 'share':
      return { counts: [r.people?.numerator ?? null, r.people?.denominator ?? null], complement: r.people?.complement ?? null };
    case 'oe': {
      const base = byCell.get(`readmission_30d ${cellKey(r)}`)!;
      return { counts: [r.numerator, base.numerator, base.denominator], complement: base.denominator! - base.numerator! };
    }
  }
}

function checkInvariants(input: MetricRow[], out: PublishedRow[], k: number): void {
  expect(out).toHaveLength(input.length);
  const byCell = new Map(input.map((r) => [`${r.metric_id} ${cellKey(r)}`, r]));
  const groups = new Map<string, { total?: PublishedRow; parts: PublishedRow[] }>();
  const group = (key: string) => groups.get(key) ?? groups.set(key, { parts: [] }).get(key)!;
  out.forEach((r, i) => {
    const original = input[i]!;
    const { counts, complement } = checkedCounts(original, byCell);
    const primary = counts.some((c) => c === null || small(c, k));
    const comp = small(complement, k);
    if (r.suppressed === null) {
      const { people: _people, ...numbers } = original;
      expect(r).toEqual({ ...numbers, suppressed: null });
      expect(primary || comp, `published ${JSON.stringify(r)} has a count or complement in 1..${k - 1}`).toBe(false);
    } else {
      expect([r.numerator, r.denominator, r.value, r.lower, r.upper]).toEqual([null, null, null, null, null]);
      if (r.suppressed === 'primary') expect(primary).toBe(true);
      if (r.suppressed === 'complement') expect(comp).toBe(true);
    }
    const den = CATALOG.find((c) => c.id === r.metric_id)!.denominatorMetric;
    if (den && r.suppressed === null) {
      const j = input.findIndex((x) => x.metric_id === den && cellKey(x) === cellKey(r));
      expect(j >= 0 && out[j]!.suppressed === null, `published ${JSON.stringify(r)} shows the value of a hidden ${den} cell`).toBe(true);
    }
    const mp = `${r.metric_id} ${r.period}`;
    if (r.hospital_id === 'ALL') group(mp).total = r;
    else if (r.department_id === 'ALL') {
      group(`${mp} ${r.hospital_id}`).total = r;
      group(mp).parts.push(r);
    } else group(`${mp} ${r.hospital_id}`).parts.push(r);
  });
  for (const [key, g] of groups) {
    if (!g.total || g.parts.length === 0) continue;
    const hidden = [g.total, ...g.parts].filter((r) => r.suppressed !== null).length;
    expect(hidden, `${key}: exactly one hidden cell among a total and its parts`).not.toBe(1);
  }
}

describe('suppress (property)', () => {
  it('never publishes a small count or complement, nor a lone hidden cell under a total', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 2, max: 12 }), (shape, k) => {
        const input = table(shape);
        checkInvariants(input, suppress(input, CATALOG, k), k);
      }),
      { numRuns: 200 },
    );
  });

  it('hides nothing when no count is small', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const input = table({ ...shape, numbers: shape.numbers.map((n) => n + 40) });
        // Complements of rates can still be small; take rates out of this check.
        const rows = input.filter((r) => !r.metric_id.startsWith('readmission_30d'));
        expect(suppress(rows, CATALOG, 5).every((r) => r.suppressed === null)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
