/**
 * The code a part of the program runs, found by following relative imports from its entry module
 * as it is on disk (the compiled `.js` under `dist/`, or the `.ts` when run from source): what a
 * saved result depends on besides its data, so that a changed build never serves an old result.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Static `import … from './x.js'`, `export … from './x.js'`, side-effect `import './x.js'` and `import('./x.js')`.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** The module file a relative specifier names: the `.js` itself, or its `.ts` source when running from source. */
function moduleFile(from: string, spec: string): string | undefined {
  const p = resolve(dirname(from), spec);
  if (existsSync(p)) return p;
  const ts = p.replace(/\.js$/, '.ts');
  return existsSync(ts) ? ts : undefined;
}

/** Every module reachable from `entry` by relative imports, sorted. */
export function codeFiles(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.[cm]?[jt]s$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const dep = moduleFile(file, m[2]!);
      if (dep && !seen.has(dep)) stack.push(dep);
    }
  }
  return [...seen].sort();
}

/** The module `name` in the folder of the module at `moduleUrl`, as that one runs (`.js` compiled, `.ts` from source). */
export function moduleBeside(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  return join(dirname(here), name + (here.endsWith('.ts') ? '.ts' : '.js'));
}
