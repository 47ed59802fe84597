/** Converting files with LibreOffice (`soffice`) in tests, and reading what it writes. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { csvRecords } from '../../pipeline/core/csv-text.js';

/** The `soffice` on PATH, if any. */
export function findSoffice(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const p = join(dir, 'soffice');
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Whether LibreOffice tests run: always in CI (where a missing soffice is a failure), elsewhere when it is installed. */
export function libreOfficeTestMode(): 'run' | 'skip' {
  return findSoffice() || process.env['CI'] ? 'run' : 'skip';
}

export const SKIP_MESSAGE = 'LibreOffice tests skipped: soffice is not on PATH (apt-get install libreoffice-calc-nogui); with CI set they run and fail without it';

/**
 * Convert `files` with `soffice --headless --convert-to <target>` into `outDir`. A
 * private user profile under `profileDir` keeps parallel runs (and a desktop
 * LibreOffice) from sharing one; the timeout keeps a hung soffice from hanging the suite.
 */
export function convert(files: string[], target: string, outDir: string, profileDir: string, infilter?: string): void {
  const soffice = findSoffice();
  if (!soffice) throw new Error('soffice is missing: install Debian\'s libreoffice-calc-nogui to run the LibreOffice tests');
  mkdirSync(outDir, { recursive: true });
  const args = [`-env:UserInstallation=${pathToFileURL(profileDir).href}`, '--headless', '--norestore'];
  if (infilter) args.push(`--infilter=${infilter}`);
  args.push('--convert-to', target, '--outdir', outDir, ...files);
  const r = spawnSync(soffice, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) throw new Error(`soffice failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
}

/**
 * Every sheet of a workbook as CSV (`<name>-<sheet>.csv`): comma, double quotes, UTF-8,
 * US English numbers, the stored values rather than the shown ones, formulas as their
 * results (so that a cell run as a formula shows up as a changed value).
 */
export const CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1';

/** A CSV text as LibreOffice writes it (LF or CRLF line ends, RFC 4180 quotes) into records. */
export const readCsv = (text: string, sep = ','): string[][] => csvRecords(text, sep);
