/**
 * Golden files: the chart specs and embedded data of key pages, built from the
 * fixed fixture, compared with the committed copies under tests/golden/dashboards/.
 * On a mismatch a `-changed` copy is written beside the golden file and the test
 * fails; `UPDATE_GOLDEN=1` rewrites the golden files (never in CI).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mayRewriteGolden } from '../golden-rule.js';
import { pageData } from '../../dashboards/pages/layout.js';
import type { Locale } from '../../dashboards/types.js';
import { fixtureSite } from './helpers.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'dashboards');
const UPDATE = mayRewriteGolden();

/** JSON with one object key per line and arrays of plain values on one line: small diffs. */
export function stableJson(v: unknown, indent = ''): string {
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
    return `[\n${v.map((x) => `${indent}  ${stableJson(x, indent + '  ')}`).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const flat = JSON.stringify(v);
    if (flat.length <= 100) return flat;
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${indent}  ${JSON.stringify(k)}: ${stableJson(x, indent + '  ')}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v);
}

function checkGolden(name: string, actual: string): void {
  const file = join(DIR, `${name}.json`);
  const changed = join(DIR, `${name}-changed.json`);
  if (UPDATE) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, actual);
    rmSync(changed, { force: true });
    return;
  }
  const expected = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (expected === actual) {
    rmSync(changed, { force: true });
    return;
  }
  writeFileSync(changed, actual);
  expect.fail(
    expected === undefined
      ? `no golden file ${file}; wrote ${changed} (run with UPDATE_GOLDEN=1 to accept)`
      : `${file} differs from the build; wrote ${changed} (diff them; UPDATE_GOLDEN=1 accepts the change)`,
  );
}

const CASES: { locale: Locale; file: string }[] = [
  { locale: 'en', file: 'index.html' },
  { locale: 'en', file: 'funnels.html' },
  { locale: 'en', file: 'control.html' },
  { locale: 'en', file: 'hospital-H2.html' },
  { locale: 'en', file: 'metric-readmission_30d.html' },
  { locale: 'da', file: 'metric-readmission_30d.html' },
];

describe('golden dashboards', () => {
  const sites = { en: fixtureSite('en'), da: fixtureSite('da') };
  for (const c of CASES) {
    it(`${c.locale}/${c.file}: specs and data match the golden file`, () => {
      const page = sites[c.locale].find((p) => p.file === c.file)!;
      expect(page).toBeDefined();
      const data = pageData(page.charts, c.locale);
      const doc = {
        file: page.file,
        title: page.title,
        charts: page.charts.map((ch, i) => ({ title: ch.title, description: ch.description, ...data.charts[i] })),
        datasets: data.datasets,
      };
      checkGolden(`${c.locale}-${c.file.replace(/\.html$/, '')}`, stableJson(doc) + '\n');
    });
  }
});
