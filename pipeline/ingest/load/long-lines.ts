/**
 * Finding the physical lines of a CSV file that are longer than the CSV reader's line
 * limit. Used only after the reader has refused a file for such a line among its first
 * lines, where it reports "line 1" for every one of them: we count the lines ourselves.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { EXCERPT_CHARS } from './excerpt.js';

export interface LongLine {
  /** Physical line number, the header being line 1. */
  line: number;
  /** Bytes, without the line end. */
  bytes: number;
  /** The line's first bytes (about EXCERPT_CHARS), for `rejects`. */
  start: string;
}

/** Every line of `path` (inflated when it ends in `.gz`) longer than `limit` bytes. */
export async function findLongLines(path: string, limit: number): Promise<LongLine[]> {
  const found: LongLine[] = [];
  let line = 1;
  let length = 0;
  let start: Buffer[] = [];
  let startBytes = 0;
  const keep = (b: Buffer) => {
    if (startBytes < EXCERPT_CHARS * 4) {
      start.push(b.subarray(0, EXCERPT_CHARS * 4 - startBytes));
      startBytes += Math.min(b.length, EXCERPT_CHARS * 4 - startBytes);
    }
  };
  const endLine = () => {
    if (length > limit) found.push({ line, bytes: length, start: Buffer.concat(start).toString('utf8').slice(0, EXCERPT_CHARS) });
    line++;
    length = 0;
    start = [];
    startBytes = 0;
  };
  const scan = async (src: AsyncIterable<Buffer>) => {
    for await (const chunk of src) {
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
        let piece = chunk.subarray(from, nl);
        if (piece.length > 0 && piece[piece.length - 1] === 0x0d) piece = piece.subarray(0, -1);
        length += piece.length;
        keep(piece);
        endLine();
        from = nl + 1;
      }
      length += chunk.length - from;
      keep(chunk.subarray(from));
    }
    if (length > 0) endLine();
  };
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  if (path.toLowerCase().endsWith('.gz')) await pipeline(source, createGunzip(), scan);
  else await pipeline(source, scan);
  return found;
}
