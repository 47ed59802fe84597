/**
 * Errors that the command line turns into exit codes. Only `pipeline/cli.ts`
 * chooses the exit code; everything else throws one of these.
 */

/** Bad usage, configuration or unreadable input: exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that breaks a rule about a file: names the file (and column or line). */
export class InputError extends UsageError {
  constructor(
    message: string,
    readonly file?: string,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The data-quality gate failed: exit 3. */
export class QualityError extends Error {
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'QualityError';
  }
}

/**
 * Error codes of the machine, not of the program: a full disk, a quota, a
 * read-only file system, missing permission. The operator fixes them (exit 2).
 */
const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EFBIG', 'EIO']);
/** The same, as DuckDB words them in its messages. */
const DISK_MESSAGES = /No space left on device|Disk quota exceeded|Read-only file system|Permission denied|File too large/i;

/** Is `e` a failure of the machine (disk full, read-only, no permission) rather than of the program? */
export function isDiskError(e: unknown): boolean {
  if (e instanceof UsageError || e instanceof QualityError) return false;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && DISK_CODES.has(code)) return true;
  return e instanceof Error && DISK_MESSAGES.test(e.message);
}

/** A file or folder that could not be written for a reason of the machine: exit 2 naming the path. */
export class DiskError extends UsageError {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${path}: ${reason}`);
    this.name = 'DiskError';
  }
}

/** Exit code for any error: 2 and 3 for ours and for a full or read-only disk, 1 for the unexpected. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return 2;
  if (e instanceof QualityError) return 3;
  if (isDiskError(e)) return 2;
  return 1;
}

/**
 * Run `work`, then `cleanup` whatever happened. When `work` threw, its error is the one thrown: a cleanup
 * that fails after it (a full disk, a database DuckDB has stopped after a failed commit) must not replace
 * the reason the work stopped. When `work` succeeded, a cleanup that fails is thrown.
 */
export async function withCleanup<T>(work: () => Promise<T>, cleanup: () => Promise<void> | void): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (e) {
    try {
      await cleanup();
    } catch {
      // The work's error is the one to report.
    }
    throw e;
  }
  await cleanup();
  return result;
}
