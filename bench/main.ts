/** Helpers for the bench's child-process entry points. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Is the module at `moduleUrl` the script node was started with? */
export function isMain(moduleUrl: string): boolean {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}

/** Run an async entry point; an error prints `name: message` and sets exit code 1. */
export function runMain(name: string, fn: () => Promise<void>): void {
  fn().catch((e: unknown) => {
    process.stderr.write(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
