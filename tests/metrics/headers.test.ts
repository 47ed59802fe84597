import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../pipeline/core/paths.js';
import { isShare } from '../../metrics/catalog.js';
import { parseMetricFile, REQUIRED_KEYS } from '../../metrics/header.js';
import { catalogEntries, loadMetricFile, metricFiles, spreadMetricIds } from '../../metrics/registry.js';

const GOOD = `-- metric_id: demo
-- version: 1
-- view: outcome
-- title: Demo
-- title_da: Prøve
-- definition: A first sentence
--   that wraps onto a second line.
-- definition_da: En første sætning,
--   der fortsætter på næste linje.
-- grain: month × hospital × department
-- grain_da: måned × hospital × afdeling
-- numerator: things
-- numerator_da: ting
-- denominator: stays
-- denominator_da: forløb
-- exclusions: died, incomplete_follow_up
-- unit: share
-- unit_da: andel
-- direction: lower_is_better
-- kind: quantile
-- level: hospital
-- requires: patients, drg
-- order: 35
-- docs: metrics/demo.md
-- charts: none
-- periods: event
-- quantile: 9/10

-- an ordinary comment after the header: key: value here is not a header line
SELECT 1 AS x;
`;

describe('metric file headers', () => {
  it('the required keys are the ones the file format names', () => {
    expect(REQUIRED_KEYS).toEqual([
      'metric_id', 'version', 'view', 'title', 'title_da', 'definition', 'definition_da', 'grain', 'grain_da',
      'numerator', 'numerator_da', 'denominator', 'denominator_da', 'exclusions', 'unit', 'unit_da',
      'direction', 'kind', 'level', 'requires', 'order', 'docs', 'charts', 'periods',
    ]);
  });

  // Every metric file the registry finds, so that a new metric is checked without being listed here.
  const files = metricFiles();
  it('there are metric files to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
  });
  for (const file of files) {
    it(`${file} has every header key, and its id and view match its path`, () => {
      const text = readFileSync(join(projectRoot(), file), 'utf8');
      for (const key of REQUIRED_KEYS) expect(text, `${file} lacks "-- ${key}:"`).toMatch(new RegExp(`^-- ?${key}:`, 'm'));
      expect(() => loadMetricFile(file)).not.toThrow();
    });
  }

  it('parses wrapped values, lists and the quantile, and stops at the first other line', () => {
    const { header, body } = parseMetricFile(GOOD, 'demo.sql');
    expect(header.definition).toBe('A first sentence that wraps onto a second line.');
    expect(header.exclusions).toEqual(['died', 'incomplete_follow_up']);
    expect(header.requires).toEqual(['patients', 'drg']);
    expect(header.quantile).toEqual({ p: 9, q: 10 });
    expect(header.definition_da).toBe('En første sætning, der fortsætter på næste linje.');
    expect(header).toMatchObject({ order: 35, docs: 'metrics/demo.md', charts: [], periods: 'event' });
    expect(body.endsWith('SELECT 1 AS x')).toBe(true);
  });

  it('names the file and the missing key', () => {
    const noUnit = GOOD.replace('-- unit: share\n', '');
    expect(() => parseMetricFile(noUnit, 'metrics/outcome/demo.sql')).toThrow('metrics/outcome/demo.sql: bad metric header: missing key "unit"');
  });

  it('fails when a metric lacks its Danish text', () => {
    for (const key of ['title_da', 'definition_da', 'unit_da', 'grain_da', 'numerator_da', 'denominator_da']) {
      const without = GOOD.replace(new RegExp(`^-- ${key}:.*\\n(--  .*\\n)*`, 'm'), '');
      expect(without).not.toContain(`${key}:`);
      expect(() => parseMetricFile(without, 'metrics/outcome/demo.sql'), key).toThrow(`metrics/outcome/demo.sql: bad metric header: missing key "${key}"`);
      const empty = GOOD.replace(new RegExp(`^(-- ${key}:).*\\n(--  .*\\n)*`, 'm'), '$1\n');
      expect(() => parseMetricFile(empty, 'x.sql'), key).toThrow(`key "${key}": must not be empty`);
    }
  });

  it('checks order, docs page and charts', () => {
    for (const key of ['order', 'docs', 'charts']) {
      expect(() => parseMetricFile(GOOD.replace(new RegExp(`^-- ${key}:.*\\n`, 'm'), ''), 'x.sql'), key).toThrow(`missing key "${key}"`);
    }
    expect(() => parseMetricFile(GOOD.replace('order: 35', 'order: 3.5'), 'x.sql')).toThrow(/key "order"/);
    expect(() => parseMetricFile(GOOD.replace('order: 35', 'order: 0'), 'x.sql')).toThrow(/key "order"/);
    expect(() => parseMetricFile(GOOD.replace('docs: metrics/demo.md', 'docs: ../README.md'), 'x.sql')).toThrow(/key "docs"/);
    expect(() => parseMetricFile(GOOD.replace('charts: none', 'charts: funnel, pie'), 'x.sql')).toThrow(/key "charts"/);
    // A funnel or p-chart draws a share of records: not a quantile.
    expect(() => parseMetricFile(GOOD.replace('charts: none', 'charts: funnel'), 'x.sql')).toThrow(/key "charts": funnel and control charts need kind rate/);
    const rate = GOOD.replace('kind: quantile', 'kind: rate').replace('-- quantile: 9/10\n', '').replace('charts: none', 'charts: funnel, control');
    expect(parseMetricFile(rate, 'x.sql').header.charts).toEqual(['funnel', 'control']);
    // The Danish unit says "andel" exactly when the English one says "share": both decide how a ratio reads.
    expect(() => parseMetricFile(GOOD.replace('unit_da: andel', 'unit_da: dage'), 'x.sql')).toThrow(/key "unit_da": must start with "andel"/);
  });

  it('near_settings: treatment settings, only with recompute: patients', () => {
    const kept = GOOD.replace('kind: quantile', 'kind: rate').replace('-- quantile: 9/10\n', '');
    const withKey = (extra: string) => kept.replace(/^(-- order:.*\n)/m, `$1${extra}`);
    expect(parseMetricFile(withKey('-- recompute: patients\n-- near_settings: emergency\n'), 'x.sql').header.near_settings).toEqual(['emergency']);
    expect(() => parseMetricFile(withKey('-- near_settings: emergency\n'), 'x.sql')).toThrow(/key "near_settings": only allowed with "recompute: patients" or "recompute: years"/);
    expect(() => parseMetricFile(withKey('-- recompute: patients\n-- near_settings: inpatient\n'), 'x.sql')).toThrow(/key "near_settings"/);
  });

  it('recompute: patients is refused for kind oe (expected rates read every patient), taken for a share', () => {
    const kept = GOOD.replace('-- quantile: 9/10\n', '').replace(/^(-- order:.*\n)/m, '$1-- recompute: patients\n');
    expect(() => parseMetricFile(kept.replace('kind: quantile', 'kind: oe'), 'x.sql')).toThrow(/key "recompute": kind oe reads every patient/);
    expect(parseMetricFile(kept.replace('kind: quantile', 'kind: share'), 'x.sql').header.recompute).toBe('patients');
    // By year: with the block kept per patient, and only then.
    const oe = kept.replace('kind: quantile', 'kind: oe');
    expect(parseMetricFile(oe.replace('recompute: patients', 'recompute: years\n-- per_patient: some_block'), 'x.sql').header.per_patient).toBe('some_block');
    expect(() => parseMetricFile(oe.replace('recompute: patients', 'recompute: years'), 'x.sql')).toThrow(/key "per_patient"/);
    expect(() => parseMetricFile(oe.replace('recompute: patients', 'recompute: all\n-- per_patient: some_block'), 'x.sql')).toThrow(/key "per_patient"/);
  });

  it('every metric has Danish texts of its own, a unique order, an existing docs page and charts only for shares', () => {
    const entries = catalogEntries();
    for (const e of entries) {
      for (const k of ['title', 'description', 'unit', 'grain', 'numerator', 'denominator'] as const) {
        expect(e.da[k], `${e.id} ${k}_da`).toBeTruthy();
        // A copied English text is a missing translation.
        expect(e.da[k], `${e.id} ${k}_da`).not.toBe(e[k]);
      }
      expect(existsSync(join(projectRoot(), 'docs', e.docs)), `${e.id}: docs/${e.docs}`).toBe(true);
      if (e.charts.length) expect(isShare(e), `${e.id} charts`).toBe(true);
    }
    const orders = entries.map((e) => e.order);
    expect(new Set(orders).size, 'each order is used once').toBe(orders.length);
    expect(entries.filter((e) => e.charts.includes('funnel')).map((e) => e.id).sort()).toEqual(['avoidable_trips', 'ed_return_72h', 'mortality_30d', 'readmission_30d', 'readmission_drg_share']);
  });

  it('says which periods a record is filed under: its event, or every one its stay spans', () => {
    expect(() => parseMetricFile(GOOD.replace('-- periods: event\n', ''), 'x.sql')).toThrow('missing key "periods"');
    expect(() => parseMetricFile(GOOD.replace('periods: event', 'periods: nights'), 'x.sql')).toThrow(/key "periods"/);
    expect(parseMetricFile(GOOD.replace('periods: event', 'periods: spread'), 'x.sql').header.periods).toBe('spread');
    // Bed days count every night of a stay; every other metric files a record at one event.
    expect([...spreadMetricIds()]).toEqual(['bed_days']);
    // The dashboards alone need it: catalog.json keeps the keys it had.
    for (const e of catalogEntries()) expect(e, e.id).not.toHaveProperty('periods');
  });

  it('rejects unknown keys, bad values and a quantile on another kind', () => {
    expect(() => parseMetricFile(GOOD.replace('-- unit:', '-- units:'), 'x.sql')).toThrow(/unknown key "units"/);
    expect(() => parseMetricFile(GOOD.replace('lower_is_better', 'lower'), 'x.sql')).toThrow(/key "direction"/);
    expect(() => parseMetricFile(GOOD.replace('patients, drg', 'patients, beds'), 'x.sql')).toThrow(/key "requires"/);
    expect(() => parseMetricFile(GOOD.replace('kind: quantile', 'kind: mean'), 'x.sql')).toThrow(/only allowed for kind quantile/);
    expect(() => parseMetricFile(GOOD.replace('-- quantile: 9/10\n', ''), 'x.sql')).toThrow(/required for kind quantile/);
    expect(() => parseMetricFile(GOOD.replace('9/10', '11/10'), 'x.sql')).toThrow(/key "quantile"/);
    expect(() => parseMetricFile(GOOD.replace('-- unit: share\n', '-- unit: share\n-- unit: days\n'), 'x.sql')).toThrow(/appears twice/);
    expect(parseMetricFile(GOOD + '', 'x.sql').header.denominator_metric).toBeUndefined();
    expect(parseMetricFile(GOOD.replace('-- quantile: 9/10\n', '-- quantile: 9/10\n-- denominator_metric: drg_value\n'), 'x.sql').header.denominator_metric).toBe('drg_value');
    expect(() => parseMetricFile(GOOD.replace('-- quantile: 9/10\n', '-- quantile: 9/10\n-- denominator_metric: DRG value\n'), 'x.sql')).toThrow(/key "denominator_metric"/);
  });

  it('turns into catalog entries with the keys of catalog.json', () => {
    const entries = catalogEntries();
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const mine = ['admissions', 'stays', 'bed_days', 'ambulatory_visits', 'treatments', 'emergency_visits', 'drg_value',
      'readmission_30d', 'readmission_7d', 'los_mean', 'los_median', 'los_p90', 'mortality_30d'];
    for (const id of mine) expect(entries.map((e) => e.id)).toContain(id);
    const los = entries.find((e) => e.id === 'los_median');
    expect(los).toMatchObject({
      view: 'outcome', title: 'Median length of stay', unit: 'days', direction: 'lower_is_better', version: '1',
      kind: 'quantile', level: 'department', requires: [], quantile: { p: 1, q: 2 }, source: 'metrics/outcome/los_median.sql',
    });
    expect(entries.find((e) => e.id === 'mortality_30d')?.requires).toEqual(['patients']);
    // a share names the metric its denominator is, for suppression
    expect(entries.find((e) => e.id === 'readmission_drg_share')).toMatchObject({ kind: 'share', requires: ['drg'], denominatorMetric: 'drg_value' });
    expect(entries.filter((e) => e.denominatorMetric).map((e) => e.id)).toEqual(['readmission_drg_share']);
    // activity first
    const views = entries.map((e) => e.view);
    expect(views.indexOf('outcome')).toBeGreaterThan(views.lastIndexOf('activity'));
  });
});
