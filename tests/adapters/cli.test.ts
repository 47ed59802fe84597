/**
 * `outcomes run --format fhir|omop|synthea --input DIR` from the built command
 * line (npm test builds dist/ first), on each adapter's fixture.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

// Built before the tests run (tests/setup/build.ts). A failing run fails these tests, whatever its message.
const CLI = join(process.cwd(), 'dist/pipeline/cli.js');

function outcomes(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function metric(outDir: string, id: string, period: string): string | undefined {
  const [head, ...rows] = readFileSync(join(outDir, 'metrics.csv'), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const row = rows
    .map((l) => l.split(','))
    .find((c) => c[at('metric_id')] === id && c[at('period')] === period && c[at('hospital_id')] === 'ALL' && c[at('department_id')] === 'ALL');
  return row?.[at('numerator')];
}

describe('outcomes run --format', () => {
  const cases = [
    ['fhir', 'fixtures/fhir', { stays: '8', emergency_visits: '3', treatments: '3' }, ['encounter:admission', 5]],
    ['omop', 'fixtures/omop/cdm54', { stays: '8', emergency_visits: '2', treatments: '5' }, ['visit:admission', 6]],
    ['synthea', 'fixtures/synthea/v3', { stays: '5', emergency_visits: '3', treatments: '5' }, ['encounter:admission', 4]],
  ] as const;

  for (const [format, input, want, [countKey, count]] of cases) {
    it(`${format}: exit 0, metrics from the adapted rows, adapter counts in the manifest`, () => {
      const dir = tempDir(`cli-${format}`);
      // The fixtures hold deliberately broken records; the gate is opened so that the run finishes.
      writeFileSync(join(dir, 'config.json'), '{"max_reject_share": 0.5}');
      const out = join(dir, 'out');
      const r = outcomes(['run', '--format', format, '--input', input, '--config', join(dir, 'config.json'), '--out', out, '--db', join(dir, 'db.duckdb')]);
      expect([r.code, r.stderr.slice(-400)]).toEqual([0, expect.any(String)]);
      expect({
        stays: metric(out, 'stays', '2024'),
        emergency_visits: metric(out, 'emergency_visits', '2024'),
        treatments: metric(out, 'treatments', '2024'),
      }).toEqual(want);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { adapter_counts?: Record<string, number> };
      expect(manifest.adapter_counts?.[countKey]).toBe(count);
    });
  }

  it('fhir with the default gate: exit 3, the adapter rejects count', () => {
    const dir = tempDir('cli-gate');
    const r = outcomes(['run', '--format', 'fhir', '--input', 'fixtures/fhir', '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/admissions: 1 of \d+ rows rejected/);
  });

  it('an export without its required file: exit 2 naming it', () => {
    const dir = tempDir('cli-missing');
    const r = outcomes(['run', '--format', 'omop', '--input', 'fixtures/synthea/v3', '--out', join(dir, 'out'), '--db', join(dir, 'db.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no visit_occurrence file/);
  });
});
