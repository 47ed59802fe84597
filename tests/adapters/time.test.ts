import { afterEach, describe, expect, it } from 'vitest';
import { createTimeMacros, wallClockSql, wallDateSql } from '../../pipeline/ingest/adapters/time.js';
import { Db } from '../../pipeline/core/db.js';

let db: Db;
afterEach(() => db.close());

async function read(timezone: string, texts: (string | null)[]): Promise<unknown[]> {
  db = await Db.open(':memory:', { timezone });
  await createTimeMacros(db);
  const out: unknown[] = [];
  for (const t of texts) {
    out.push(await db.scalar(`SELECT CAST(${wallClockSql('$t')} AS VARCHAR)`, { t }));
  }
  return out;
}

describe('adapter timestamp reading (the validator’s semantics)', () => {
  it('an offset is an instant shown in the configured zone; no offset is wall-clock time; a date alone is midnight', async () => {
    expect(
      await read('Europe/Copenhagen', [
        '2024-07-01T08:30:00Z',
        '2024-07-01T08:30:00+02:00',
        '2024-01-01T08:30:00-0500',
        '2024-07-01T08:30Z',
        '2024-07-01T08:30:00',
        '2024-07-01 08:30',
        '2024-07-01',
        '2024-07',
        'garbage',
        null,
      ]),
    ).toEqual([
      '2024-07-01 10:30:00',
      '2024-07-01 08:30:00',
      '2024-01-01 14:30:00',
      '2024-07-01 10:30:00',
      '2024-07-01 08:30:00',
      '2024-07-01 08:30:00',
      '2024-07-01 00:00:00',
      null,
      null,
      null,
    ]);
  });

  it('the date of a timestamp depends on the zone', async () => {
    db = await Db.open(':memory:', { timezone: 'America/New_York' });
    await createTimeMacros(db);
    expect(await db.scalar(`SELECT CAST(${wallDateSql('$t')} AS VARCHAR)`, { t: '2024-03-06T02:00:00Z' })).toBe('2024-03-05');
    expect(await db.scalar(`SELECT CAST(adp_wall_date($t) AS VARCHAR)`, { t: '2024-03-06' })).toBe('2024-03-06');
  });
});
