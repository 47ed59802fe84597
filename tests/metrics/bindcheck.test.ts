import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipeline/core/db.js';
import { parseConfig } from '../../pipeline/core/config.js';
import { writeParams } from '../../pipeline/ingest/params.js';
import { tableDdl, TABLE_NAMES } from '../../pipeline/ingest/schema.js';
import { sqlFile, statements } from '../../pipeline/core/sql.js';
import { loadRegistry } from '../../metrics/registry.js';
import { loadSharedBlocks, sharedBlockDdl } from '../../metrics/shared.js';
import { showOwnKeys } from '../../metrics/patient-keys.js';

/**
 * EXPLAIN every metric's SQL (and the stays script and the shared blocks) against the
 * canonical schema with no rows: a renamed or misspelt column fails here without any data.
 */
let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
  for (const t of TABLE_NAMES) await db.run(tableDdl(t));
  await writeParams(db, parseConfig({}));
  // What a run of the metrics shows the blocks as patient_keys (metrics/incremental.ts).
  await showOwnKeys(db);
});
afterAll(() => db.close());

describe('bind check', () => {
  it('pipeline/ingest/stays.sql binds statement by statement', async () => {
    // Each statement is explained, then run on the empty tables, because later
    // statements read the views and tables the earlier ones create.
    for (const stmt of statements(sqlFile('pipeline/ingest/stays.sql'))) {
      await db.run(`EXPLAIN ${stmt}`, undefined, 'pipeline/ingest/stays.sql');
      await db.run(stmt, undefined, 'pipeline/ingest/stays.sql');
    }
    expect(await db.hasTable('stays')).toBe(true);
  });

  // Metric files read the shared blocks, so each block is explained, then created on the
  // empty tables, in build order (a block may read the blocks before it).
  for (const block of loadSharedBlocks()) {
    it(`${block.file} binds`, async () => {
      await db.run(`EXPLAIN ${block.sql}`, undefined, block.file);
      await db.run(sharedBlockDdl(block), undefined, block.file);
      const made = `SELECT table_name AS n FROM duckdb_tables() WHERE temporary
                    UNION ALL SELECT view_name FROM duckdb_views() WHERE temporary`;
      expect(await db.scalar(`SELECT count(*) FROM (${made}) WHERE n = $n`, { n: block.name })).toBe(1);
    });
  }

  for (const def of loadRegistry()) {
    it(`${def.file} binds`, async () => {
      await expect(db.run(`EXPLAIN ${def.sql}`, undefined, def.file)).resolves.toBeUndefined();
    });
  }

  it('a misspelt column fails the check', async () => {
    await expect(db.run('EXPLAIN SELECT admit_tss FROM stays', undefined, 'probe.sql')).rejects.toThrow(/probe\.sql/);
  });
});
