/** The thread that writes a run's reports (see aside.ts): one job, one answer, then it ends. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PublishedRow } from '../../../metrics/suppress.js';
import { errorMessage } from './aside.js';
import { writeRunExports, type RunExportOptions } from './from-rows.js';
import type { ReportTimings } from './reports.js';

const job = workerData as { rows: PublishedRow[]; outDir: string; opts: RunExportOptions };
const timings: ReportTimings = { rows: 0, csv: 0, xlsx: 0 };
try {
  const { files } = await writeRunExports(job.rows, job.outDir, job.opts, timings);
  parentPort!.postMessage({ files, timings });
} catch (e) {
  parentPort!.postMessage({ error: errorMessage(e) });
}
