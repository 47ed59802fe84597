import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCodes, REQUIRED_LISTS, type AdapterFormat } from '../../pipeline/ingest/adapters/codes.js';

const DOC = readFileSync('docs/adapters.md', 'utf8');
const SECTION: Record<AdapterFormat, string> = {
  fhir: DOC.slice(DOC.indexOf('## FHIR'), DOC.indexOf('## OMOP')),
  omop: DOC.slice(DOC.indexOf('## OMOP'), DOC.indexOf('## Synthea')),
  synthea: DOC.slice(DOC.indexOf('## Synthea'), DOC.indexOf('## Adding')),
};

describe('code lists', () => {
  for (const format of ['fhir', 'omop', 'synthea'] as const) {
    it(`${format}: every code of every list is on docs/adapters.md, in its section`, () => {
      const lists = loadCodes(format);
      const missing: string[] = [];
      for (const list of REQUIRED_LISTS[format]) {
        for (const code of Object.keys(lists[list]!)) {
          if (!SECTION[format].includes('`' + code + '`')) missing.push(`${list}: ${code}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it('FHIR dispositions follow the contract, including the NUBC planned-readmission pairs', () => {
    const d = loadCodes('fhir')['discharge_disposition']!;
    const pair = (a: string, b: string) => expect([a, d[a]]).toEqual([a, d[b]]);
    for (let i = 1; i <= 6; i++) pair(String(80 + i), `0${i}`);
    pair('88', '43');
    for (let i = 1; i <= 6; i++) pair(String(88 + i), String(60 + i));
    expect([d['87'], d['95']]).toEqual(['other', 'other']);
    expect(Object.fromEntries(['01', '02', '03', '07', '20', '40', '41', '42', '43', '50', '51', '66'].map((c) => [c, d[c]]))).toEqual({
      '01': 'home',
      '02': 'transfer',
      '03': 'facility',
      '07': 'against_advice',
      '20': 'died',
      '40': 'died',
      '41': 'died',
      '42': 'died',
      '43': 'transfer',
      '50': 'facility',
      '51': 'facility',
      '66': 'transfer',
    });
  });

  it('OMOP visit concepts follow the contract', () => {
    const v = loadCodes('omop')['visit_concept']!;
    const by = (kind: string) => Object.keys(v).filter((c) => v[c] === kind).sort();
    expect(by('admission')).toEqual(['262', '32037', '581379', '8717', '9201']);
    expect(by('ambulatory')).toEqual(['38004207', '8883', '9202']);
    expect(by('observation')).toEqual(['581385']);
    expect(by('virtual')).toEqual(['5083']);
    expect(by('emergency')).toEqual(['8870', '9203']);
  });
});
