/** Running axe-core in a page opened by the browser tests. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule sets the audit uses: WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: number;
  targets: string[];
}

/**
 * The violations axe finds in the page as it is now. The script goes in through the
 * DevTools protocol: the page's Content-Security-Policy refuses an injected <script>,
 * and its `connect-src 'none'` refuses axe's fetch of the stylesheets (`preload: false`;
 * axe still reads the computed styles).
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) => (window as never as { axe: { run(c: Document, o: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: tags }, preload: false }),
    AXE_TAGS,
  );
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

/** Violations per rule as `{rule: node count}`, the shape the docs' before/after table uses. */
export const byRule = (vs: AxeViolation[]): Record<string, number> => Object.fromEntries(vs.map((v) => [v.id, v.nodes]));
