/**
 * HTML escaping. Hospital and department names are data, so every text that
 * reaches a page goes through `esc` (or `attr` inside an attribute); JSON put
 * into a `<script type="application/json">` goes through `jsonForScript`.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content or a quoted attribute value. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `name="value"` with the value escaped. */
export function attr(name: string, value: string | number): string {
  return `${name}="${esc(value)}"`;
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`
 * and friends, so no label can close the element, and U+2028/U+2029 are escaped
 * for old parsers. The result still parses as the same JSON.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The box a table scrolls in when it is wider or longer than the page: focusable, so
 * a keyboard can scroll it, and a named group, so a screen reader says what it holds.
 */
export function tableBox(label: string, inner = '', id?: string): string {
  return `<div class="table-wrap"${id === undefined ? '' : ` ${attr('id', id)}`} tabindex="0" role="group" ${attr('aria-label', label)}>${inner}</div>`;
}
