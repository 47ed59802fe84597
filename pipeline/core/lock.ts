/**
 * One run at a time: a lock file beside the database names its holder. A lock
 * left by a process that no longer exists is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DiskError, UsageError } from './errors.js';

export interface LockInfo {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

export interface Lock {
  path: string;
  /** Set when a stale lock of a dead process was taken over. */
  tookOverFrom?: LockInfo;
  release(): void;
}

/** Create the lock file exclusively; false when it exists. A path that cannot hold a file is exit 2 naming it. */
function create(path: string, me: LockInfo): boolean {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new UsageError(`cannot create the lock file ${path}: ${(e as Error).message}`);
  }
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw new DiskError(path, e);
  }
  closeSync(fd);
  return true;
}

/**
 * Take the lock at `path` (created exclusively). Held by a live process on this
 * host: `UsageError` (exit 2) naming the holder. Held by a dead one: taken over.
 * `what` names what the lock guards in that message (default: the lock file).
 */
export function acquireLock(path: string, command: string, what?: string): Lock {
  const me: LockInfo = { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), command };
  let tookOverFrom: LockInfo | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(path, me)) {
      let released = false;
      return {
        path,
        ...(tookOverFrom ? { tookOverFrom } : {}),
        release() {
          if (released) return;
          released = true;
          if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } else {
      const holder = readLock(path);
      // A lock file still being written (no JSON yet) belongs to a live starter: wait once.
      if (!holder) {
        if (attempt === 0) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
          continue;
        }
        tookOverFrom = { pid: -1, host: '?', started_at: '?', command: '?' };
        rmSync(path, { force: true });
        continue;
      }
      if (holder.host === me.host && !alive(holder.pid)) {
        tookOverFrom = holder;
        rmSync(path, { force: true });
        continue;
      }
      throw new UsageError(
        `${what ? `${what} is in use: ` : ''}another run holds the lock ${path}: process ${holder.pid} on ${holder.host}, started ${holder.started_at} (${holder.command}). ` +
          `If that process is gone from another machine, delete the lock file.`,
      );
    }
  }
  throw new UsageError(`could not take the lock ${path}`);
}
