/**
 * Publishing the previous run's reports and dashboards again for a run of the same basis (a quiet
 * night: nothing the outputs are made from changed). Every file of the previous index is read and
 * checked first (still the bytes, or the workbook content, the index recorded; the run date found
 * exactly once where it belongs); only when all of them pass is anything written: files taken as
 * they are become hard links in the staging folder (copies where links cannot be made; nothing
 * ever writes into a published file in place), pages and README.txt get the new run date, and
 * workbooks the new run's id, date and time. The libraries and the documentation are copied in as
 * every build does. When a check fails, nothing is written and the caller builds everything anew.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyAssets } from '../../../dashboards/assets.js';
import { writeDocs } from '../../../dashboards/build.js';
import { footerLine } from '../../../dashboards/pages/layout.js';
import { writeFileAtomic } from '../../core/atomic.js';
import { runDateLine } from '../exports/readme.js';
import { sha256, type IndexedFile, type OutputsIndex } from './outputs-index.js';
import { restampWorkbook, workbookDigest, type RunStamp } from './workbook.js';

export interface Republish {
  locale: 'en' | 'da';
  cutoff: string;
  /** The run that wrote the previous outputs, and the run publishing them again. */
  from: RunStamp;
  to: RunStamp;
  /** The time the new workbooks are stamped with. */
  now: Date;
}

type Step = { rel: string; entry: IndexedFile } & ({ link: string } | { bytes: Buffer });

function count(text: string, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n += 1;
  return n;
}

/** `text` with `from` (found exactly once) replaced by `to`, or undefined. */
function replaceOnce(text: string, from: string, to: string): string | undefined {
  return count(text, from) === 1 ? text.replace(from, () => to) : undefined;
}

/** What publishing one indexed file again takes, or undefined when the file is not what the index says. */
function stepFor(previous: string, rel: string, entry: IndexedFile, r: Republish): Step | undefined {
  const path = join(previous, rel);
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  if (entry.as === 'workbook') {
    if (workbookDigest(bytes, r.from) !== entry.digest) return undefined;
    const out = restampWorkbook(bytes, r.from, r.to, r.now);
    return out && { rel, entry, bytes: out };
  }
  if (sha256(bytes) !== entry.digest) return undefined;
  if (entry.as === 'copy') return { rel, entry, link: path };
  const text = bytes.toString('utf8');
  const [from, to] =
    entry.as === 'page'
      ? [footerLine(r.locale, r.cutoff, r.from.runDate), footerLine(r.locale, r.cutoff, r.to.runDate)]
      : [runDateLine(r.locale, r.from.runDate), runDateLine(r.locale, r.to.runDate)];
  const out = replaceOnce(text, from, to);
  return out === undefined ? undefined : { rel, entry: { as: entry.as, digest: sha256(out) }, bytes: Buffer.from(out, 'utf8') };
}

/** A hard link to `from` at `to`, or a copy where the file system makes none. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * Publish the reports and dashboards of `previous` (an outputs folder with index `index`) into
 * `dir` for run `r.to`. Returns the new index's files, or undefined (and writes nothing) when a
 * file is not what the index says.
 */
export function republish(previous: string, dir: string, index: OutputsIndex, r: Republish): Record<string, IndexedFile> | undefined {
  if (index.runDate !== r.from.runDate) return undefined;
  const steps: Step[] = [];
  for (const [rel, entry] of Object.entries(index.files)) {
    const step = stepFor(previous, rel, entry, r);
    if (!step) return undefined;
    steps.push(step);
  }
  const files: Record<string, IndexedFile> = {};
  for (const s of steps) {
    const to = join(dir, s.rel);
    mkdirSync(dirname(to), { recursive: true });
    if ('link' in s) linkOrCopy(s.link, to);
    else writeFileAtomic(to, s.bytes);
    files[s.rel] = s.entry;
  }
  copyAssets(join(dir, 'dashboards', 'assets'));
  writeDocs(join(dir, 'dashboards'), r.locale);
  return files;
}
