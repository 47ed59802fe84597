import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_LIMIT, parseConfig } from '../../pipeline/core/config.js';
import { openRunDb } from '../../pipeline/core/open-db.js';
import { tempDir } from '../tmp.js';

async function limitOf(path: string, config: Record<string, unknown>): Promise<string> {
  const db = await openRunDb(path, parseConfig(config));
  try {
    return String(await db.scalar(`SELECT current_setting('memory_limit')`));
  } finally {
    db.close();
  }
}

describe('memory stays bounded by default', () => {
  it('a run database gets memory_limit 1GB unless the config sets one; a check in memory keeps DuckDB default', async () => {
    expect(DEFAULT_MEMORY_LIMIT).toBe('1GB');
    const dir = tempDir('outcomes-memory-');
    // DuckDB shows limits in binary units: 1GB = 1,000,000,000 bytes = 953.6 MiB.
    expect(await limitOf(join(dir, 'a.duckdb'), {})).toBe('953.6 MiB');
    expect(await limitOf(join(dir, 'b.duckdb'), { memory_limit: '2GB' })).toBe('1.8 GiB');
    expect(await limitOf(':memory:', {})).not.toBe('953.6 MiB');
  });
});
