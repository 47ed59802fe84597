/**
 * The Danish site: every metric's title, definition and unit from the `_da` lines of its
 * SQL header, Danish numbers and dates, and the clinicians' reading guide linked from help.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { docPages } from '../../dashboards/docs.js';
import { formatDate, formatValue } from '../../dashboards/format.js';
import { decodeRows } from '../../dashboards/encode.js';
import { pageData } from '../../dashboards/pages/layout.js';
import type { Page } from '../../dashboards/types.js';
import { FIXTURE_CATALOG } from './fixture.js';
import { fixtureSite } from './helpers.js';

let da: Page[];
let en: Page[];
beforeAll(() => {
  da = fixtureSite('da');
  en = fixtureSite('en');
});
const pageOf = (pages: Page[], file: string) => pages.find((p) => p.file === file)!;
const entry = (id: string) => FIXTURE_CATALOG.find((c) => c.id === id)!;

describe('the Danish site', () => {
  it('shows no English metric title, definition or unit on any page, in the HTML or the chart data', () => {
    const english = FIXTURE_CATALOG.flatMap((c) => [c.title, c.description, ...(c.unit.includes(' ') ? [c.unit] : [])]);
    for (const p of da) {
      const text = p.html + JSON.stringify(p.charts.map((c) => c.spec));
      for (const s of english) expect(text.includes(s), `${p.file}: "${s}"`).toBe(false);
    }
    // The English site does show them: the check above can fail.
    expect(pageOf(en, 'index.html').html).toContain('Hospital stays');
  });

  it('names every metric in Danish: navigation, metric pages, funnel and control charts', () => {
    const index = pageOf(da, 'index.html').html;
    for (const c of FIXTURE_CATALOG) expect(index, c.id).toContain(`>${c.da.title}</a>`);
    const metric = pageOf(da, 'metric-readmission_30d.html');
    expect(metric.title).toBe('Akutte genindlæggelser inden for 30 dage');
    expect(metric.html).toContain('<h1>Akutte genindlæggelser inden for 30 dage</h1>');
    expect(metric.html).toContain(`<p class="lead">${entry('readmission_30d').da.description}</p>`);
    expect(metric.html).toContain('<dt>Enhed</dt><dd>andel af indeksforløb</dd>');
    expect(metric.html).toContain('<dt>Nævner</dt><dd>indeksforløb: afsluttede forløb,');
    expect(pageOf(da, 'funnels.html').charts.map((c) => c.title)).toEqual([
      'Akutte genindlæggelser inden for 30 dage: andel mod volumen',
      'DRG-værdi betalt for akutte genindlæggelser: andel mod volumen',
      'Dødelighed inden for 30 dage efter udskrivelse: andel mod volumen',
      'Nyt besøg i akutmodtagelsen inden for 72 timer: andel mod volumen',
      'Fremmøder, som samordning på samme dag kunne have sparet: andel mod volumen',
    ]);
    expect(pageOf(da, 'control.html').charts.map((c) => c.id)).toEqual(pageOf(en, 'control.html').charts.map((c) => c.id));
  });

  it('writes numbers and dates the Danish way', () => {
    const index = pageOf(da, 'index.html');
    expect(index.html).toContain('Data til og med 31. december 2024. Dannet 1. februar 2025.');
    const changes = decodeRows(pageData(index.charts, 'da').datasets['changes']!);
    const row = changes.find((r) => r['unit'] === 'H3' && r['metric_id'] === 'mortality_30d' && r['year'] === '2024')!;
    expect(row['metric']).toBe('Dødelighed inden for 30 dage efter udskrivelse');
    expect(row['change_text']).toBe('+3,0 %-point');
    expect(row['value_text']).toMatch(/^\d+,\d\u00a0%$/);
    // avoidable trips: a ratio whose unit is a share reads in percent in Danish too (unit "andel af fremmøder")
    expect(formatValue(0.1234, { kind: 'ratio', unit: 'andel af fremmøder' }, 'da')).toBe('12,3\u00a0%');
    expect(formatValue(1234.5, { kind: 'sum', unit: 'DRG-vægt' }, 'da')).toBe('1.234,5');
    expect(formatDate('2024-03-05 08:30:00', 'da')).toBe('5. marts 2024 kl. 08.30');
    expect(formatDate('2024-12-31 23:59:59', 'da')).toBe('31. december 2024');
    expect(formatDate('2024-05-01', 'en')).toBe('2024-05-01');
  });

  it('links the Danish reading guide from the help page, rendered beside the pages in Danish', () => {
    const help = pageOf(da, 'help.html').html;
    const href = /<a href="(docs\/[^"]+)">Læsevejledning/.exec(help)?.[1];
    expect(href).toBe('docs/reading-guide.da.html');
    const guide = docPages('Til oversigten', 'da').find((d) => d.file === href)!;
    expect(guide.html).toContain('<html lang="da">');
    for (const h of ['Ændringsmatrixen', 'tragtdiagram', 'kontroldiagram']) expect(guide.html.toLowerCase()).toContain(h.toLowerCase());
    expect(pageOf(en, 'help.html').html).not.toContain('reading-guide');
    expect(docPages('Back', 'en').map((d) => d.file)).not.toContain(href);
  });
});
