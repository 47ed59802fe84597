/**
 * `Db.transaction` reports the error that ended a transaction, also when it is the COMMIT that
 * failed (DuckDB has then already rolled it back, and a ROLLBACK fails with "no transaction is
 * active"): a full disk or a key another connection committed first must be named as such.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { withCleanup } from '../../pipeline/core/errors.js';

let db: Db | undefined;
afterEach(() => db?.close());

/** A second connection to the same database, for another writer that commits first. */
async function otherConnection(d: Db) {
  return (d as unknown as { instance: DuckDBInstance }).instance.connect();
}

async function ids(d: Db): Promise<number[]> {
  return (await d.all<{ id: number }>('SELECT id FROM t ORDER BY id')).map((r) => Number(r.id));
}

describe('Db.transaction', () => {
  it('a COMMIT that fails throws its own error, leaves nothing of the work, and the connection works on', async () => {
    db = await Db.open(':memory:');
    await db.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const other = await otherConnection(db);
    const d = db;
    const failed = await d
      .transaction(async () => {
        await d.run('INSERT INTO t VALUES (1), (2)');
        // Another writer commits the same key first: this transaction's COMMIT fails on it.
        await other.run('INSERT INTO t VALUES (2)');
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
      .finally(() => other.closeSync());
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/Failed to commit.*duplicate key "2"/s);
    expect((failed as Error).message).not.toMatch(/no transaction is active/);
    expect(await ids(d)).toEqual([2]);
    // No transaction is left open: the next one commits.
    await d.transaction(() => d.run('INSERT INTO t VALUES (3)'));
    expect(await ids(d)).toEqual([2, 3]);
  });

  it('work that throws is rolled back and its error is the one thrown', async () => {
    db = await Db.open(':memory:');
    const d = db;
    await d.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    await expect(
      d.transaction(async () => {
        await d.run('INSERT INTO t VALUES (1)');
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await ids(d)).toEqual([]);
    await expect(d.transaction(() => d.run('INSERT INTO t VALUES (1), (1)'))).rejects.toThrow(/duplicate key/);
    expect(await ids(d)).toEqual([]);
    expect(await d.transaction(async () => (await d.run('INSERT INTO t VALUES (4)'), 'done'))).toBe('done');
    expect(await ids(d)).toEqual([4]);
  });
});

describe('Db.transaction, a rollback that fails', () => {
  it('for another reason than an ended transaction is named in the error, after the work\'s own', async () => {
    const d = await Db.open(':memory:');
    await d.run('CREATE TABLE t (id INTEGER)');
    const failed = await d
      .transaction(async () => {
        await d.run('INSERT INTO t VALUES (1)');
        // The connection goes away inside the work: the ROLLBACK after the work's error cannot run.
        d.close();
        throw new Error('the work failed');
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((failed as Error).message).toMatch(/^the work failed\n\(the rollback after it failed too: .*disconnected/s);
  });
});

describe('withCleanup', () => {
  it('runs the cleanup after work that failed, and throws the work\'s error even when the cleanup fails too', async () => {
    const done: string[] = [];
    await expect(
      withCleanup(
        async () => {
          done.push('work');
          throw new Error('the commit failed: disk full');
        },
        () => {
          done.push('cleanup');
          throw new Error('the drop failed');
        },
      ),
    ).rejects.toThrow('the commit failed: disk full');
    expect(done).toEqual(['work', 'cleanup']);
  });

  it('after work that succeeded, returns its result, or throws the cleanup\'s error', async () => {
    const done: string[] = [];
    expect(await withCleanup(async () => 7, async () => void done.push('cleanup'))).toBe(7);
    expect(done).toEqual(['cleanup']);
    await expect(
      withCleanup(
        async () => 7,
        () => {
          throw new Error('the drop failed');
        },
      ),
    ).rejects.toThrow('the drop failed');
  });

  it('a failed commit inside it is reported, not the cleanup that fails after it (DuckDB, two connections)', async () => {
    db = await Db.open(':memory:');
    const d = db;
    await d.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const other = await otherConnection(d);
    const failed = await withCleanup(
      () =>
        d.transaction(async () => {
          await d.run('INSERT INTO t VALUES (5)');
          await other.run('INSERT INTO t VALUES (5)');
        }),
      () => d.run('DROP TABLE no_such_table'),
    )
      .then(
        () => undefined,
        (e: unknown) => e,
      )
      .finally(() => other.closeSync());
    expect((failed as Error).message).toMatch(/Failed to commit.*duplicate key "5"/s);
    expect((failed as Error).message).not.toMatch(/no_such_table|no transaction is active|rollback after it/);
  });
});
