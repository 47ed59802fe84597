/**
 * Tests spawn the built command line (`dist/pipeline/cli.js`), so a stale build
 * would test old code. Before any test runs (vitest `globalSetup`), every source
 * file the command line can load is compared with its compiled copy; when one is
 * missing or older, the project is built once with `tsc`, and a failing build
 * stops the whole run loudly. `npm test` builds first anyway; this covers
 * `npx vitest run …` after an edit. See docs/operations.md ("Tests").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesUnder } from '../../pipeline/core/sql.js';

/** Folders of source the command line loads (tests and benchmarks are not loaded by it). */
export const SOURCE_FOLDERS = ['pipeline', 'metrics', 'dashboards', 'fixtures'];

function tsFiles(dir: string): string[] {
  return filesUnder(dir, ['.ts']).filter((p) => !p.endsWith('.d.ts'));
}

/** Source files under `root` whose compiled `dist/…/*.js` is missing or older than the source. */
export function staleSources(root: string): string[] {
  const stale: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const src of tsFiles(join(root, folder))) {
      const js = join(root, 'dist', relative(root, src)).replace(/\.ts$/, '.js');
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(src).mtimeMs) stale.push(relative(root, src));
    }
  }
  return stale;
}

export default function setup(): void {
  const root = process.cwd();
  const stale = staleSources(root);
  if (stale.length === 0) return;
  process.stderr.write(`dist/ is older than ${stale.length} source file(s) (first: ${stale[0]}); building with tsc before the tests\n`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the build failed (tsc exit ${r.status}): the tests would run the old dist/; fix the build first`);
  const still = staleSources(root);
  if (still.length > 0) throw new Error(`dist/ is still older than ${still.join(', ')} after building`);
}
