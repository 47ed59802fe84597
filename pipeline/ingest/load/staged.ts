/** What reading one file into the staging table found (shared by the readers and the Arrow reader). */
export interface StagedFile {
  /** Column names found in the file, as written. */
  columns: string[];
  /** Records staged. */
  rows: number;
  /** Records the reader could not parse (CSV only), already with line and reason. */
  unparsed: number;
}
