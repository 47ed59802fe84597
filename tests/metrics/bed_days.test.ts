/**
 * bed_days counted as intervals (one fact row per run of a contact's nights within a month):
 * hand-computed nights across month and year ends, a leap day, both DST changes, overlapping
 * contacts and an open stay, and the `records` column that lets a count row stand for several.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepare } from '../../fixtures/rows.js';
import { aggregateSql, EXCLUSIONS_DDL, exclusionsSql, METRICS_DDL } from '../../metrics/aggregate.js';
import { computeMetrics } from '../../metrics/compute.js';
import { Db } from '../../pipeline/core/db.js';
import { adm, cells, facts } from './metric-rows.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

const day = (v: unknown) => (v as Date).toISOString().slice(0, 10);
/** [first night, last night, nights, admission, contacts that night] of each fact row of a patient. */
async function pieces(patient: string) {
  return (await facts(db, 'bed_days', patient)).map((f) => [day(f.first_night), day(f.last_night), f.records, f.admission_id, f.contacts_that_night]);
}

describe('bed_days as intervals', () => {
  it('cuts nights at month and year ends, counts DST nights once, and gives overlaps to the latest admission', async () => {
    await prepare(
      db,
      {
        admissions: [
          // nights of 12-30 and 12-31 in 2023, 01-01 in 2024
          adm('yb', 'year_boundary', '2023-12-30 20:00', '2024-01-02 09:00'),
          // a leap year: the nights of 02-28 and 02-29; the midnight ending 03-01 is not reached
          adm('lp', 'leap_day', '2024-02-28 10:00', '2024-03-01 10:00'),
          // discharged at exactly midnight: owns the night of 01-31 that ends then
          adm('md', 'midnight_month_end', '2024-01-31 23:00', '2024-02-01 00:00'),
          // Copenhagen: clocks go forward on 2024-03-31 (a 23-hour night) and back on
          // 2023-10-29 (a 25-hour night); wall-clock dates count each night once
          adm('ds', 'dst_spring', '2024-03-30 22:00', '2024-04-01 08:00', { hospital_id: 'H2', department_id: 'SURG' }),
          adm('df', 'dst_fall', '2023-10-28 20:00', '2023-10-30 08:00', { hospital_id: 'H2', department_id: 'SURG' }),
          // three overlapping contacts across a month end: nights 01-28 … 02-04 (c1),
          // 01-30 … 02-01 (c2), 02-01 … 02-02 (c3); each night goes to the latest admitted
          adm('c1', 'overlap', '2024-01-28 10:00', '2024-02-05 10:00'),
          adm('c2', 'overlap', '2024-01-30 09:00', '2024-02-02 15:00', { hospital_id: 'H2', department_id: 'SURG' }),
          adm('c3', 'overlap', '2024-02-01 20:00', '2024-02-03 08:00', { department_id: 'ICU' }),
          // open at the cutoff (2024-04-15 06:00): nights 2023-11-15 … 2024-04-14
          adm('op', 'open', '2023-11-15 12:00', null, { hospital_id: 'H2', department_id: 'ICU' }),
        ],
        treatments: [],
      },
      { cutoff: '2024-04-15T06:00', timezone: 'Europe/Copenhagen' },
    );
    await computeMetrics(db, { only: ['bed_days'] });
    const c = await cells(db, 'bed_days');
    expect(Object.fromEntries(Object.entries(c).map(([k, r]) => [k, r.value]))).toEqual({
      '2023-10|ALL|ALL': 2,
      '2023-10|H2|ALL': 2,
      '2023-10|H2|SURG': 2,
      '2023-11|ALL|ALL': 16,
      '2023-11|H2|ALL': 16,
      '2023-11|H2|ICU': 16,
      '2023-12|ALL|ALL': 33,
      '2023-12|H1|ALL': 2,
      '2023-12|H1|MED': 2,
      '2023-12|H2|ALL': 31,
      '2023-12|H2|ICU': 31,
      // yb 1 + md 1 + c1 2 (01-28, 01-29) at H1; c2 2 (01-30, 01-31) + op 31 at H2
      '2024-01|ALL|ALL': 37,
      '2024-01|H1|ALL': 4,
      '2024-01|H1|MED': 4,
      '2024-01|H2|ALL': 33,
      '2024-01|H2|ICU': 31,
      '2024-01|H2|SURG': 2,
      // lp 2 + c1 2 (02-03, 02-04) at MED; c3 2 (02-01, 02-02) at ICU; op 29
      '2024-02|ALL|ALL': 35,
      '2024-02|H1|ALL': 6,
      '2024-02|H1|ICU': 2,
      '2024-02|H1|MED': 4,
      '2024-02|H2|ALL': 29,
      '2024-02|H2|ICU': 29,
      '2024-03|ALL|ALL': 33,
      '2024-03|H2|ALL': 33,
      '2024-03|H2|ICU': 31,
      '2024-03|H2|SURG': 2,
      '2024-04|ALL|ALL': 14,
      '2024-04|H2|ALL': 14,
      '2024-04|H2|ICU': 14,
      '2023|ALL|ALL': 51,
      '2023|H1|ALL': 2,
      '2023|H1|MED': 2,
      '2023|H2|ALL': 49,
      '2023|H2|ICU': 47,
      '2023|H2|SURG': 2,
      '2024|ALL|ALL': 119,
      '2024|H1|ALL': 10,
      '2024|H1|ICU': 2,
      '2024|H1|MED': 8,
      '2024|H2|ALL': 109,
      '2024|H2|ICU': 105,
      '2024|H2|SURG': 4,
    });
    for (const r of Object.values(c)) expect([r.numerator, r.denominator]).toEqual([r.value, null]);

    expect(await pieces('year_boundary')).toEqual([
      ['2023-12-30', '2023-12-31', 2, 'yb', 1],
      ['2024-01-01', '2024-01-01', 1, 'yb', 1],
    ]);
    expect(await pieces('dst_spring')).toEqual([['2024-03-30', '2024-03-31', 2, 'ds', 1]]);
    expect(await pieces('dst_fall')).toEqual([['2023-10-28', '2023-10-29', 2, 'df', 1]]);
    expect(await pieces('overlap')).toEqual([
      ['2024-01-28', '2024-01-29', 2, 'c1', 1],
      ['2024-01-30', '2024-01-31', 2, 'c2', 2],
      ['2024-02-01', '2024-02-01', 1, 'c3', 3],
      ['2024-02-02', '2024-02-02', 1, 'c3', 2],
      ['2024-02-03', '2024-02-04', 2, 'c1', 1],
    ]);
    expect(await pieces('open')).toEqual([
      ['2023-11-15', '2023-11-30', 16, 'op', 1],
      ['2023-12-01', '2023-12-31', 31, 'op', 1],
      ['2024-01-01', '2024-01-31', 31, 'op', 1],
      ['2024-02-01', '2024-02-29', 29, 'op', 1],
      ['2024-03-01', '2024-03-31', 31, 'op', 1],
      ['2024-04-01', '2024-04-14', 14, 'op', 1],
    ]);
    // period_date is the first night of the row, and num its nights
    const rows = await db.all<{ ok: boolean }>(`SELECT bool_and(period_date = first_night AND num = records) AS ok FROM fact_bed_days`);
    expect(rows).toEqual([{ ok: true }]);
  });
});

