import { describe, expect, it } from 'vitest';
import { tablesRead } from '../../metrics/incremental.js';
import { loadRegistry } from '../../metrics/registry.js';
import { blocksNeeded, loadSharedBlocks } from '../../metrics/shared.js';

/**
 * What a night recomputes a metric from (docs/architecture.md#nightly-recompute): the input tables
 * its SQL and the shared blocks it reads name. A name in a comment widens the set (more patients
 * recomputed, the same result), so a comment that names a block or an input table it does not read
 * is caught here, not only by a slower night.
 */
describe('the input tables each metric of the store is recomputed from', () => {
  it('are those its SQL and its blocks read', () => {
    const blocks = loadSharedBlocks();
    const read = Object.fromEntries(
      loadRegistry().map((d) => [d.id, tablesRead([d.sql, ...blocksNeeded(blocks, [d]).map((b) => b.block.sql)].join('\n')).join(',')]),
    );
    expect(read).toEqual({
      admissions: 'admissions',
      ambulatory_visits: 'treatments',
      bed_days: 'admissions',
      drg_value: 'admissions',
      emergency_visits: 'treatments',
      stays: 'admissions,patients',
      treatments: 'treatments',
      avoidable_trips: 'admissions,patients,treatments',
      consolidation_ratio: 'admissions,patients,treatments',
      daoh_30: 'admissions,patients',
      ed_return_72h: 'admissions,treatments',
      los_mean: 'admissions,patients',
      los_median: 'admissions,patients',
      los_p90: 'admissions,patients',
      mortality_30d: 'admissions,patients',
      readmission_30d: 'admissions,patients',
      readmission_30d_oe: 'admissions,patients',
      readmission_7d: 'admissions,patients',
      readmission_drg_share: 'admissions,patients',
      trips_per_patient: 'admissions,patients,treatments',
    });
  });

  it('ambulatory_visits builds no trip block', () => {
    const visits = loadRegistry().find((d) => d.id === 'ambulatory_visits')!;
    expect(blocksNeeded(loadSharedBlocks(), [visits]).map((b) => b.block.name)).toEqual(['ambulatory_in_scope']);
  });
});
