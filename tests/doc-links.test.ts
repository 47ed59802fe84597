/**
 * The project stands alone: every `docs/….md#anchor` that code, SQL or docs cite exists in this repository,
 * and nothing cites a specification kept outside it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.js';

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown page offers: explicit `<a id="…">` and its headings' slugs. */
export function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/<a\s+id="([^"]+)"/g)) out.add(m[1]!);
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const h = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (h) out.add(slug(h[1]!));
  }
  return out;
}

const root = projectRoot();
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|sql|md|mjs)$/.test(f) && !f.startsWith('tests/golden/'));

/** `[path, anchor, cited from]` for every citation of a docs page with an anchor. */
function citations(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const f of files) {
    const text = readFileSync(posix.join(root, f), 'utf8');
    // Project-relative citations in code and docs: docs/<page>.md#<anchor>
    for (const m of text.matchAll(/(?<![\w./])(docs\/[\w./-]+\.md)#([\w-]+)/g)) out.push([m[1]!, m[2]!, f]);
    // Relative Markdown links with an anchor inside docs and the README: [text](<page>.md#<anchor>)
    if (f.endsWith('.md'))
      for (const m of text.matchAll(/\]\(((?!https?:)[^)#\s]*\.md)#([\w-]+)\)/g))
        out.push([posix.normalize(posix.join(posix.dirname(f), m[1]!)), m[2]!, f]);
  }
  return out;
}

describe('documentation anchors', () => {
  it('slugs headings the way GitHub does', () => {
    expect(slug('3.1 `readmission_30d` (and `readmission_7d`)')).toBe('31-readmission_30d-and-readmission_7d');
    expect(anchorsOf('<a id="stays"></a>\n## 1. Building block: stays\n```\n# not a heading\n```')).toEqual(
      new Set(['stays', '1-building-block-stays']),
    );
  });

  it('every cited docs page and anchor exists', () => {
    const cited = citations();
    expect(cited.length).toBeGreaterThan(20);
    const missing = cited.filter(([path, anchor]) => {
      const p = posix.join(root, path);
      return !existsSync(p) || !anchorsOf(readFileSync(p, 'utf8')).has(anchor);
    });
    expect(missing.map(([p, a, from]) => `${from} cites ${p}#${a}`)).toEqual([]);
  });

  it('nothing cites a specification outside the repository', () => {
    const outside = files.filter((f) => {
      const text = readFileSync(posix.join(root, f), 'utf8');
      return /shared\/spec|(?:metrics|contract)(?:\.md)?\s?§\s?\d/.test(text) && !f.startsWith('docs/reference/');
    });
    expect(outside).toEqual([]);
  });
});
