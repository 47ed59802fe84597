/** Prints the README's input tables from the canonical schema: `npm run docs:schema`. */
import { TABLE_NAMES, TABLES, markdownTable } from '../ingest/schema.js';

/** The Markdown block the README embeds between its schema markers. */
export function schemaMarkdown(): string {
  return TABLE_NAMES.map((t) => `**\`${t}\`** — ${TABLES[t].doc}\n\n${markdownTable(t)}`).join('\n\n');
}

if (process.argv[1]?.endsWith('schema-doc.js')) process.stdout.write(schemaMarkdown() + '\n');
