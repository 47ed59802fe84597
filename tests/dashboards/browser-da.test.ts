/**
 * The Danish dashboards in Chromium: once every chart has drawn, no English metric title
 * is on the page (text, chart labels, menus, tooltips' tables), the Danish titles are, and
 * month names and numbers are Danish. Screenshots go to tests/artifacts/dashboards-da/.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as SitePage } from '../../dashboards/types.js';
import { SKIP_MESSAGE, browserTestMode, openFixtureSite, visit } from './browser.js';
import { FIXTURE_CATALOG } from './fixture.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'dashboards-da');
const SITE = join(ARTIFACTS, 'site');

if (browserTestMode() === 'skip') {
  describe('Danish dashboards in Chromium', () => {
    it.skip(SKIP_MESSAGE, () => {});
  });
} else {
  describe('Danish dashboards in Chromium', () => {
    let browser: Browser;
    let ctx: BrowserContext;
    let pages: SitePage[];
    let url: (file: string) => string;

    beforeAll(async () => {
      ({ browser, ctx, pages, url } = await openFixtureSite(ARTIFACTS, 'da', { locale: 'da-DK' }));
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      rmSync(SITE, { recursive: true, force: true });
    });

    it('no page shows an English metric title once its charts are drawn; the overview names every metric in Danish', async () => {
      const english = FIXTURE_CATALOG.map((c) => c.title);
      const files = ['index.html', 'funnels.html', 'control.html', 'hospital-H1.html', 'metric-readmission_30d.html', 'metric-avoidable_trips.html'];
      for (const file of files) {
        const v = await visit(ctx, url(file));
        expect(v.problems, file).toEqual([]);
        expect(v.rendered, file).toBe(pages.find((p) => p.file === file)!.charts.length);
        // Open every table alternative, so that their metric columns are on the page too.
        for (const s of await v.page.locator('details.table-alt summary').all()) await s.click();
        const shown = await v.page.evaluate(() => {
          const svgText = [...document.querySelectorAll('svg text')].map((t) => t.textContent ?? '');
          const options = [...document.querySelectorAll('option')].map((o) => o.textContent ?? '');
          return [document.body.innerText, ...svgText, ...options].join('\n');
        });
        for (const title of english) expect(shown.includes(title), `${file}: "${title}"`).toBe(false);
        if (file === 'index.html') {
          for (const c of FIXTURE_CATALOG) expect(shown, c.id).toContain(c.da.title);
          // the change matrix's column labels are drawn by Vega: Danish titles in the SVG itself
          const matrix = await v.page.evaluate(() => [...document.querySelectorAll('#chart-change svg text')].map((t) => t.textContent ?? ''));
          expect(matrix).toContain('Indlæggelser');
          expect(matrix).toContain('Akutte genindlæggelser inden for 30 dage');
        }
        await v.page.screenshot({ path: join(ARTIFACTS, file.replace(/\.html$/, '.png')), fullPage: true });
        await v.page.close();
      }
    }, 300_000);

    it('months and numbers read in Danish in the charts and tables', async () => {
      const v = await visit(ctx, url('metric-avoidable_trips.html'));
      const labels = await v.page.evaluate(() => [...document.querySelectorAll('#chart-trend svg text')].map((t) => t.textContent ?? ''));
      expect(labels.some((l) => /^(jan|apr|jul|okt) 20\d\d$/.test(l)), labels.join(' | ')).toBe(true);
      expect(labels.some((l) => /\d,\d\u00a0%$/.test(l)), labels.join(' | ')).toBe(true);
      await v.page.click('#tablebox-trend summary');
      const cells = v.page.locator('#table-trend table tbody tr').first();
      await cells.waitFor({ timeout: 10_000 });
      expect(await cells.textContent()).toMatch(/\d,\d\u00a0%/);
      await v.page.close();
    });
  });
}
