import { describe, expect, it } from 'vitest';
import { safeBaseName, safeFileNames } from '../../pipeline/publish/exports/filenames.js';

describe('safeBaseName', () => {
  it('replaces separators, white space and characters Windows forbids, keeps letters outside ASCII', () => {
    expect(safeBaseName('Nord/Syd')).toBe('Nord_Syd');
    expect(safeBaseName('a\\b:c*d?e"f<g>h|i')).toBe('a_b_c_d_e_f_g_h_i');
    expect(safeBaseName('Sankt Øster')).toBe('Sankt_Øster');
    expect(safeBaseName('tab\there\nnewline')).toBe('tab_here_newline');
    expect(safeBaseName('Aarhus Universitetshospital, Skejby')).toBe('Aarhus_Universitetshospital,_Skejby');
  });

  it('never makes a hidden file, a reserved device name or one of our own names', () => {
    expect(safeBaseName('.hidden')).toBe('_hidden');
    expect(safeBaseName('..')).toBe('_.');
    expect(safeBaseName('CON')).toBe('CON_');
    expect(safeBaseName('con.txt')).toBe('con_.txt');
    expect(safeBaseName('LPT1')).toBe('LPT1_');
    expect(safeBaseName('COM¹')).toBe('COM¹_');
    expect(safeBaseName('CONSOLE')).toBe('CONSOLE');
    expect(safeBaseName('all-hospitals')).toBe('all-hospitals_');
    expect(safeBaseName('README')).toBe('README_');
    expect(safeBaseName('')).toBe('_');
  });

  it('drops invisible characters that could disguise an extension', () => {
    expect(safeBaseName('report\u202Evsc.exe')).toBe('report_vsc.exe');
  });

  it('stays within 100 bytes of UTF-8, cut between characters', () => {
    const name = safeBaseName('Ø'.repeat(80));
    expect(Buffer.byteLength(name)).toBe(100);
    expect(name).toBe('Ø'.repeat(50));
  });
});

describe('safeFileNames', () => {
  it('gives ids that would share a name (ignoring case) distinct names with a hash suffix', () => {
    const names = safeFileNames(['H1', 'h1', 'A/B', 'A_B', 'Q']);
    expect(names.get('H1')).toMatch(/^H1-[0-9a-f]{8}$/);
    expect(names.get('h1')).toMatch(/^h1-[0-9a-f]{8}$/);
    expect(names.get('A/B')).toMatch(/^A_B-[0-9a-f]{8}$/);
    expect(names.get('A_B')).toMatch(/^A_B-[0-9a-f]{8}$/);
    expect(names.get('A/B')).not.toBe(names.get('A_B'));
    expect(names.get('Q')).toBe('Q');
    const folded = [...names.values()].map((n) => n.toLowerCase());
    expect(new Set(folded).size).toBe(5);
  });

  it('tells apart ids that differ only in Unicode normalisation', () => {
    const composed = 'Å'.normalize('NFC');
    const decomposed = 'Å'.normalize('NFD');
    const names = safeFileNames([composed, decomposed]);
    expect(names.get(composed)).not.toBe(names.get(decomposed));
  });

  it('gives the same id the same name whatever else is in the list', () => {
    expect(safeFileNames(['H1', 'h1']).get('H1')).toBe(safeFileNames(['H1', 'h1', 'Z']).get('H1'));
  });
});
