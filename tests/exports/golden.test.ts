/**
 * Golden reports: the CSV files and README of the fixture, in both locales, compared
 * byte for byte with tests/golden/exports/<locale>/. On a mismatch a `-changed` copy
 * is written beside the golden file and the test fails. Golden files are rewritten
 * only with UPDATE_GOLDEN=1 (never in CI).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayRewriteGolden } from '../golden-rule.js';
import type { Db } from '../../pipeline/core/db.js';
import { writeExports } from '../../pipeline/publish/exports/index.js';
import { projectRoot } from '../../pipeline/core/paths.js';
import { CATALOG } from './catalog.js';
import { GOLDEN_ROWS, metricsDb } from './fixture.js';

const UPDATE = mayRewriteGolden();
const GOLDEN = join(projectRoot(), 'tests/golden/exports');
const changedName = (file: string) => basename(file, extname(file)) + '-changed' + extname(file);

let db: Db;
let tmp: string;
beforeAll(async () => {
  db = await metricsDb(GOLDEN_ROWS);
  tmp = mkdtempSync(join(tmpdir(), 'outcomes-golden-'));
});
afterAll(() => {
  db.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe.each(['en', 'da'] as const)('golden exports (%s)', (locale) => {
  it('match the committed files', async () => {
    const out = join(tmp, locale);
    const { files } = await writeExports(db, out, { catalog: CATALOG, locale, minCell: 5, runDate: '2025-01-15', cutoff: '2024-12-31 23:59:59' });
    const dir = join(GOLDEN, locale);
    mkdirSync(dir, { recursive: true });
    // Workbooks are zip files stamped with the time they were written; workbook.test.ts reads them back instead.
    const produced = files
      .map((f) => basename(f))
      .filter((f) => !f.endsWith('.xlsx'))
      .sort();
    const mismatched: string[] = [];
    for (const name of produced) {
      const actual = readFileSync(join(out, name));
      const golden = join(dir, name);
      const changed = join(dir, changedName(name));
      if (UPDATE) writeFileSync(golden, actual);
      if (existsSync(golden) && readFileSync(golden).equals(actual)) {
        rmSync(changed, { force: true });
      } else {
        writeFileSync(changed, actual);
        mismatched.push(name);
      }
    }
    const committed = readdirSync(dir)
      .filter((f) => !f.includes('-changed'))
      .sort();
    expect(mismatched, `differs from tests/golden/exports/${locale}; see the -changed copies (UPDATE_GOLDEN=1 to accept)`).toEqual([]);
    expect(produced).toEqual(committed);
  });
});

describe('docs/exports.md', () => {
  it('shows only lines that the golden reports really contain', () => {
    const golden = new Set<string>();
    for (const locale of ['en', 'da']) {
      const dir = join(GOLDEN, locale);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.csv') && !x.includes('-changed'))) {
        for (const line of readFileSync(join(dir, f), 'utf8').replace(/^\uFEFF/, '').split('\r\n')) golden.add(line);
      }
    }
    const doc = readFileSync(join(projectRoot(), 'docs/exports.md'), 'utf8');
    const excerpt = [...doc.matchAll(/```csv\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trimEnd().split('\n'));
    expect(excerpt.length).toBeGreaterThan(10);
    expect(excerpt.filter((l) => !golden.has(l))).toEqual([]);
  });
});
