/**
 * Accessibility of the built dashboards in Chromium, in both locales: axe-core
 * (WCAG 2.0/2.1 A and AA plus best practice) finds nothing on any page with every
 * table alternative open, in print on a page of each kind, nor on a phone-sized
 * screen; every chart is an image named by what it shows, and the name follows the
 * controls; the keyboard reaches every control, link and table switch, with a
 * visible focus outline.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSite } from '../../dashboards/build.js';
import { docPages } from '../../dashboards/docs.js';
import type { Locale } from '../../dashboards/types.js';
import { axe, type AxeViolation } from './axe.js';
import { SKIP_MESSAGE, browserTestMode, launch, visit } from './browser.js';
import { fixtureSite } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'a11y');
const LOCALES: Locale[] = ['en', 'da'];
const mode = browserTestMode();

/** One line per violation, so a failure names the rule and the first elements. */
const report = (vs: AxeViolation[]) => vs.map((v) => `${v.id} (${v.impact}) ×${v.nodes}: ${v.targets.join(' | ')}`);

/** Open every "Show as table" and wait until each has its table. */
async function openTables(page: Page): Promise<number> {
  const n = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('details.table-alt')] as HTMLDetailsElement[];
    for (const d of boxes) d.open = true;
    return boxes.length;
  });
  await page.waitForFunction((k) => document.querySelectorAll('details.table-alt .table-wrap table').length === k, n, { timeout: 20_000 });
  return n;
}

/** Press Tab until focus comes back round; the elements focused, in order, with their outline. */
async function tabRound(page: Page): Promise<{ key: string; outline: string }[]> {
  const seen: { key: string; outline: string }[] = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      if (!a || a === document.body) return null;
      const s = getComputedStyle(a);
      return { key: a.getAttribute('data-key') ?? '', outline: `${s.outlineStyle} ${s.outlineWidth}` };
    });
    if (f === null || (seen.length > 0 && f.key === seen[0]!.key)) break;
    seen.push(f);
  }
  return seen;
}

