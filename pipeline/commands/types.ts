/** The shape of one sub-command of the `outcomes` command line. */

export type OptionValue = string | string[] | boolean | undefined;

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (`--metric a --metric b`); the value is then a string[]. */
  multiple?: boolean;
  /** One line for --help. */
  help: string;
  /** Shown in --help as the value's name, e.g. DIR. */
  arg?: string;
}

export interface Command {
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Names of options that must be given. */
  required?: string[];
  /**
   * Do the work. Throw UsageError/InputError (exit 2) or QualityError (exit 3);
   * return normally for exit 0. `print` writes a line to standard output.
   */
  run(opts: Record<string, OptionValue>, print: (line: string) => void): Promise<void>;
}
