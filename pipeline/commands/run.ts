/** `outcomes run` and `outcomes check`. */
import { relative } from 'node:path';
import { loadConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import { createLogger, resolveLogFormat } from '../core/log.js';
import { runPipeline, type InputFormat } from '../compose/run.js';
import type { Command, OptionSpec, OptionValue } from './types.js';

const FORMATS: InputFormat[] = ['native', 'fhir', 'omop', 'synthea'];

export const inputOptions: Record<string, OptionSpec> = {
  input: { type: 'string', arg: 'DIR', help: 'folder with one file or folder per table (docs/reference/contract.md#formats)' },
  format: { type: 'string', arg: 'FORMAT', help: 'native (default), fhir, omop or synthea' },
  config: { type: 'string', arg: 'FILE', help: 'JSON configuration file (see README)' },
  'log-format': { type: 'string', arg: 'text|json', help: 'log lines and the final error on stderr as text or JSON lines (default: text on a terminal, else JSON)' },
  quiet: { type: 'boolean', help: 'log warnings and errors only' },
  verbose: { type: 'boolean', help: 'log every step' },
};

/** Parse the options shared by run and check. */
export function commonRunOptions(opts: Record<string, OptionValue>) {
  const format = (opts.format as string | undefined) ?? 'native';
  if (!FORMATS.includes(format as InputFormat)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
  }
  const logFormat = resolveLogFormat(opts['log-format'] as string | undefined);
  if (logFormat !== 'text' && logFormat !== 'json') throw new UsageError(`--log-format must be text or json (got "${logFormat}")`);
  const config = loadConfig(opts.config as string | undefined);
  const log = createLogger({ format: logFormat, quiet: Boolean(opts.quiet), verbose: Boolean(opts.verbose) });
  return { format: format as InputFormat, config, log };
}

export const command: Command = {
  name: 'run',
  summary: 'load the input, compute every metric and write the outputs',
  required: ['input'],
  options: {
    ...inputOptions,
    out: { type: 'string', arg: 'DIR', help: 'output folder (default out/): new, empty, or one outcomes wrote; replaced as a whole' },
    db: { type: 'string', arg: 'FILE', help: 'DuckDB database file (default outcomes.duckdb)' },
    reset: { type: 'boolean', help: 'empty the database first and load the input anew (e.g. to change --input)' },
  },
  async run(opts, print) {
    const { format, config, log } = commonRunOptions(opts);
    const out = (opts.out as string | undefined) ?? 'out';
    const db = (opts.db as string | undefined) ?? 'outcomes.duckdb';
    const configFile = opts.config as string | undefined;
    const { manifest, outDir } = await runPipeline({
      input: opts.input as string,
      format,
      out,
      db,
      config,
      log,
      reset: opts.reset === true,
      ...(configFile ? { configFile } : {}),
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
};
