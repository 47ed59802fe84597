/**
 * The built dashboards in a real browser, opened from disk: no console error, no
 * request off file://, every chart drawn with its table alternative, labels shown
 * as text, hidden cells without marks, dates unshifted in a far time zone.
 * Screenshots go to tests/artifacts/dashboards/ (git-ignored).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page as SitePage } from '../../dashboards/types.js';
import { SKIP_MESSAGE, browserTestMode, openFixtureSite, visit } from './browser.js';
import { TINY_CELL, XSS_DEPARTMENT } from './fixture.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'dashboards');
const mode = browserTestMode();

if (mode === 'skip') {
  describe('dashboards in Chromium', () => {
    it.skip(SKIP_MESSAGE, () => {});
  });
} else {
  describe('dashboards in Chromium', () => {
    let browser: Browser;
    let ctx: BrowserContext;
    let pages: SitePage[];
    let url: (file: string) => string;

    beforeAll(async () => {
      // A time zone far from UTC: a period that shifted would show as December.
      ({ browser, ctx, pages, url } = await openFixtureSite(ARTIFACTS, 'en', { timezoneId: 'America/Los_Angeles' }));
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('every page opens from disk without console errors or network requests, and draws every chart with a table alternative', async () => {
      const timings: Record<string, number> = {};
      for (const p of pages) {
        const v = await visit(ctx, url(p.file));
        timings[p.file] = v.ms;
        expect(v.problems, p.file).toEqual([]);
        expect(v.offline, p.file).toEqual([]);
        expect(v.expected, p.file).toBe(p.charts.length);
        expect(v.rendered, p.file).toBe(p.charts.length);
        const counts = await v.page.evaluate(() => ({
          figures: document.querySelectorAll('figure.chart').length,
          svgs: document.querySelectorAll('figure.chart .vis svg').length,
          tables: document.querySelectorAll('figure.chart details.table-alt summary').length,
          csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
        }));
        expect(counts.figures, p.file).toBe(p.charts.length);
        expect(counts.svgs, p.file).toBe(p.charts.length);
        expect(counts.tables, p.file).toBe(p.charts.length);
        expect(counts.csp).not.toMatch(/unsafe/);
        await v.page.screenshot({ path: join(ARTIFACTS, p.file.replace(/\.html$/, '.png')) });
        await v.page.close();
      }
      console.log('page load (ms, fixture site):', JSON.stringify(timings));
    }, 300_000);

    it('a department called <img src=x onerror=alert(1)> shows as text and runs nothing', async () => {
      const v = await visit(ctx, url('hospital-H2.html'));
      const found = await v.page.evaluate((name) => {
        const option = [...document.querySelectorAll('#sel-department option')].find((o) => o.textContent === name);
        const labels = [...document.querySelectorAll('#chart-change svg text')].map((t) => t.textContent ?? '');
        return { images: document.querySelectorAll('img').length, option: Boolean(option), label: labels.some((l) => l.startsWith('<img src=x')) };
      }, XSS_DEPARTMENT);
      expect(found).toEqual({ images: 0, option: true, label: true });
      await v.page.selectOption('#sel-department', XSS_DEPARTMENT);
      await v.page.click('#tablebox-pchart-readmission_30d summary');
      // The table is filled when the box opens; wait for it rather than race it on a busy machine.
      const rows = v.page.locator('#table-pchart-readmission_30d table tbody tr');
      await rows.nth(23).waitFor({ timeout: 10_000 });
      expect(await rows.count()).toBe(24);
      expect(v.problems).toEqual([]);
      await v.page.close();
    });

    it('a hidden cell shows no mark, and reads "hidden" in the table', async () => {
      const v = await visit(ctx, url('hospital-H1.html'));
      await v.page.selectOption('#sel-department', TINY_CELL.department);
      await v.page.waitForFunction(() => (window as never as { dashboard: { views: Record<string, { signal(n: string): unknown }> } }).dashboard.views['pchart-readmission_30d']!.signal('department') === 'CARD');
      const months = await v.page.evaluate(() => {
        const view = (window as never as { dashboard: { views: Record<string, { scenegraph(): { root: unknown } }> } }).dashboard.views['pchart-readmission_30d']!;
        const out: string[] = [];
        const walk = (n: { marktype?: string; items?: { datum?: Record<string, unknown> }[] }) => {
          for (const it of n.items ?? []) {
            const t = it.datum?.['period'];
            if (n.marktype === 'symbol' && typeof t === 'number') out.push(new Date(t).toISOString().slice(0, 7));
            walk(it as never);
          }
        };
        walk(view.scenegraph().root as never);
        return out;
      });
      expect(months).toContain('2024-02');
      expect(months).not.toContain(TINY_CELL.period);
      await v.page.click('#tablebox-pchart-readmission_30d summary');
      const row = v.page.locator('#table-pchart-readmission_30d tr', { hasText: TINY_CELL.period });
      await expect(row.textContent()).resolves.toContain('hidden (small numbers)');
      await v.page.screenshot({ path: join(ARTIFACTS, 'hospital-H1-CARD.png'), fullPage: true });
      await v.page.close();
    });

    it('months are not shifted by the reader’s time zone', async () => {
      // In Los Angeles, 2023-01 read as a local month would be December 2022.
      const v = await visit(ctx, url('metric-readmission_30d.html'));
      await v.page.locator('#chart-trend g.mark-symbol path').first().hover();
      const tip = v.page.locator('#vg-tooltip-element');
      await expect.poll(() => tip.getAttribute('class')).toContain('visible');
      expect(await tip.textContent()).toContain('January 2023');
      const labels = await v.page.evaluate(() => [...document.querySelectorAll('#chart-trend svg text')].map((t) => t.textContent));
      expect(labels).toContain('Jan 2023');
      await v.page.close();
    });

    it('tooltips show numerator, denominator and value', async () => {
      const v = await visit(ctx, url('funnels.html'));
      await v.page.locator('#chart-funnel-readmission_30d g.mark-symbol path').first().hover();
      const tip = v.page.locator('#vg-tooltip-element');
      await expect.poll(() => tip.getAttribute('class')).toContain('visible');
      const text = await tip.textContent();
      expect(text).toContain('Numerator');
      expect(text).toContain('Denominator');
      expect(text).toContain('30-day unplanned readmission');
      await v.page.close();
    });

    it('the keyboard reaches the skip link, the menus and the table switches; print hides the controls', async () => {
      const v = await visit(ctx, url('index.html'));
      const focused: string[] = [];
      for (let i = 0; i < 30; i++) {
        await v.page.keyboard.press('Tab');
        focused.push(await v.page.evaluate(() => {
          const a = document.activeElement;
          return a ? `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.className ? '.' + a.className : ''}` : '';
        }));
      }
      expect(focused[0]).toBe('a.skip');
      expect(focused).toContain('select#sel-year');
      expect(focused).toContain('select#sel-hospital');
      expect(focused).toContain('summary');
      await v.page.emulateMedia({ media: 'print' });
      expect(await v.page.locator('.controls').isVisible()).toBe(false);
      expect(await v.page.locator('figure.chart').first().isVisible()).toBe(true);
      await v.page.close();
    });
  });
}
