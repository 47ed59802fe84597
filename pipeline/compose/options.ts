/** What one run is asked to do (the composing floor's input; the manifest records it). */
import type { Config } from '../core/config.js';
import type { Logger } from '../core/log.js';
import type { InputFormat } from '../ingest/input.js';

export { INPUT_FORMATS, type InputFormat } from '../ingest/input.js';

export interface RunOptions {
  input: string;
  format: InputFormat;
  out: string;
  db: string;
  config: Config;
  log: Logger;
  /** Validate and report only: no stays, metrics or outputs. */
  checkOnly?: boolean;
  /** The run's clock (tests pin it); default: now. */
  now?: Date;
  /** Empty the database first (another input folder, or a fresh start). */
  reset?: boolean;
  /** The config file, kept out of `out` (which is replaced as a whole). */
  configFile?: string;
}
