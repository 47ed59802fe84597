import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { prepare } from '../../fixtures/rows.js';
import { computeMetrics } from '../../metrics/compute.js';
import { adm, cells, facts, ndv } from './metric-rows.js';

const M = 'readmission_drg_share';

/**
 * One patient per case, H1/MED unless noted; the cutoff is 2024-06-30 00:00. Weights are
 * chosen so that every cell adds up by hand (see each case).
 */
const admissions = [
  // docs/reference/metrics.md#readmission-drg-share's worked example, alone at H3: home on 10 January (1.0), back acutely on
  // 20 January (2.0), acutely again on 30 March, 64 days after the discharge of 26 January (0.5).
  adm('we1', 'worked_example', '2024-01-05 08:00', '2024-01-10 10:00', { hospital_id: 'H3', discharge_disposition: 'home', drg_weight: 1.0 }),
  adm('we2', 'worked_example', '2024-01-20 08:00', '2024-01-26 10:00', { hospital_id: 'H3', admission_type: 'acute', discharge_disposition: 'home', drg_weight: 2.0 }),
  adm('we3', 'worked_example', '2024-03-30 08:00', '2024-03-31 10:00', { hospital_id: 'H3', admission_type: 'acute', discharge_disposition: 'home', drg_weight: 0.5 }),
  // left against advice: the acute stay four days later is no readmission
  adm('aa1', 'against_advice', '2024-01-28 08:00', '2024-02-01 10:00', { discharge_disposition: 'against_advice', drg_weight: 1.0 }),
  adm('aa2', 'against_advice', '2024-02-05 08:00', '2024-02-07 10:00', { admission_type: 'acute', drg_weight: 1.5 }),
  // an elective stay between: the acute stay after it readmits the elective one, not the first
  adm('eb1', 'elective_between', '2024-02-08 08:00', '2024-02-10 10:00', { admission_type: 'acute', discharge_disposition: 'home', drg_weight: 1.0 }),
  adm('eb2', 'elective_between', '2024-02-15 08:00', '2024-02-17 10:00', { admission_type: 'elective', discharge_disposition: 'home', drg_weight: 0.8 }),
  adm('eb3', 'elective_between', '2024-02-25 08:00', '2024-02-28 10:00', { admission_type: 'acute', drg_weight: 1.2 }),
  // the readmission is a transfer chain H1/SURG → H2/CARD (2 h apart: one stay); both contacts count, each where it was
  adm('tc0', 'transfer_chain', '2024-02-26 08:00', '2024-03-01 10:00', { discharge_disposition: 'home', drg_weight: 1.0 }),
  adm('tc1', 'transfer_chain', '2024-03-10 08:00', '2024-03-12 10:00', { department_id: 'SURG', admission_type: 'acute', discharge_disposition: 'transfer', drg_weight: 2.0 }),
  adm('tc2', 'transfer_chain', '2024-03-12 12:00', '2024-03-15 10:00', { hospital_id: 'H2', department_id: 'CARD', discharge_disposition: 'home', drg_weight: 3.0 }),
  // a readmission contact without a weight is no record (the index contact still is one)
  adm('uw1', 'unweighted', '2024-03-28 08:00', '2024-04-01 10:00', { discharge_disposition: 'home', drg_weight: 1.0 }),
  adm('uw2', 'unweighted', '2024-04-05 08:00', '2024-04-06 10:00', { admission_type: 'acute' }),
  // the index lacks its 30 days of follow-up (06-15 + 30 > 06-30): the readmission counts all the same
  adm('fi1', 'follow_up_incomplete', '2024-06-12 08:00', '2024-06-15 10:00', { discharge_disposition: 'home', drg_weight: 1.0 }),
  adm('fi2', 'follow_up_incomplete', '2024-06-18 08:00', '2024-06-22 10:00', { admission_type: 'acute', drg_weight: 1.0 }),
  // readmitted before the cutoff but discharged after it: still admitted, so not a record yet
  adm('ac1', 'readmit_after_cutoff', '2024-06-05 08:00', '2024-06-10 10:00', { discharge_disposition: 'home', drg_weight: 1.0 }),
  adm('ac2', 'readmit_after_cutoff', '2024-06-20 08:00', '2024-07-05 10:00', { admission_type: 'acute', drg_weight: 2.0 }),
];

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
  await prepare(db, { admissions, treatments: [] }, { cutoff: '2024-06-30T00:00' });
  await computeMetrics(db, { only: ['drg_value', M] });
});
afterAll(() => db.close());

