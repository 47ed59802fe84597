import { describe, expect, it } from 'vitest';
import { docPages } from '../../dashboards/docs.js';
import { markdownToHtml } from '../../dashboards/markdown.js';
import { catalogEntries } from '../../metrics/registry.js';

describe('docs carried into the dashboards', () => {
  it('renders headings, lists, tables and code, escapes text, and keeps only links to other docs pages', () => {
    const html = markdownToHtml(
      [
        '# Trips <img src=x onerror=alert(1)>',
        '',
        'A **trip** is a *day*; see [readmissions](readmissions.md#rules) and [the web](https://example.org/).',
        '',
        '- one `a<b`',
        '- two',
        '',
        '| col | value |',
        '|---|---|',
        '| `x` | 1 |',
        '',
        '```',
        'SELECT 1 < 2',
        '```',
      ].join('\n'),
      (href) => (href.startsWith('readmissions.md') ? href.replace('.md', '.html') : undefined),
    );
    expect(html).toBe(
      [
        '<h1>Trips &lt;img src=x onerror=alert(1)&gt;</h1>',
        '<p>A <strong>trip</strong> is a <em>day</em>; see <a href="readmissions.html#rules">readmissions</a> and the web.</p>',
        '<ul><li>one <code>a&lt;b</code></li><li>two</li></ul>',
        '<div class="table-wrap"><table><thead><tr><th scope="col">col</th><th scope="col">value</th></tr></thead><tbody><tr><td><code>x</code></td><td>1</td></tr></tbody></table></div>',
        '<pre><code>SELECT 1 &lt; 2</code></pre>',
      ].join('\n'),
    );
  });

  it('every metric page links to a rendered family page, and no docs page links off the machine', () => {
    const pages = docPages('Tilbage', 'da');
    const files = new Set(pages.map((p) => p.file));
    expect(files.has('docs/metrics.html')).toBe(true);
    for (const family of new Set(catalogEntries().map((e) => e.docs))) expect(files.has(`docs/${family.replace(/\.md$/, '.html')}`), family).toBe(true);
    for (const p of pages) {
      expect(p.html).not.toMatch(/href="(https?:|\/\/)/);
      expect(p.html).not.toMatch(/<script/);
      for (const m of p.html.matchAll(/href="([^"#]+)/g)) {
        const dir = p.file.split('/').slice(0, -1);
        for (const seg of m[1]!.split('/')) seg === '..' ? dir.pop() : dir.push(seg);
        const target = dir.join('/');
        if (target.endsWith('.html') && target.startsWith('docs/')) expect(files.has(target), `${p.file} → ${target}`).toBe(true);
      }
    }
  });

  it('marks a Danish page (`<page>.da.md`) as Danish and the others as English', () => {
    const lang = (file: string) => /<html lang="([a-z]+)">/.exec(docPages('Back').find((p) => p.file === file)!.html)?.[1];
    expect(lang('docs/metrics/readmission-value.da.html')).toBe('da');
    expect(lang('docs/metrics/readmission-value.html')).toBe('en');
    expect(lang('docs/metrics.html')).toBe('en');
  });
});
