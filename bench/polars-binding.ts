/**
 * nodejs-polars 0.25.2 ships its native code as optional packages
 * (`nodejs-polars-linux-x64-gnu`, ...) that declare `engines.node >= 22`. npm marks
 * an optional package whose engines do not match as not installable and skips it
 * without a word, so on Node 20 `npm ci` leaves nodejs-polars without its binding,
 * although the binding loads and works on Node 20. The bench installs the one
 * package for this platform with `npm install --no-save` (package.json and the
 * lock file stay as they are) when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The binding package napi-rs builds for this platform, e.g. `nodejs-polars-linux-x64-gnu`. */
export function bindingPackage(platform = process.platform, arch = process.arch, glibc = isGlibc()): string {
  const abi = platform === 'linux' ? (glibc ? '-gnu' : '-musl') : platform === 'win32' ? '-msvc' : '';
  return `nodejs-polars-${platform}-${arch}${abi}`;
}

function isGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return Boolean(report?.header?.glibcVersionRuntime);
}

/** Does nodejs-polars load here? Returns the error message when it does not. */
export function polarsLoadError(root: string): string | undefined {
  const r = spawnSync(process.execPath, ['-e', "require('nodejs-polars')"], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr.split('\n').find((l) => l.startsWith('Error')) ?? r.stderr.trim());
}

/**
 * Make nodejs-polars loadable: when its binding package is missing, install exactly
 * the version matching nodejs-polars with `npm install --no-save`. Returns undefined
 * on success, else why the peer cannot run.
 */
export function ensurePolars(root: string, log: (s: string) => void): string | undefined {
  const before = polarsLoadError(root);
  if (!before) return undefined;
  let version: string;
  try {
    const require = createRequire(join(root, 'package.json'));
    version = (JSON.parse(readFileSync(require.resolve('nodejs-polars/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'nodejs-polars is not installed (run npm ci)';
  }
  const pkg = `${bindingPackage()}@${version}`;
  log(`  nodejs-polars has no native binding here (${before}); installing ${pkg} with npm install --no-save`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', pkg], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return `npm install ${pkg} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`;
  const after = polarsLoadError(root);
  return after ? `nodejs-polars still does not load after installing ${pkg}: ${after}` : undefined;
}
