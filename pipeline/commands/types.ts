/** The shape of one sub-command of the `outcomes` command line. */
import { parseOptions, type Options, type RawValue, type Values } from './options.js';

export interface Command<O extends Options = Options> {
  name: string;
  summary: string;
  /** Declared with the helpers of `options.ts`; `run` gets their typed values. */
  options: O;
  /**
   * Do the work. Throw UsageError/InputError (exit 2) or QualityError (exit 3);
   * return normally for exit 0. `print` writes a line to standard output.
   */
  run(values: Values<O>, print: (line: string) => void): Promise<void>;
}

/** A command with its option values typed from its declarations. */
export function defineCommand<O extends Options>(c: Command<O>): Command<O> {
  return c;
}

/** Parse raw option values (as `node:util` parseArgs reads them) and run the command: what the CLI does. */
export async function runCommand<O extends Options>(c: Command<O>, raw: Record<string, RawValue>, print: (line: string) => void): Promise<void> {
  await c.run(parseOptions(c.options, raw), print);
}
