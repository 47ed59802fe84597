/**
 * The charts' accessible names: a sentence for every state of the controls a chart
 * follows, with the fixture's findings (hand-checked against its funnel points,
 * its built-in stories and its shape: 4 hospitals × 3 departments, 20 metrics, 3 of
 * them for whole hospitals only).
 */
import { describe, expect, it } from 'vitest';
import { defaultName, inSentence, listText, monthText, nameKey, paramDefaults } from '../../dashboards/names.js';
import { strings } from '../../dashboards/i18n.js';
import type { Locale, Page } from '../../dashboards/types.js';
import { FIXTURE_CATALOG } from './fixture.js';
import { fixtureSite } from './helpers.js';

const en = fixtureSite('en');
const da = fixtureSite('da');
const chart = (pages: Page[], file: string, id: string) => pages.find((p) => p.file === file)!.charts.find((c) => c.id === id)!;
const opening = (pages: Page[], file: string, id: string) => {
  const c = chart(pages, file, id);
  return defaultName(c.name, paramDefaults(c.spec));
};

/** The option values of each `<select>` of a page, by element id. */
function selects(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of html.matchAll(/<select id="([^"]+)">(.*?)<\/select>/g)) {
    out[m[1]!] = [...m[2]!.matchAll(/<option value="([^"]*)"/g)].map((o) => o[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
  }
  return out;
}

const product = (lists: string[][]): string[][] => lists.reduce<string[][]>((acc, l) => acc.flatMap((a) => l.map((v) => [...a, v])), [[]]);

describe('chart names', () => {
  it('words: titles inside a sentence, lists, months', () => {
    const c = (locale: Locale) => ({ t: strings(locale), ctx: { locale } });
    expect(inSentence('Admissions')).toBe('admissions');
    expect(inSentence('DRG value')).toBe('DRG value');
    expect(inSentence('30-day mortality')).toBe('30-day mortality');
    expect(listText(['A', 'B', 'C'], c('en'))).toBe('A, B and C');
    expect(listText(['Length of stay, median', 'B'], c('da'))).toBe('Length of stay, median og B');
    expect(listText(['Length of stay, median', 'B', 'C'], c('en'))).toBe('Length of stay, median; B and C');
    expect(monthText('2024-03', 'en')).toBe('March 2024');
    expect(monthText('2024-03', 'da')).toBe('marts 2024');
  });

  it('a funnel plot says how many units lie outside the limits, per period', () => {
    // 2024 points: H1 beyond the 99.8% limits (its readmissions fell), H4 beyond the 95% limits, H2 and H3 within.
    expect(opening(en, 'funnels.html', 'funnel-readmission_30d')).toBe(
      'Funnel plot of 30-day unplanned readmission against index stays, 2024, by hospital; 2 of 4 hospitals outside the 95% limits, 1 of them outside the 99.8% limits',
    );
    expect(chart(en, 'funnels.html', 'funnel-readmission_30d').name.params).toEqual(['period']);
    expect(opening(da, 'funnels.html', 'funnel-readmission_30d')).toBe(
      'Tragtdiagram af akutte genindlæggelser inden for 30 dage mod indeksforløb, 2024, pr. hospital; 2 af 4 hospitaler uden for 95 %-grænserne, 1 af dem uden for 99,8 %-grænserne',
    );
  });

  it('a p-chart gives its months, its unit and the reading of the latest month', () => {
    // H1's readmissions fall from 2024: a shift below the centre line, an improvement.
    expect(opening(en, 'hospital-H1.html', 'pchart-readmission_30d')).toBe(
      'Control chart (p-chart) of 30-day unplanned readmission per month, January 2023 to December 2024, the whole hospital; latest month: improving (8 or more in a row on one side of the centre line)',
    );
    // H3's mortality rises from 2024-04 and carries all hospitals with it.
    expect(opening(en, 'control.html', 'pchart-mortality_30d')).toBe(
      'Control chart (p-chart) of 30-day mortality after discharge per month, January 2023 to December 2024, all hospitals; latest month: deteriorating (8 or more in a row on one side of the centre line)',
    );
    // The trip metrics exist for the whole hospital only: one fixed name, no parameter.
    expect(chart(en, 'hospital-H1.html', 'pchart-avoidable_trips').name.params).toEqual([]);
  });

  it('a change matrix counts its cells: 20 metrics × (units + total), empty where a metric is for whole hospitals only', () => {
    // 7 activity and 13 outcome metrics today; the counts follow the registry.
    const activity = FIXTURE_CATALOG.filter((c) => c.view === 'activity').length;
    const outcome = FIXTURE_CATALOG.length - activity;
    expect([activity, outcome]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(activity + outcome).toBeGreaterThanOrEqual(20);
    expect(opening(en, 'index.html', 'change')).toMatch(
      new RegExp(`^Change matrix of ${activity} activity and ${outcome} outcome metrics for 4 hospitals and all hospitals, 2024 vs 2023: outcomes better in \\d+ cells and worse in \\d+; 0 of ${5 * (activity + outcome)} cells empty \\(no data or hidden\\)$`),
    );
    // 3 departments × 3 hospital-level metrics = 9 empty cells of 4 × the metrics.
    expect(opening(en, 'hospital-H1.html', 'change')).toMatch(new RegExp(`for 3 departments and the whole hospital, 2024 vs 2023: .*; 9 of ${4 * (activity + outcome)} cells empty`));
    expect(opening(da, 'hospital-H1.html', 'change')).toMatch(
      new RegExp(`^Ændringsmatrix for ${activity} aktivitets- og ${outcome} resultatindikatorer for 3 afdelinger og hele hospitalet, 2024 mod 2023: .*; 9 af ${4 * (activity + outcome)} celler tomme`),
    );
  });

  it('line charts name their metrics, months and unit', () => {
    expect(opening(en, 'hospital-H1.html', 'los')).toBe('Line charts per month of median length of stay and length of stay, 90th percentile, January 2023 to December 2024, the whole hospital');
    expect(opening(en, 'metric-readmission_30d.html', 'trend')).toBe(
      'Line chart of 30-day unplanned readmission per month, January 2023 to December 2024: H1 against every hospital and all hospitals together',
    );
  });

  it('every chart of every page has a name for every state of the menus it follows', () => {
    for (const pages of [en, da]) {
      for (const p of pages) {
        const options = selects(p.html);
        for (const c of p.charts) {
          const params = (c.spec['params'] as { name: string; bind: { element: string } }[] | undefined) ?? [];
          expect(c.name.params, `${p.file} ${c.id}`).toEqual(params.map((x) => x.name));
          const states = product(params.map((x) => options[x.bind.element.slice(1)]!));
          expect(Object.keys(c.name.texts).sort(), `${p.file} ${c.id}`).toEqual(states.map((s) => nameKey(s)).sort());
          for (const text of Object.values(c.name.texts)) expect(text.length, `${p.file} ${c.id}`).toBeGreaterThan(40);
        }
      }
    }
  });

  it('a department name is data: it reaches the name as text (the page sets it as an attribute value, never as HTML)', () => {
    const texts = Object.entries(chart(en, 'hospital-H2.html', 'pchart-readmission_30d').name.texts);
    expect(texts.some(([key, text]) => key === nameKey(['<img src=x onerror=alert(1)>']) && text.includes(', <img src=x onerror=alert(1)>; latest month: '))).toBe(true);
  });
});
