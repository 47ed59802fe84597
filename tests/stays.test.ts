import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../pipeline/core/db.js';
import { prepare } from '../fixtures/rows.js';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:');
});
afterEach(() => db.close());

const adm = (id: string, patient: string, admit: string, discharge: string | null, extra: Record<string, string> = {}) => ({
  admission_id: id,
  patient_id: patient,
  hospital_id: extra.hospital_id ?? 'H1',
  department_id: extra.department_id ?? 'MED',
  admit_ts: admit,
  discharge_ts: discharge,
  ...extra,
});

async function stays() {
  return db.all<Record<string, unknown>>(
    `SELECT stay_id, patient_id, CAST(admit_ts AS VARCHAR) AS admit, CAST(discharge_ts AS VARCHAR) AS discharge,
            is_open, admission_type, discharge_disposition, admit_hospital_id, discharge_hospital_id,
            discharge_department_id, died_in_stay, los_days, los_nights, n_contacts, stay_seq
     FROM stays ORDER BY patient_id, admit_ts`,
  );
}

describe('stays', () => {
  it('merges a transfer 3 hours after discharge, not one 5 hours after', async () => {
    await prepare(db, {
      admissions: [
        adm('a1', 'transfer_3h', '2024-01-01 10:00', '2024-01-03 12:00', { admission_type: 'acute' }),
        adm('a2', 'transfer_3h', '2024-01-03 15:00', '2024-01-05 09:00', { hospital_id: 'H2', department_id: 'SURG', discharge_disposition: 'home' }),
        adm('b1', 'gap_5h', '2024-01-01 10:00', '2024-01-03 12:00'),
        adm('b2', 'gap_5h', '2024-01-03 17:00', '2024-01-04 09:00'),
      ],
      treatments: [],
    });
    const s = await stays();
    expect(s).toHaveLength(3);
    expect(s[0]).toMatchObject({ patient_id: 'gap_5h', stay_id: 'b1', n_contacts: 1, los_days: 2 });
    expect(s[1]).toMatchObject({ patient_id: 'gap_5h', stay_id: 'b2', n_contacts: 1, los_days: 1, los_nights: 1, stay_seq: 2 });
    expect(s[2]).toMatchObject({
      patient_id: 'transfer_3h',
      stay_id: 'a1',
      admit: '2024-01-01 10:00:00',
      discharge: '2024-01-05 09:00:00',
      n_contacts: 2,
      admission_type: 'acute',
      discharge_disposition: 'home',
      admit_hospital_id: 'H1',
      discharge_hospital_id: 'H2',
      discharge_department_id: 'SURG',
      los_days: 4,
    });
  });

  it('chains three contacts through the running maximum, and treats overlap at two hospitals as one stay', async () => {
    await prepare(db, {
      admissions: [
        // c2 ends before c1; c3 starts 2h after c1's discharge but 30h after c2's.
        adm('c1', 'chain_of_three', '2024-02-01 08:00', '2024-02-03 08:00'),
        adm('c2', 'chain_of_three', '2024-02-01 12:00', '2024-02-02 02:00', { hospital_id: 'H2' }),
        adm('c3', 'chain_of_three', '2024-02-03 10:00', '2024-02-04 10:00', { hospital_id: 'H3', discharge_disposition: 'facility' }),
        adm('d1', 'overlap_two_hospitals', '2024-03-01 08:00', '2024-03-05 08:00', { discharge_disposition: 'home' }),
        adm('d2', 'overlap_two_hospitals', '2024-03-02 08:00', '2024-03-05 08:00', { hospital_id: 'H2', discharge_disposition: 'transfer' }),
      ],
      treatments: [],
    });
    const s = await stays();
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ stay_id: 'c1', n_contacts: 3, discharge: '2024-02-04 10:00:00', discharge_hospital_id: 'H3', discharge_disposition: 'facility', los_days: 3 });
    // same discharge time: the tie goes to the largest admission_id (d2)
    expect(s[1]).toMatchObject({ stay_id: 'd1', n_contacts: 2, discharge_hospital_id: 'H2', discharge_disposition: 'transfer' });
  });

  it('an open contact extends the stay to the cutoff and absorbs later contacts', async () => {
    await prepare(
      db,
      {
        admissions: [
          adm('e1', 'open_contact', '2024-04-01 08:00', null),
          adm('e2', 'open_contact', '2024-04-10 08:00', '2024-04-11 08:00'),
          adm('f1', 'discharged_after_cutoff', '2024-04-20 08:00', '2024-05-02 08:00'),
        ],
        treatments: [],
      },
      { cutoff: '2024-04-30T23:59:59' },
    );
    const s = await stays();
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ stay_id: 'f1', is_open: true, discharge: null, los_days: null });
    expect(s[1]).toMatchObject({ stay_id: 'e1', is_open: true, discharge: null, n_contacts: 2, discharge_disposition: null });
  });

  it('died_in_stay from disposition or from a death date on or before discharge', async () => {
    await prepare(db, {
      patients: [
        { patient_id: 'died_by_date', birth_year: 1950, sex: 'F', death_date: '2024-05-03' },
        { patient_id: 'died_after', birth_year: 1950, sex: 'M', death_date: '2024-05-04' },
      ],
      admissions: [
        adm('g1', 'died_in_stay', '2024-05-01 08:00', '2024-05-02 08:00', { discharge_disposition: 'died' }),
        adm('h1', 'died_by_date', '2024-05-01 08:00', '2024-05-03 08:00', { discharge_disposition: 'home' }),
        adm('i1', 'died_after', '2024-05-01 08:00', '2024-05-03 08:00', { discharge_disposition: 'home' }),
      ],
      treatments: [],
    });
    const s = await stays();
    const died = Object.fromEntries(s.map((r) => [r.patient_id, r.died_in_stay]));
    expect(died).toEqual({ died_in_stay: true, died_by_date: true, died_after: false });
  });

  it('midnight admission and discharge: LOS counts calendar days, at least 1', async () => {
    await prepare(db, {
      admissions: [
        adm('j1', 'midnight', '2024-06-01 00:00', '2024-06-02 00:00'),
        adm('k1', 'same_day', '2024-06-01 08:00', '2024-06-01 18:00'),
      ],
      treatments: [],
    });
    const s = await stays();
    expect(s.map((r) => [r.patient_id, r.los_days, r.los_nights])).toEqual([
      ['midnight', 1, 1],
      ['same_day', 1, 0],
    ]);
  });
});
