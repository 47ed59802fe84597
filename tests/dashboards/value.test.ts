/**
 * The overview's bridge between the two views in words: per hospital and year, the share
 * of its DRG value that paid for readmissions, beside its readmission rate, from published
 * rows only.
 */
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../dashboards/site.js';
import type { Locale, PublishedRow } from '../../dashboards/types.js';
import { FIXTURE_CATALOG } from './fixture.js';

type Reason = PublishedRow['suppressed'];
function pub(metric_id: string, period: string, hospital_id: string, n: number, d: number, suppressed: Reason = null): PublishedRow {
  const hide = suppressed !== null;
  return {
    metric_id,
    view: 'outcome',
    period,
    hospital_id,
    department_id: 'ALL',
    numerator: hide ? null : n,
    denominator: hide ? null : d,
    value: hide ? null : n / d,
    lower: null,
    upper: null,
    suppressed,
  };
}

const ROWS: PublishedRow[] = [
  // H03: shown both years, up
  pub('readmission_drg_share', '2023', 'H03', 9, 100),
  pub('readmission_drg_share', '2024', 'H03', 11, 100),
  pub('readmission_30d', '2023', 'H03', 131, 1000),
  pub('readmission_30d', '2024', 'H03', 142, 1000),
  // H04: the share is hidden in 2024, and its rate has no row
  pub('readmission_drg_share', '2023', 'H04', 30, 200),
  pub('readmission_drg_share', '2024', 'H04', 0, 0, 'primary'),
  // H05: the year before is hidden; equal at the precision shown; its rate is hidden
  pub('readmission_drg_share', '2023', 'H05', 0, 0, 'complement'),
  pub('readmission_drg_share', '2024', 'H05', 1000, 10000),
  pub('readmission_30d', '2024', 'H05', 0, 0, 'secondary'),
  // 2025 is not complete at the cutoff: down, and unchanged at 0.1% precision
  pub('readmission_drg_share', '2025', 'H03', 100.4, 1000),
  pub('readmission_30d', '2025', 'H03', 14205, 100000),
  pub('readmission_drg_share', '2024', 'ALL', 1111, 10200),
];

function site(locale: Locale, rows = ROWS) {
  return buildSite(rows, { catalog: FIXTURE_CATALOG, locale, minCell: 5, runDate: '2025-07-01', cutoff: '2025-06-30 23:59:59', docsBase: 'docs/' });
}
/** The sentences of a page, as the reader sees them. */
function sentences(html: string): string[] {
  const list = /<ul class="value-sentences">(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
}

describe('the DRG value paid for readmissions, in words', () => {
  it('says it per hospital and year on the overview, newest year first, beside the readmission rate', () => {
    const index = site('en').find((p) => p.file === 'index.html')!;
    expect(sentences(index.html)).toEqual([
      "In 2025 (not complete), 10.0% of H03's DRG value paid for unplanned readmissions within 30 days, down from 11.0%; its 30-day readmission rate was 14.2%, unchanged from 14.2%.",
      "In 2024, 11.0% of H03's DRG value paid for unplanned readmissions within 30 days, up from 9.0%; its 30-day readmission rate was 14.2%, up from 13.1%.",
      "In 2024, the share of H04's DRG value that paid for unplanned readmissions within 30 days is hidden (small numbers).",
      "In 2024, 10.0% of H05's DRG value paid for unplanned readmissions within 30 days (the year before: hidden, small numbers); its 30-day readmission rate is hidden (small numbers).",
      "In 2023, 9.0% of H03's DRG value paid for unplanned readmissions within 30 days; its 30-day readmission rate was 13.1%.",
      "In 2023, 15.0% of H04's DRG value paid for unplanned readmissions within 30 days.",
      "In 2023, the share of H05's DRG value that paid for unplanned readmissions within 30 days is hidden (small numbers).",
    ]);
    // before the change matrix and the charts: the first thing after the hospital links
    expect(index.html.indexOf('value-sentences')).toBeLessThan(index.html.indexOf('class="controls'));
  });

  it('says only its own hospital on a hospital page, in Danish too', () => {
    const h04 = site('en').find((p) => p.file === 'hospital-H04.html')!;
    expect(sentences(h04.html)).toHaveLength(2);
    expect(sentences(h04.html).every((s) => s.includes("H04's"))).toBe(true);
    const da = site('da').find((p) => p.file === 'hospital-H03.html')!;
    // Danish puts a (non-breaking) space before the percent sign.
    expect(sentences(da.html)).toEqual([
      "I 2025 (ikke afsluttet) gik 10,0\u00a0% af H03's DRG-værdi til uplanlagte genindlæggelser inden for 30 dage, ned fra 11,0\u00a0%; hospitalets genindlæggelsesfrekvens inden for 30 dage var 14,2\u00a0%, uændret fra 14,2\u00a0%.",
      "I 2024 gik 11,0\u00a0% af H03's DRG-værdi til uplanlagte genindlæggelser inden for 30 dage, op fra 9,0\u00a0%; hospitalets genindlæggelsesfrekvens inden for 30 dage var 14,2\u00a0%, op fra 13,1\u00a0%.",
      "I 2023 gik 9,0\u00a0% af H03's DRG-værdi til uplanlagte genindlæggelser inden for 30 dage; hospitalets genindlæggelsesfrekvens inden for 30 dage var 13,1\u00a0%.",
    ]);
    expect(site('da').find((p) => p.file === 'hospital-H05.html')!.html).toContain(
      "I 2024 gik 10,0\u00a0% af H05&#39;s DRG-værdi til uplanlagte genindlæggelser inden for 30 dage (året før: skjult, små tal); hospitalets genindlæggelsesfrekvens inden for 30 dage er skjult (små tal).",
    );
  });

  it('has no section without DRG weights (the metric is absent)', () => {
    const rows = ROWS.filter((r) => r.metric_id !== 'readmission_drg_share');
    for (const p of site('en', rows)) expect(p.html).not.toContain('value-sentences');
  });

  it('escapes the hospital id', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const page = site('en', [pub('readmission_drg_share', '2024', evil, 1, 10)]).find((p) => p.file === 'index.html')!;
    expect(page.html).not.toContain(evil);
    expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt;&#39;s DRG value');
  });
});
