/**
 * The polars peer on a hand-made data set whose expected numbers follow from
 * docs/reference/metrics.md#stays, §3.1 and §3.3 by hand — so that "the peer agrees with us" means
 * two independent implementations of the spec agree, not one copying the other.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { polarsLoadError } from '../polars-binding.js';
import { buildStays, computeMetrics, loadPolars, readInput } from '../peer/polars.js';

const ADMISSIONS = `admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition
c1,chain,H1,MED,2024-01-01 08:00:00,2024-01-10 08:00:00,acute,transfer
c2,chain,H1,MED,2024-01-02 08:00:00,2024-01-03 08:00:00,acute,other
c3,chain,H2,SURG,2024-01-10 11:00:00,2024-01-12 08:00:00,acute,home
c4,chain,H1,MED,2024-02-11 08:00:00,2024-02-13 08:00:00,acute,home
d1,day31,H1,MED,2024-03-01 08:00:00,2024-03-02 08:00:00,acute,home
d2,day31,H1,MED,2024-04-02 08:00:00,2024-04-03 08:00:00,acute,home
p1,planned_first,H1,MED,2024-03-10 08:00:00,2024-03-11 08:00:00,acute,home
p2,planned_first,H1,MED,2024-03-15 08:00:00,2024-03-16 08:00:00,elective,home
p3,planned_first,H1,MED,2024-03-20 08:00:00,2024-03-21 08:00:00,,home
x1,died_in_stay,H1,MED,2024-05-01 08:00:00,2024-05-03 08:00:00,acute,died
a1,against_advice,H1,MED,2024-05-05 08:00:00,2024-05-06 08:00:00,acute,against_advice
a2,against_advice,H1,MED,2024-05-10 08:00:00,2024-05-11 08:00:00,acute,home
t1,transfer_out,H1,MED,2024-05-07 08:00:00,2024-05-08 08:00:00,acute,transfer
s1,same_day,H1,MED,2024-06-01 08:00:00,2024-06-01 15:00:00,acute,home
s2,same_day,H1,MED,2024-06-01 20:00:00,2024-06-02 10:00:00,acute,home
l1,late_follow_up,H1,MED,2024-12-10 08:00:00,2024-12-12 08:00:00,acute,home
o1,open,H1,MED,2024-12-20 08:00:00,,acute,
`;
const TREATMENTS = `treatment_id,patient_id,hospital_id,department_id,start_ts,end_ts,setting,mode
T1,anchor,H1,ED,2024-12-31 23:00:00,,emergency,in_person
`;
const PATIENTS = `patient_id,birth_year,sex,death_date
died_in_stay,1940,F,2024-05-03
anchor,1980,M,
`;

const broken = polarsLoadError(process.cwd());
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'peer-'));
  writeFileSync(join(dir, 'admissions.csv'), ADMISSIONS);
  writeFileSync(join(dir, 'treatments.csv'), TREATMENTS);
  writeFileSync(join(dir, 'patients.csv'), PATIENTS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Without its native binding (npm ci on Node 20 skips it) the peer cannot run at all;
// `npm run bench` installs it, see bench/polars-binding.ts.
describe.skipIf(broken !== undefined)('polars peer', () => {
  function run() {
    const p = loadPolars();
    const stays = buildStays(p, readInput(p, dir, true));
    const out = join(dir, 'peer.csv');
    computeMetrics(p, stays).writeCSV(out);
    const cells = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const by = (id: string) => Object.fromEntries(cells.filter((c) => c[0] === id).map((c) => [`${c[1]} ${c[2]}`, [Number(c[3]), Number(c[4])]]));
    return { stays, readmission: by('readmission_30d'), los: by('los_mean') };
  }

  it('merges a contact 3 h after the running maximum of discharges, not after the previous contact', () => {
    const { stays } = run();
    // c1..c3 are one stay; every other contact is a stay of its own: 17 contacts, 15 stays.
    expect(stays.stays.height).toBe(15);
    expect(stays.cutoffMs).toBe(Date.UTC(2024, 11, 31, 23));
  });

  it('readmission_30d: [readmitted, index stays] per (month of discharge, discharging hospital)', () => {
    expect(run().readmission).toEqual({
      '2024-01 H2': [1, 1], // chain: discharged 01-12 from H2, next stay 02-11 is day 30
      '2024-02 H1': [0, 1],
      '2024-03 H1': [1, 4], // day31 not; planned_first: p1 not (next is elective), p2 yes, p3 not
      '2024-04 H1': [0, 1],
      '2024-05 H1': [0, 1], // died, against advice and transfer out excluded; a2 counted
      '2024-06 H1': [1, 2], // same_day: s1 readmitted on day 0
      // 2024-12: late_follow_up lacks 30 days of follow-up, the open stay is no index
    });
  });

  it('los_mean: [Σ los_days, closed stays], at least one day each', () => {
    expect(run().los).toEqual({
      '2024-01 H2': [11, 1],
      '2024-02 H1': [2, 1],
      '2024-03 H1': [4, 4],
      '2024-04 H1': [1, 1],
      '2024-05 H1': [5, 4],
      '2024-06 H1': [2, 2],
      '2024-12 H1': [2, 1],
    });
  });
});
