/** What an adapter tells the run about the export it read. */

export interface AdapterReport {
  /** Every input file read, with the resource type or table it held and its record count. */
  files: { path: string; table: string; rows: number }[];
  /** Records by outcome, e.g. `encounter:admission`, `encounter:skipped:HH`, `procedure:without_encounter`. */
  counts: Record<string, number>;
}
