/**
 * A report workbook written again for another run of the same data. Its README sheet names the
 * run's id and date, and the file is stamped with the time it was written; nothing else depends on
 * the run. The writer keeps every text once, in the shared strings, in the order it first meets
 * them, README sheet first: so the workbook of the new run is the old one with the two README texts
 * replaced in place, provided each is a text of its own (one cell shows it, and the new ones are
 * not among the texts already there), and with
 * the new time in `docProps/core.xml` and on every entry. When any of that cannot be told, the
 * caller writes the workbook anew. tests/publish/reuse.test.ts holds the result against a fresh one.
 */
import { createHash } from 'node:crypto';
import { entryBytes, readZip, rewriteZip, type Zip } from './zip.js';

/** What a workbook's README sheet says of the run that wrote it. */
export interface RunStamp {
  runId: string;
  runDate: string;
}

const STRINGS = 'xl/sharedStrings.xml';
const CORE = 'docProps/core.xml';
// Run ids and dates are written as they are only when they hold no character XML or the cell escape changes.
const PLAIN = /^[0-9A-Za-z-]+$/;

const item = (text: string) => `<si><t>${text}</t></si>`;
function count(text: string, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n += 1;
  return n;
}

/** The shared strings with the run's texts blanked, or undefined when they are not each one plain text of their own. */
function blanked(strings: string, stamp: RunStamp): string | undefined {
  if (!PLAIN.test(stamp.runId) || !PLAIN.test(stamp.runDate) || stamp.runId === stamp.runDate) return undefined;
  if (count(strings, item(stamp.runId)) !== 1 || count(strings, item(stamp.runDate)) !== 1) return undefined;
  return strings.replace(item(stamp.runId), item('')).replace(item(stamp.runDate), item(''));
}

function sharedStrings(zip: Zip): string | undefined {
  const e = zip.entries.find((x) => x.name === STRINGS);
  return e ? entryBytes(zip, e).toString('utf8') : undefined;
}

/** Are the shared texts `texts` each shown by one cell of the whole workbook (the README's), so that changing one changes no other? */
function eachOnce(zip: Zip, strings: string, texts: string[]): boolean {
  const cells = texts.map((text) => `t="s"><v>${count(strings.slice(0, strings.indexOf(item(text))), '<si>')}</v>`);
  const seen = cells.map(() => 0);
  for (const e of zip.entries) {
    if (!e.name.startsWith('xl/worksheets/') || !e.name.endsWith('.xml')) continue;
    const sheet = entryBytes(zip, e).toString('latin1');
    cells.forEach((cell, i) => (seen[i]! += count(sheet, cell)));
  }
  return seen.every((n) => n === 1);
}

/**
 * What a workbook holds besides its run: each entry's name, CRC and size but those that carry the
 * run, and the shared strings with the run's id and date blanked. Equal for two workbooks of the
 * same reports written for different runs; undefined for a file this module cannot rewrite.
 */
export function workbookDigest(bytes: Buffer, stamp: RunStamp): string | undefined {
  const zip = readZip(bytes);
  const strings = zip && sharedStrings(zip);
  const rest = strings === undefined ? undefined : blanked(strings, stamp);
  if (!zip || rest === undefined || !zip.entries.some((e) => e.name === CORE)) return undefined;
  const h = createHash('sha256');
  for (const e of zip.entries) if (e.name !== STRINGS && e.name !== CORE) h.update(`${e.name}\0${e.crc}\0${e.size}\n`);
  return h.update(rest).digest('hex');
}

/** The workbook `bytes` of run `from` as run `to` writes it at `when`, or undefined when that cannot be told exactly. */
export function restampWorkbook(bytes: Buffer, from: RunStamp, to: RunStamp, when: Date): Buffer | undefined {
  const zip = readZip(bytes);
  const strings = zip && sharedStrings(zip);
  const core = zip?.entries.find((e) => e.name === CORE);
  if (!zip || strings === undefined || !core || blanked(strings, from) === undefined) return undefined;
  if (!PLAIN.test(to.runId) || !PLAIN.test(to.runDate) || to.runId === to.runDate) return undefined;
  // A new text already among the strings would be shared with that cell, not written in place.
  const isNew = (text: string, old: string) => text === old || !strings.includes(`>${text}<`);
  if (!isNew(to.runId, from.runId) || !isNew(to.runDate, from.runDate)) return undefined;
  if (!eachOnce(zip, strings, [from.runId, from.runDate])) return undefined;
  const stamp = when.toISOString().replace(/[.]\d{3}/, '');
  const props = entryBytes(zip, core).toString('utf8');
  const dated = /(<dcterms:(created|modified) xsi:type="dcterms:W3CDTF">)[^<]*(<\/dcterms:\2>)/g;
  if ((props.match(dated) ?? []).length !== 2) return undefined;
  const replace = new Map([
    [STRINGS, Buffer.from(strings.replace(item(from.runId), item(to.runId)).replace(item(from.runDate), item(to.runDate)), 'utf8')],
    [CORE, Buffer.from(props.replace(dated, `$1${stamp}$3`), 'utf8')],
  ]);
  return rewriteZip(zip, replace, when);
}