describe('readmission_drg_share', () => {
  it('gives the worked example of the definition: 2.0 of 3.5', async () => {
    expect(await ndv(db, M, '2024|H3|ALL')).toEqual([2, 3.5, 2 / 3.5]);
    expect(await ndv(db, M, '2024-01|H3|MED')).toEqual([2, 3, 2 / 3]);
    // 64 days after the discharge: paid, but not for a readmission
    expect(await ndv(db, M, '2024-03|H3|MED')).toEqual([0, 0.5, 0]);
    const f = await facts(db, M, 'worked_example');
    expect(f.map((r) => [r.admission_id, r.readmission, r.index_stay_id, r.days_after_index])).toEqual([
      ['we1', false, null, null],
      ['we2', true, 'we1', 10],
      ['we3', false, null, null],
    ]);
  });

  it('does not count a readmission after a discharge against advice', async () => {
    const f = await facts(db, M, 'against_advice');
    expect(f.map((r) => [r.admission_id, r.num, r.den, r.readmission])).toEqual([
      ['aa1', 0, 1, false],
      ['aa2', 0, 1.5, false],
    ]);
  });

  it('counts the acute stay after an elective one against the elective stay only', async () => {
    const f = await facts(db, M, 'elective_between');
    expect(f.map((r) => [r.admission_id, r.num, r.readmission, r.index_stay_id, r.index_disposition])).toEqual([
      ['eb1', 0, false, null, null],
      ['eb2', 0, false, null, null],
      ['eb3', 1.2, true, 'eb2', 'home'],
    ]);
    // February, H1/MED: aa1 1.0 + aa2 1.5 + eb1 1.0 + eb2 0.8 + eb3 1.2 = 5.5, of which eb3's 1.2 paid for a readmission
    expect(await ndv(db, M, '2024-02|H1|MED')).toEqual([1.2, 5.5, 1.2 / 5.5]);
  });

  it('counts every contact of a readmission that is a transfer chain, each at its own hospital', async () => {
    const f = await facts(db, M, 'transfer_chain');
    expect(f.map((r) => [r.admission_id, r.hospital_id, r.department_id, r.stay_id, r.num, r.index_stay_id])).toEqual([
      ['tc0', 'H1', 'MED', 'tc0', 0, null],
      ['tc1', 'H1', 'SURG', 'tc1', 2, 'tc0'],
      ['tc2', 'H2', 'CARD', 'tc1', 3, 'tc0'],
    ]);
    expect(await ndv(db, M, '2024-03|H1|MED')).toEqual([0, 1, 0]);
    expect(await ndv(db, M, '2024-03|H1|SURG')).toEqual([2, 2, 1]);
    expect(await ndv(db, M, '2024-03|H1|ALL')).toEqual([2, 3, 2 / 3]);
    expect(await ndv(db, M, '2024-03|H2|CARD')).toEqual([3, 3, 1]);
  });

  it('leaves out contacts without a weight, and a readmission discharged after the cutoff', async () => {
    expect((await facts(db, M, 'unweighted')).map((r) => r.admission_id)).toEqual(['uw1']);
    expect(await ndv(db, M, '2024-04|H1|MED')).toEqual([0, 1, 0]);
    expect((await facts(db, M, 'readmit_after_cutoff')).map((r) => [r.admission_id, r.num])).toEqual([['ac1', 0]]);
    // nothing is filed in July: the discharge after the cutoff has not happened yet
    expect(await ndv(db, M, '2024-07|ALL|ALL')).toBeUndefined();
  });

  it('counts the readmission of an index stay whose follow-up is incomplete', async () => {
    const f = await facts(db, M, 'follow_up_incomplete');
    expect(f.map((r) => [r.admission_id, r.num, r.index_stay_id])).toEqual([
      ['fi1', 0, null],
      ['fi2', 1, 'fi1'],
    ]);
    // June, H1/MED: fi1 1.0 + fi2 1.0 + ac1 1.0
    expect(await ndv(db, M, '2024-06|H1|MED')).toEqual([1, 3, 1 / 3]);
  });

  it('has every grain: month and year, department, hospital and ALL; no month without records', async () => {
    expect(await ndv(db, M, '2024-01|ALL|ALL')).toEqual([2, 3, 2 / 3]);
    expect(await ndv(db, M, '2024-03|ALL|ALL')).toEqual([5, 6.5, 5 / 6.5]);
    expect(await ndv(db, M, '2024-05|ALL|ALL')).toBeUndefined();
    expect(await ndv(db, M, '2024|H1|MED')).toEqual([2.2, 10.5, 2.2 / 10.5]);
    expect(await ndv(db, M, '2024|H1|SURG')).toEqual([2, 2, 1]);
    expect(await ndv(db, M, '2024|H1|ALL')).toEqual([4.2, 12.5, 4.2 / 12.5]);
    expect(await ndv(db, M, '2024|H2|ALL')).toEqual([3, 3, 1]);
    expect(await ndv(db, M, '2024|ALL|ALL')).toEqual([9.2, 19, 9.2 / 19]);
    expect(Object.keys(await cells(db, M))).toHaveLength(28);
  });

  it('divides by the drg_value of the same cell, in every cell', async () => {
    const share = await cells(db, M);
    const drg = await cells(db, 'drg_value');
    expect(Object.keys(share).sort()).toEqual(Object.keys(drg).sort());
    for (const [key, c] of Object.entries(share)) expect([key, c.denominator]).toEqual([key, drg[key]!.value]);
  });

  it('counts the people behind each cell for suppression, a patient once', async () => {
    const people = await db.all<Record<string, unknown>>(
      `SELECT period, hospital_id, department_id, numerator_people, denominator_people, complement_people
       FROM metric_people WHERE metric_id = $m AND period IN ('2024-02', '2024-03', '2024') AND hospital_id IN ('H1', 'ALL') AND department_id = 'ALL'
       ORDER BY period, hospital_id`,
      { m: M },
    );
    expect(people.map((r) => Object.values(r))).toEqual([
      // 2024: readmitted people worked_example, elective_between, transfer_chain, follow_up_incomplete; 7 patients in all,
      // each with some weight outside a readmission
      ['2024', 'ALL', 'ALL', 4, 7, 7],
      ['2024', 'H1', 'ALL', 3, 6, 6],
      // February at H1: elective_between is behind the numerator; against_advice and elective_between behind the rest
      ['2024-02', 'ALL', 'ALL', 1, 2, 2],
      ['2024-02', 'H1', 'ALL', 1, 2, 2],
      // March: transfer_chain's three contacts are one patient; worked_example's we3 is outside the numerator
      ['2024-03', 'ALL', 'ALL', 1, 2, 2],
      ['2024-03', 'H1', 'ALL', 1, 1, 1],
    ]);
  });
});

describe('readmission_drg_share without DRG weights', () => {
  it('is absent, and the run says why', async () => {
    const db2 = await Db.open(':memory:');
    try {
      await prepare(db2, { admissions: [adm('x1', 'no_weights', '2024-01-01 08:00', '2024-01-02 08:00')], treatments: [] });
      const logged: string[] = [];
      const r = await computeMetrics(db2, { only: [M], log: (m) => logged.push(m) });
      expect(r.absent).toEqual([{ id: M, reason: 'needs DRG weights (admissions.drg_weight), which the input lacks' }]);
      expect(logged).toContain(`metric ${M} is absent: needs DRG weights (admissions.drg_weight), which the input lacks`);
      expect(await db2.hasTable(`fact_${M}`)).toBe(false);
      expect(Number(await db2.scalar(`SELECT count(*) FROM metrics WHERE metric_id = '${M}'`))).toBe(0);
    } finally {
      db2.close();
    }
  });
});
