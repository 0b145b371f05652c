/**
 * `type: postgres`: a snapshot of the declared `query` against the PostgreSQL the deployment
 * configures (MESHGATE_INPUT_<SOURCE>_URL). The query runs alone (the extended protocol takes one
 * statement), in a REPEATABLE READ READ ONLY transaction (one consistent view; a write of any kind,
 * a data-modifying WITH included, is refused by the server), under a statement timeout. Its rows
 * stream through a cursor in batches, each written as CSV into the build's scratch folder and
 * appended to the input's table by DuckDB, which parses every value's text as its column's type:
 * a big result never sits in memory whole.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCreateInputTable, buildInsertCsv, type InputColumn } from '../../sql/index.js';
import type { InputConnector } from './InputConnector.js';
import { PG_BEGIN_READ_ONLY, PG_ROLLBACK } from './postgres/pgSql.js';
import { duckTypeOf } from './postgres/pgTypes.js';
import { PgSource, type PgColumn, type PgText } from './postgres/PgSource.js';

export { connectionVariable } from './postgres/connectionVariable.js';

const TYPE = 'postgres';

/** One CSV field: quoted (so commas, quotes and newlines are text), or empty and unquoted for NULL. */
const field = (v: PgText): string => (v === null ? '' : `"${v.replaceAll('"', '""')}"`);

/** The table's columns from the result's, refusing two names DuckDB would take for one (it ignores case). */
function inputColumns(pg: PgSource, columns: readonly PgColumn[]): InputColumn[] {
  if (columns.length === 0) throw pg.fault('its query returns no columns (a snapshot query is one SELECT)');
  const seen = new Set<string>();
  for (const c of columns) {
    const folded = c.name.toLowerCase();
    if (seen.has(folded)) throw pg.fault(`its query returns two columns named "${c.name}" (column names ignore case here): name them apart with AS`);
    seen.add(folded);
  }
  return columns.map((c) => ({ name: c.name, type: duckTypeOf(c) }));
}

/** Snapshots the input's query into its table. */
export const postgresInput: InputConnector = async (ctx) => {
  const { input, table, session, scratch } = ctx;
  const pg = await PgSource.open(ctx, TYPE);
  try {
    await pg.query(PG_BEGIN_READ_ONLY);
    await pg.bound();
    let columns: InputColumn[] | undefined;
    let batch = 0;
    const rows = await pg.stream(
      { text: input.query!, values: [] },
      async (rows, resultColumns) => {
        if (!columns) {
          columns = inputColumns(pg, resultColumns);
          await session.run(buildCreateInputTable(table, columns));
        }
        if (rows.length === 0) return;
        const file = path.join(scratch, `${input.source}-${batch++}.csv`);
        const lines = rows.map((r) => `${r.map(field).join(',')}\n`);
        await writeFile(file, lines.join(''));
        try {
          await session.run(buildInsertCsv(table, file, columns, Math.max(...lines.map((l) => Buffer.byteLength(l)))));
        } catch (error) {
          // DuckDB's message quotes the row: keep its first line only.
          throw pg.fault(`a value of its query's result does not read as its column's type: ${(error as Error).message.split('\n')[0]}`, error);
        }
        await rm(file, { force: true });
      },
      'its query failed',
    );
    await pg.query(PG_ROLLBACK);
    return { read: { source: input.source, type: TYPE, rows, checkpoint: `snapshot of ${rows} row(s) from ${pg.shown}` } };
  } finally {
    await pg.close();
  }
};
