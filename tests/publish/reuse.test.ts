import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXCLUSIONS_DDL } from '../../metrics/aggregate.js';
import type { MetricRow } from '../../metrics/types.js';
import { Db } from '../../pipeline/core/db.js';
import { REJECTS_DDL } from '../../pipeline/ingest/schema.js';
import { writeRunOutputs, type PublishSettings } from '../../pipeline/publish/outputs.js';
import { loadMetricRows } from '../dashboards/db.js';
import { FIXTURE_CATALOG, FIXTURE_RUN, fixtureRows } from '../dashboards/fixture.js';
import { workbookContent } from '../exports/zip.js';
import { tempDir } from '../tmp.js';

const SIZE = { hospitals: 2, departments: 2, months: 14 };
const settings = (runDate: string): PublishSettings => ({ catalog: FIXTURE_CATALOG, minCell: 5, locale: 'en', runDate, cutoff: FIXTURE_RUN.cutoff });
const dbs: Db[] = [];
afterAll(() => dbs.forEach((db) => db.close()));

async function database(rows: MetricRow[]): Promise<Db> {
  const db = await Db.open(':memory:');
  dbs.push(db);
  await loadMetricRows(db, rows);
  await db.run(EXCLUSIONS_DDL);
  await db.run(REJECTS_DDL);
  return db;
}

/** One run's outputs into `dir`; the log line of the outputs stage. */
async function publish(db: Db, dir: string, runDate: string, runId: string, previous?: string): Promise<{ counts: Record<string, number>; log: string }> {
  const lines: string[] = [];
  mkdirSync(dir, { recursive: true });
  const counts = await writeRunOutputs(db, dir, settings(runDate), runId, previous, (m) => lines.push(m));
  return { counts, log: lines.join('\n') };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** Every file of an outputs folder: workbooks by their content (they are stamped with the time they were written), the rest as bytes. */
function folder(dir: string): Record<string, unknown> {
  return Object.fromEntries(filesUnder(dir).map((f) => [f, f.endsWith('.xlsx') ? workbookContent(join(dir, f)) : readFileSync(join(dir, f)).toString('base64')]));
}

const PUBLISHED_AGAIN = /reports and dashboards of run \S+ published again/;
// Run ids as runs make them: the exports folder's marker names the run that wrote its workbooks.
const RUN = { A: '20250201T020000Z-0a0a', B: '20250202T020000Z-0b0b', C: '20250203T020000Z-0c0c', D: '20250203T030000Z-0d0d' };

describe('a run of the same basis publishes the previous reports and dashboards again', () => {
  it('with the new run id and date, byte for byte as a build from nothing; unchanged files are hard links', async () => {
    const db = await database(fixtureRows(SIZE));
    const dir = tempDir('outcomes-reuse-');
    const first = await publish(db, join(dir, 'first'), '2025-02-01', RUN.A);
    expect(first.log).not.toMatch(PUBLISHED_AGAIN);
    const again = await publish(db, join(dir, 'again'), '2025-02-02', RUN.B, join(dir, 'first'));
    expect(again.log).toMatch(/reports and dashboards of run 20250201T020000Z-0a0a published again [\d,]+ ms \(\d+ files: \d+ workbooks restamped, \d+ pages re-dated\)/);
    const fresh = await publish(db, join(dir, 'fresh'), '2025-02-02', RUN.B);
    expect(again.counts).toEqual(fresh.counts);
    const expected = folder(join(dir, 'fresh'));
    expect(Object.keys(expected).filter((f) => f.endsWith('.xlsx')).length).toBeGreaterThan(2);
    expect(folder(join(dir, 'again'))).toEqual(expected);
    // The run date did change the pages and README.txt; the images were taken as they were.
    expect(readFileSync(join(dir, 'again', 'dashboards', 'index.html'), 'utf8')).toContain('Built 2025-02-02.');
    const svg = filesUnder(join(dir, 'first', 'dashboards', 'svg'))[0]!;
    expect(statSync(join(dir, 'again', 'dashboards', 'svg', svg)).ino).toBe(statSync(join(dir, 'first', 'dashboards', 'svg', svg)).ino);
    // And again from a folder that was itself published again.
    const third = await publish(db, join(dir, 'third'), '2025-02-03', RUN.C, join(dir, 'again'));
    expect(third.log).toMatch(PUBLISHED_AGAIN);
    await publish(db, join(dir, 'fresh3'), '2025-02-03', RUN.C);
    expect(folder(join(dir, 'third'))).toEqual(folder(join(dir, 'fresh3')));
  }, 120_000);

  it('not when a metric row changed, a setting changed, or a previous file was changed by hand', async () => {
    const rows = fixtureRows(SIZE);
    const db = await database(rows);
    const dir = tempDir('outcomes-reuse-');
    await publish(db, join(dir, 'first'), '2025-02-01', RUN.A);
    // One number of one cell.
    await db.run(`UPDATE metrics SET numerator = numerator + 1 WHERE rowid = (SELECT min(rowid) FROM metrics WHERE numerator > 20)`);
    const changed = await publish(db, join(dir, 'changed'), '2025-02-02', RUN.B, join(dir, 'first'));
    expect(changed.log).not.toMatch(PUBLISHED_AGAIN);
    expect(changed.log).toMatch(/rows [\d,]+ ms/);
    await publish(db, join(dir, 'changed-fresh'), '2025-02-02', RUN.B);
    expect(folder(join(dir, 'changed'))).toEqual(folder(join(dir, 'changed-fresh')));
    // Another threshold.
    const lines: string[] = [];
    mkdirSync(join(dir, 'k10'));
    await writeRunOutputs(db, join(dir, 'k10'), { ...settings('2025-02-03'), minCell: 10 }, RUN.C, join(dir, 'changed'), (m) => lines.push(m));
    expect(lines.join('\n')).not.toMatch(PUBLISHED_AGAIN);
    // A report edited after it was written.
    appendFileSync(join(dir, 'changed', 'exports', 'H1.csv'), 'edited by hand\r\n');
    const edited = await publish(db, join(dir, 'edited'), '2025-02-03', RUN.D, join(dir, 'changed'));
    expect(edited.log).toMatch(/not as their index says: made anew/);
    expect(readFileSync(join(dir, 'edited', 'exports', 'H1.csv'), 'utf8')).not.toContain('edited by hand');
    await publish(db, join(dir, 'edited-fresh'), '2025-02-03', RUN.D);
    expect(folder(join(dir, 'edited'))).toEqual(folder(join(dir, 'edited-fresh')));
  }, 120_000);

  it('not when a data cell holds the text of the run date, which the workbooks share with their README', async () => {
    const rows = fixtureRows(SIZE).map((r) => (r.department_id === 'MED' ? { ...r, department_id: '2025-02-01' } : r));
    expect(rows.some((r) => r.department_id === '2025-02-01')).toBe(true);
    const db = await database(rows);
    const dir = tempDir('outcomes-reuse-');
    await publish(db, join(dir, 'first'), '2025-02-01', RUN.A);
    const next = await publish(db, join(dir, 'next'), '2025-02-02', RUN.B, join(dir, 'first'));
    expect(next.log).toMatch(/not as their index says: made anew/);
    await publish(db, join(dir, 'fresh'), '2025-02-02', RUN.B);
    expect(folder(join(dir, 'next'))).toEqual(folder(join(dir, 'fresh')));
    expect(existsSync(join(dir, 'next', '.outputs-index.json'))).toBe(true);
    expect(relative(dir, join(dir, 'next'))).toBe('next');
  }, 120_000);
});
