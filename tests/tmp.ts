/**
 * The one maker of temporary folders for tests. Every folder it makes is removed
 * after the test file that made it (tests/setup/cleanup.ts), so a suite run
 * leaves nothing behind in the system temp directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/** A fresh temporary folder, removed after the current test file. */
export function tempDir(prefix = 'outcomes-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Remove every folder made so far by `tempDir` (called after each test file). */
export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/** Folders made and not yet removed (for the test that checks the clean-up). */
export function pendingTempDirs(): string[] {
  return [...made];
}
