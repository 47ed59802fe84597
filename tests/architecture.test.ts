/**
 * The floors of docs/architecture.md as a fact: every import between the program's own modules points to
 * its own floor or one below, the dashboards never hold a database handle, only the database module imports
 * DuckDB, and no module reaches itself again through its imports (type-only imports count too).
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.js';

type Floor = 'core' | 'ingest' | 'fixtures' | 'metrics' | 'publish' | 'compose';

/** Floors from the bottom up, each with the folders it holds and the floors it may import. */
const FLOORS: { floor: Floor; holds: (f: string) => boolean; mayImport: Floor[] }[] = [
  { floor: 'core', holds: (f) => f.startsWith('pipeline/core/'), mayImport: ['core'] },
  { floor: 'ingest', holds: (f) => f.startsWith('pipeline/ingest/'), mayImport: ['core', 'ingest'] },
  { floor: 'fixtures', holds: (f) => f.startsWith('fixtures/'), mayImport: ['core', 'ingest', 'fixtures'] },
  { floor: 'metrics', holds: (f) => f.startsWith('metrics/'), mayImport: ['core', 'ingest', 'metrics'] },
  {
    floor: 'publish',
    holds: (f) => f.startsWith('pipeline/publish/') || f.startsWith('dashboards/'),
    mayImport: ['core', 'metrics', 'publish'],
  },
  {
    floor: 'compose',
    holds: (f) => f === 'pipeline/cli.ts' || f.startsWith('pipeline/commands/') || f.startsWith('pipeline/compose/'),
    mayImport: ['core', 'ingest', 'fixtures', 'metrics', 'publish', 'compose'],
  },
];

/** The floor of a program file; undefined for tests and benchmarks, which may read anything. */
export function floorOf(file: string): Floor | undefined {
  return FLOORS.find((f) => f.holds(file))?.floor;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a TypeScript file imports or re-exports (static, dynamic and type-only). */
export function specifiersOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) out.push((m[1] ?? m[2])!);
  return out;
}

/** Resolve a relative specifier of `from` to a repository path (`./db.js` → `pipeline/core/db.ts`). */
export function resolveSpecifier(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.js$/, '.ts');
}

/** Every rule the import graph breaks, as readable sentences (empty when the floors hold). */
export function problems(graph: Map<string, string[]>, packages: Map<string, string[]> = new Map()): string[] {
  const out: string[] = [];
  for (const [file, deps] of graph) {
    const floor = floorOf(file);
    for (const dep of deps) {
      const to = floorOf(dep);
      if (floor && to && !FLOORS.find((f) => f.floor === floor)!.mayImport.includes(to))
        out.push(`${file} (${floor}) imports ${dep} (${to}): imports point down only`);
      if (file.startsWith('dashboards/') && dep === 'pipeline/core/db.ts')
        out.push(`${file} imports the database module: dashboards take metric rows and the catalog`);
    }
  }
  for (const [file, pkgs] of packages)
    if (pkgs.includes('@duckdb/node-api') && file !== 'pipeline/core/db.ts')
      out.push(`${file} imports @duckdb/node-api: only pipeline/core/db.ts may`);
  for (const cycle of cycles(graph)) out.push(`import cycle: ${cycle.join(' → ')}`);
  return out;
}

/** Each import cycle once, as the list of files around it (first file repeated at the end). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d) && graph.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return found;
}

function repoGraph(): { graph: Map<string, string[]>; packages: Map<string, string[]> } {
  const root = projectRoot();
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && floorOf(f));
  const graph = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const f of files) {
    const specs = specifiersOf(readFileSync(posix.join(root, f), 'utf8'));
    graph.set(f, specs.map((s) => resolveSpecifier(f, s)).filter((d): d is string => d !== undefined));
    packages.set(f, specs.filter((s) => !s.startsWith('.')));
  }
  return { graph, packages };
}

describe('architecture: floors and import direction', () => {
  const { graph, packages } = repoGraph();

  it('finds the program files on every floor', () => {
    const floors = new Set([...graph.keys()].map(floorOf));
    expect([...floors].sort()).toEqual(['compose', 'core', 'fixtures', 'ingest', 'metrics', 'publish']);
    expect(graph.get('pipeline/compose/run.ts')).toContain('metrics/compute.ts');
  });

  it('every program file lies on a floor (no stray module outside them)', () => {
    const root = projectRoot();
    const stray = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'pipeline/*.ts', 'metrics/*.ts', 'dashboards/*.ts', 'fixtures/*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !floorOf(f));
    expect(stray).toEqual([]);
  });

  it('imports point down only, dashboards never hold a database, no cycles', () => {
    expect(problems(graph, packages)).toEqual([]);
  });

  it('the check fails on an upward import, a database handle in the dashboards and a cycle', () => {
    const bad = new Map<string, string[]>([
      ['pipeline/core/db.ts', ['pipeline/compose/run.ts']],
      ['pipeline/compose/run.ts', ['pipeline/core/db.ts']],
      ['dashboards/build.ts', ['pipeline/core/db.ts']],
      ['metrics/compute.ts', ['pipeline/publish/tables.ts']],
    ]);
    const p = problems(bad, new Map([['metrics/compute.ts', ['@duckdb/node-api']]]));
    expect(p).toContain('pipeline/core/db.ts (core) imports pipeline/compose/run.ts (compose): imports point down only');
    expect(p).toContain('metrics/compute.ts (metrics) imports pipeline/publish/tables.ts (publish): imports point down only');
    expect(p).toContain('dashboards/build.ts imports the database module: dashboards take metric rows and the catalog');
    expect(p).toContain('metrics/compute.ts imports @duckdb/node-api: only pipeline/core/db.ts may');
    expect(p.filter((x) => x.startsWith('import cycle:'))).toEqual(['import cycle: pipeline/core/db.ts → pipeline/compose/run.ts → pipeline/core/db.ts']);
  });

  it('reads every import form, type-only and dynamic ones included', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      'import {\n  g,\n  h,\n} from "./quoted-differently.js";',
    ].join('\n');
    expect(specifiersOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js', './f.js', './quoted-differently.js']);
    expect(resolveSpecifier('pipeline/compose/run.ts', '../core/db.js')).toBe('pipeline/core/db.ts');
  });
});
