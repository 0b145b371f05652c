/**
 * The server side of a `postgres-cdc` input: its table (found as PostgreSQL resolves the declared
 * name, with the checks that a delete will say which row it removed), its publication and its
 * logical replication slot. Both are named after the product and the source, so each input has its
 * own, and created by the first build, the slot together with a snapshot of the table taken at
 * exactly the slot's start (EXPORT_SNAPSHOT): the copy plus the slot's changes is the table.
 */
import { createHash } from 'node:crypto';
import type { InputContext } from '../InputConnector.js';
import { PgSource } from './PgSource.js';
import { pgAddToPublication, pgCreatePublication, pgCreateSlot, pgFindPublication, pgFindSlot, pgFindTable, pgSetting, pgTableColumns } from './pgSql.js';

/** The table a cdc input mirrors. */
export interface CdcTable {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** `schema.name`, for messages. */
  readonly shown: string;
}

/** The longest name PostgreSQL keeps (NAMEDATALEN - 1). */
const MAX_NAME = 63;

/** The publication's and the slot's name for an input: `meshgate_<product>_<source>`, in the characters a slot name allows. */
export function cdcName(product: string, source: string): string {
  const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const name = `meshgate_${slug(product)}__${slug(source)}`;
  if (name.length <= MAX_NAME) return name;
  return `${name.slice(0, MAX_NAME - 9)}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** Refuses a server that cannot decode its WAL logically. */
export async function checkWalLevel(pg: PgSource): Promise<void> {
  const [row] = await pg.query<{ value: string }>(pgSetting('wal_level'));
  if (row?.value !== 'logical') {
    throw pg.fault(`the server at ${pg.shown} has wal_level = ${row?.value ?? 'unknown'}; logical decoding needs wal_level = logical (postgresql.conf, then a restart)`);
  }
}

/** The declared table, checked: it exists, has the declared key, and its replica identity carries that key into every update and delete. */
export async function resolveTable(pg: PgSource, declared: string, key: string): Promise<CdcTable> {
  const [found] = await pg.query<{ oid: string; schema: string; name: string; kind: string; identity: string }>(pgFindTable(declared), `looking up table "${declared}"`);
  if (!found) throw pg.fault(`table "${declared}" does not exist at ${pg.shown} (or its role cannot see it)`);
  const shown = `${found.schema}.${found.name}`;
  if (found.kind !== 'r' && found.kind !== 'p') throw pg.fault(`"${shown}" is not a table: logical replication publishes tables only`);
  const columns = await pg.query<{ name: string; ident: boolean }>(pgTableColumns(found.oid));
  const column = columns.find((c) => c.name === key);
  if (!column) throw pg.fault(`table ${shown} has no column "${key}" (the declared key); its columns: ${columns.map((c) => c.name).join(', ')}`);
  const fix = `give it a primary key on "${key}" or set REPLICA IDENTITY FULL (ALTER TABLE ${shown} REPLICA IDENTITY FULL)`;
  if (found.identity === 'n') throw pg.fault(`table ${shown} has REPLICA IDENTITY NOTHING, so a delete would not say which row it removed: ${fix}`);
  if (found.identity !== 'f') {
    const identity = columns.filter((c) => c.ident).map((c) => c.name);
    if (identity.length === 0) throw pg.fault(`table ${shown} has no primary key (its replica identity), so a delete would not say which row it removed: ${fix}`);
    if (!column.ident) throw pg.fault(`the declared key "${key}" is not in the replica identity of ${shown} (${identity.join(', ')}), so a delete would not carry it: ${fix}`);
  }
  return { oid: Number(found.oid), schema: found.schema, name: found.name, shown };
}

/** Creates the input's publication of its table, or adds the table to it. */
export async function ensurePublication(pg: PgSource, publication: string, table: CdcTable): Promise<void> {
  const [state] = await pg.query<{ exists: boolean; has_table: boolean }>(pgFindPublication(publication, table.schema, table.name));
  if (state?.has_table) return;
  const doing = `creating publication ${publication} of ${table.shown} (the role needs CREATE on the database and to own the table, or an administrator creates the publication beforehand)`;
  await pg.query(state?.exists ? pgAddToPublication(publication, table.schema, table.name) : pgCreatePublication(publication, table.schema, table.name), doing);
}

/** Whether the publication exists and publishes the table. */
export async function hasPublication(pg: PgSource, publication: string, table: CdcTable): Promise<boolean> {
  const [state] = await pg.query<{ has_table: boolean }>(pgFindPublication(publication, table.schema, table.name));
  return state?.has_table === true;
}

/** The slot, if it exists: its confirmed position. */
export async function findSlot(pg: PgSource, slot: string): Promise<{ confirmed: string | null; plugin: string | null } | undefined> {
  const [row] = await pg.query<{ confirmed: string | null; plugin: string | null }>(pgFindSlot(slot));
  return row;
}

/**
 * Creates the slot on a replication connection and, while that connection holds the exported
 * snapshot, runs `copy` with the snapshot's name (the copy imports it on another connection) and the slot's start.
 * Returns the slot's consistent position: its changes are those committed after it.
 */
export async function createSlot(ctx: InputContext, type: string, slot: string, copy: (snapshot: string, start: string) => Promise<void>): Promise<string> {
  const replication = await PgSource.open(ctx, type, { replication: true, doing: 'opening a replication connection (the role needs the REPLICATION attribute)' });
  try {
    const [created] = await replication.query<{ consistent_point: string; snapshot_name: string }>(pgCreateSlot(slot), `creating replication slot ${slot}`);
    if (!created) throw replication.fault(`creating replication slot ${slot} returned nothing`);
    await copy(created.snapshot_name, created.consistent_point);
    return created.consistent_point;
  } finally {
    await replication.close();
  }
}
