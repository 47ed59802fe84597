/**
 * Reuse of the SVG images of the previous dashboards. Rendering a chart with Vega is most of the
 * cost of the dashboards, and most charts of a night are the charts of the night before: the same
 * spec with the same data, locale and name gives the same bytes. Each image is filed under a key
 * (SHA-256 of its spec, locale, name and the renderer: the Vega and Vega-Lite versions and the
 * source of the modules that turn a spec into SVG), in an index beside the images (`.render-cache.json`); a later build
 * takes an image from the previous folder only when its key matches and its bytes still have the
 * SHA-256 the index recorded. Anything else is rendered anew.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { projectRoot } from '../pipeline/core/paths.js';
import type { DataRow, Locale, Spec } from './types.js';

export const RENDER_INDEX = '.render-cache.json';

const IndexSchema = z.object({
  renderer: z.string(),
  images: z.record(z.string(), z.object({ key: z.string(), sha256: z.string() })),
});
type Index = z.infer<typeof IndexSchema>;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let rendererId: string | undefined;

/** What decides the bytes of an image besides its spec: the renderer's versions and source. */
export function renderer(): string {
  if (rendererId === undefined) {
    const root = projectRoot();
    const version = (pkg: string) => (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    // The modules that turn a spec into SVG text, as they run (compiled, or the sources under the tests).
    const source = ['svg', 'i18n', 'compile-cache']
      .map((m) => [`./${m}.js`, `./${m}.ts`].map((f) => fileURLToPath(new URL(f, import.meta.url))).find((f) => existsSync(f)))
      .map((f) => (f ? readFileSync(f, 'utf8') : ''))
      .join('\n');
    rendererId = sha256(`vega ${version('vega')} vega-lite ${version('vega-lite')}\n${source}`);
  }
  return rendererId;
}

/** The SHA-256 of dataset arrays already hashed in one build, by array and by the metrics read of it ('' for all). */
export type KeyMemo = WeakMap<object, Map<string, string>>;

/**
 * The key of one image: its spec without data, each dataset by name and SHA-256 of its rows, the
 * locale and the name. The charts of a page share their datasets (a hospital page's p-charts one
 * array of every rate), so a build hashes each array once (`memo`, one per build) rather than once
 * per chart that draws from it. With `keyMetrics` (`Chart.keyMetrics`: every part of the spec keeps
 * only those metrics' rows), only those rows of each dataset, and any row without a metric_id, make
 * the key: the image of one metric is not drawn again because another metric's rows changed.
 */
export function renderKey(
  spec: Spec,
  datasets: Record<string, DataRow[]>,
  locale: Locale,
  name: string,
  memo: KeyMemo = new WeakMap(),
  keyMetrics?: string[],
): string {
  const metrics = keyMetrics ? [...new Set(keyMetrics)].sort() : undefined;
  const which = metrics ? JSON.stringify(metrics) : '';
  const data = Object.entries(datasets).map(([n, rows]) => {
    let byMetrics = memo.get(rows);
    if (byMetrics === undefined) memo.set(rows, (byMetrics = new Map()));
    let h = byMetrics.get(which);
    if (h === undefined) byMetrics.set(which, (h = sha256(JSON.stringify(metrics ? readRows(rows, new Set(metrics)) : rows))));
    return [n, h];
  });
  return sha256(JSON.stringify([renderer(), locale, name, { ...spec, datasets: undefined }, data, ...(metrics ? [metrics] : [])]));
}

/** The rows of `rows` a chart that keeps only `metrics` can draw: theirs, and those without a metric_id. */
export function readRows(rows: DataRow[], metrics: Set<string>): DataRow[] {
  return rows.filter((r) => typeof r['metric_id'] !== 'string' || metrics.has(r['metric_id']));
}

/** Images of an earlier build that can be reused, by key; empty when there is no earlier build or its index does not fit. */
export function previousImages(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir || !existsSync(join(dir, RENDER_INDEX))) return out;
  let index: Index;
  try {
    index = IndexSchema.parse(JSON.parse(readFileSync(join(dir, RENDER_INDEX), 'utf8')));
  } catch {
    return out;
  }
  if (index.renderer !== renderer()) return out;
  for (const [rel, { key, sha256: digest }] of Object.entries(index.images)) {
    const path = join(dir, rel);
    if (!existsSync(path)) continue;
    const svg = readFileSync(path, 'utf8');
    if (sha256(svg) === digest) out.set(key, svg);
  }
  return out;
}

/** The index of the images just written (file → key and SHA-256), sorted by file. */
export function renderIndex(images: Map<string, { key: string; svg: string }>): string {
  const entries = [...images.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const index: Index = { renderer: renderer(), images: Object.fromEntries(entries.map(([rel, i]) => [rel, { key: i.key, sha256: sha256(i.svg) }])) };
  return JSON.stringify(index, null, 1) + '\n';
}
