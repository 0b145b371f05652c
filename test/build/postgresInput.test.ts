/**
 * `type: postgres` against a real PostgreSQL cluster started for this file: the snapshot of a
 * query keeps every value and type, runs read-only, and each fault is one message naming the
 * product and the problem, never the password.
 */
import { readdir } from 'node:fs/promises';
import { BuildError } from '../../subgraphs/runtime/index.js';
import { buildFixture, loadInput, type BuildFixture } from '../support/buildFixture.js';
import { startPostgres, type PgCluster } from '../support/postgres.js';

const PASSWORD = 's3cret-Pa55!word';
let pg: PgCluster;
const fixtures: BuildFixture[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql(`CREATE ROLE reader LOGIN PASSWORD '${PASSWORD}'`);
  await pg.sql(`CREATE TABLE tricky (
    id int PRIMARY KEY, label text, amount numeric(12,2), ratio float8, at timestamptz, day date, big int8, flag bool, doc jsonb, loose numeric, uid uuid, span interval)`);
  await pg.sql(
    `INSERT INTO tricky VALUES
      (1, 'commas, "quotes" and
newlines', 1234567.89, 0.1, '2024-03-10 12:00:00.123456+05:30', '2024-02-29', 9007199254740993, true, '{"a": [1, "x,y"]}', 3.14159265358979323846, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 02:03:04'),
      (2, 'unicode: ü 東京 😀', -0.01, -1.5e-10, '1999-12-31 23:59:59+00', '1970-01-01', -1, false, 'null', 0, NULL, NULL),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (4, '', 0, 0, 'infinity', NULL, 0, NULL, NULL, NULL, NULL, NULL)`,
  );
  await pg.sql('CREATE TABLE audit (n int)');
  await pg.sql("CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS 'INSERT INTO audit VALUES (1) RETURNING n'");
  await pg.sql('INSERT INTO tricky SELECT g, md5(g::text), g / 100.0, g, now(), NULL, g, NULL, NULL, NULL, NULL, NULL FROM generate_series(1000, 35999) g');
  await pg.sql('GRANT SELECT, DELETE ON tricky TO reader');
  await pg.sql('GRANT SELECT, INSERT ON audit TO reader');
}, 120_000);

afterAll(async () => {
  for (const fx of fixtures) await fx.remove();
  await pg?.stop();
});

/** A product with one postgres input `orders-db` running `query`, connected as `url`. */
async function productReading(query: string, url: string | null = pg.url({ user: 'reader', password: PASSWORD })): Promise<BuildFixture> {
  const fx = await buildFixture({
    inputs: [{ source: 'orders-db', type: 'postgres', query }],
    fields: [{ name: 'id', type: 'int' }],
    key: 'id',
    transform: 'SELECT id FROM orders_db',
    connections: url === null ? {} : { 'orders-db': url },
  });
  fixtures.push(fx);
  return fx;
}

/** The BuildError of a load that must fail. */
async function failure(fx: BuildFixture): Promise<BuildError> {
  const error = await loadInput(fx, 'id').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildError);
  const message = (error as BuildError).message;
  expect(message).not.toContain(PASSWORD);
  expect(message).not.toContain(encodeURIComponent(PASSWORD));
  expect(message.split('\n')).toHaveLength(1);
  return error as BuildError;
}

describe('a postgres input', () => {
  it('snapshots a query keeping nulls, commas, quotes, newlines, unicode, zoned timestamps and numerics', async () => {
    const fx = await productReading('SELECT id, label, amount, ratio, at, day, big, flag, doc, loose, uid, span FROM tricky WHERE id < 1000');
    const { loaded, rows } = await loadInput(fx, 'id');
    expect(loaded.read).toMatchObject({ source: 'orders-db', type: 'postgres', rows: 4 });
    expect(rows).toEqual([
      {
        id: 1,
        label: 'commas, "quotes" and\nnewlines',
        amount: '1234567.89',
        ratio: 0.1,
        at: '2024-03-10 06:30:00.123456+00',
        day: '2024-02-29',
        big: '9007199254740993',
        flag: true,
        doc: '{"a": [1, "x,y"]}',
        loose: 3.141592653589793,
        uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        span: '1 day 02:03:04',
      },
      {
        id: 2,
        label: 'unicode: ü 東京 😀',
        amount: '-0.01',
        ratio: -1.5e-10,
        at: '1999-12-31 23:59:59+00',
        day: '1970-01-01',
        big: '-1',
        flag: false,
        doc: 'null',
        loose: 0,
        uid: null,
        span: null,
      },
      { id: 3, label: null, amount: null, ratio: null, at: null, day: null, big: null, flag: null, doc: null, loose: null, uid: null, span: null },
      { id: 4, label: '', amount: '0.00', ratio: 0, at: 'infinity', day: null, big: '0', flag: null, doc: null, loose: null, uid: null, span: null },
    ]);
  });

  it('gives each column its type, even for a result with no rows', async () => {
    const fx = await productReading('SELECT id, label, amount, ratio, at, day, big, flag, doc, loose, uid, span FROM tricky LIMIT 0');
    const { rows, types } = await loadInput(fx, 'id');
    expect(rows).toEqual([]);
    // The table has its typed columns even with no rows: a transform over an empty snapshot still runs.
    expect(types).toEqual({
      id: 'INTEGER',
      label: 'VARCHAR',
      amount: 'DECIMAL(12,2)',
      ratio: 'DOUBLE',
      at: 'TIMESTAMP WITH TIME ZONE',
      day: 'DATE',
      big: 'BIGINT',
      flag: 'BOOLEAN',
      doc: 'JSON',
      loose: 'DOUBLE',
      uid: 'UUID',
      span: 'VARCHAR',
    });
  });

  it('streams a large result in batches and leaves no batch file behind', async () => {
    const fx = await productReading('SELECT id, label, amount FROM tricky');
    const { loaded, rows, scratch } = await loadInput(fx, 'id');
    expect(loaded.read.rows).toBe(35_004);
    expect(rows).toHaveLength(35_004);
    expect(rows.at(-1)).toEqual({ id: 35_999, label: expect.any(String), amount: '359.99' });
    expect(await readdir(scratch)).toEqual([]);
  });

  it('needs a connection, naming the variable to set', async () => {
    const fx = await productReading('SELECT 1 AS id', null);
    expect((await failure(fx)).message).toBe('orders-mirror: input orders-db (postgres): no connection is configured: set MESHGATE_INPUT_ORDERS_DB_URL to a postgres:// URL');
  });
});

