import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAllMetricRows } from '../../metrics/read.js';
import { suppress } from '../../metrics/suppress.js';
import type { CatalogEntry, MetricRow } from '../../metrics/types.js';
import { Db } from '../../pipeline/core/db.js';
import { writeExports } from '../../pipeline/publish/exports/index.js';
import { writeRunExports } from '../../pipeline/publish/exports/from-rows.js';
import { loadMetricRows } from '../dashboards/db.js';
import { FIXTURE_CATALOG, fixtureRows } from '../dashboards/fixture.js';
import { tempDir } from '../tmp.js';
import { CATALOG } from './catalog.js';
import { GOLDEN_ROWS, HOSTILE_ROWS } from './fixture.js';
import { workbookContent } from './zip.js';

const RUN = { minCell: 5, runDate: '2025-01-15', cutoff: '2024-12-31 23:59:59', runId: 'run-7' };
const dbs: Db[] = [];
afterAll(() => dbs.forEach((db) => db.close()));

/** Every file of an export folder: text files as they are, workbooks by their entries. */
function folder(dir: string): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, f.endsWith('.xlsx') ? workbookContent(join(dir, f)) : readFileSync(join(dir, f), 'utf8')]),
  );
}

const cases: [string, MetricRow[], CatalogEntry[]][] = [
  ['the golden reports', GOLDEN_ROWS, CATALOG],
  ['hostile hospital ids', [...GOLDEN_ROWS, ...HOSTILE_ROWS], CATALOG],
  ['every metric of the registry over 3 hospitals and 14 months', fixtureRows({ hospitals: 3, departments: 3, months: 14 }), FIXTURE_CATALOG],
];

describe('a run writes its reports from the rows it holds, as `outcomes export` writes them from the database', () => {
  it.each(cases.flatMap(([what, rows, catalog]) => (['en', 'da'] as const).map((locale) => [what, locale, rows, catalog] as const)))(
    '%s (%s)',
    async (_, locale, rows, catalog) => {
      const db = await Db.open(':memory:');
      dbs.push(db);
      await loadMetricRows(db, rows);
      const dir = tempDir('outcomes-run-exports-');
      const opts = { catalog, locale, ...RUN };
      const fromDb = await writeExports(db, join(dir, 'db'), opts);
      const fromRows = await writeRunExports(suppress(await readAllMetricRows(db), catalog, RUN.minCell), join(dir, 'rows'), opts);
      expect(fromRows.files.map((f) => f.slice(join(dir, 'rows').length))).toEqual(fromDb.files.map((f) => f.slice(join(dir, 'db').length)));
      const expected = folder(join(dir, 'db'));
      expect(Object.keys(expected).length).toBeGreaterThan(4);
      expect(folder(join(dir, 'rows'))).toEqual(expected);
    },
    60_000,
  );
});
