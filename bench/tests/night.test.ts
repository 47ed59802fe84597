/** The typical night's input: the runs' own folder and one new day of treatments, on a hand-made data set. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareRunInput, writeNightFile } from '../night.js';

const tmp = mkdtempSync(join(tmpdir(), 'bench-night-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEADER = 'treatment_id,patient_id,hospital_id,department_id,start_ts,end_ts,setting,mode,procedure_code';

function dataSet(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'patients.csv'),
    ['patient_id,birth_year,sex,death_date', 'P1,1950,F,', 'P2,1960,M,2024-12-28', 'P3,1970,F,2025-01-01'].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'admissions.csv'), 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition\n');
  writeFileSync(
    join(dir, 'treatments.csv'),
    [
      HEADER,
      'T000000001,P1,H01,CARD,2024-12-24 23:59:00,2024-12-25 00:30:00,emergency,in_person,TRIAGE01', // the day before
      'T000000002,P3,H02,ENDO,2024-12-25 10:30:00,2024-12-25 11:00:00,ambulatory,in_person,HBA1C01',
      'T000000003,P1,H01,CARD,2024-12-25 09:00:00,2024-12-25 09:45:00,ambulatory,in_person,ECHO01', // earlier, listed later
      'T000000004,P2,H01,ED,2024-12-25 12:00:00,,emergency,in_person,TRIAGE01', // died on the 28th
      'T000000005,P1,H01,ED,2024-12-25 23:00:00,,emergency,in_person,TRIAGE01',
      'T000000006,P1,H01,MED,2024-12-26 08:00:00,2024-12-26 08:15:00,ambulatory,virtual,VCONS01',
      'T000000007,P3,H01,ED,2024-12-31 23:59:00,,emergency,in_person,TRIAGE01', // the last day
    ].join('\n') + '\n',
  );
  writeFileSync(join(dir, '.bench-complete.json'), '{}\n');
}

describe('prepareRunInput', () => {
  it("links the data set's files into a fresh folder, without its marker and without what the folder held", () => {
    const data = join(tmp, 'links-data');
    const runInput = join(tmp, 'links-run');
    dataSet(data);
    mkdirSync(join(runInput, 'treatments'), { recursive: true });
    writeFileSync(join(runInput, 'treatments', 'old.csv'), HEADER + '\n');
    prepareRunInput(data, runInput);
    for (const f of ['patients.csv', 'admissions.csv', 'treatments.csv']) expect(statSync(join(runInput, f)).ino, f).toBe(statSync(join(data, f)).ino);
    expect(existsSync(join(runInput, '.bench-complete.json'))).toBe(false);
    expect(existsSync(join(runInput, 'treatments'))).toBe(false);
  });
});

describe('writeNightFile', () => {
  it('writes the day after the data: the same weekday a week before, moved seven days, without the dead, with fresh ids in time order', async () => {
    const data = join(tmp, 'night-data');
    const runInput = join(tmp, 'night-run');
    dataSet(data);
    prepareRunInput(data, runInput);
    const f = await writeNightFile(data, runInput);
    expect(f.day).toBe('2025-01-01');
    expect(f.path).toBe(join(runInput, 'treatments', '2025-01-01.csv'));
    const text = readFileSync(f.path, 'utf8');
    expect(text).toBe(
      [
        HEADER,
        'T20250101-000001,P1,H01,CARD,2025-01-01 09:00:00,2025-01-01 09:45:00,ambulatory,in_person,ECHO01',
        'T20250101-000002,P3,H02,ENDO,2025-01-01 10:30:00,2025-01-01 11:00:00,ambulatory,in_person,HBA1C01',
        'T20250101-000003,P1,H01,ED,2025-01-01 23:00:00,,emergency,in_person,TRIAGE01',
      ].join('\n') + '\n',
    );
    expect([f.rows, f.bytes]).toEqual([3, Buffer.byteLength(text)]);
    // The data set itself is left as it was.
    expect(existsSync(join(data, 'treatments'))).toBe(false);
  });
});
