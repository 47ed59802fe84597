/**
 * The canonical tables are views over the store of parsed rows (docs/architecture.md#canonical-tables):
 * every row is written once, into `parsed_<table>`, with its load batch (`_batch`) and whether it
 * is left out (`_dropped`: it breaks a per-row rule, or validation left it out — a contact after
 * the patient's death, a duplicate id, a corrected record). The view `<table>` shows the rows
 * that are not left out, of the batches its last validation took in (`canonical_state`): rows of
 * files read since are not in it until validation has checked them.
 *
 * A file that changed, or a whole export an adapter maps again, does not delete its old rows:
 * they move to `retired_<table>`, where validation still finds them as part of the previous
 * canonical table (to tell which ids and patients changed), and are deleted when the view moves on.
 */
import { Db, ident } from '../../core/db.js';
import { BIRTH_YEAR_MIN, TABLES, TABLE_NAMES, tableDdl, type TableName } from '../schema.js';
import { parsedTableDdl, TO_VALIDATE, TO_VALIDATE_DDL } from './rows.js';

/**
 * Per canonical view: the last batch it shows, its rows (one per id: counting a view costs a scan,
 * and a night knows the change), and (patients) the year after which birth years are cleared.
 */
export const CANONICAL_STATE = 'canonical_state';
const STATE_DDL = `CREATE TABLE IF NOT EXISTS ${CANONICAL_STATE} (table_name VARCHAR NOT NULL, batch BIGINT NOT NULL, rows BIGINT NOT NULL, birth_year_max INTEGER)`;

export const retiredName = (table: TableName) => 'retired_' + table;

/**
 * A birth year before 1880 or after `latest` (the cutoff's year) is unknown (docs/reference/contract.md);
 * the condition, on a row's `birth_year`.
 */
export function birthYearOutside(latest: number | undefined): string {
  return `birth_year IS NOT NULL AND (birth_year < ${BIRTH_YEAR_MIN} OR birth_year > ${Math.trunc(latest ?? 9999)})`;
}

/** The canonical rows of `source` (rows shaped like `parsed_<table>`) as the view shows them at `batch`. */
function canonicalSelect(table: TableName, source: string, batch: number, birthYearMax: number | null): string {
  const cols = TABLES[table].columns.map((c) =>
    table === 'patients' && c.name === 'birth_year'
      ? `CASE WHEN ${birthYearOutside(birthYearMax ?? undefined)} THEN NULL ELSE birth_year END AS birth_year`
      : ident(c.name),
  );
  return `SELECT ${[...cols, '_source_file', '_line'].join(', ')} FROM ${source} WHERE NOT _dropped AND _batch <= ${Math.trunc(batch)}`;
}

/**
 * Drop a `canonical_state` of another shape, and give a `parsed_<table>` of an earlier version
 * (without `_batch` and `_dropped`) those columns. The rows of that version's files are batch 0; a row that breaks a
 * per-row rule is left out; the rows its validation left out are found by the next one (which checks
 * every row: there is no `canonical_state` yet).
 */
export async function ensureParsedShape(db: Db): Promise<void> {
  const columns = await db.all<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
       AND (table_name = $state OR starts_with(table_name, 'parsed_'))`,
    { state: CANONICAL_STATE },
  );
  const has = (t: string, c: string) => columns.some((r) => r.t === t && r.c === c);
  // A state of another shape (a build between versions) is not trusted: the next validation checks every id.
  if (columns.some((r) => r.t === CANONICAL_STATE) && !(has(CANONICAL_STATE, 'rows') && has(CANONICAL_STATE, 'birth_year_max'))) {
    await db.run(`DROP TABLE ${CANONICAL_STATE}`);
  }
  await db.run(STATE_DDL);
  for (const t of TABLE_NAMES) {
    const parsed = 'parsed_' + t;
    if (!columns.some((r) => r.t === parsed) || has(parsed, '_batch')) continue;
    await db.transaction(async () => {
      await db.run(`ALTER TABLE ${ident(parsed)} ADD COLUMN "_batch" BIGINT DEFAULT 0`);
      await db.run(`ALTER TABLE ${ident(parsed)} ADD COLUMN "_dropped" BOOLEAN DEFAULT false`);
      await db.run(`UPDATE ${ident(parsed)} SET _dropped = true WHERE len(_errs) > 0`);
    });
  }
}

/**
 * Move the rows of `file` from `parsed_<table>` to `retired_<table>` (within the caller's
 * transaction), or every row (in a transaction of its own).
 */
export async function retireRows(db: Db, table: TableName, file?: string): Promise<void> {
  const parsed = ident('parsed_' + table);
  const retired = ident(retiredName(table));
  if (file === undefined) {
    // Every row (an export mapped again): the table itself becomes the retired rows when there are none yet.
    const none = !(await db.hasTable(retiredName(table)));
    await db.transaction(async () => {
      if (none) {
        await db.run(`ALTER TABLE ${parsed} RENAME TO ${retired}`);
      } else {
        await db.run(`INSERT INTO ${retired} SELECT * FROM ${parsed}`);
        await db.run(`DROP TABLE ${parsed}`);
      }
    });
    return;
  }
  await db.run(parsedTableDdl(table, retiredName(table)));
  await db.run(`INSERT INTO ${retired} SELECT * FROM ${parsed} WHERE _source_file = $p`, { p: file });
  await db.run(`DELETE FROM ${parsed} WHERE _source_file = $p`, { p: file });
}

/** What the canonical `<table>` is now: our view (with its batch), a table of an earlier version, or nothing. */
export async function canonicalKind(
  db: Db,
  table: TableName,
): Promise<{ kind: 'view'; batch: number; rows: number; birthYearMax: number | null } | { kind: 'table' } | { kind: 'none' } | { kind: 'other' }> {
  await db.run(STATE_DDL);
  const type = await db.scalar<string | undefined>(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database() AND table_name = $t`,
    { t: table },
  );
  if (type === undefined || type === null) return { kind: 'none' };
  if (type !== 'VIEW') return { kind: 'table' };
  const s = await db.one<{ batch: number; rows: number; birth_year_max: number | null }>(
    `SELECT batch, rows, birth_year_max FROM ${CANONICAL_STATE} WHERE table_name = $t`,
    { t: table },
  );
  if (!s) return { kind: 'other' };
  return { kind: 'view', batch: Number(s.batch), rows: Number(s.rows), birthYearMax: s.birth_year_max === null ? null : Number(s.birth_year_max) };
}

