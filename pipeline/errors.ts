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

/** Exit code for any error: 2 and 3 for ours, 1 for the unexpected. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return 2;
  if (e instanceof QualityError) return 3;
  return 1;
}
