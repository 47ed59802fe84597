/**
 * The files copied beside the pages: the classic-script (UMD) builds of vega,
 * vega-lite and vega-embed from node_modules with their licences, and our own
 * script and stylesheet. vega-embed's build bundles vega-interpreter, the
 * expression evaluator that needs no eval.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectRoot } from '../pipeline/core/paths.js';

const require = createRequire(import.meta.url);

/** Each library: an entry its package exports (to find the package), its UMD build and licence. */
const LIBRARIES = [
  { name: 'vega', entry: 'vega/vega-schema.json', build: 'vega.min.js' },
  { name: 'vega-lite', entry: 'vega-lite/vega-lite-schema.json', build: 'vega-lite.min.js' },
  { name: 'vega-embed', entry: 'vega-embed', build: 'vega-embed.min.js' },
];

/** Copy the assets into `dir` (e.g. `<out>/assets`); returns the file names written. */
export function copyAssets(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const lib of LIBRARIES) {
    const buildDir = dirname(require.resolve(lib.entry));
    copyFileSync(join(buildDir, lib.build), join(dir, lib.build));
    written.push(lib.build);
    const licence = join(dirname(buildDir), 'LICENSE');
    if (existsSync(licence)) {
      copyFileSync(licence, join(dir, `${lib.name}.LICENSE.txt`));
      written.push(`${lib.name}.LICENSE.txt`);
    }
  }
  for (const f of ['dashboard.js', 'dashboard.css']) {
    copyFileSync(join(projectRoot(), 'dashboards', 'static', f), join(dir, f));
    written.push(f);
  }
  return written;
}
