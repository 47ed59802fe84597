/** Looking up published metric rows by cell. */
import { ALL } from '../../metrics/suppress.js';
import type { PublishedRow } from '../types.js';
import { isMonth } from './periods.js';

export { ALL };

const SEP = '\u0000';
const key = (metric: string, period: string, hospital: string, department: string): string =>
  metric + SEP + period + SEP + hospital + SEP + department;

/** An index of published rows by (metric, period, hospital, department). */
export class RowIndex {
  private readonly cells = new Map<string, PublishedRow>();
  readonly periods: string[];
  /** Hospital ids other than ALL, sorted as text. */
  readonly hospitals: string[];
  private readonly depts = new Map<string, Set<string>>();
  /** Month periods with a row, per (metric, hospital, department): a unit's series never walks empty months. */
  private readonly monthsOf = new Map<string, string[]>();

  constructor(readonly rows: PublishedRow[]) {
    const periods = new Set<string>();
    const hospitals = new Set<string>();
    for (const r of rows) {
      this.cells.set(key(r.metric_id, r.period, r.hospital_id, r.department_id), r);
      periods.add(r.period);
      if (isMonth(r.period)) {
        const k = key(r.metric_id, '', r.hospital_id, r.department_id);
        const list = this.monthsOf.get(k);
        if (list) list.push(r.period);
        else this.monthsOf.set(k, [r.period]);
      }
      if (r.hospital_id === ALL) continue;
      hospitals.add(r.hospital_id);
      if (r.department_id === ALL) continue;
      let d = this.depts.get(r.hospital_id);
      if (!d) this.depts.set(r.hospital_id, (d = new Set()));
      d.add(r.department_id);
    }
    this.periods = [...periods].sort();
    for (const list of this.monthsOf.values()) list.sort();
    this.hospitals = [...hospitals].sort(compareText);
  }

  get(metric: string, period: string, hospital: string, department: string): PublishedRow | undefined {
    return this.cells.get(key(metric, period, hospital, department));
  }

  /** The months (`YYYY-MM`, sorted) in which one metric has a row for one unit. */
  months(metric: string, hospital: string, department: string): readonly string[] {
    return this.monthsOf.get(key(metric, '', hospital, department)) ?? [];
  }

  /** Department ids of a hospital (other than ALL), sorted as text. */
  departments(hospital: string): string[] {
    return [...(this.depts.get(hospital) ?? [])].sort(compareText);
  }
}

/** Ids compare as text (docs/reference/metrics.md#conventions); code-unit order is enough for a stable page order. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
