/**
 * The reports of a run written on a thread of their own (`aside-worker.ts`) while the main thread
 * draws the dashboards: writing the workbooks is most of the reports' cost, and a second core is
 * otherwise idle then. Errors come back with their kind (a full disk stays exit 2). Where the
 * compiled worker is not there (the tests run the TypeScript sources), the reports are written on
 * this thread, with the same code.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PublishedRow } from '../../../metrics/suppress.js';
import { DiskError, InputError, UsageError } from '../../core/errors.js';
import type { RunExportOptions } from './from-rows.js';
import type { ReportTimings } from './reports.js';

export interface AsideResult {
  files: string[];
  timings: ReportTimings;
  /** Whether the reports were written on a thread of their own. */
  thread: boolean;
}

/** An error as it crosses between threads: its kind and what rebuilding it needs. */
export interface ErrorMessage {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  path?: string;
  cause?: ErrorMessage;
}

/** An error as a message for the other thread. */
export function errorMessage(e: unknown): ErrorMessage {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const m: ErrorMessage = { name: e.name, message: e.message };
  if (e.stack) m.stack = e.stack;
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string') m.code = code;
  if (e instanceof DiskError) {
    m.path = e.path;
    m.cause = errorMessage(e.cause);
  }
  return m;
}

/** The error a message stands for, of the same class where it is one of ours. */
export function errorFrom(m: ErrorMessage): Error {
  let e: Error;
  if (m.name === 'DiskError' && m.path !== undefined) e = new DiskError(m.path, m.cause ? errorFrom(m.cause) : m.message);
  else if (m.name === 'InputError') e = new InputError(m.message);
  else if (m.name === 'UsageError') e = new UsageError(m.message);
  else {
    e = new Error(m.message);
    e.name = m.name;
    if (m.code !== undefined) (e as NodeJS.ErrnoException).code = m.code;
  }
  if (m.stack) e.stack = m.stack;
  return e;
}

const WORKER = fileURLToPath(new URL('./aside-worker.js', import.meta.url));

/** Write the reports of `rows` into `outDir` (as `writeRunExports`), on a thread of their own where there is one. */
export function writeRunExportsAside(rows: PublishedRow[], outDir: string, opts: RunExportOptions): Promise<AsideResult> {
  if (!existsSync(WORKER)) {
    const timings: ReportTimings = { rows: 0, csv: 0, xlsx: 0 };
    // Loaded here, not with this module: the workbook library is the reports thread's, never this one's otherwise.
    return import('./from-rows.js')
      .then(({ writeRunExports }) => writeRunExports(rows, outDir, opts, timings))
      .then((r) => ({ files: r.files, timings, thread: false }));
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { rows, outDir, opts } });
    let settled = false;
    worker.on('message', (m: { files: string[]; timings: ReportTimings } | { error: ErrorMessage }) => {
      settled = true;
      if ('error' in m) reject(errorFrom(m.error));
      else resolve({ ...m, thread: true });
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the thread writing the reports stopped (exit code ${code}) without an answer`));
    });
  });
}
