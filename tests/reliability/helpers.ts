/** Shared by the reliability tests: the built command line, spawned as a careless user would run it. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Built before the tests run (tests/setup/build.ts). OUTCOMES_CLI points these tests at another build,
// e.g. a previous release, to see which of the cases it fails.
export const CLI = process.env['OUTCOMES_CLI'] ?? join(process.cwd(), 'dist/pipeline/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The message of the last stderr line (the final error), whether text or JSON. */
  last: string;
}

/** Run `outcomes …` with text logs (the messages are then plain text to match). */
export function outcomes(args: string[], opts: { cwd?: string; text?: boolean } = {}): CliResult {
  const withFormat = opts.text === false || !['run', 'check'].includes(args[0]!) || args.includes('--log-format') ? args : [...args, '--log-format', 'text'];
  const r = spawnSync(process.execPath, [CLI, ...withFormat], {
    cwd: opts.cwd ?? process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  const lines = r.stderr.trimEnd().split('\n');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: lines[lines.length - 1] ?? '' };
}

/** Every file under dir (relative path → content as base64), to show that nothing changed. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}
