/**
 * `type: postgres-cdc` with a connection, against a real PostgreSQL cluster (wal_level=logical)
 * started for this file: the first load snapshots the table with its new replication slot, later
 * loads apply the slot's inserts, updates and deletes to the mirror, the slot moves only on
 * commit (after publish), and each fault is one message naming the product and the problem.
 */
import { BuildError, buildProduct } from '../../subgraphs/runtime/index.js';
import { BuildSession, type BuildRow } from '../../subgraphs/runtime/build/BuildSession.js';
import { buildFixture, loadInput, type BuildFixture } from '../support/buildFixture.js';
import { startPostgres, type PgCluster } from '../support/postgres.js';

const PASSWORD = 'repl-Pa55:word';
let pg: PgCluster;
const fixtures: BuildFixture[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql(`CREATE ROLE replicator LOGIN REPLICATION PASSWORD '${PASSWORD}'`);
  await pg.sql(`CREATE ROLE plain LOGIN PASSWORD '${PASSWORD}'`);
  // Creating the input's publication needs CREATE on the database (and the table's ownership).
  await pg.sql('GRANT CREATE ON DATABASE postgres TO replicator');
  for (const t of ['orders', 'retried', 'dropped', 'truncated', 'restarted']) {
    await pg.sql(`CREATE TABLE ${t} (order_id int8 PRIMARY KEY, customer text, amount numeric(10,2), placed_at timestamptz)`);
    await pg.sql(`ALTER TABLE ${t} OWNER TO replicator`);
    await pg.sql(`INSERT INTO ${t} VALUES (1, 'ann, "the first"', 10.50, '2024-01-01 10:00:00+00'), (2, 'bob', 20, '2024-01-02 11:00:00+01'), (3, NULL, NULL, NULL)`);
  }
  await pg.sql('CREATE TABLE nokey (order_id int8, customer text)');
  await pg.sql('ALTER TABLE nokey OWNER TO replicator');
  await pg.sql('CREATE TABLE docs (order_id int8 PRIMARY KEY, body text, status text)');
  await pg.sql('ALTER TABLE docs OWNER TO replicator');
  await pg.sql("INSERT INTO docs SELECT 1, (SELECT string_agg(md5(g::text || random()::text), '') FROM generate_series(1, 400) g), 'new'");
}, 120_000);

afterAll(async () => {
  for (const fx of fixtures) await fx.remove();
  await pg?.stop();
});

/** A product mirroring `table` (keyed by order_id) as input `orders-db`. */
async function mirrorOf(table: string, name: string, url = pg.url({ user: 'replicator', password: PASSWORD })): Promise<BuildFixture> {
  const fx = await buildFixture({
    name,
    inputs: [{ source: 'orders-db', type: 'postgres-cdc', table, key: 'order_id' }],
    fields: [
      { name: 'order_id', type: 'long' },
      { name: 'customer', type: ['null', 'string'] },
      { name: 'amount', type: ['null', 'double'] },
    ],
    key: 'order_id',
    // A mirror's columns come from its rows' JSON (a non-negative integer reads as UBIGINT): the transform casts to the contract.
    transform: 'SELECT CAST(order_id AS BIGINT) AS order_id, customer, CAST(amount AS DOUBLE) AS amount FROM orders_db',
    connections: { 'orders-db': url },
  });
  fixtures.push(fx);
  return fx;
}

/** Rows as comparable values: the key and amount as numbers, the time as epoch ms. */
function normal(row: BuildRow | Record<string, unknown>): Record<string, unknown> {
  const at = row.placed_at;
  return {
    order_id: Number(row.order_id),
    customer: row.customer ?? null,
    amount: row.amount === null || row.amount === undefined ? null : Number(row.amount),
    placed_at: at === null || at === undefined ? null : at instanceof Date ? at.getTime() : Date.parse(String(at).replace(' ', 'T').replace(/\+00$/, 'Z')),
  };
}

/** The table in PostgreSQL, as comparable rows. */
async function tableRows(table: string): Promise<Record<string, unknown>[]> {
  return (await pg.sql(`SELECT * FROM ${table} ORDER BY order_id`)).map(normal);
}

