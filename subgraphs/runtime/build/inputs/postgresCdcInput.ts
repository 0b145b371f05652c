/**
 * `type: postgres-cdc` with a connection configured: the declared table, mirrored by logical
 * replication. The first build creates the input's publication and replication slot (pgoutput)
 * and copies the table under the snapshot the slot exports, so copy and changes meet exactly.
 * Every later build reads the slot's changes up to the server's WAL position at its start (so it
 * ends), without consuming them (pg_logical_slot_peek_binary_changes), as the same change records
 * a local change stream holds, and applies them to the mirror (changeMirror.ts). The slot moves
 * (pg_replication_slot_advance) only in `commit()`, once the version built from those changes is
 * published: a failed build leaves it, and the next one reads the same changes again.
 */
import path from 'node:path';
import { loadFromChanges, mirrorPosition, mirrorStateDir } from './changeMirror.js';
import type { InputConnector, InputContext, LoadedInput } from './InputConnector.js';
import { ChangeWriter, lsnNumber } from './postgres/ChangeWriter.js';
import { PgoutputDecoder } from './postgres/pgoutput.js';
import { PgSource } from './postgres/PgSource.js';
import { PG_BEGIN, PG_BEGIN_READ_ONLY, PG_CURRENT_LSN, PG_ROLLBACK, pgAdvanceSlot, pgDropSlot, pgImportSnapshot, pgPeekChanges, pgSelectTable } from './postgres/pgSql.js';
import { cdcName, checkWalLevel, createSlot, ensurePublication, findSlot, hasPublication, resolveTable, type CdcTable } from './postgres/replicationSlot.js';

const TYPE = 'postgres-cdc';

/** Copies the table under the slot's exported snapshot, as snapshot records (op `r`) at the slot's start. */
async function copyTable(pg: PgSource, table: CdcTable, snapshot: string, writer: ChangeWriter, at: number): Promise<void> {
  await pg.query(PG_BEGIN_READ_ONLY);
  await pg.query(pgImportSnapshot(snapshot), 'importing the slot\u2019s snapshot');
  await pg.bound();
  const [now] = await pg.query<{ now_ms: string }>(PG_CURRENT_LSN);
  const tsMs = Number(now?.now_ms ?? 0);
  await pg.stream(
    pgSelectTable(table.schema, table.name),
    async (rows, columns) => {
      for (const row of rows) await writer.snapshotRow(columns, row, at, tsMs);
    },
    `copying ${table.shown}`,
  );
  await pg.query(PG_ROLLBACK);
}

/** The slot's changes up to `upto`, decoded into the writer. */
async function readChanges(pg: PgSource, slot: string, upto: string, writer: ChangeWriter): Promise<void> {
  const decoder = new PgoutputDecoder();
  await pg.query(PG_BEGIN);
  await pg.bound();
  await pg.stream(
    pgPeekChanges(slot, upto, slot),
    async (rows) => {
      for (const [lsn, data] of rows) await writer.change(decoder.decode(Buffer.from((data ?? '\\x').slice(2), 'hex')), lsnNumber(lsn ?? '0/0'));
    },
    `reading the changes of replication slot ${slot}`,
  );
  await pg.query(PG_ROLLBACK);
}

/** Moves the slot past what the published version holds. A failure only means the next build reads these changes again: the mirror then converges to the same rows. */
async function advance(ctx: InputContext, slot: string, upto: string): Promise<void> {
  try {
    const pg = await PgSource.open(ctx, TYPE);
    try {
      await pg.query(pgAdvanceSlot(slot, upto), `advancing replication slot ${slot}`);
    } finally {
      await pg.close();
    }
  } catch (error) {
    ctx.env.log(`${(error as Error).message} (the next build reads these changes again)`);
  }
}

/** Reads the table's changes since the last published build into its mirror. */
export const postgresCdcInput: InputConnector = async (ctx) => {
  const { product, input, scratch, env } = ctx;
  const pg = await PgSource.open(ctx, TYPE);
  try {
    await checkWalLevel(pg);
    const table = await resolveTable(pg, input.table!, input.key!);
    const name = cdcName(product.name, input.source);
    const committed = await mirrorPosition(ctx);
    const file = path.join(scratch, `${input.source}-changes.jsonl`);
    const writer = ChangeWriter.open(file, { oid: table.oid, shown: table.shown, key: input.key!, fault: (m) => pg.fault(m) }, committed ?? 0);
    let upto: string;
    try {
      if (committed === undefined) {
        // No published mirror yet: a slot left by a first build that never published has no snapshot to go with; start it over.
        await ensurePublication(pg, name, table);
        if (await findSlot(pg, name)) await pg.query(pgDropSlot(name), `dropping replication slot ${name} of an unpublished first build`);
        upto = await createSlot(ctx, TYPE, name, (snapshot, start) => copyTable(pg, table, snapshot, writer, lsnNumber(start)));
        if (writer.records === 0) throw pg.fault(`table ${table.shown} is empty: there is nothing to mirror yet (build again once it has rows)`);
        env.log(`${product.name}: ${input.source}: replication slot ${name} created at ${upto}, with a snapshot of ${writer.records} row(s) of ${table.shown}`);
      } else {
        const slot = await findSlot(pg, name);
        const state = path.relative(env.dataRoot, mirrorStateDir(ctx));
        const restart = `to start over from a new snapshot, remove ${state}/ under the data root and build again`;
        if (!slot) throw pg.fault(`its replication slot ${name} is missing at ${pg.shown} (dropped?), so the changes since the last build are lost: ${restart}`);
        if (!(await hasPublication(pg, name, table))) throw pg.fault(`its publication ${name} of ${table.shown} is missing at ${pg.shown}: ${restart}`);
        const [current] = await pg.query<{ lsn: string }>(PG_CURRENT_LSN);
        upto = current!.lsn;
        await readChanges(pg, name, upto, writer);
      }
    } finally {
      await writer.close();
    }
    const loaded: LoadedInput = await loadFromChanges(ctx, [file], TYPE);
    return {
      ...loaded,
      read: { ...loaded.read, checkpoint: `${loaded.read.checkpoint}, replication slot ${name} read up to ${upto}` },
      commit: async () => {
        await loaded.commit?.();
        if (committed !== undefined) await advance(ctx, name, upto);
      },
    };
  } finally {
    await pg.close();
  }
};
