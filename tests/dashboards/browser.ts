/** Opening built pages in Debian's Chromium through playwright-core, recording what the page did. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { writeSite } from '../../dashboards/build.js';
import type { Locale, Page as SitePage } from '../../dashboards/types.js';
import { fixtureSite } from './helpers.js';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether browser tests run: always in CI (where a missing Chromium is a failure),
 * elsewhere only when Chromium is installed.
 */
export function browserTestMode(): 'run' | 'skip' {
  return existsSync(CHROMIUM) || process.env['CI'] ? 'run' : 'skip';
}

export const SKIP_MESSAGE = `browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium); with CI set they run and fail without it`;

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface OpenSite {
  browser: Browser;
  ctx: BrowserContext;
  pages: SitePage[];
  /** The folder the pages were written to (`<artifacts>/site`). */
  site: string;
  /** The file:// address of a page of the site. */
  url: (file: string) => string;
}

/**
 * The fixture site of `locale` written (without SVG images) into `<artifacts>/site`, the artifacts folder
 * emptied first, and Chromium with one 1280×900 context on it, with `context` on top.
 */
export async function openFixtureSite(artifacts: string, locale: Locale, context: BrowserContextOptions): Promise<OpenSite> {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const site = join(artifacts, 'site');
  const pages = fixtureSite(locale);
  await writeSite(pages, site, { locale, skipSvg: true });
  const browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...context });
  return { browser, ctx, pages, site, url: (file) => pathToFileURL(join(site, file)).href };
}

export interface Visit {
  page: Page;
  /** Console errors and warnings, uncaught exceptions, dialogs (an alert() would mean injected script ran). */
  problems: string[];
  /** Every request whose URL is not file://. */
  offline: string[];
  ms: number;
  expected: number;
  rendered: number;
}

/** Open a page from disk and wait until every chart has rendered (or failed). */
export async function visit(ctx: BrowserContext, url: string): Promise<Visit> {
  const page = await ctx.newPage();
  const problems: string[] = [];
  const offline: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) offline.push(r.url());
  });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const b = document.body;
      const expected = b.getAttribute('data-charts-expected');
      if (expected === null) return document.readyState === 'complete';
      return Number(b.getAttribute('data-charts-rendered')) + Number(b.getAttribute('data-charts-failed') ?? 0) >= Number(expected);
    },
    null,
    { timeout: 30_000 },
  );
  const ms = Date.now() - t0;
  const [expected, rendered] = await page.evaluate(() => [
    Number(document.body.getAttribute('data-charts-expected') ?? 0),
    Number(document.body.getAttribute('data-charts-rendered') ?? 0),
  ]);
  return { page, problems, offline, ms, expected: expected!, rendered: rendered! };
}
