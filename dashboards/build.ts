/**
 * Write the static dashboards from the metric rows: suppress small cells,
 * build every page, copy the libraries and render every chart to SVG.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CatalogEntry, MetricRow } from '../metrics/types.js';
import { suppress, type PublishedRow } from '../metrics/suppress.js';
import { copyAssets } from './assets.js';
import { docPages } from './docs.js';
import { svgFile } from './pages/layout.js';
import { defaultName, paramDefaults } from './names.js';
import { CompiledShapes, COMPILE_INDEX } from './compile-cache.js';
import { buildSite } from './site.js';
import { previousImages, RENDER_INDEX, renderIndex, renderKey, type KeyMemo } from './render-cache.js';
import { renderRuntime } from './svg.js';
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
  /** The dashboards folder of the previous build, whose images are reused where nothing changed (render-cache.ts). */
  previous?: string;
}

export const DEFAULT_DOCS_BASE = 'docs/';

/**
 * Write the pages, assets and SVG images into `outDir` (created if missing).
 * Returns the files written, relative to `outDir`, and their total size in bytes.
 */
export async function writeDashboards(rows: MetricRow[], outDir: string, opts: DashboardOptions): Promise<SiteWritten> {
  return writePublishedDashboards(suppress(rows, opts.catalog, opts.minCell), outDir, opts);
}

/** `writeDashboards` from rows already suppressed with `suppress` (all of them, all metrics and grains). */
export async function writePublishedDashboards(published: PublishedRow[], outDir: string, opts: DashboardOptions): Promise<SiteWritten> {
  const t0 = performance.now();
  const pages = buildSite(published, {
    catalog: opts.catalog,
    locale: opts.locale,
    minCell: opts.minCell,
    runDate: opts.runDate,
    cutoff: opts.cutoff,
    docsBase: opts.docsBase ?? DEFAULT_DOCS_BASE,
  });
  const buildMs = performance.now() - t0;
  const written = await writeSite(pages, outDir, opts);
  written.ms.pages += buildMs;
  const docs = writeDocs(outDir, opts.locale);
  written.files.push(...docs.files);
  written.bytes += docs.bytes;
  written.files.sort();
  return written;
}

/** The metric documentation, rendered into `outDir` (`docs/…`); the files written and their size. */
export function writeDocs(outDir: string, locale: Locale): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  // The definitions travel with the pages, so the folder can be copied to a shared drive.
  for (const d of docPages(locale === 'da' ? 'Til oversigten' : 'Back to the overview', locale)) {
    const path = join(outDir, d.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, d.html);
    files.push(d.file);
    bytes += statSync(path).size;
  }
  return { files, bytes };
}

/** What a build wrote: files relative to its folder, their total size, and how many images it rendered of how many. */
export interface SiteWritten {
  files: string[];
  bytes: number;
  images: { rendered: number; total: number; compiled: number };
  /** Milliseconds spent building and writing the pages, and rendering (or taking) the images. */
  ms: { pages: number; images: number };
}

/** Write built pages (and their assets and images) into `outDir`. */
export async function writeSite(pages: Page[], outDir: string, opts: Pick<DashboardOptions, 'locale' | 'skipSvg' | 'previous'>): Promise<SiteWritten> {
  const start = performance.now();
  mkdirSync(outDir, { recursive: true });
  const files: string[] = copyAssets(join(outDir, 'assets')).map((f) => `assets/${f}`);
  const write = (rel: string, text: string) => {
    const path = join(outDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    files.push(rel);
  };
  const reusable = opts.skipSvg ? new Map<string, string>() : previousImages(opts.previous);
  const shapes = new CompiledShapes(opts.skipSvg ? undefined : opts.previous);
  const images = new Map<string, { key: string; svg: string }>();
  // The SHA-256 of each dataset array of this build (charts of a page share them).
  const hashed: KeyMemo = new WeakMap();
  let rendered = 0;
  let imagesMs = 0;
  // Rendering is a long run of promises that settle at once: between charts, let callbacks waiting
  // for this thread run (work beside the build, as the database writing the run's tables).
  const yieldNow = () => new Promise((resolve) => setImmediate(resolve));
  for (const p of pages) {
    write(p.file, p.html);
    if (opts.skipSvg) continue;
    const t0 = performance.now();
    for (const c of p.charts) {
      await yieldNow();
      const name = defaultName(c.name, paramDefaults(c.spec));
      const key = renderKey(c.spec, c.datasets, opts.locale, name, hashed, c.keyMetrics);
      let svg = reusable.get(key);
      if (svg !== undefined) await shapes.note(c.spec, c.datasets);
      else {
        svg = await renderRuntime(await shapes.runtime(c.spec, c.datasets), c.spec, opts.locale, name);
        rendered += 1;
      }
      const rel = svgFile(p.file, c.id);
      write(rel, svg);
      images.set(rel, { key, svg });
    }
    imagesMs += performance.now() - t0;
  }
  if (images.size > 0) writeFileSync(join(outDir, RENDER_INDEX), renderIndex(images));
  if (shapes.size > 0) writeFileSync(join(outDir, COMPILE_INDEX), shapes.index());
  files.sort();
  const bytes = files.reduce((s, f) => s + statSync(join(outDir, f)).size, 0);
  return { files, bytes, images: { rendered, total: images.size, compiled: shapes.compiled }, ms: { pages: performance.now() - start - imagesMs, images: imagesMs } };
}