describe('a postgres snapshot is read-only', () => {
  it('refuses a data-modifying WITH, and nothing is deleted', async () => {
    const fx = await productReading('WITH gone AS (DELETE FROM tricky RETURNING id) SELECT id FROM gone');
    expect((await failure(fx)).message).toMatch(
      /^orders-mirror: input orders-db \(postgres\): its query failed: it tried to write, and the snapshot is read-only: cannot execute SELECT in a read-only transaction$/,
    );
    expect(await pg.sql('SELECT count(*)::int AS n FROM tricky')).toEqual([{ n: 35_004 }]);
  });

  it('refuses a function that writes', async () => {
    const fx = await productReading('SELECT bump() AS id');
    expect((await failure(fx)).message).toContain('cannot execute INSERT in a read-only transaction');
    expect(await pg.sql('SELECT count(*)::int AS n FROM audit')).toEqual([{ n: 0 }]);
  });

  it('refuses a second statement chained after the query', async () => {
    const fx = await productReading('SELECT 1 AS id; DELETE FROM tricky');
    expect((await failure(fx)).message).toContain('cannot insert multiple commands into a prepared statement');
    expect(await pg.sql('SELECT count(*)::int AS n FROM tricky')).toEqual([{ n: 35_004 }]);
  });
});

describe('postgres faults', () => {
  const reader = (o: { port?: number; password?: string; database?: string } = {}): string =>
    pg.url({ user: 'reader', password: o.password ?? PASSWORD, ...(o.database && { database: o.database }) }).replace(`:${pg.port}/`, `:${o.port ?? pg.port}/`);

  it('says when PostgreSQL is down', async () => {
    const fx = await productReading('SELECT 1 AS id', reader({ port: 1 }));
    expect((await failure(fx)).message).toBe(
      'orders-mirror: input orders-db (postgres): PostgreSQL at reader@127.0.0.1:1/postgres refuses connections (is the server running, on that host and port?)',
    );
  });

  it('says when the credentials are refused, without the password', async () => {
    const fx = await productReading('SELECT 1 AS id', reader({ password: `${PASSWORD}-wrong` }));
    expect((await failure(fx)).message).toBe(
      `orders-mirror: input orders-db (postgres): PostgreSQL at reader@127.0.0.1:${pg.port}/postgres refused the credentials of role "reader" (wrong password, or no such role)`,
    );
  });

  it('says when the database does not exist', async () => {
    const fx = await productReading('SELECT 1 AS id', reader({ database: 'nope' }));
    expect((await failure(fx)).message).toContain('database "nope" does not exist at reader@127.0.0.1');
  });

  it('names an unknown table and an unknown column', async () => {
    expect((await failure(await productReading('SELECT id FROM no_such_table'))).message).toBe(
      'orders-mirror: input orders-db (postgres): its query failed: PostgreSQL says: relation "no_such_table" does not exist (SQLSTATE 42P01)',
    );
    expect((await failure(await productReading('SELECT id, no_such_column FROM tricky'))).message).toContain('column "no_such_column" does not exist (SQLSTATE 42703)');
  });

  it('says when the query is not valid SQL', async () => {
    expect((await failure(await productReading('SELEC id FROM tricky'))).message).toContain('its query failed: PostgreSQL says: syntax error at or near "SELEC" (SQLSTATE 42601)');
  });

  it('cancels a query that outlives the statement timeout the deployment sets', async () => {
    const url = `${reader()}?options=${encodeURIComponent('-c statement_timeout=300')}`;
    const started = Date.now();
    const fx = await productReading('SELECT 1 AS id FROM pg_sleep(5)', url);
    expect((await failure(fx)).message).toBe('orders-mirror: input orders-db (postgres): its query failed: it ran longer than its statement timeout and was cancelled');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('refuses a URL that is not one, without echoing it', async () => {
    const fx = await productReading('SELECT 1 AS id', `host=127.0.0.1 password=${PASSWORD}`);
    expect((await failure(fx)).message).toBe(
      'orders-mirror: input orders-db (postgres): MESHGATE_INPUT_ORDERS_DB_URL does not hold a PostgreSQL URL (postgres://user:password@host:port/database)',
    );
  });
});
