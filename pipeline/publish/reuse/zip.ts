/**
 * Just enough of the zip format to write a workbook (`writeZipFile`, for exports/xlsx.ts) and to
 * rewrite one with a few entries replaced: the entries are read through the central directory,
 * unchanged ones are copied as they are (compressed bytes and all), replaced ones are deflated anew,
 * and every entry gets the time of the rewrite, as a workbook written at that time would. Only what
 * the workbook writer makes is handled (no zip64, no encryption); anything else is refused
 * (undefined), and the caller builds the file anew.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import * as zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header; the entry's bytes run to `end` (data, and its descriptor when flag bit 3 is set). */
  local: number;
  data: number;
  end: number;
  /** Offset and length of the entry's record in the central directory. */
  central: number;
  centralLength: number;
}

export interface Zip {
  bytes: Buffer;
  entries: ZipEntry[];
  /** Offset of the end-of-central-directory record. */
  eocd: number;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = 0x08074b50;

/** The entries of a zip file, or undefined when it is not one this module can rewrite. */
export function readZip(bytes: Buffer): Zip | undefined {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || bytes.length - eocd !== 22 || bytes.readUInt32LE(eocd) !== END) return undefined;
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (bytes.readUInt16LE(eocd + 4) !== 0 || at + bytes.readUInt32LE(eocd + 12) !== eocd) return undefined;
  const entries: ZipEntry[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || bytes.readUInt32LE(at) !== CENTRAL) return undefined;
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const centralLength = 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    // Entries back to back in the order of the directory, stored or deflated, not encrypted, no zip64.
    if (local !== next || (method !== 0 && method !== 8) || flags & 1 || compressedSize === 0xffffffff || size === 0xffffffff) return undefined;
    if (bytes.readUInt32LE(local) !== LOCAL) return undefined;
    const data = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    let end = data + compressedSize;
    if (flags & 8) end += end + 4 <= bytes.length && bytes.readUInt32LE(end) === DESCRIPTOR ? 16 : 12;
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({ name, flags, method, crc: bytes.readUInt32LE(at + 16), compressedSize, size, local, data, end, central: at, centralLength });
    next = end;
    at += centralLength;
  }
  if (next !== bytes.readUInt32LE(eocd + 16)) return undefined;
  return { bytes, entries, eocd };
}

/** The uncompressed bytes of an entry. */
export function entryBytes(zip: Zip, e: ZipEntry): Buffer {
  const raw = zip.bytes.subarray(e.data, e.data + e.compressedSize);
  return e.method === 0 ? Buffer.from(raw) : zlib.inflateRawSync(raw);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the zip format by the table above; `prev`: the CRC of the bytes before these, to go on from. */
export function tableCrc32(bytes: Uint8Array, prev = 0): number {
  let c = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of the zip format, going on from `prev`: node:zlib's where this Node has it (20.15 and later), else `tableCrc32`. */
export function crc32(bytes: Uint8Array, prev = 0): number {
  return nativeCrc32 ? nativeCrc32(bytes, prev) >>> 0 : tableCrc32(bytes, prev);
}

/** A time as the zip format keeps it (MS-DOS date and time, UTC, as the workbook writer stamps its entries). */
export function dosTime(when: Date): { time: number; date: number } {
  const year = Math.min(2043, Math.max(1980, when.getUTCFullYear()));
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  };
}

/** The zip with the entries named in `replace` holding new bytes, and every entry stamped `when`. */
export function rewriteZip(zip: Zip, replace: Map<string, Buffer>, when: Date): Buffer {
  const { time, date } = dosTime(when);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of zip.entries) {
    const header = Buffer.from(zip.bytes.subarray(e.local, e.data));
    const record = Buffer.from(zip.bytes.subarray(e.central, e.central + e.centralLength));
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    record.writeUInt16LE(time, 12);
    record.writeUInt16LE(date, 14);
    record.writeUInt32LE(offset, 42);
    const content = replace.get(e.name);
    let body: Buffer;
    if (content === undefined) {
      body = zip.bytes.subarray(e.data, e.end);
    } else {
      const packed = e.method === 8 ? zlib.deflateRawSync(content) : content;
      const crc = crc32(content);
      if (e.flags & 8) {
        const descriptor = Buffer.alloc(e.end - e.data - e.compressedSize);
        let at = 0;
        if (descriptor.length === 16) at = descriptor.writeUInt32LE(DESCRIPTOR, 0);
        at = descriptor.writeUInt32LE(crc, at);
        at = descriptor.writeUInt32LE(packed.length, at);
        descriptor.writeUInt32LE(content.length, at);
        body = Buffer.concat([packed, descriptor]);
      } else {
        header.writeUInt32LE(crc, 14);
        header.writeUInt32LE(packed.length, 18);
        header.writeUInt32LE(content.length, 22);
        body = packed;
      }
      record.writeUInt32LE(crc, 16);
      record.writeUInt32LE(packed.length, 20);
      record.writeUInt32LE(content.length, 24);
    }
    parts.push(header, body);
    central.push(record);
    offset += header.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.from(zip.bytes.subarray(zip.eocd, zip.eocd + 22));
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** An entry's data, raw-deflated in one or more pieces that make one stream, with the size and CRC-32 of the bytes before deflating. */
export interface ZipPart {
  parts: Buffer[];
  size: number;
  crc: number;
}

/**
 * Write the zip file of deflated entries to `path` (created or truncated), every entry stamped `when`:
 * local headers with sizes and CRC (no data descriptors), the central directory, its end.
 */
export function writeZipFile(path: string, entries: [string, ZipPart][], when: Date): void {
  const { time, date } = dosTime(when);
  const central: Buffer[] = [];
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    const put = (b: Buffer) => {
      writeSync(fd, b);
      offset += b.length;
    };
    for (const [name, d] of entries) {
      const nameBytes = Buffer.from(name, 'utf8');
      const compressed = d.parts.reduce((n, p) => n + p.length, 0);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(LOCAL, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6); // names in UTF-8
      local.writeUInt16LE(8, 8);
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(d.crc >>> 0, 14);
      local.writeUInt32LE(compressed, 18);
      local.writeUInt32LE(d.size, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      local.writeUInt16LE(0, 28);
      const record = Buffer.alloc(46);
      record.writeUInt32LE(CENTRAL, 0);
      record.writeUInt16LE(20, 4);
      record.writeUInt16LE(20, 6);
      local.copy(record, 8, 6, 30); // flags … name length, extra length: as in the local header
      record.writeUInt32LE(offset, 42);
      central.push(record, nameBytes);
      if (offset > 0xfffffffe) throw new Error('a workbook is larger than a zip without zip64 holds (4 GB)');
      put(local);
      put(nameBytes);
      for (const p of d.parts) put(p);
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    put(directory);
    put(end);
  } finally {
    closeSync(fd);
  }
}
