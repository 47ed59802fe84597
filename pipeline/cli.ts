#!/usr/bin/env node
/**
 * The `outcomes` command line. The only place that turns errors into exit codes:
 * 0 success, 1 unexpected failure, 2 bad usage/configuration/unreadable input,
 * 3 data-quality gate failed.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseOptions } from './commands/options.js';
import type { Command } from './commands/types.js';
import { UsageError, exitCodeOf, isDiskError } from './core/errors.js';
import { resolveLogFormat } from './core/log.js';

interface Entry {
  summary: string;
  module: string;
}

// Loaded lazily so that `outcomes --help` does not start DuckDB.
const COMMANDS: Record<string, Entry> = {
  run: { summary: 'load the input, compute every metric and write the outputs', module: './commands/run.js' },
  check: { summary: 'validate the input and report; change nothing', module: './commands/check.js' },
  generate: { summary: 'write a seeded synthetic canonical data set', module: './commands/generate.js' },
  export: { summary: 'write suppressed reports (Excel workbooks and CSV files) from a database', module: './commands/export.js' },
  dashboards: { summary: 'rebuild the static dashboards from a database', module: './commands/dashboards.js' },
  demo: { summary: 'generate a synthetic data set and run on it', module: './commands/demo.js' },
};

const USAGE = `outcomes — activity and outcome metrics for hospitals

Usage: outcomes <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([n, e]) => `  ${n.padEnd(11)} ${e.summary}`)
  .join('\n')}

Run "outcomes <command> --help" for a command's options.
Exit codes: 0 success, 1 unexpected failure (a bug), 2 bad usage, configuration, paths or unreadable input
(the message names the option, config key, file or path), 3 data-quality gate failed.`;

function commandHelp(c: Command): string {
  const lines = [`Usage: outcomes ${c.name} [options]`, '', c.summary, '', 'Options:'];
  for (const [name, o] of Object.entries(c.options)) {
    const flag = `--${name}${o.type === 'string' ? ' ' + (o.arg ?? 'VALUE') : ''}`;
    const req = o.required ? ' (required)' : '';
    lines.push(`  ${flag.padEnd(24)} ${o.help}${o.multiple ? ' (repeatable)' : ''}${req}`);
  }
  lines.push(`  ${'--help'.padEnd(24)} show this help`);
  return lines.join('\n');
}

/** The value of `--name VALUE` or `--name=VALUE` in raw arguments (before they are parsed, or when parsing failed). */
function rawOption(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

/**
 * The last line on stderr: in the command's log format, so that a log collector
 * reading JSON lines sees the failure too. A failure of the machine (a full
 * disk) without a path in its message is told where the command was writing.
 */
function reportFailure(name: string, e: unknown, args: string[], jsonCapable: boolean): number {
  const code = exitCodeOf(e);
  let msg = e instanceof Error ? e.message : String(e);
  if (code === 2 && isDiskError(e) && !(e instanceof UsageError) && !msg.includes('/')) {
    const out = rawOption(args, 'out');
    const db = rawOption(args, 'db');
    msg += ` (while writing${out ? ` --out ${out}` : ''}${out && db ? ' or' : ''}${db ? ` --db ${db}` : ''}${!out && !db ? ' the outputs' : ''})`;
  }
  const format = jsonCapable ? resolveLogFormat(rawOption(args, 'log-format')) : 'text';
  if (format === 'json') {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg, command: name, exit_code: code }) + '\n');
  } else {
    process.stderr.write(`outcomes ${name}: ${code === 1 ? 'unexpected failure: ' : ''}${msg}\n`);
  }
  if (code === 1 && e instanceof Error && e.stack && process.env['OUTCOMES_DEBUG']) process.stderr.write(e.stack + '\n');
  return code;
}

/** Run the command line; returns the exit code. */
export async function main(argv: string[], print: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    print(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { packageVersion } = await import('./compose/manifest.js');
    print(packageVersion());
    return 0;
  }
  const entry = COMMANDS[name];
  let command: Command | undefined;
  try {
    if (!entry) throw new UsageError(`unknown command "${name}"\n\n${USAGE}`);
    ({ command } = (await import(entry.module)) as { command: Command });
    if (rest.includes('--help') || rest.includes('-h')) {
      print(commandHelp(command));
      return 0;
    }
    let raw: Record<string, string | string[] | boolean | undefined>;
    try {
      const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
      for (const [k, o] of Object.entries(command.options)) options[k] = { type: o.type, ...(o.multiple ? { multiple: true } : {}) };
      raw = parseArgs({ args: rest, options, strict: true, allowPositionals: false }).values as typeof raw;
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n\n${commandHelp(command)}`);
    }
    const missing = Object.entries(command.options).find(([k, o]) => o.required && (raw[k] === undefined || raw[k] === ''));
    if (missing) throw new UsageError(`--${missing[0]} is required\n\n${commandHelp(command)}`);
    await command.run(parseOptions(command.options, raw), print);
    return 0;
  } catch (e) {
    return reportFailure(name, e, rest, command?.options['log-format'] !== undefined);
  }
}

function invokedDirectly(): boolean {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]!) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
