/**
 * The metric documentation, rendered into the dashboards folder (`docs/…html`), so that a
 * clinician who opens the pages from a shared drive can read every definition offline.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../pipeline/core/paths.js';
import { attr, esc } from './html.js';
import { markdownToHtml } from './markdown.js';
import { CSP } from './pages/layout.js';
import type { Locale } from './types.js';

/** The clinicians' reading guide in Danish (docs/), linked from the Danish help page. */
export const READING_GUIDE_DA = 'reading-guide.da.md';

/**
 * Docs pages carried into the dashboards: the metrics index and every family page, and on a
 * Danish site the reading guide its help page links to.
 */
export function docSources(locale: Locale = 'en'): { md: string; rel: string }[] {
  const root = join(projectRoot(), 'docs');
  const out = [{ md: join(root, 'metrics.md'), rel: 'metrics.md' }];
  if (locale === 'da') out.push({ md: join(root, READING_GUIDE_DA), rel: READING_GUIDE_DA });
  const fam = join(root, 'metrics');
  if (existsSync(fam)) {
    for (const f of readdirSync(fam).sort()) if (f.endsWith('.md')) out.push({ md: join(fam, f), rel: `metrics/${f}` });
  }
  return out.filter((d) => existsSync(d.md));
}

/** Resolve `href` relative to the folder of `from` (both relative to docs/). */
function resolveRel(from: string, href: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of href.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** Render every docs page of a site in `locale` to `{ file, html }` (file relative to the dashboards folder). */
export function docPages(backLabel: string, locale: Locale = 'en'): { file: string; html: string }[] {
  const sources = docSources(locale);
  const known = new Set(sources.map((s) => s.rel));
  return sources.map(({ md, rel }) => {
    const depth = rel.split('/').length; // docs/x.html → 1 level below the dashboards folder, plus sub-folders
    const up = '../'.repeat(depth);
    const text = readFileSync(md, 'utf8');
    const body = markdownToHtml(text, (href) => {
      const [path, hash] = href.split('#');
      if (!path || /^[a-z]+:/i.test(path)) return undefined;
      const target = resolveRel(rel, path);
      if (!known.has(target)) return undefined;
      const fromDir = rel.split('/').slice(0, -1);
      const rel2 = '../'.repeat(fromDir.length) + target.replace(/\.md$/, '.html');
      return hash ? `${rel2}#${hash}` : rel2;
    });
    const title = /^#\s+(.*)$/m.exec(text)?.[1] ?? rel;
    // A page in Danish is named `<page>.da.md`; the others are in English.
    const lang = rel.endsWith('.da.md') ? 'da' : 'en';
    const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" ${attr('content', CSP)}>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${up}assets/dashboard.css">
</head>
<body>
<main id="main" class="doc">
<p><a href="${up}index.html">${esc(backLabel)}</a></p>
${body}
</main>
</body>
</html>
`;
    return { file: `docs/${rel.replace(/\.md$/, '.html')}`, html };
  });
}
