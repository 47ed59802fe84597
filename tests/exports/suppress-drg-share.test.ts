/**
 * Suppression of a share of weights (readmission_drg_share): the threshold applies to the
 * people behind its sums, never to the sums, and a cell is hidden with its drg_value cell,
 * whose value it publishes as its denominator.
 */
import { describe, expect, it } from 'vitest';
import type { CellPeople, MetricRow } from '../../metrics/types.js';
import { suppress } from '../../metrics/suppress.js';
import { CATALOG, row } from './catalog.js';

const M = 'readmission_drg_share';

function share(hospital: string, department: string, n: number, d: number, people: CellPeople | null, period = '2024'): MetricRow {
  return { ...row(M, period, hospital, department, n, d, n / d), people };
}
/** drg_value with the admissions count of its cell (the count a sum is hidden by). */
function drg(hospital: string, department: string, value: number, admissions: number, period = '2024'): MetricRow[] {
  return [row('drg_value', period, hospital, department, value), row('admissions', period, hospital, department, admissions)];
}
const people = (numerator: number, denominator: number, complement: number): CellPeople => ({ numerator, denominator, complement });

function reasons(rows: MetricRow[], k = 5): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const r of suppress(rows, CATALOG, k)) if (r.metric_id === M) out[`${r.hospital_id} ${r.department_id}`] = r.suppressed;
  return out;
}

describe('suppress: shares of DRG weight', () => {
  it('checks the people behind numerator, denominator and complement, not the weights', () => {
    const rows = [
      // 40.0 DRG weight from 2 readmitted patients: the sum tells what they were paid for
      share('few_readmitted', 'ALL', 40, 100, people(2, 60, 58)),
      // 2.5 DRG weight from 6 patients: small sums are no count
      share('small_weights', 'ALL', 2.5, 4.5, people(6, 10, 8)),
      share('few_patients', 'ALL', 30, 60, people(5, 4, 3)),
      // everyone but 3 patients was readmitted: the weight of the 3 others is d − n
      share('small_complement', 'ALL', 50, 55, people(40, 43, 3)),
      share('none_readmitted', 'ALL', 0, 80, people(0, 50, 50)),
      share('unknown_people', 'ALL', 10, 80, null),
      ...['few_readmitted', 'small_weights', 'few_patients', 'small_complement', 'none_readmitted', 'unknown_people'].flatMap((h) => drg(h, 'ALL', 100, 50)),
    ];
    expect(reasons(rows)).toEqual({
      'few_readmitted ALL': 'primary',
      'small_weights ALL': null,
      'few_patients ALL': 'primary',
      'small_complement ALL': 'complement',
      'none_readmitted ALL': null,
      'unknown_people ALL': 'primary',
    });
  });

  it('is hidden with its drg_value cell, for any reason, and then protects its own totals', () => {
    const rows = [
      share('H1', 'MED', 10, 50, people(8, 30, 25)),
      share('H1', 'SURG', 12, 40, people(9, 30, 25)),
      share('H1', 'ORTH', 9, 45, people(7, 30, 26)),
      share('H1', 'ALL', 31, 135, people(24, 90, 76)),
      // SURG's drg_value is primary (3 admissions), so ORTH's is secondary (next smallest, 20)
      ...drg('H1', 'MED', 50, 30),
      ...drg('H1', 'SURG', 40, 3),
      ...drg('H1', 'ORTH', 45, 20),
      ...drg('H1', 'ALL', 135, 53),
    ];
    expect(reasons(rows)).toEqual({ 'H1 MED': null, 'H1 SURG': 'secondary', 'H1 ORTH': 'secondary', 'H1 ALL': null });

    // The overall drg_value row has no admissions count beside it, so it is hidden, and the
    // share's overall row with it; a lone hidden total would be re-added from its parts, so
    // the share's own rule 3 hides H2's total, and then a department of H2 (sizes tie: A).
    const two = [
      share('H2', 'A', 10, 50, people(8, 30, 25)),
      share('H2', 'B', 12, 40, people(9, 30, 25)),
      share('H2', 'ALL', 22, 90, people(17, 60, 50)),
      ...drg('H2', 'A', 50, 30),
      ...drg('H2', 'B', 40, 30),
      ...drg('H2', 'ALL', 90, 60),
      row('drg_value', '2024', 'ALL', 'ALL', 90),
      share('ALL', 'ALL', 22, 90, people(17, 60, 50)),
    ];
    expect(reasons(two)).toEqual({ 'H2 A': 'secondary', 'H2 B': null, 'H2 ALL': 'secondary', 'ALL ALL': 'secondary' });
  });

  it('hides a cell whose drg_value cell is missing from the rows (we cannot tell)', () => {
    expect(reasons([share('H1', 'ALL', 10, 50, people(8, 30, 25))])).toEqual({ 'H1 ALL': 'primary' });
  });

  it('never reaches the published rows with its people', () => {
    const out = suppress([share('H1', 'ALL', 10, 50, people(8, 30, 25)), ...drg('H1', 'ALL', 50, 30)], CATALOG, 5);
    expect(out[0]).toEqual({ ...row(M, '2024', 'H1', 'ALL', 10, 50, 0.2), suppressed: null });
    expect('people' in out[0]!).toBe(false);
  });
});
