/** Building the fixture site for the tests. */
import type { CatalogEntry, MetricRow } from '../../metrics/types.js';
import { DEFAULT_DOCS_BASE } from '../../dashboards/build.js';
import { buildSite } from '../../dashboards/site.js';
import type { Locale, Page } from '../../dashboards/types.js';
import { suppress } from '../../metrics/suppress.js';
import { FIXTURE_CATALOG, FIXTURE_RUN, fixtureRows, type FixtureSize } from './fixture.js';

export const MIN_CELL = 5;

/** Pages of the fixture (suppressed with k = 5), in a locale. */
export function fixtureSite(locale: Locale = 'en', size: FixtureSize = {}, rows: MetricRow[] = fixtureRows(size), catalog: CatalogEntry[] = FIXTURE_CATALOG): Page[] {
  return buildSite(suppress(rows, catalog, MIN_CELL), {
    catalog,
    locale,
    minCell: MIN_CELL,
    runDate: FIXTURE_RUN.runDate,
    cutoff: FIXTURE_RUN.cutoff,
    docsBase: DEFAULT_DOCS_BASE,
  });
}