/**
 * The TEMP view `prev_<table>`: the canonical rows as the last validation left them (the view's
 * rows, with those of files retired since), or the table of an earlier version. Returns its
 * rows, or undefined when there is none (a first validation).
 */
export async function previousView(db: Db, table: TableName): Promise<{ rows: number } | undefined> {
  const k = await canonicalKind(db, table);
  const prev = ident('prev_' + table);
  if (k.kind === 'table') {
    // A table of other columns (another version's) is not compared with: the view is made anew.
    if (!(await sameShapeAsEarlierLayout(db, table))) return undefined;
    await db.run(`CREATE OR REPLACE TEMP VIEW ${prev} AS SELECT * FROM main.${ident(table)}`);
    return { rows: Number(await db.scalar(`SELECT count(*) FROM ${prev}`)) };
  }
  if (k.kind !== 'view') return undefined;
  const parsed = `main.${ident('parsed_' + table)}`;
  const rows = (await db.hasTable(retiredName(table))) ? `(SELECT * FROM ${parsed} UNION ALL SELECT * FROM main.${ident(retiredName(table))})` : parsed;
  await db.run(`CREATE OR REPLACE TEMP VIEW ${prev} AS ${canonicalSelect(table, rows, k.batch, k.birthYearMax)}`);
  return { rows: k.rows };
}

/** Whether the canonical table of an earlier version has the columns and types that version wrote (`tableDdl`). */
async function sameShapeAsEarlierLayout(db: Db, table: TableName): Promise<boolean> {
  const shape = async (name: string) => JSON.stringify(await db.all(`SELECT column_name, column_type FROM (DESCRIBE ${name})`));
  await db.run(tableDdl(table, 'canonical_shape').replace('CREATE TABLE', 'CREATE OR REPLACE TEMP TABLE'));
  const same = (await shape(`main.${ident(table)}`)) === (await shape('temp.canonical_shape'));
  await db.run('DROP TABLE temp.canonical_shape');
  return same;
}

/** Drop the canonical `<table>` (view or table of an earlier version), its state and its retired rows, in one transaction. */
export async function dropCanonical(db: Db, table: TableName): Promise<void> {
  const k = await canonicalKind(db, table);
  await db.transaction(async () => {
    if (k.kind === 'table') await db.run(`DROP TABLE main.${ident(table)}`);
    else if (k.kind !== 'none') await db.run(`DROP VIEW main.${ident(table)}`);
    await db.run(`DELETE FROM ${CANONICAL_STATE} WHERE table_name = $t`, { t: table });
    await db.run(`DROP TABLE IF EXISTS main.${ident(retiredName(table))}`);
  });
  await db.run(`DROP VIEW IF EXISTS temp.${ident('prev_' + table)}`);
}

/**
 * Whether rows were loaded, or retired, since the last validation finished: the canonical views do
 * not show them yet (or still hide the old ones), so the run must validate, even when its files,
 * configuration and code are those of a run it could otherwise reuse (a load that stopped before
 * validation, then the old file put back).
 */
export async function loadedSinceValidation(db: Db): Promise<boolean> {
  await db.run(TO_VALIDATE_DDL);
  if (Number(await db.scalar(`SELECT count(*) FROM ${TO_VALIDATE}`)) > 0) return true;
  for (const t of TABLE_NAMES) if (await db.hasTable(retiredName(t))) return true;
  return false;
}

/**
 * Move the canonical `<table>` on to every row parsed now: the rows of `flip` (file, line) change
 * whether they are left out, the retired rows go, the view shows every batch (`rows` of them),
 * and (patients) clears birth years after `birthYearMax`. The caller runs it in a transaction.
 */
export async function advanceCanonical(db: Db, table: TableName, flip: string | undefined, rows: number, birthYearMax: number | null): Promise<void> {
  const parsed = ident('parsed_' + table);
  if (flip) {
    await db.run(
      `UPDATE main.${parsed} p SET _dropped = NOT p._dropped FROM ${flip} f WHERE p._source_file = f._source_file AND p._line = f._line`,
    );
  }
  const batch = Number((await db.scalar(`SELECT coalesce(max(_batch), 0) FROM main.${parsed}`)) ?? 0);
  const k = await canonicalKind(db, table);
  if (k.kind === 'table') await db.run(`DROP TABLE main.${ident(table)}`);
  await db.run(`DROP TABLE IF EXISTS main.${ident(retiredName(table))}`);
  await db.run(`CREATE OR REPLACE VIEW main.${ident(table)} AS ${canonicalSelect(table, parsed, batch, birthYearMax)}`);
  await db.run(`DELETE FROM ${CANONICAL_STATE} WHERE table_name = $t`, { t: table });
  await db.run(`INSERT INTO ${CANONICAL_STATE} VALUES ($t, $b, $n, $y)`, { t: table, b: batch, n: rows, y: birthYearMax });
}
