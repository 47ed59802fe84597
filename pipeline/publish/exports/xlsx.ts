/**
 * Just enough of Office Open XML (ECMA-376 Part 1, SpreadsheetML) to write the report workbooks:
 * shared-string text cells, number cells, cell styles made of a number format, a font and an
 * alignment, column widths and styles, a frozen header row and an auto-filter. Written directly
 * as XML text and deflated with node:zlib: the reports of a night are about 40,000 rows in 23
 * workbooks, which exceljs wrote in 1.25–1.5 s of CPU and this writes in a fraction of it
 * (docs/benchmarks.md). The package is what the reuse of a quiet night (reuse/workbook.ts)
 * relies on: every text is a shared string, kept once in the order the sheets first show it
 * (sheets in order, rows top to bottom), each as `<si><t>text</t></si>`; `docProps/core.xml` carries
 * the time of writing in `dcterms:created` and `dcterms:modified`; the zip has no zip64 record and
 * no comment (reuse/zip.ts reads it back).
 */
import * as zlib from 'node:zlib';
import { crc32, writeZipFile, type ZipPart } from '../reuse/zip.js';

/** A cell's look: a number format code (`@` for text), a bold font of a size, top-aligned wrapped text. */
export interface CellStyle {
  numFmt?: string;
  bold?: boolean;
  size?: number;
  wrapTop?: boolean;
}

/** A cell: a text, a number, or nothing (an empty cell that keeps its style). */
export type CellValue = string | number | null;

export interface Column {
  width: number;
  /** The style of the column's empty cells (and what a user types into them). */
  style?: number;
}

export interface SheetOptions {
  columns: Column[];
  /** Rows kept in view at the top when scrolling. */
  frozenRows?: number;
  /** Put a filter on the header row over every column and row written. */
  autoFilter?: boolean;
}

/** Excel's built-in number formats that the reports use (ECMA-376 Part 1, §18.8.30); other codes get ids from 164. */
const BUILT_IN: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10, '@': 49 };

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Text as XML character data or an attribute value in double quotes. */
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

/** The letters of a column (0 → A, 26 → AA). */
export function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Raw deflate, one chunk at a time (each ended with a sync flush, so the chunks make one stream), with its CRC-32. */
class Deflated implements ZipPart {
  readonly parts: Buffer[] = [];
  size = 0;
  crc = 0;
  private pending: string[] = [];
  private pendingLength = 0;

  push(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 20) this.flush(false);
  }

  private flush(last: boolean): void {
    const raw = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    if (raw.length === 0 && !last) return;
    this.crc = crc32(raw, this.crc);
    this.size += raw.length;
    this.parts.push(zlib.deflateRawSync(raw, { finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH }));
  }

  end(): this {
    this.flush(true);
    if (this.size > 0xfffffffe || this.parts.reduce((n, p) => n + p.length, 0) > 0xfffffffe) {
      throw new Error('a workbook part is larger than a zip without zip64 holds (4 GB)');
    }
    return this;
  }
}

/** Values numbered in the order they are first met, by a key (shared strings, cell styles, fonts). */
class Numbered<T> {
  readonly list: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(first: [string, T][] = []) {
    for (const [k, v] of first) this.of(k, v);
  }

  /** The number of `value` under `key`, added the first time the key is met. */
  of(key: string, value: T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(key, i);
      this.list.push(value);
    }
    return i;
  }
}

/** One worksheet being written: rows in order, each at most once. */
export class Sheet {
  readonly xml = new Deflated();
  private row = 0;
  private readonly width: number;
  /** The letters of the columns, made once rather than for every cell. */
  private readonly letters: string[];

  constructor(
    readonly name: string,
    private readonly book: Workbook,
    private readonly opts: SheetOptions,
  ) {
    this.width = opts.columns.length;
    this.letters = opts.columns.map((_, i) => columnName(i));
    const frozen = opts.frozenRows
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${opts.frozenRows}" topLeftCell="A${opts.frozenRows + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>`
      : '';
    const cols = opts.columns
      .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"${c.style ? ` style="${c.style}"` : ''}/>`)
      .join('');
    this.xml.push(`${XML_HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${frozen}<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`);
  }

  /** The next row (a row of no cells is left out, as a blank line); `styles[i]`: the style of cell i. */
  add(values: CellValue[], styles: number[]): void {
    this.row += 1;
    if (values.length === 0) return;
    const r = this.row;
    let out = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const s = styles[i] ?? 0;
      const ref = `${this.letters[i] ?? columnName(i)}${r}`;
      const st = s ? ` s="${s}"` : '';
      if (typeof v === 'string') out += `<c r="${ref}"${st} t="s"><v>${this.book.text(v)}</v></c>`;
      else if (typeof v === 'number' && Number.isFinite(v)) out += `<c r="${ref}"${st}><v>${v}</v></c>`;
      else if (s) out += `<c r="${ref}"${st}/>`;
    }
    this.xml.push(out + '</row>');
  }

  end(): void {
    const filter = this.opts.autoFilter ? `<autoFilter ref="A1:${columnName(this.width - 1)}${Math.max(1, this.row)}"/>` : '';
    this.xml.push(`</sheetData>${filter}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`);
    this.xml.end();
  }
}

