#!/usr/bin/env node
// Runs the suite with vitest and ends with one unambiguous line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('tests/artifacts', { recursive: true });
const results = 'tests/artifacts/results.json';
rmSync(results, { force: true });
const r = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } },
);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(results)) {
  const j = JSON.parse(readFileSync(results, 'utf8'));
  passed = j.numPassedTests ?? 0;
  // A suite that failed without a failing test (an import error, a failing hook) counts as one failure.
  const brokenSuites = (j.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed = (j.numFailedTests ?? 0) + brokenSuites;
  skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
} else {
  failed = 1;
}
const code = r.status ?? 1;
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(code);
