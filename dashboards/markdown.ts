/**
 * A small Markdown renderer for the project's own docs, so that the dashboards carry
 * the metric definitions offline. It knows what our docs use — headings, paragraphs,
 * lists, tables, fenced code, inline code, emphasis, links — and escapes all text.
 * Links to other docs pages (`*.md`) become links to their rendered `.html`; any other
 * link is shown as text, so a page never points off the machine.
 */
import { esc, tableBox } from './html.js';

function inline(text: string, linkOk: (href: string) => string | undefined): string {
  const parts: string[] = [];
  // Split out code spans first: nothing inside them is formatted.
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    parts.push(format(text.slice(last, m.index), linkOk));
    parts.push(`<code>${esc(m[1]!)}</code>`);
    last = m.index + m[0].length;
  }
  parts.push(format(text.slice(last), linkOk));
  return parts.join('');
}

function format(text: string, linkOk: (href: string) => string | undefined): string {
  let out = '';
  const re = /\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out += emphasis(esc(text.slice(last, m.index)));
    const href = linkOk(m[2]!);
    out += href ? `<a href="${esc(href)}">${emphasis(esc(m[1]!))}</a>` : emphasis(esc(m[1]!));
    last = m.index + m[0].length;
  }
  return out + emphasis(esc(text.slice(last)));
}

function emphasis(html: string): string {
  return html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

/** Render Markdown to HTML; `linkOk` maps a link target to an href, or undefined to drop the link. */
/** Markdown inline text as plain text: link texts kept, code and emphasis marks dropped. */
const plain = (md: string): string => md.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '');

export function markdownToHtml(md: string, linkOk: (href: string) => string | undefined): string {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | undefined;
  let section = '';
  const flushPara = () => {
    if (para.length) out.push(`<p>${inline(para.join(' '), linkOk)}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i, linkOk)}</li>`).join('')}</${list.tag}>`);
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      flushPara();
      flushList();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flushPara();
      flushList();
      const n = h[1]!.length;
      out.push(`<h${n}>${inline(h[2]!, linkOk)}</h${n}>`);
      // A table's scroll box is named after the heading it sits under (as plain text).
      section = plain(h[2]!);
      continue;
    }
    if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1]!)) {
      flushPara();
      flushList();
      const head = cells(line);
      const body: string[][] = [];
      for (i += 2; i < lines.length && /^\s*\|/.test(lines[i]!); i++) body.push(cells(lines[i]!));
      i--;
      out.push(
        tableBox(
          section || head.map(plain).join(', '),
          `<table><thead><tr>${head.map((c) => `<th scope="col">${inline(c, linkOk)}</th>`).join('')}</tr></thead><tbody>` +
            body.map((r) => `<tr>${r.map((c) => `<td>${inline(c, linkOk)}</td>`).join('')}</tr>`).join('') +
            '</tbody></table>',
        ),
      );
      continue;
    }
    const li = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (li) {
      flushPara();
      const tag = /\d/.test(li[1]!) ? 'ol' : 'ul';
      if (!list || list.tag !== tag) {
        flushList();
        list = { tag, items: [] };
      }
      list.items.push(li[2]!);
      continue;
    }
    if (list && /^\s{2,}\S/.test(line)) {
      list.items[list.items.length - 1] += ' ' + line.trim();
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      flushList();
      continue;
    }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return out.join('\n');
}
