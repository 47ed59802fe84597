import { describe, expect, it } from 'vitest';
import { suppress } from '../../metrics/suppress.js';
import { catalogEntries } from '../../metrics/registry.js';
import type { MetricRow } from '../../metrics/types.js';

const entry = (id: string) => catalogEntries().find((c) => c.id === id)!;
const row = (metric_id: string, hospital_id: string, numerator: number, denominator: number): MetricRow => ({
  metric_id, view: 'outcome', period: '2024', hospital_id, department_id: 'ALL', numerator, denominator, value: numerator / denominator, lower: null, upper: null,
});

describe('ratios that are shares', () => {
  it('hide like a rate when denominator − numerator is small; other ratios do not', () => {
    const catalog = [entry('avoidable_trips'), entry('trips_per_patient')];
    expect(catalog.map((c) => [c.kind, c.unit])).toEqual([['ratio', 'share of trips'], ['ratio', 'trips per patient']]);
    const out = suppress(
      [
        // 40 of 42 trips avoidable: the 2 that were not would be disclosed
        row('avoidable_trips', 'H1', 40, 42),
        row('avoidable_trips', 'H2', 10, 50),
        row('avoidable_trips', 'H3', 10, 50),
        row('avoidable_trips', 'ALL', 60, 142),
        // 44 trips by 42 patients is not a share: nothing is disclosed by 44 − 42
        row('trips_per_patient', 'H1', 44, 42),
      ],
      catalog,
      5,
    );
    expect(out.map((r) => [r.metric_id, r.hospital_id, r.suppressed])).toEqual([
      ['avoidable_trips', 'H1', 'complement'],
      ['avoidable_trips', 'H2', 'secondary'],
      ['avoidable_trips', 'H3', null],
      ['avoidable_trips', 'ALL', null],
      ['trips_per_patient', 'H1', null],
    ]);
  });
});
