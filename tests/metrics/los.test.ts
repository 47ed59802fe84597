import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare, type FixtureRow } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { adm, cells, ndv } from './metric-rows.js';

/** A closed stay of `days` calendar days at H1/MED, discharged on `discharge` (a date). */
function stayOf(id: string, days: number, discharge: string, extra: FixtureRow = {}): FixtureRow {
  const d = new Date(`${discharge}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return adm(id, `los_${id}`, `${d.toISOString().slice(0, 10)} 08:00`, `${discharge} 10:00`, extra);
}

const admissions: FixtureRow[] = [
  // H1/MED: January 1, 1, 10 (median 1); February 2, 9, 9 (median 9); the year: 1 1 2 9 9 10 (median 2)
  stayOf('jan1', 1, '2024-01-10'),
  stayOf('jan2', 1, '2024-01-11'),
  stayOf('jan3', 10, '2024-01-20'),
  stayOf('feb1', 2, '2024-02-10'),
  stayOf('feb2', 9, '2024-02-15'),
  stayOf('feb3', 9, '2024-02-20'),
  // a same-day stay is 1 day; a stay still open at the cutoff has no length yet
  adm('sameday', 'los_same_day', '2024-01-25 08:00', '2024-01-25 18:00', { department_id: 'DAY' }),
  adm('open', 'los_open', '2024-02-25 08:00', null, { department_id: 'DAY' }),
];
// H3/ORTH in March: 30 stays of 1..30 days. Nearest-rank p90 is the 27th value, 27;
// a float rank (0.9 × 30 = 27.000000000000004, rounded up) would give 28.
for (let i = 1; i <= 30; i++) admissions.push(stayOf(`orth${i}`, i, '2024-03-31', { hospital_id: 'H3', department_id: 'ORTH' }));

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
  await prepare(db, { admissions, treatments: [] });
  await computeMetrics(db, { only: ['los_mean', 'los_median', 'los_p90'] });
});
afterAll(() => db.close());

describe('los_median', () => {
  it('computes the year from the stays, not from the month medians', async () => {
    expect(await ndv(db, 'los_median', '2024-01|H1|MED')).toEqual([null, 3, 1]);
    expect(await ndv(db, 'los_median', '2024-02|H1|MED')).toEqual([null, 3, 9]);
    // neither month's median, nor their mean (5)
    expect(await ndv(db, 'los_median', '2024|H1|MED')).toEqual([null, 6, 2]);
  });

  it('takes the lower middle value of an even count', async () => {
    expect(await ndv(db, 'los_median', '2024-03|H3|ORTH')).toEqual([null, 30, 15]);
    // H1 in the year: MED 1 1 2 9 9 10 and DAY 1 → 1 1 1 2 9 9 10, the 4th value
    expect(await ndv(db, 'los_median', '2024|H1|ALL')).toEqual([null, 7, 2]);
  });
});

describe('los_p90', () => {
  it('is the nearest-rank value with the rank in integer arithmetic', async () => {
    expect(await ndv(db, 'los_p90', '2024-03|H3|ORTH')).toEqual([null, 30, 27]);
    // 6 stays: rank ceil(5.4) = 6 → the largest
    expect(await ndv(db, 'los_p90', '2024|H1|MED')).toEqual([null, 6, 10]);
    // all 37 closed stays, rank ceil(33.3) = 34: sorted, four 1s, two 2s, 3..8, three 9s,
    // two 10s, then 11..30 at ranks 18..37, so rank 34 holds 27
    expect(await ndv(db, 'los_p90', '2024|ALL|ALL')).toEqual([null, 37, 27]);
  });
});

describe('los_mean', () => {
  it('reports Σ los_days over closed stays', async () => {
    expect(await ndv(db, 'los_mean', '2024-01|H1|MED')).toEqual([12, 3, 4]);
    expect(await ndv(db, 'los_mean', '2024-01|H1|DAY')).toEqual([1, 1, 1]);
    expect(await ndv(db, 'los_mean', '2024-03|H3|ORTH')).toEqual([465, 30, 15.5]);
    // the open stay is no part of February
    expect(Object.keys(await cells(db, 'los_mean')).filter((k) => k.startsWith('2024-02'))).toEqual([
      '2024-02|ALL|ALL',
      '2024-02|H1|ALL',
      '2024-02|H1|MED',
    ]);
  });
});
