/**
 * The one module that talks to DuckDB. Everything else asks it.
 *
 * Values always travel as bound `$name` parameters; identifiers and the few
 * literals DuckDB cannot bind (e.g. inside `COPY ... TO`) go through `ident`
 * and `literal`.
 */
import { DuckDBConnection, DuckDBInstance, DuckDBDataChunk, VARCHAR, version } from '@duckdb/node-api';
import { appendFileSync } from 'node:fs';
import { literal } from './quote.js';

export type SqlValue = string | number | boolean | bigint | null;
export type Params = Record<string, SqlValue>;
export type Row = Record<string, unknown>;

/** A failed query, keeping the SQL text and where it came from. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    readonly source: string | undefined,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export { ident, literal } from './quote.js';

export interface DbOptions {
  memoryLimit?: string;
  threads?: number;
  tempDirectory?: string;
  timezone?: string;
}

/**
 * Where each statement's time goes, for finding a slow step (docs/benchmarks.md#where-the-time-goes-and-what-would-change-it):
 * with OUTCOMES_SQL_TIMINGS set to a file, every statement appends a line `milliseconds<TAB>SQL`.
 * The time is until the result reaches this thread, so it includes waiting for a busy thread.
 * A file that cannot be written turns the timings off with one warning: never the run.
 */
let timingsFailed: string | undefined;

function timed(sql: string, t0: number): void {
  const file = process.env['OUTCOMES_SQL_TIMINGS'];
  if (!file || timingsFailed === file) return;
  try {
    appendFileSync(file, `${Math.round(performance.now() - t0)}\t${sql.replace(/\s+/g, ' ').slice(0, 300)}\n`);
  } catch (e) {
    timingsFailed = file;
    process.stderr.write(`OUTCOMES_SQL_TIMINGS: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}); statement timings are off\n`);
  }
}

function toPlain(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  return v;
}

export class Db {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Open (or create) a database file, or ':memory:'. */
  static async open(path = ':memory:', opts: DbOptions = {}): Promise<Db> {
    const config: Record<string, string> = {};
    if (opts.memoryLimit) config['memory_limit'] = opts.memoryLimit;
    if (opts.threads) config['threads'] = String(opts.threads);
    if (opts.tempDirectory) config['temp_directory'] = opts.tempDirectory;
    // No extension may be fetched at run time on the machines this runs on.
    config['autoinstall_known_extensions'] = 'false';
    config['autoload_known_extensions'] = 'true';
    const instance = await DuckDBInstance.create(path, config);
    const conn = await instance.connect();
    const db = new Db(instance, conn, path);
    await db.run(`SET TimeZone = ${literal(opts.timezone ?? 'UTC')}`);
    return db;
  }

  /** Run one statement (or several, separated by `;`, when no params are given). */
  async run(sql: string, params?: Params, source?: string): Promise<void> {
    try {
      const t0 = performance.now();
      await this.conn.run(sql, params as never);
      timed(sql, t0);
    } catch (e) {
      throw wrap(e, sql, source);
    }
  }

  /** Run a query and return its rows as plain objects (BIGINT → number when safe). */
  async all<T = Row>(sql: string, params?: Params, source?: string): Promise<T[]> {
    try {
      const t0 = performance.now();
      const reader = await this.conn.runAndReadAll(sql, params as never);
      timed(sql, t0);
      // Column by column, then one object per row: a third faster than the reader's row objects
      // (40,000 metric rows: 100–123 against 138–147 ms).
      // The reader's row objects named a repeated column `x:1`; so do these.
      const names = reader.deduplicatedColumnNames();
      const columns = reader.getColumnsJS();
      const n = reader.currentRowCount;
      const rows = new Array<T>(n);
      for (let i = 0; i < n; i++) {
        const o: Row = {};
        for (let c = 0; c < names.length; c++) o[names[c]!] = toPlain(columns[c]![i]);
        rows[i] = o as T;
      }
      return rows;
    } catch (e) {
      throw wrap(e, sql, source);
    }
  }

  /** First row, or undefined. */
  async one<T = Row>(sql: string, params?: Params, source?: string): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params, source);
    return rows[0];
  }

  /** Single scalar value of the first row's first column. */
  async scalar<T = unknown>(sql: string, params?: Params, source?: string): Promise<T> {
    const row = await this.one<Row>(sql, params, source);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /**
   * Append rows of text columns to a table in chunks (used for Arrow IPC batches,
   * which DuckDB cannot read without an extension).
   */
  async appendTextColumns(table: string, columns: (string | null)[][]): Promise<void> {
    const appender = await this.conn.createAppender(table);
    const n = columns[0]?.length ?? 0;
    const size = 2048;
    for (let off = 0; off < n; off += size) {
      const end = Math.min(n, off + size);
      const chunk = DuckDBDataChunk.create(columns.map(() => VARCHAR), end - off);
      chunk.setColumns(columns.map((c) => c.slice(off, end)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
  }

  /**
   * Run `work` in one transaction: committed when it returns, rolled back when it (or the commit) throws.
   * The error thrown is always the first one: a COMMIT that fails has already ended the transaction in
   * DuckDB (it is rolled back), and the ROLLBACK after it fails with "no transaction is active", which
   * must not hide why the commit failed (a full disk, a key another connection committed first).
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    let result: T;
    try {
      result = await work();
      await this.run('COMMIT');
    } catch (e) {
      try {
        await this.run('ROLLBACK');
      } catch (r) {
        // Nothing left to roll back: the failed COMMIT (or DuckDB) ended the transaction. A rollback that
        // failed otherwise may have left it open, which the error says as well as its own cause.
        const why = r instanceof Error ? r.message : String(r);
        if (!/no transaction is active/.test(why) && e instanceof Error) e.message += `\n(the rollback after it failed too: ${why})`;
      }
      throw e;
    }
    return result;
  }

  /** Does a table (or view) exist in the main schema? */
  async hasTable(name: string): Promise<boolean> {
    const n = await this.scalar<number>(
      `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $name`,
      { name },
    );
    return Number(n) > 0;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Version of the DuckDB library in use. */
export function duckdbVersion(): string {
  return version();
}

function wrap(e: unknown, sql: string, source?: string): QueryError {
  const msg = e instanceof Error ? e.message : String(e);
  const where = source ? ` (in ${source})` : '';
  return new QueryError(`query failed${where}: ${msg}`, sql, source, e);
}
