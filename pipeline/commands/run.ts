/** `outcomes run` and `outcomes check`. */
import { relative } from 'node:path';
import { loadConfig } from '../core/config.js';
import { createLogger, resolveLogFormat } from '../core/log.js';
import { runPipeline } from '../compose/run.js';
import { INPUT_FORMATS } from '../compose/options.js';
import { flag, oneOf, path, type Values } from './options.js';
import { defineCommand } from './types.js';

/** The options `run` and `check` share. */
export const inputOptions = {
  input: path({ arg: 'DIR', required: true, help: 'folder with one file or folder per table (docs/reference/contract.md#formats)' }),
  format: oneOf(INPUT_FORMATS, { arg: 'FORMAT', fallback: 'native', help: 'native (default), fhir, omop or synthea' }),
  config: path({ arg: 'FILE', help: 'JSON configuration file (see README)' }),
  'log-format': oneOf(['text', 'json'] as const, {
    help: 'log lines and the final error on stderr as text or JSON lines (default: text on a terminal, else JSON)',
  }),
  quiet: flag({ help: 'log warnings and errors only' }),
  verbose: flag({ help: 'log every step' }),
};

/** The configuration and logger of a run or check. */
export function runSetup(o: Values<typeof inputOptions>) {
  const config = loadConfig(o.config);
  const log = createLogger({ format: resolveLogFormat(o['log-format']), quiet: o.quiet, verbose: o.verbose });
  return { config, log };
}

export const command = defineCommand({
  name: 'run',
  summary: 'load the input, compute every metric and write the outputs',
  options: {
    ...inputOptions,
    out: path({ arg: 'DIR', fallback: 'out', help: 'output folder (default out/): new, empty, or one outcomes wrote; replaced as a whole' }),
    db: path({ arg: 'FILE', fallback: 'outcomes.duckdb', help: 'DuckDB database file (default outcomes.duckdb)' }),
    reset: flag({ help: 'empty the database first and load the input anew (e.g. to change --input)' }),
  },
  async run(o, print) {
    const { config, log } = runSetup(o);
    const { manifest, outDir } = await runPipeline({
      input: o.input,
      format: o.format,
      out: o.out,
      db: o.db,
      config,
      log,
      reset: o.reset,
      ...(o.config ? { configFile: o.config } : {}),
    });
    const rel = relative(process.cwd(), outDir) || '.';
    print(`run ${manifest.run_id} succeeded; cutoff ${manifest.cutoff}`);
    for (const t of manifest.tables) {
      print(`  ${t.table}: ${t.rows_loaded} rows loaded, ${t.rows_rejected} rejected of ${t.rows_read} read`);
    }
    print(`outputs in ${rel}/: metrics.csv, metrics.parquet, catalog.json, exclusions.csv, rejects.csv, manifest.json`);
    if (manifest.outputs?.['exports'] !== undefined) print(`reports for administrators: ${rel}/exports/`);
    if (manifest.outputs?.['dashboards'] !== undefined) print(`dashboards: ${rel}/dashboards/index.html`);
  },
});
