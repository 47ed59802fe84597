/** `outcomes demo`: generate a synthetic data set and run the whole pipeline on it. */
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { claimOutput } from '../core/claim.js';
import { writeMarker } from '../core/marker.js';
import { newRunId, runPipeline } from '../compose/run.js';
import type { Command } from './types.js';

interface GenerateApi {
  generate(opts: { outDir: string; patients: number; years: number; seed: number; dirty?: boolean }): Promise<{
    files: string[];
    rows: { patients: number; admissions: number; treatments: number };
  }>;
}

export const command: Command = {
  name: 'demo',
  summary: 'generate a synthetic data set and run the whole pipeline on it',
  options: {
    out: { type: 'string', arg: 'DIR', help: 'output folder (default out/); the demo input and database go to DIR.demo/' },
    patients: { type: 'string', arg: 'N', help: 'synthetic patients (default 20000)' },
    quiet: { type: 'boolean', help: 'log warnings and errors only' },
  },
  async run(opts, print) {
    const out = resolve((opts.out as string | undefined) ?? 'out');
    const patients = Number((opts.patients as string | undefined) ?? 20000);
    if (!Number.isInteger(patients) || patients < 1) throw new UsageError(`--patients must be a positive whole number`);
    const work = `${out}.demo`;
    const input = join(work, 'input');
    const rel = (p: string) => relative(process.cwd(), p) || '.';
    // The generator is a fixture module; loaded by path so the CLI starts fast.
    const genUrl = new URL('../../fixtures/generate.js', import.meta.url);
    const { generate } = (await import(genUrl.href)) as GenerateApi;
    const t0 = performance.now();
    const lock = claimOutput(input, 'demo', {}, 'the demo input folder');
    let g: Awaited<ReturnType<GenerateApi['generate']>>;
    try {
      writeMarker(input, newRunId(), 'generate');
      g = await generate({ outDir: input, patients, years: 3, seed: 42, dirty: true });
    } finally {
      lock.release();
    }
    print(
      `generated ${g.rows.patients} patients, ${g.rows.admissions} admissions, ${g.rows.treatments} treatments in ${rel(input)}/ (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    const log = createLogger({ quiet: Boolean(opts.quiet) });
    const { manifest } = await runPipeline({
      input,
      format: 'native',
      out,
      db: join(work, 'outcomes.duckdb'),
      config: loadConfig(undefined),
      log,
    });
    const secs = (Date.parse(manifest.ended_at) - Date.parse(manifest.started_at)) / 1000;
    print(`pipeline run ${manifest.run_id} succeeded in ${secs.toFixed(1)} s (cutoff ${manifest.cutoff})`);
    for (const t of manifest.tables) print(`  ${t.table}: ${t.rows_loaded} loaded, ${t.rows_rejected} rejected (see rejects.csv)`);
    print('');
    print(`Outputs in ${rel(out)}/:`);
    print(`  metrics.csv, metrics.parquet   every metric at every grain (data team)`);
    print(`  catalog.json                   what each metric means`);
    print(`  exclusions.csv, rejects.csv    what was left out, and why`);
    print(`  manifest.json                  what this run read, did and wrote`);
    if (manifest.outputs?.['exports'] !== undefined) print(`  exports/                       suppressed reports for administrators (open the .xlsx workbooks)`);
    if (manifest.outputs?.['dashboards'] !== undefined) print(`  dashboards/index.html          open in a browser (works offline)`);
    print(`Database with the canonical tables, stays and facts: ${rel(join(work, 'outcomes.duckdb'))}`);
  },
};
