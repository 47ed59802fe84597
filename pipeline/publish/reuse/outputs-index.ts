/**
 * The index of a run's reports and dashboards (`.outputs-index.json` in its outputs folder): the
 * basis they were made from (basis.ts), the run date they name, and each file with what a later
 * run must do to publish it again for another run of the same basis: take it as it is (`copy`),
 * rewrite the run date in its footer (`page`, a dashboard page) or in its header (`readme`,
 * README.txt), or restamp it (`workbook`, see workbook.ts). Each file's digest (SHA-256 of its
 * bytes, or for a workbook of what it holds besides its run) tells whether it is still the file
 * that was written. The index names no run id, so two runs on the same day write the same index.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic.js';
import { MARKER } from '../../core/marker.js';
import { workbookDigest, type RunStamp } from './workbook.js';

export const OUTPUTS_INDEX = '.outputs-index.json';

const FileSchema = z.object({ as: z.enum(['copy', 'page', 'readme', 'workbook']), digest: z.string() });
const IndexSchema = z.object({
  quick: z.string(),
  basis: z.string(),
  runDate: z.string(),
  files: z.record(z.string(), FileSchema),
  counts: z.object({ exports: z.number().int(), dashboards: z.number().int() }),
});
export type OutputsIndex = z.infer<typeof IndexSchema>;
export type IndexedFile = z.infer<typeof FileSchema>;

export const sha256 = (bytes: string | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The index in an outputs folder, or undefined when there is none or it does not parse. */
export function readOutputsIndex(dir: string): OutputsIndex | undefined {
  const path = join(dir, OUTPUTS_INDEX);
  if (!existsSync(path)) return undefined;
  try {
    return IndexSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Files under `dir`, relative to it, sorted; the folders' markers are left out (they name the run). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p).map((f) => join(name, f)));
    else if (name !== MARKER) out.push(name);
  }
  return out;
}

/** What a later run does with a file of the published folders, by where it is; undefined: written anew every run. */
function roleOf(rel: string): IndexedFile['as'] | undefined {
  if (rel.startsWith('exports/')) return rel === 'exports/README.txt' ? 'readme' : rel.endsWith('.xlsx') ? 'workbook' : 'copy';
  if (!rel.startsWith('dashboards/')) return undefined;
  const inside = rel.slice('dashboards/'.length);
  // The libraries and the rendered documentation are copied in by every build.
  if (inside.startsWith('assets/') || inside.startsWith('docs/')) return undefined;
  return inside.includes('/') || !inside.endsWith('.html') ? 'copy' : 'page';
}

/**
 * The index of the reports and dashboards just written into `dir` for run `stamp`; undefined when
 * a workbook is not one a later run could restamp (it is then written anew, as everything else).
 */
export function indexOutputs(dir: string, quick: string, basis: string, stamp: RunStamp, counts: OutputsIndex['counts']): OutputsIndex | undefined {
  const files: Record<string, IndexedFile> = {};
  for (const rel of [...filesUnder(join(dir, 'exports')).map((f) => `exports/${f}`), ...filesUnder(join(dir, 'dashboards')).map((f) => `dashboards/${f}`)]) {
    const as = roleOf(rel);
    if (as === undefined) continue;
    const bytes = readFileSync(join(dir, rel));
    const digest = as === 'workbook' ? workbookDigest(bytes, stamp) : sha256(bytes);
    if (digest === undefined) return undefined;
    files[rel] = { as, digest };
  }
  return { quick, basis, runDate: stamp.runDate, files, counts };
}

export function writeOutputsIndex(dir: string, index: OutputsIndex): void {
  writeFileAtomic(join(dir, OUTPUTS_INDEX), JSON.stringify(index, null, 1) + '\n');
}
