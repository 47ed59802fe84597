/**
 * The dashboards' cost grows with the metric rows, not with the span of their dates
 * (docs/operations.md, "Cost grows with rows, not with dates"), and their default
 * comparison is the two newest years that hold data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthRows, pchartRows } from '../../dashboards/data/datasets.js';
import { pchart, type PChart } from '../../dashboards/data/pchart.js';
import { monthRange, yearPairs, yearsWithData } from '../../dashboards/data/periods.js';
import { RowIndex } from '../../dashboards/data/rows.js';
import { strings } from '../../dashboards/i18n.js';
import type { CatalogEntry, MetricRow } from '../../metrics/types.js';
import type { PublishedRow } from '../../metrics/suppress.js';
import { FIXTURE_CATALOG } from '../dashboards/fixture.js';
import { DEFAULT_DOCS_BASE } from '../../dashboards/build.js';
import { buildSite } from '../../dashboards/site.js';
import { suppress } from '../../metrics/suppress.js';
import { spreadMetricIds } from '../../metrics/registry.js';
import { fixtureRows } from '../dashboards/fixture.js';

const t = strings('en');
const entry = (id: string): CatalogEntry => FIXTURE_CATALOG.find((c) => c.id === id)!;
const READMISSION = entry('readmission_30d');

function row(metric: string, period: string, hospital: string, department: string, numerator: number | null, denominator: number | null): PublishedRow {
  const value = numerator === null || denominator === null ? (numerator ?? null) : numerator / denominator;
  const kind = entry(metric).kind;
  return {
    metric_id: metric,
    view: entry(metric).view,
    period,
    hospital_id: hospital,
    department_id: department,
    numerator,
    denominator: kind === 'count' ? null : denominator,
    value: kind === 'count' ? numerator : value,
    lower: null,
    upper: null,
    suppressed: numerator === null ? 'primary' : null,
  };
}

const month = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;

describe('p-charts and monthly series over a span of 1,100 years', () => {
  it('take milliseconds, not a walk over every month from 1900 to 2999 per unit', () => {
    const rows: PublishedRow[] = [];
    const units = Array.from({ length: 40 }, (_, k) => ({ id: `H${k}`, label: `H${k}`, hospital: `H${k}`, department: 'ALL' }));
    for (const u of units) {
      for (const y of [1900, 2999]) {
        for (let m = 1; m <= 12; m++) rows.push(row('readmission_30d', month(y, m), u.hospital, 'ALL', (m * 7 + y) % 9, 40));
      }
    }
    const index = new RowIndex(rows);
    const t0 = performance.now();
    const set = pchartRows(index, [READMISSION], units, t);
    const series = monthRows(index, [READMISSION], units);
    const ms = performance.now() - t0;
    // ~10 s when every unit's series ran over all 13,200 months (and looked each point up in it).
    expect(ms).toBeLessThan(2000);
    expect(set.points).toHaveLength(40 * 24);
    expect(series).toHaveLength(40 * 24);
    // The 24 months make a baseline of the first 12; the gap of 1,088 years breaks every run.
    const h0 = set.charts.get('readmission_30d')!.get('H0')!;
    expect(h0.baseline).toEqual({ from: '1900-01', to: '1900-12', count: 12 });
  });

  it('give exactly the charts of a series over every calendar month', () => {
    // Months 2019-01 … 2024-12 present or not, shown or hidden, at random.
    const cell = fc.option(fc.record({ n: fc.integer({ min: 0, max: 12 }), d: fc.integer({ min: 12, max: 20 }), hidden: fc.boolean() }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 72, maxLength: 72 }), { minLength: 1, maxLength: 3 }), (perUnit) => {
        const rows: PublishedRow[] = [];
        const units = perUnit.map((_, k) => ({ id: `H${k}`, label: `H${k}`, hospital: `H${k}`, department: 'ALL' }));
        perUnit.forEach((cells, k) =>
          cells.forEach((c, i) => {
            if (c) rows.push(row('readmission_30d', month(2019 + Math.floor(i / 12), (i % 12) + 1), `H${k}`, 'ALL', c.hidden ? null : c.n, c.hidden ? null : c.d));
          }),
        );
        const index = new RowIndex(rows);
        const got = pchartRows(index, [READMISSION], units, t).charts.get('readmission_30d')!;
        const calendar = monthRange(index.periods);
        for (const u of units) {
          const full = calendar.map((period) => {
            const r = index.get('readmission_30d', period, u.hospital, u.department);
            return { period, numerator: r?.numerator ?? null, denominator: r?.denominator ?? null };
          });
          const withRow = (c: PChart) => c.points.filter((p) => index.get('readmission_30d', p.period, u.hospital, u.department) !== undefined);
          const mine = got.get(u.id);
          if (perUnit[Number(u.id.slice(1))]!.every((c) => c === undefined)) {
            expect(mine).toBeUndefined();
            continue;
          }
          const expected = pchart(full, READMISSION.direction);
          expect(mine!.summary).toEqual(expected.summary);
          expect(mine!.baseline).toEqual(expected.baseline);
          expect(mine!.centre).toEqual(expected.centre);
          expect(withRow(mine!)).toEqual(withRow(expected));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the default comparison', () => {
  it('is the two newest years that hold data, not the years a long stay fills with bed days', () => {
    const rows: PublishedRow[] = [];
    for (let y = 1900; y <= 2999; y++) rows.push(row('bed_days', String(y), 'ALL', 'ALL', 365, null));
    for (const y of ['2023', '2024']) rows.push(row('admissions', y, 'ALL', 'ALL', 100, null));
    rows.push(row('treatments', '2999', 'ALL', 'ALL', 1, null));
    const years = yearsWithData(rows, spreadMetricIds());
    expect(years).toEqual(['2023', '2024', '2999']);
    // The cutoff is the event in 2999: 2998 is its last complete year, but holds no data.
    const { pairs, latest } = yearPairs(years, '2999-12-30 10:00:00');
    expect(pairs).toEqual([{ year: '2024', previous: '2023', partial: false }]);
    expect(latest).toEqual({ year: '2024', previous: '2023', partial: false });
  });

  it('on the site: the overview compares 2024 with 2023 although bed days run to a cutoff in 2999', () => {
    const rows: MetricRow[] = fixtureRows();
    for (let y = 2025; y <= 2999; y++) rows.push(row('bed_days', String(y), 'ALL', 'ALL', 365, null));
    const [overview] = buildSite(suppress(rows, FIXTURE_CATALOG, 5), {
      catalog: FIXTURE_CATALOG,
      locale: 'en',
      minCell: 5,
      runDate: '2026-01-01',
      cutoff: '2999-12-30 10:00:00',
      docsBase: DEFAULT_DOCS_BASE,
    });
    expect(overview!.html).toMatch(/<h1>Activity and outcomes: 2024 compared with 2023<\/h1>/);
  });
});
