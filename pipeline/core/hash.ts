/**
 * Reading an input file once, before anything else reads it: its size and SHA-256
 * (input files can be gigabytes: streamed), the identity that later proves it did not
 * change, its first bytes (decompressed) and last bytes, and for gzip the proof that the
 * stream is whole: every byte inflates and the trailer's CRC and length match. Why
 * each check exists: docs/operations.md, "What outcomes refuses, and why".
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, openSync, readdirSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';

/** What changes whenever a file's content changes (the kernel updates ctime on every write). */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

export interface HashedFile {
  bytes: number;
  sha256: string;
  identity: FileIdentity;
  /** The first bytes of the content (decompressed for gzip), at most HEAD_BYTES. */
  head: Buffer;
  /** The last bytes of the file as stored, at most TAIL_BYTES. */
  tail: Buffer;
}

export interface HashOptions {
  /** Inflate the file while hashing it and refuse it when the gzip stream is not whole. */
  gzip?: boolean;
}

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 16;

function identityOf(s: BigIntStats): FileIdentity {
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** What a file is when it is not a regular file, in words. */
export function fileKind(s: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean }): string {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** An fs error while opening or reading `path`, as an input error that names it. */
export function readError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'the file does not exist (a dangling link, or it was removed while the run read the folder)'
        : code === 'ELOOP'
          ? 'a symbolic link loop'
          : code === 'EIO'
            ? 'an input/output error (the file cannot be read)'
            : code === 'ENXIO'
              ? 'not a regular file (a socket or device)'
              : (e as Error).message;
  return new InputError(`cannot read ${path}: ${why}`, path);
}

/**
 * Read `path` once: size, SHA-256, identity, first and last bytes; with `gzip`, also
 * inflate it and throw `InputError` when the stream is cut short or damaged. A FIFO,
 * socket or device is refused before a byte is read (opened non-blocking, so a FIFO
 * without a writer never hangs the run); so is a file that changes while it is hashed.
 */
export async function hashFile(path: string, opts: HashOptions = {}): Promise<HashedFile> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readError(path, e);
  }
  try {
    const first = fstatSync(fd, { bigint: true });
    if (!first.isFile()) throw new InputError(`cannot read ${path}: it is ${fileKind(first)}, not a regular file`, path);
    const h = createHash('sha256');
    let bytes = 0;
    let tail: Buffer = Buffer.alloc(0);
    const head: Buffer[] = [];
    let headLength = 0;
    const hashing = async function* (src: AsyncIterable<Buffer>) {
      for await (const chunk of src) {
        h.update(chunk);
        bytes += chunk.length;
        tail = chunk.length >= TAIL_BYTES ? chunk.subarray(chunk.length - TAIL_BYTES) : Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES);
        yield chunk;
      }
    };
    const keepHead = async (src: AsyncIterable<Buffer>) => {
      for await (const chunk of src) {
        if (headLength < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
      }
    };
    const source = createReadStream(path, { fd, autoClose: false, highWaterMark: 1 << 20 });
    try {
      if (opts.gzip) await pipeline(source, hashing, createGunzip(), keepHead);
      else await pipeline(source, hashing, keepHead);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code?.startsWith('Z_')) {
        throw new InputError(
          `${path} is not a whole gzip file (${(e as Error).message}): it was cut short or is damaged, so none of it is loaded`,
          path,
        );
      }
      throw readError(path, e);
    }
    const identity = identityOf(first);
    if (!sameIdentity(identity, identityOf(fstatSync(fd, { bigint: true }))) || BigInt(bytes) !== first.size) {
      throw changedError(path);
    }
    return { bytes, sha256: h.digest('hex'), identity, head: Buffer.concat(head), tail };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already closed by the stream after a read error
    }
  }
}

function changedError(path: string): InputError {
  return new InputError(
    `${path} changed while it was being read (its size or modification time moved): none of it is loaded; run again once the file is complete`,
    path,
  );
}

/** The identity of `path` now (following links, as a reader does); `InputError` naming it when it cannot be read. */
export function statIdentity(path: string): FileIdentity {
  try {
    return identityOf(statSync(path, { bigint: true }));
  } catch (e) {
    throw readError(path, e);
  }
}

/** An identity as one text, to keep in the database. */
export function identityText(i: FileIdentity): string {
  return [i.dev, i.ino, i.size, i.mtimeNs, i.ctimeNs].join(':');
}

/**
 * Throw `InputError` unless `path` is still the file `identity` describes: called after
 * a reader loaded it, so that the size and SHA-256 recorded are those of the bytes loaded.
 */
export function assertUnchanged(path: string, identity: FileIdentity): void {
  let now: BigIntStats;
  try {
    now = statSync(path, { bigint: true });
  } catch (e) {
    throw readError(path, e);
  }
  if (!sameIdentity(identity, identityOf(now))) throw changedError(path);
}

/**
 * The identity of every regular file under `dir` (links and special files are not followed),
 * taken before a reader that finds its own files (an adapter) reads them.
 */
export function identitiesUnder(dir: string): Map<string, FileIdentity> {
  const out = new Map<string, FileIdentity>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(p, identityOf(statSync(p, { bigint: true })));
    }
  };
  try {
    walk(dir);
  } catch {
    // an unreadable folder is the reader's to report
  }
  return out;
}

/** `assertUnchanged` against the identity taken before the reader ran; a file not seen then has changed. */
export function assertUnchangedSince(path: string, before: Map<string, FileIdentity>): void {
  const identity = before.get(path);
  if (!identity) throw changedError(path);
  assertUnchanged(path, identity);
}
