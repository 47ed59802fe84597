/**
 * The marker file that makes an output folder ours. outcomes writes it into every
 * folder it creates for output (`run`, `export`, `dashboards`, `generate`) and
 * replaces or cleans up only folders that carry it: a folder without it may hold
 * someone's files (docs/operations.md, "What outcomes refuses, and why").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunId } from './run-id.js';

export const MARKER = '.outcomes-output';

export interface Marker {
  run_id: string;
  command: string;
}

/**
 * Write the marker into `dir` (created when missing). Commands that write into a
 * folder (rather than swapping a finished one into place) mark it first, so that a
 * write that fails half-way leaves a folder the next attempt may still use.
 */
export function writeMarker(dir: string, runId: string, command: string): void {
  mkdirSync(dir, { recursive: true });
  const m: Marker = { run_id: runId, command };
  writeFileSync(join(dir, MARKER), JSON.stringify(m) + '\n');
}

/** The marker of `dir`, or undefined when it has none (or one that is not ours). */
export function readMarker(dir: string): Marker | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, MARKER), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as Partial<Marker>;
    return isRunId(m.run_id) && typeof m.command === 'string' ? { run_id: m.run_id, command: m.command } : undefined;
  } catch {
    return undefined;
  }
}
