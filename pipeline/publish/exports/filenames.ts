/**
 * File names for hospital ids, safe on Windows, macOS and Linux and in a zip file.
 *
 * The rule (also in docs/exports.md):
 * 1. Unicode NFC; letters outside ASCII are kept (`Sankt Øster` → `Sankt_Øster`).
 * 2. Path separators `/` `\`, the characters Windows forbids `< > : " | ? *`,
 *    control and invisible format characters (including the bidirectional overrides
 *    that can disguise an extension) and all white space become `_`.
 * 3. A leading `.` becomes `_` (no hidden files, never `.` or `..`).
 * 4. A name whose part before the first dot is a reserved Windows device name
 *    (CON, PRN, AUX, NUL, COM0–9, LPT0–9, also with ¹²³) or one of our own
 *    names (`all-hospitals`, `README`) gets `_` appended to that part.
 * 5. At most 100 bytes of UTF-8 (cut at a character boundary); empty → `_`.
 * 6. Ids whose names are equal ignoring case (Windows and macOS do not tell them
 *    apart) all get `-` and the first 8 hex digits of the SHA-256 of the id
 *    appended, so two ids never share a file. Collisions are looked for among all
 *    hospital ids of the database, so a file's name does not depend on which
 *    hospitals an export selects.
 */
import { createHash } from 'node:crypto';

export const ALL_HOSPITALS_FILE = 'all-hospitals';
export const README_FILE = 'README';
const MAX_BYTES = 100;

const UNSAFE = /[\/\\<>:"|?*\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\s]/gu;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|all-hospitals|readme)$/i;

function truncateUtf8(s: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    bytes += Buffer.byteLength(ch, 'utf8');
    if (bytes > max) break;
    out += ch;
  }
  return out;
}

/** Steps 1–5 of the rule: the file name (without `.csv`) of one id, before collisions. */
export function safeBaseName(id: string): string {
  let s = id.normalize('NFC').replace(UNSAFE, '_');
  if (s.startsWith('.')) s = '_' + s.slice(1);
  const dot = s.indexOf('.');
  const head = dot < 0 ? s : s.slice(0, dot);
  if (RESERVED.test(head)) s = head + '_' + s.slice(head.length);
  s = truncateUtf8(s, MAX_BYTES);
  return s === '' ? '_' : s;
}

function shortHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 8);
}

/**
 * File names (without `.csv`) for every hospital id: the whole rule of this module.
 * Throws if two ids would still share a name after the hash suffix (needs a SHA-256
 * prefix collision, or an id chosen to look like another id plus its suffix).
 */
export function safeFileNames(ids: Iterable<string>): Map<string, string> {
  const unique = [...new Set(ids)];
  const base = new Map(unique.map((id) => [id, safeBaseName(id)]));
  const byFolded = new Map<string, string[]>();
  for (const [id, name] of base) {
    const key = name.toLowerCase();
    byFolded.set(key, [...(byFolded.get(key) ?? []), id]);
  }
  const out = new Map<string, string>();
  for (const group of byFolded.values()) {
    for (const id of group) out.set(id, group.length > 1 ? `${base.get(id)}-${shortHash(id)}` : base.get(id)!);
  }
  const seen = new Map<string, string>();
  for (const [id, name] of out) {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) throw new Error(`hospital ids "${other}" and "${id}" map to the same file name "${name}"`);
    seen.set(name.toLowerCase(), id);
  }
  return out;
}
