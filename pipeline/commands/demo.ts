/** `outcomes demo`: generate a synthetic data set and run the whole pipeline on it. */
import { join, relative, resolve } from 'node:path';
import { GENERATE_DEFAULTS, GENERATE_LIMITS, generate } from '../../fixtures/generate.js';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/log.js';
import { claimOutput } from '../core/claim.js';
import { writeMarker } from '../core/marker.js';
import { newRunId } from '../core/run-id.js';
import { runPipeline } from '../compose/run.js';
import { flag, int, path } from './options.js';
import { defineCommand } from './types.js';

/** The demo's seed: the README's excerpt and screenshots come from it. */
const DEMO_SEED = 42;

export const command = defineCommand({
  name: 'demo',
  summary: 'generate a synthetic data set and run the whole pipeline on it',
  options: {
    out: path({ arg: 'DIR', fallback: 'out', help: 'output folder (default out/); the demo input and database go to DIR.demo/' }),
    patients: int({ min: 1, max: GENERATE_LIMITS.patients, fallback: GENERATE_DEFAULTS.patients, help: `synthetic patients (default ${GENERATE_DEFAULTS.patients})` }),
    quiet: flag({ help: 'log warnings and errors only' }),
  },
  async run(o, print) {
    const out = resolve(o.out);
    const work = `${out}.demo`;
    const input = join(work, 'input');
    const rel = (p: string) => relative(process.cwd(), p) || '.';
    const t0 = performance.now();
    const lock = claimOutput(input, 'demo', {}, 'the demo input folder');
    let g: Awaited<ReturnType<typeof generate>>;
    try {
      writeMarker(input, newRunId(), 'generate');
      g = await generate({ outDir: input, patients: o.patients, years: GENERATE_DEFAULTS.years, seed: DEMO_SEED, dirty: true });
    } finally {
      lock.release();
    }
    print(
      `generated ${g.rows.patients} patients, ${g.rows.admissions} admissions, ${g.rows.treatments} treatments in ${rel(input)}/ (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    const log = createLogger({ quiet: o.quiet });
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
    print(`Database with the canonical tables and stays: ${rel(join(work, 'outcomes.duckdb'))}`);
  },
});
