/**
 * Turning a chart's Vega-Lite spec into a Vega runtime description (compile, then `vega.parse`)
 * does not look at its data: each dataset ends up as one `$ingest` of the very array it was given,
 * read only when a View is made. The charts of the dashboards come in few shapes (the p-chart of a
 * metric differs from one hospital page to the next in data only), and the shapes of a night are
 * those of the night before. So each shape is compiled and parsed once, with empty arrays standing
 * in for its datasets, kept as JSON under a key (SHA-256 of the renderer, the spec without data
 * and the names of its datasets) with the places of those arrays, and a chart's runtime
 * description is a fresh copy of its shape with the chart's own arrays put back in those places:
 * the objects compiling and parsing the whole spec gives (tests/dashboards/compile-cache.test.ts).
 * A shape that holds anything JSON cannot carry, or uses a dataset elsewhere, is not kept: its
 * charts are compiled whole. The shapes of every chart of a build (rendered or not, so that the
 * file is the same however the build came about) are written beside its images
 * (`.vega-cache.json`) for the next build to start from.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { z } from 'zod';
import { renderer } from './render-cache.js';
import { compileSpec } from './svg.js';
import type { DataRow, Spec } from './types.js';

export const COMPILE_INDEX = '.vega-cache.json';

const ShapeSchema = z.object({ runtime: z.string(), ingest: z.array(z.tuple([z.number().int().nonnegative(), z.string()])) });
const IndexSchema = z.object({ renderer: z.string(), shapes: z.record(z.string(), ShapeSchema), whole: z.array(z.string()) });
type Shape = z.infer<typeof ShapeSchema>;
type Runtime = { operators: { value?: { $ingest?: unknown } }[] };

/**
 * Is `v` an object JSON copies faithfully: a plain object, or an instance of a class that adds
 * nothing to its prototype (the parser's operator entries)? An `undefined` property is dropped
 * by JSON, which reads the same.
 */
function dataOnly(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) return true;
  return Object.getPrototypeOf(proto) === Object.prototype && Object.getOwnPropertyNames(proto).every((k) => k === 'constructor');
}

/**
 * The places of the stand-in arrays in a parsed shape, or undefined when the shape cannot be kept:
 * a stand-in anywhere but an operator's `$ingest`, a dataset never ingested, or a value that
 * JSON would change (a function, a non-finite number, an object with behaviour of its own).
 */
function ingestPlaces(runtime: Runtime, standIns: Map<unknown, string>): [number, string][] | undefined {
  const places: [number, string][] = [];
  let plain = true;
  const walk = (v: unknown, ingestOf?: number): void => {
    if (!plain) return;
    if (standIns.has(v)) {
      if (ingestOf === undefined) plain = false;
      else places.push([ingestOf, standIns.get(v)!]);
      return;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) plain = false;
      return;
    }
    if (Array.isArray(v)) return v.forEach((x) => walk(x));
    if (typeof v !== 'object' || !dataOnly(v)) {
      plain = false;
      return;
    }
    for (const x of Object.values(v)) if (x !== undefined) walk(x);
  };
  runtime.operators.forEach((op, i) => {
    const { value, ...rest } = op;
    walk(rest);
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const { $ingest, ...others } = value;
      walk(others);
      if ($ingest !== undefined) walk($ingest, i);
    } else if (value !== undefined) walk(value);
  });
  const { operators: _, ...top } = runtime as Runtime & Record<string, unknown>;
  walk(top);
  if (!plain || new Set(places.map(([, n]) => n)).size !== standIns.size) return undefined;
  return places;
}

/** The runtime description of a whole spec, compiled and parsed as it is. */
async function parseWhole(spec: Spec, datasets: Record<string, DataRow[]>): Promise<vega.Runtime> {
  return vega.parse((await compileSpec({ ...spec, datasets })).vega);
}

/** Shapes of charts by key: those of the previous build, and those parsed or taken in this one. */
export class CompiledShapes {
  private readonly previous = new Map<string, Shape | null>();
  private readonly used = new Map<string, Shape | null>();
  /** Shapes compiled and parsed in this build (the rest came from the previous build or an earlier chart). */
  compiled = 0;

  /** `previousDir`: the dashboards folder of the previous build, whose `.vega-cache.json` is read when its renderer is ours. */
  constructor(previousDir?: string) {
    const path = previousDir ? join(previousDir, COMPILE_INDEX) : undefined;
    if (!path || !existsSync(path)) return;
    try {
      const index = IndexSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      if (index.renderer !== renderer()) return;
      for (const [k, v] of Object.entries(index.shapes)) this.previous.set(k, v);
      for (const k of index.whole) this.previous.set(k, null);
    } catch {
      // An index that does not parse is no index: every shape is compiled anew.
    }
  }

  /** The Vega runtime description of a chart whose spec (without data) is `spec` and whose data are `datasets`. */
  async runtime(spec: Spec, datasets: Record<string, DataRow[]>): Promise<vega.Runtime> {
    const shape = await this.shape(spec, datasets);
    if (shape === null) return parseWhole(spec, datasets);
    const rt = JSON.parse(shape.runtime) as Runtime;
    for (const [i, name] of shape.ingest) rt.operators[i]!.value!.$ingest = datasets[name];
    return rt as unknown as vega.Runtime;
  }

  /**
   * Count a chart in without rendering it (its image is reused), so that the index lists the
   * shapes of every chart of the build whatever was rendered: as a build from nothing lists them.
   */
  async note(spec: Spec, datasets: Record<string, DataRow[]>): Promise<void> {
    await this.shape(spec, datasets);
  }

  /** The shape of a chart (null: one that cannot be kept), taken from this or the previous build, else compiled and parsed. */
  private async shape(spec: Spec, datasets: Record<string, DataRow[]>): Promise<Shape | null> {
    const names = Object.keys(datasets);
    const key = createHash('sha256')
      .update(JSON.stringify([renderer(), names, spec]))
      .digest('hex');
    let shape = this.used.has(key) ? this.used.get(key) : this.previous.get(key);
    if (shape === undefined) {
      const standIns = new Map<unknown, string>(names.map((n) => [[], n]));
      const parsed = (await parseWhole(spec, Object.fromEntries([...standIns].map(([a, n]) => [n, a as DataRow[]])))) as unknown as Runtime;
      const places = ingestPlaces(parsed, standIns);
      if (places) for (const [i] of places) parsed.operators[i]!.value!.$ingest = [];
      shape = places ? { runtime: JSON.stringify(parsed), ingest: places } : null;
      this.compiled += 1;
    }
    this.used.set(key, shape);
    return shape;
  }

  /** The index of the shapes of this build's charts, sorted by key, for the next build: those kept, and the keys of those compiled whole. */
  index(): string {
    const entries = [...this.used.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const kept = entries.filter((e): e is [string, Shape] => e[1] !== null);
    const whole = entries.filter(([, v]) => v === null).map(([k]) => k);
    return JSON.stringify({ renderer: renderer(), shapes: Object.fromEntries(kept), whole }) + '\n';
  }

  get size(): number {
    return this.used.size;
  }
}
