/**
 * Raw values as `rejects` shows them. A value longer than `EXCERPT_CHARS` is cut, with its
 * length, so that one 5 MB field cannot blow up `rejects.csv`; control characters can be
 * shown as their visible pictures (␀, ␊, …) so that the file stays one record per line.
 */

/** Characters of a raw value kept in `rejects`. */
export const EXCERPT_CHARS = 1000;

/** SQL: `expr` cut to its first EXCERPT_CHARS characters, with its length, when longer. */
export function excerptSql(expr: string): string {
  return `CASE WHEN length(${expr}) > ${EXCERPT_CHARS}
    THEN left(${expr}, ${EXCERPT_CHARS}) || '… (' || length(${expr}) || ' characters)' ELSE ${expr} END`;
}

const CONTROLS = [...Array(32).keys(), 127];
const PICTURES = [...Array(32).keys()].map((i) => String.fromCharCode(0x2400 + i)).join('') + '\u2421';

/** SQL: `expr` with every control character (U+0000–U+001F, U+007F) replaced by its picture. */
export function visibleSql(expr: string): string {
  return `translate(${expr}, ${CONTROLS.map((c) => `chr(${c})`).join(' || ')}, '${PICTURES}')`;
}

/** The regular expression (RE2) of a control character. */
export const CONTROL_RE = '[\\x00-\\x1F\\x7F]';