/** The slot's confirmed position. */
async function slotPosition(slot: string): Promise<string | undefined> {
  const [row] = await pg.sql<{ lsn: string }>('SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  return row?.lsn;
}

/** The BuildError of a load that must fail. */
async function failure(fx: BuildFixture): Promise<string> {
  const error = await loadInput(fx, 'order_id').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildError);
  const message = (error as BuildError).message;
  expect(message).not.toContain(PASSWORD);
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

describe('a postgres-cdc input', () => {
  let fx: BuildFixture;
  const slot = 'meshgate_orders_mirror__orders_db';

  it('takes a snapshot of the table with its new replication slot at the first load', async () => {
    fx = await mirrorOf('orders', 'orders-mirror');
    const { loaded, rows } = await loadInput(fx, 'order_id');
    expect(rows.map(normal)).toEqual(await tableRows('orders'));
    expect(loaded.read).toMatchObject({ source: 'orders-db', type: 'postgres-cdc', rows: 3 });
    expect(await pg.sql('SELECT slot_name, plugin FROM pg_replication_slots')).toEqual([{ slot_name: slot, plugin: 'pgoutput' }]);
    expect(await pg.sql('SELECT pubname, tablename FROM pg_publication_tables')).toEqual([{ pubname: slot, tablename: 'orders' }]);
    await loaded.commit!();
  });

  it('picks up inserts, updates and deletes at the second load', async () => {
    await pg.sql("INSERT INTO orders VALUES (4, 'dan', 40, now()), (5, 'eve', 50.25, now())");
    await pg.sql("UPDATE orders SET amount = 11, customer = 'ann, again' WHERE order_id = 1");
    await pg.sql('DELETE FROM orders WHERE order_id = 3');
    const before = await slotPosition(slot);
    const { loaded, rows } = await loadInput(fx, 'order_id');
    expect(rows.map(normal)).toEqual(await tableRows('orders'));
    expect(rows.map((r) => Number(r.order_id))).toEqual([1, 2, 4, 5]);
    expect(await slotPosition(slot)).toBe(before);
    await loaded.commit!();
    expect(await slotPosition(slot)).not.toBe(before);
  });

  it('follows a changed key, repeated updates and an insert deleted in the same transaction at the third load', async () => {
    await pg.sql('UPDATE orders SET order_id = 20 WHERE order_id = 2');
    await pg.sql(
      "DO $$ BEGIN UPDATE orders SET amount = 1 WHERE order_id = 4; UPDATE orders SET amount = 2 WHERE order_id = 4; INSERT INTO orders VALUES (6, 'tmp', 0, now()); DELETE FROM orders WHERE order_id = 6; DELETE FROM orders WHERE order_id = 5; INSERT INTO orders VALUES (5, 'eve again', 5, now()); END $$",
    );
    const { loaded, rows } = await loadInput(fx, 'order_id');
    expect(rows.map(normal)).toEqual(await tableRows('orders'));
    expect(rows.map((r) => [Number(r.order_id), r.customer])).toEqual([
      [1, 'ann, again'],
      [4, 'dan'],
      [5, 'eve again'],
      [20, 'bob'],
    ]);
    await loaded.commit!();
  });

  it('reads nothing new when nothing changed, and keeps the mirror', async () => {
    const { loaded, rows } = await loadInput(fx, 'order_id');
    expect(rows.map(normal)).toEqual(await tableRows('orders'));
    expect(loaded.read.checkpoint).toContain('(0 new change(s))');
  });
});

describe('the slot moves only when a version is published', () => {
  it('reads the same changes again after a load that was not committed', async () => {
    const fx = await mirrorOf('retried', 'retried-mirror');
    await (
      await loadInput(fx, 'order_id')
    ).loaded.commit!();
    await pg.sql("INSERT INTO retried VALUES (7, 'gus', 70, now())");
    await pg.sql('DELETE FROM retried WHERE order_id = 1');
    const failed = await loadInput(fx, 'order_id');
    expect(failed.rows.map(normal)).toEqual(await tableRows('retried'));
    // No commit: the build "failed" after loading. The next load sees the same changes, and one more.
    await pg.sql("UPDATE retried SET customer = 'gus, later' WHERE order_id = 7");
    const again = await loadInput(fx, 'order_id');
    expect(again.loaded.read.checkpoint).toContain('(3 new change(s))');
    expect(again.rows.map(normal)).toEqual(await tableRows('retried'));
    await again.loaded.commit!();
    expect((await loadInput(fx, 'order_id')).loaded.read.checkpoint).toContain('(0 new change(s))');
  });

  it('starts over with a new snapshot when the first load was never committed', async () => {
    const fx = await mirrorOf('restarted', 'restarted-mirror');
    await loadInput(fx, 'order_id');
    await pg.sql("INSERT INTO restarted VALUES (8, 'hal', 80, now())");
    const { loaded, rows } = await loadInput(fx, 'order_id');
    expect(rows.map(normal)).toEqual(await tableRows('restarted'));
    expect(loaded.read.rows).toBe(4);
  });

  it('publishes three successive builds whose versions equal the table', async () => {
    const fx = await mirrorOf('orders', 'orders-built');
    const versionRows = async (): Promise<Record<string, unknown>[]> => {
      const outcome = await buildProduct(fx.product, fx.env);
      expect(outcome.status === 'published' ? 'published' : outcome.message).toBe('published');
      const session = await BuildSession.open({ memoryLimit: '256MB', threads: 1 });
      try {
        const file = `${fx.product.storeDir}/versions/${(outcome as { version: string }).version}/part-0.parquet`;
        return (await session.rows(`SELECT * FROM read_parquet('${file}') ORDER BY order_id`)).map(normal);
      } finally {
        session.close();
      }
    };
    const expected = async (): Promise<Record<string, unknown>[]> => (await tableRows('orders')).map((r) => ({ ...r, placed_at: null }));
    expect(await versionRows()).toEqual(await expected());
    await pg.sql("INSERT INTO orders VALUES (9, 'ida', 90, now())");
    await pg.sql('UPDATE orders SET amount = 99 WHERE order_id = 1');
    expect(await versionRows()).toEqual(await expected());
    await pg.sql('DELETE FROM orders WHERE order_id = 9');
    expect(await versionRows()).toEqual(await expected());
  });
});

describe('postgres-cdc faults', () => {
  it('says when the replication slot was dropped, and how to start over', async () => {
    const fx = await mirrorOf('dropped', 'dropped-mirror');
    await (
      await loadInput(fx, 'order_id')
    ).loaded.commit!();
    await pg.sql("SELECT pg_drop_replication_slot('meshgate_dropped_mirror__orders_db')");
    expect(await failure(fx)).toBe(
      `dropped-mirror: input orders-db (postgres-cdc): its replication slot meshgate_dropped_mirror__orders_db is missing at replicator@127.0.0.1:${pg.port}/postgres (dropped?), ` +
        'so the changes since the last build are lost: to start over from a new snapshot, remove commerce/dropped-mirror/_state/orders-db/ under the data root and build again',
    );
  });

  it('refuses a TRUNCATE, which a mirror cannot follow', async () => {
    const fx = await mirrorOf('truncated', 'truncated-mirror');
    await (
      await loadInput(fx, 'order_id')
    ).loaded.commit!();
    await pg.sql('TRUNCATE truncated');
    expect(await failure(fx)).toContain('public.truncated was truncated, and a mirror cannot follow a TRUNCATE row by row');
  });

  it('names an unknown table, a missing key column and a table without a primary key', async () => {
    expect(await failure(await mirrorOf('no_such_table', 'unknown-mirror'))).toBe(
      `unknown-mirror: input orders-db (postgres-cdc): table "no_such_table" does not exist at replicator@127.0.0.1:${pg.port}/postgres (or its role cannot see it)`,
    );
    const fx = await buildFixture({
      name: 'keyless-mirror',
      inputs: [{ source: 'orders-db', type: 'postgres-cdc', table: 'public.orders', key: 'id' }],
      fields: [{ name: 'id', type: 'long' }],
      key: 'id',
      transform: 'SELECT id FROM orders_db',
      connections: { 'orders-db': pg.url({ user: 'replicator', password: PASSWORD }) },
    });
    fixtures.push(fx);
    expect(await failure(fx)).toContain('table public.orders has no column "id" (the declared key); its columns: order_id, customer, amount, placed_at');
    expect(await failure(await mirrorOf('nokey', 'nokey-mirror'))).toContain(
      'table public.nokey has no primary key (its replica identity), so a delete would not say which row it removed: give it a primary key on "order_id" or set REPLICA IDENTITY FULL',
    );
  });

  it('says when the role may not replicate', async () => {
    await pg.sql('GRANT SELECT ON docs TO plain');
    await pg.sql('CREATE PUBLICATION meshgate_plain_mirror__orders_db FOR TABLE docs');
    const message = await failure(await mirrorOf('docs', 'plain-mirror', pg.url({ user: 'plain', password: PASSWORD })));
    expect(message).toContain('opening a replication connection (the role needs the REPLICATION attribute): role "plain" lacks a privilege');
  });

  it('says when the credentials are refused, without the password', async () => {
    expect(await failure(await mirrorOf('orders', 'badpass-mirror', pg.url({ user: 'replicator', password: 'not-its-password-42' })))).toBe(
      `badpass-mirror: input orders-db (postgres-cdc): PostgreSQL at replicator@127.0.0.1:${pg.port}/postgres refused the credentials of role "replicator" (wrong password, or no such role)`,
    );
  });
});

describe('large values an update leaves alone', () => {
  it('asks for REPLICA IDENTITY FULL when an update leaves a TOASTed value unchanged, and keeps it under FULL', async () => {
    const fx = await mirrorOf('docs', 'docs-mirror');
    await (
      await loadInput(fx, 'order_id')
    ).loaded.commit!();
    await pg.sql("UPDATE docs SET status = 'seen'");
    expect(await failure(fx)).toContain('left its large (TOASTed) value of "body" unchanged, and logical decoding does not resend it: set REPLICA IDENTITY FULL on the table');
    await pg.sql('ALTER TABLE docs REPLICA IDENTITY FULL');
    // A new data root has no mirror: its first load replaces the slot and snapshots again.
    const fresh = await mirrorOf('docs', 'docs-mirror');
    await (
      await loadInput(fresh, 'order_id')
    ).loaded.commit!();
    await pg.sql("UPDATE docs SET status = 'read'");
    const { rows } = await loadInput(fresh, 'order_id');
    const [body] = await pg.sql<{ body: string }>('SELECT body FROM docs');
    expect(rows).toEqual([{ order_id: '1', body: body!.body, status: 'read' }]);
  });
});
