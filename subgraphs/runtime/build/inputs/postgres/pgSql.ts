/**
 * Every statement the PostgreSQL connectors send to PostgreSQL (DuckDB's statements live in
 * subgraphs/runtime/sql/). Values are bound parameters; identifiers (a table, a publication, a
 * replication slot) cannot be, so they pass through {@link quotePgIdent} and come from the
 * server's own catalog or from names the platform derives, never from a user's text. A domain's
 * snapshot `query` is its own code: it is sent alone, through the extended protocol (one statement,
 * no `;`-chained second one), inside a read-only transaction.
 */

/** A PostgreSQL identifier, quoted (`"` doubled), so any name is read as exactly that name. */
export const quotePgIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A PostgreSQL string literal, for the one place a value cannot be bound (SET TRANSACTION SNAPSHOT). */
const quotePgLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** One statement with its bound values. */
export interface PgStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

const plain = (text: string): PgStatement => ({ text, values: [] });

/** Session settings that make every value's text the same whatever the server's defaults: UTC, ISO dates, hex bytea. */
export const PG_SESSION = [plain("SET TimeZone = 'UTC'"), plain("SET DateStyle = 'ISO, YMD'"), plain("SET IntervalStyle = 'postgres'"), plain("SET bytea_output = 'hex'")];

/** A snapshot transaction: one consistent view, and no write of any kind. */
export const PG_BEGIN_READ_ONLY = plain('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
export const PG_ROLLBACK = plain('ROLLBACK');
/** A transaction for reading a slot (its statement timeout is local to it). */
export const PG_BEGIN = plain('BEGIN');

/** The session's statement timeout (`value`), as the server prints it; `0` is none. */
export const PG_SHOW_TIMEOUT = plain("SELECT current_setting('statement_timeout') AS value");

/** Bounds every statement of the current transaction, in milliseconds. */
export const pgSetLocalTimeout = (ms: number): PgStatement => ({ text: "SELECT set_config('statement_timeout', $1, true)", values: [String(ms)] });

/** The transaction reads the snapshot a replication slot exported when it was created. */
export const pgImportSnapshot = (snapshot: string): PgStatement => plain(`SET TRANSACTION SNAPSHOT ${quotePgLiteral(snapshot)}`);

/** The server's setting `name` (`value`). */
export const pgSetting = (name: string): PgStatement => ({ text: 'SELECT current_setting($1) AS value', values: [name] });

/** A table by its declared name, resolved as PostgreSQL resolves an unquoted name (`oid`, `schema`, `name`, `kind`, `identity`: relreplident). */
export const pgFindTable = (declared: string): PgStatement => ({
  text:
    'SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relreplident AS identity ' +
    'FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)',
  values: [declared],
});

/** A table's columns (`name`), and whether each is in its replica identity index (`ident`: the primary key or the declared index). */
export const pgTableColumns = (oid: string): PgStatement => ({
  text:
    'SELECT a.attname AS name, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey) ' +
    "AND CASE c.relreplident WHEN 'i' THEN i.indisreplident ELSE i.indisprimary END) AS ident " +
    'FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum',
  values: [oid],
});

/** Whether a publication exists (`exists`) and whether it publishes the table (`has_table`). */
export const pgFindPublication = (publication: string, schema: string, table: string): PgStatement => ({
  text:
    'SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1) AS exists, ' +
    'EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3) AS has_table',
  values: [publication, schema, table],
});

/** Creates the input's publication of its one table. */
export const pgCreatePublication = (publication: string, schema: string, table: string): PgStatement =>
  plain(`CREATE PUBLICATION ${quotePgIdent(publication)} FOR TABLE ${quotePgIdent(schema)}.${quotePgIdent(table)}`);

/** Adds the table to an existing publication of the input's name. */
export const pgAddToPublication = (publication: string, schema: string, table: string): PgStatement =>
  plain(`ALTER PUBLICATION ${quotePgIdent(publication)} ADD TABLE ${quotePgIdent(schema)}.${quotePgIdent(table)}`);

/** A replication slot (`plugin`, `kind`, `database`, `confirmed`: its confirmed position), if it exists. */
export const pgFindSlot = (slot: string): PgStatement => ({
  text: 'SELECT plugin, slot_type AS kind, database, confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = $1',
  values: [slot],
});

/** Drops a replication slot (one a build made and never committed). */
export const pgDropSlot = (slot: string): PgStatement => ({ text: 'SELECT pg_drop_replication_slot($1)', values: [slot] });

/**
 * Creates a logical slot over pgoutput on a replication connection, exporting the snapshot its
 * changes start after (`consistent_point`, `snapshot_name`): a copy read under that snapshot
 * plus the slot's changes is the table, exactly, with nothing lost or doubled.
 */
export const pgCreateSlot = (slot: string): PgStatement => plain(`CREATE_REPLICATION_SLOT ${quotePgIdent(slot)} LOGICAL pgoutput EXPORT_SNAPSHOT`);

/** Every row of a table. */
export const pgSelectTable = (schema: string, table: string): PgStatement => plain(`SELECT * FROM ${quotePgIdent(schema)}.${quotePgIdent(table)}`);

/** The server's current WAL position (`lsn`) and time in ms (`now_ms`): where a build stops reading. */
export const PG_CURRENT_LSN = plain('SELECT pg_current_wal_lsn()::text AS lsn, (extract(epoch FROM now()) * 1000)::int8::text AS now_ms');

/**
 * The slot's changes of transactions committed before `upto`, as pgoutput messages (`lsn`, `data`),
 * without consuming them: the slot moves only when the version built from them is published.
 */
export const pgPeekChanges = (slot: string, upto: string, publication: string): PgStatement => ({
  text: "SELECT lsn::text AS lsn, data FROM pg_logical_slot_peek_binary_changes($1, $2::pg_lsn, NULL, 'proto_version', '1', 'publication_names', $3)",
  values: [slot, upto, quotePgIdent(publication)],
});

/** Moves the slot's confirmed position to `lsn`: the server may then forget the WAL before it. */
export const pgAdvanceSlot = (slot: string, lsn: string): PgStatement => ({ text: 'SELECT pg_replication_slot_advance($1, $2::pg_lsn)', values: [slot, lsn] });