/** A workbook being written: its shared strings, styles and sheets. */
export class Workbook {
  private readonly strings = new Numbered<string>();
  private stringCount = 0;
  private readonly styles = new Numbered<CellStyle>([['', {}]]);
  readonly sheets: Sheet[] = [];

  constructor(private readonly creator: string) {}

  /** The index of a shared string, added the first time it is met. */
  text(s: string): number {
    this.stringCount += 1;
    return this.strings.of(s, s);
  }

  /** The index of a cell style (0: the default look). */
  style(s: CellStyle): number {
    return this.styles.of(JSON.stringify([s.numFmt ?? 'General', s.bold ?? false, s.size ?? 11, s.wrapTop ?? false]), s);
  }

  addSheet(name: string, opts: SheetOptions): Sheet {
    const sheet = new Sheet(name, this, opts);
    this.sheets.push(sheet);
    return sheet;
  }

  private stylesXml(): string {
    const custom = new Numbered<string>();
    const fmtId = (code: string) => (code in BUILT_IN ? BUILT_IN[code]! : 164 + custom.of(code, `<numFmt numFmtId="${164 + custom.list.length}" formatCode="${esc(code)}"/>`));
    const font = (s: CellStyle) => `<font>${s.bold ? '<b/>' : ''}<sz val="${s.size ?? 11}"/><name val="Calibri"/><family val="2"/></font>`;
    const fonts = new Numbered<string>([['false:11', font({})]]);
    const fontId = (s: CellStyle) => fonts.of(`${s.bold ?? false}:${s.size ?? 11}`, font(s));
    const xfs = this.styles.list.map((s, i) => {
      if (i === 0) return '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>';
      const num = fmtId(s.numFmt ?? 'General');
      const font = fontId(s);
      const applied = `${num ? ' applyNumberFormat="1"' : ''}${font ? ' applyFont="1"' : ''}${s.wrapTop ? ' applyAlignment="1"' : ''}`;
      const body = s.wrapTop ? '<alignment vertical="top" wrapText="1"/>' : '';
      return `<xf numFmtId="${num}" fontId="${font}" fillId="0" borderId="0" xfId="0"${applied}${body ? `>${body}</xf>` : '/>'}`;
    });
    return (
      `${XML_HEAD}<styleSheet xmlns="${MAIN}">` +
      (custom.list.length ? `<numFmts count="${custom.list.length}">${custom.list.join('')}</numFmts>` : '') +
      `<fonts count="${fonts.list.length}">${fonts.list.join('')}</fonts>` +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    );
  }

  private sharedStringsXml(): Deflated {
    const out = new Deflated();
    out.push(`${XML_HEAD}<sst xmlns="${MAIN}" count="${this.stringCount}" uniqueCount="${this.strings.list.length}">`);
    for (const s of this.strings.list) {
      // Leading or trailing white space (and, as exceljs marks it, a line break) is kept only when the text says so (xml:space).
      out.push(/^\s|\n|\s$/.test(s) ? `<si><t xml:space="preserve">${esc(s)}</t></si>` : `<si><t>${esc(s)}</t></si>`);
    }
    out.push('</sst>');
    return out.end();
  }

  /** Write the package to `path` (created or truncated), stamped `when`. Every sheet must have been ended. */
  write(path: string, when: Date): void {
    const stamp = when.toISOString().replace(/[.]\d{3}/, '');
    const n = this.sheets.length;
    const sheetParts = this.sheets.map((_, i) => `xl/worksheets/sheet${i + 1}.xml`);
    const part = (text: string) => {
      const d = new Deflated();
      d.push(text);
      return d.end();
    };
    const entries: [string, Deflated][] = [
      [
        '[Content_Types].xml',
        part(
          `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
            '<Default Extension="xml" ContentType="application/xml"/>' +
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
            sheetParts.map((p) => `<Override PartName="/${p}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('') +
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        ),
      ],
      [
        '_rels/.rels',
        part(
          `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
            `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
            `<Relationship Id="rId2" Type="${PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>` +
            `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
        ),
      ],
      [
        'docProps/app.xml',
        part(
          `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
            `<Application>${esc(this.creator)}</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${n}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
            `<TitlesOfParts><vt:vector size="${n}" baseType="lpstr">${this.sheets.map((s) => `<vt:lpstr>${esc(s.name)}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts></Properties>`,
        ),
      ],
      [
        'docProps/core.xml',
        part(
          `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
            `<dc:creator>${esc(this.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`,
        ),
      ],
      [
        'xl/workbook.xml',
        part(
          `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets>` +
            this.sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
            '</sheets></workbook>',
        ),
      ],
      [
        'xl/_rels/workbook.xml.rels',
        part(
          `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
            sheetParts.map((p, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${p.slice(3)}"/>`).join('') +
            `<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="styles.xml"/>` +
            `<Relationship Id="rId${n + 2}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
        ),
      ],
      ['xl/styles.xml', part(this.stylesXml())],
      ['xl/sharedStrings.xml', this.sharedStringsXml()],
      ...this.sheets.map((s, i): [string, Deflated] => [sheetParts[i]!, s.xml]),
    ];
    writeZipFile(path, entries, when);
  }
}
