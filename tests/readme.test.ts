import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaMarkdown } from '../pipeline/compose/schema-doc.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('shows the input tables exactly as the canonical schema defines them', () => {
    const block = readme.split('<!-- schema:begin')[1]?.split('-->').slice(1).join('-->').split('<!-- schema:end -->')[0];
    expect(block?.trim()).toBe(schemaMarkdown().trim());
  });

  it('links only to docs that exist', () => {
    const links = [...readme.matchAll(/\]\((docs\/[^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) expect(existsSync(l), l).toBe(true);
  });
});
