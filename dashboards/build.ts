/**
 * Write the static dashboards from the metric rows: suppress small cells,
 * build every page, copy the libraries and render every chart to SVG.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CatalogEntry, MetricRow } from '../metrics/types.js';
import { suppress } from '../metrics/suppress.js';
import { copyAssets } from './assets.js';
import { docPages } from './docs.js';
import { svgFile } from './pages/layout.js';
import { defaultName, paramDefaults } from './names.js';
import { buildSite, fullSpec } from './site.js';
import { renderSvg } from './svg.js';
import type { Locale, Page } from './types.js';

export interface DashboardOptions {
  catalog: CatalogEntry[];
  minCell: number;
  locale: Locale;
  runDate: string;
  cutoff: string;
  /** Base of links to the metric documentation; default: `docs/`, rendered into the dashboards folder. */
  docsBase?: string;
  /** Skip the server-side SVG images (faster; the pages then link to missing files). */
  skipSvg?: boolean;
}

export const DEFAULT_DOCS_BASE = 'docs/';

/**
 * Write the pages, assets and SVG images into `outDir` (created if missing).
 * Returns the files written, relative to `outDir`, and their total size in bytes.
 */
export async function writeDashboards(rows: MetricRow[], outDir: string, opts: DashboardOptions): Promise<{ files: string[]; bytes: number }> {
  const published = suppress(rows, opts.catalog, opts.minCell);
  const pages = buildSite(published, {
    catalog: opts.catalog,
    locale: opts.locale,
    minCell: opts.minCell,
    runDate: opts.runDate,
    cutoff: opts.cutoff,
    docsBase: opts.docsBase ?? DEFAULT_DOCS_BASE,
  });
  const written = await writeSite(pages, outDir, opts);
  // The definitions travel with the pages, so the folder can be copied to a shared drive.
  for (const d of docPages(opts.locale === 'da' ? 'Til oversigten' : 'Back to the overview', opts.locale)) {
    const path = join(outDir, d.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, d.html);
    written.files.push(d.file);
    written.bytes += statSync(path).size;
  }
  written.files.sort();
  return written;
}

/** Write built pages (and their assets and images) into `outDir`. */
export async function writeSite(pages: Page[], outDir: string, opts: Pick<DashboardOptions, 'locale' | 'skipSvg'>): Promise<{ files: string[]; bytes: number }> {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = copyAssets(join(outDir, 'assets')).map((f) => `assets/${f}`);
  const write = (rel: string, text: string) => {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    files.push(rel);
  };
  for (const p of pages) {
    write(p.file, p.html);
    if (opts.skipSvg) continue;
    for (const c of p.charts) write(svgFile(p.file, c.id), await renderSvg(fullSpec(c), opts.locale, defaultName(c.name, paramDefaults(c.spec))));
  }
  files.sort();
  const bytes = files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0);
  return { files, bytes };
}