if (mode === 'skip') {
  describe('dashboards accessibility', () => {
    it.skip(SKIP_MESSAGE, () => {});
  });
} else {
  describe('dashboards accessibility (axe-core in Chromium)', () => {
    let browser: Browser;
    let ctx: BrowserContext;
    const files: Record<Locale, string[]> = { en: [], da: [] };
    const url = (locale: Locale, file: string) => pathToFileURL(join(ROOT, locale, file)).href;

    beforeAll(async () => {
      rmSync(ROOT, { recursive: true, force: true });
      for (const locale of LOCALES) {
        const dir = join(ROOT, locale);
        const pages = fixtureSite(locale);
        await writeSite(pages, dir, { locale, skipSvg: true });
        const docs = docPages(locale === 'da' ? 'Til oversigten' : 'Back to the overview');
        for (const d of docs) {
          mkdirSync(dirname(join(dir, d.file)), { recursive: true });
          writeFileSync(join(dir, d.file), d.html);
        }
        files[locale] = [...pages.map((p) => p.file), ...docs.map((d) => d.file)];
      }
      browser = await launch();
      ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      rmSync(ROOT, { recursive: true, force: true });
    });

    for (const locale of LOCALES) {
      it(`${locale}: no violation on any page (tables open) on screen, nor in print on a page of each kind`, async () => {
        const found: Record<string, string[]> = {};
        for (const file of files[locale]) {
          const v = await visit(ctx, url(locale, file));
          // With the tables open the page holds everything it holds closed, and the tables too.
          await openTables(v.page);
          const screen = await axe(v.page);
          // Print changes styles only, the same for every page of a kind: one hospital and one metric page stand for the rest.
          let print: AxeViolation[] = [];
          if (!/^(hospital|metric)-/.test(file) || file === 'hospital-H2.html' || file === 'metric-readmission_30d.html') {
            await v.page.emulateMedia({ media: 'print' });
            print = await axe(v.page);
          }
          const all = [...report(screen), ...report(print).map((s) => `print: ${s}`)];
          if (all.length) found[file] = all;
          expect(v.problems, file).toEqual([]);
          await v.page.close();
        }
        expect(found).toEqual({});
      }, 600_000);
    }

    it('on a phone-sized screen (375 px), no violation either: wide tables scroll in focusable boxes', async () => {
      const narrow = await browser.newContext({ viewport: { width: 375, height: 800 } });
      const found: Record<string, string[]> = {};
      const kinds = ['index.html', 'funnels.html', 'control.html', 'help.html', 'hospital-H2.html', 'metric-readmission_30d.html'];
      for (const file of [...kinds, ...files.en.filter((f) => f.startsWith('docs/'))]) {
        const v = await visit(narrow, url('en', file));
        await openTables(v.page);
        const vs = report(await axe(v.page));
        if (vs.length) found[file] = vs;
        await v.page.close();
      }
      await narrow.close();
      expect(found).toEqual({});
    }, 300_000);

    it('every chart is one image named by what it shows, and the name follows the controls', async () => {
      const v = await visit(ctx, url('en', 'funnels.html'));
      const svg = v.page.locator('#chart-funnel-readmission_30d svg');
      expect(await svg.getAttribute('role')).toBe('img');
      expect(await svg.getAttribute('aria-describedby')).toBe('desc-funnel-readmission_30d');
      expect(await svg.getAttribute('aria-label')).toBe(
        'Funnel plot of 30-day unplanned readmission against index stays, 2024, by hospital; 2 of 4 hospitals outside the 95% limits, 1 of them outside the 99.8% limits',
      );
      await v.page.selectOption('#sel-period', '2023');
      await expect.poll(() => svg.getAttribute('aria-label')).toBe('Funnel plot of 30-day unplanned readmission against index stays, 2023, by hospital; all 4 hospitals inside the 95% limits');
      // No part of a chart speaks for itself: marks and axes carry no role or name of their own
      // (Vega's plain groups stay "graphics-object", which names nothing).
      const parts = await v.page.evaluate(() => [...document.querySelectorAll('figure.chart svg [role]:not([role="graphics-object"]), figure.chart svg [aria-label]')].length);
      expect(parts).toBe(0);
      await v.page.close();

      const h = await visit(ctx, url('da', 'hospital-H1.html'));
      const p = h.page.locator('#chart-pchart-readmission_30d svg');
      expect(await p.getAttribute('aria-label')).toBe(
        'Kontroldiagram (p-kort) af akutte genindlæggelser inden for 30 dage pr. måned, januar 2023 til december 2024, hele hospitalet; seneste måned: forbedring (8 eller flere i træk på samme side af midterlinjen)',
      );
      await h.page.close();
    });

    for (const file of ['index.html', 'hospital-H2.html', 'control.html', 'metric-readmission_30d.html']) {
      it(`${file}: Tab reaches every link, menu and table switch (and an open table), each with a visible focus outline`, async () => {
        const v = await visit(ctx, url('en', file));
        await v.page.evaluate(() => (document.querySelector('details.table-alt') as HTMLDetailsElement).open = true);
        await v.page.waitForSelector('details.table-alt .table-wrap table');
        const expected = await v.page.evaluate(() => {
          const els = [...document.querySelectorAll('a[href], select, summary, [tabindex="0"]')] as HTMLElement[];
          return els
            // The content of a closed <details> is out of the tab order (its summary is not).
            .filter((e) => e.tagName === 'SUMMARY' || !e.closest('details:not([open])'))
            .map((e, i) => {
              e.setAttribute('data-key', String(i));
              return `${i}`;
            });
        });
        const round = await tabRound(v.page);
        const missed = await v.page.evaluate((keys) => keys.map((k) => document.querySelector(`[data-key="${k}"]`)!.outerHTML.slice(0, 120)), expected.filter((k) => !round.some((f) => f.key === k)));
        expect(missed).toEqual([]);
        expect(round.map((f) => f.key).sort()).toEqual([...expected].sort());
        expect(round.filter((f) => !/^(solid|auto) [2-9]/.test(f.outline))).toEqual([]);
        const kinds = await v.page.evaluate(() => ({
          selects: document.querySelectorAll('select').length,
          summaries: document.querySelectorAll('summary').length,
          boxes: document.querySelectorAll('.table-wrap[tabindex="0"]').length,
        }));
        expect(kinds.selects).toBeGreaterThan(0);
        expect(kinds.summaries).toBeGreaterThan(0);
        expect(kinds.boxes).toBeGreaterThan(0);
        await v.page.close();
      }, 120_000);
    }
  });
}