describe('a count whose fact rows carry records', () => {
  it('adds up records in every grain and in the exclusion counts', async () => {
    await db.run(`CREATE TABLE fact_demo (period_date DATE, hospital_id VARCHAR, department_id VARCHAR, exclusion VARCHAR,
                  num DOUBLE, den DOUBLE, records BIGINT)`);
    await db.run(`INSERT INTO fact_demo VALUES
      ('2024-01-05', 'H1', 'A', NULL, 3, NULL, 3),
      ('2024-01-20', 'H1', 'B', NULL, 1, NULL, 1),
      ('2024-02-01', 'H1', 'A', NULL, 28, NULL, 28),
      ('2024-02-03', 'H1', 'A', 'why', 2, NULL, 2)`);
    await db.run(METRICS_DDL);
    await db.run(EXCLUSIONS_DDL);
    await db.run(aggregateSql({ factTable: 'fact_demo', kind: 'count', level: 'department', denDistinct: false, records: true }), { metric_id: 'demo', view: 'activity' });
    await db.run(exclusionsSql('fact_demo', true), { metric_id: 'demo' });
    const c = await cells(db, 'demo');
    expect(Object.fromEntries(Object.entries(c).map(([k, r]) => [k, [r.numerator, r.denominator, r.value]]))).toEqual({
      '2024-01|ALL|ALL': [4, null, 4],
      '2024-01|H1|A': [3, null, 3],
      '2024-01|H1|ALL': [4, null, 4],
      '2024-01|H1|B': [1, null, 1],
      '2024-02|ALL|ALL': [28, null, 28],
      '2024-02|H1|A': [28, null, 28],
      '2024-02|H1|ALL': [28, null, 28],
      '2024|ALL|ALL': [32, null, 32],
      '2024|H1|A': [31, null, 31],
      '2024|H1|ALL': [32, null, 32],
      '2024|H1|B': [1, null, 1],
    });
    expect(await db.all('SELECT period, hospital_id, reason, count FROM exclusions ORDER BY ALL')).toEqual([
      { period: '2024', hospital_id: 'ALL', reason: 'why', count: 2 },
      { period: '2024', hospital_id: 'H1', reason: 'why', count: 2 },
      { period: '2024-02', hospital_id: 'ALL', reason: 'why', count: 2 },
      { period: '2024-02', hospital_id: 'H1', reason: 'why', count: 2 },
    ]);
  });
});
