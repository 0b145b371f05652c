/**
 * Column lineage from real parse trees: each SQL construct a transform may use is parsed by DuckDB
 * (through checkTransform, as a build does), run against real input tables (so every statement here
 * is valid DuckDB), and its lineage read twice: from the SQL alone, and with the inputs' columns as
 * a build DESCRIBEs them.
 */
import type { ColumnLineage, DataProduct } from '../../schema/index.js';
import { BuildSession } from '../../subgraphs/runtime/build/BuildSession.js';
import { checkTransform } from '../../subgraphs/runtime/build/transform/checkTransform.js';
import { columnLineage } from '../../subgraphs/runtime/build/transform/columnLineage.js';
import { describeInputs } from '../../subgraphs/runtime/build/transform/describeInputs.js';
import { AGGREGATE_FUNCTIONS } from '../../subgraphs/runtime/build/transform/lineage/index.js';

const INPUTS: Record<string, string> = {
  'orders-db':
    'order_id INTEGER, customer_id VARCHAR, amount DECIMAL(10,2), status VARCHAR, ordered_at TIMESTAMP, items STRUCT(sku VARCHAR, price DOUBLE, qty INTEGER)[], parent_id INTEGER',
  'customer-profiles': 'customer_id VARCHAR, name VARCHAR, email VARCHAR, country VARCHAR, tier VARCHAR, address STRUCT(city VARCHAR, zip VARCHAR)',
  'legacy-orders': 'id INTEGER, cust VARCHAR, total DECIMAL(10,2), placed_at TIMESTAMP',
};

let session: BuildSession;

beforeAll(async () => {
  session = await BuildSession.open({ memoryLimit: '256MB', threads: 1 });
  for (const [source, columns] of Object.entries(INPUTS)) await session.run(`CREATE TABLE ${source.replaceAll('-', '_')} (${columns})`);
});
afterAll(() => session.close());

/** The lineage of `sql` over the fixture inputs, for every column its result has (as DuckDB says). */
async function lineage(sql: string, options: { columns?: boolean } = {}): Promise<ColumnLineage[]> {
  const outputs = (await session.rows(`DESCRIBE ${sql}`)).map((r) => ({ name: String(r.column_name) }));
  const product = { name: 'fixture', inputs: Object.keys(INPUTS).map((source) => ({ source, type: 'files' })), contract: { fields: outputs } } as unknown as DataProduct;
  const declared = new Map(Object.keys(INPUTS).map((s) => [s, s.replaceAll('-', '_')]));
  const checked = await checkTransform(session, 'fixture', 'fixture.sql', sql, declared);
  return columnLineage(checked.tree, product, options.columns ? await describeInputs(session, product) : undefined);
}

/** Each column as `kind: source.column, ...`, with ` (partial)` when the lineage is not complete. */
async function brief(sql: string, options: { columns?: boolean } = {}): Promise<Record<string, string>> {
  const lines = await lineage(sql, options);
  const text = (l: ColumnLineage): string => [`${l.kind}:`, l.from.map((f) => `${f.source}.${f.column}`).join(', '), l.complete ? '' : '(partial)'].filter(Boolean).join(' ');
  return Object.fromEntries(lines.map((l) => [l.column, text(l)]));
}

describe('column lineage of a transform', () => {
  it('follows aliased tables of a join to the declared input names', async () => {
    expect(await brief('SELECT o.order_id, o.amount AS total, c.name AS customer_name FROM orders_db o JOIN customer_profiles AS c ON o.customer_id = c.customer_id')).toEqual({
      order_id: 'copy: orders-db.order_id',
      total: 'copy: orders-db.amount',
      customer_name: 'copy: customer-profiles.name',
    });
  });

  it('resolves an unqualified name when only one table in scope is known to have it', async () => {
    expect(await brief('SELECT order_id, name FROM orders_db o JOIN customer_profiles c ON o.customer_id = c.customer_id', { columns: true })).toEqual({
      order_id: 'copy: orders-db.order_id',
      name: 'copy: customer-profiles.name',
    });
  });

  it('leaves an unqualified name over two tables of unknown columns partial, saying which tables could hold it', async () => {
    const [orderId] = await lineage('SELECT order_id FROM orders_db o JOIN customer_profiles c ON o.customer_id = c.customer_id');
    expect(orderId).toEqual({
      column: 'order_id',
      from: [],
      kind: 'copy',
      complete: false,
      unresolved: ['"order_id" could be a column of o (orders-db) or c (customer-profiles), and the SQL does not say which (qualify it)'],
    });
  });

  it('resolves an unqualified name over a single table without knowing its columns', async () => {
    expect(await brief('SELECT order_id, amount * 2 AS doubled FROM orders_db')).toEqual({ order_id: 'copy: orders-db.order_id', doubled: 'transform: orders-db.amount' });
  });

  it('follows columns through chained CTEs, renames and a CTE column list', async () => {
    const sql = `WITH base AS (SELECT order_id AS id, amount AS amt FROM orders_db),
      renamed(k, v) AS (SELECT id, amt FROM base)
      SELECT k AS order_id, v FROM renamed`;
    expect(await brief(sql)).toEqual({ order_id: 'copy: orders-db.order_id', v: 'copy: orders-db.amount' });
  });

  it('follows a subquery in FROM, with its alias and column list', async () => {
    expect(await brief('SELECT t.a, b FROM (SELECT order_id, status FROM orders_db) AS t(a, b)')).toEqual({ a: 'copy: orders-db.order_id', b: 'copy: orders-db.status' });
  });

  it('marks aggregates under GROUP BY and HAVING, and what is computed from them, as aggregates', async () => {
    const sql = `SELECT customer_id, count(*) AS orders, sum(amount) AS spent, round(avg(amount), 2) AS mean,
        count(DISTINCT order_id) FILTER (WHERE status = 'paid') AS paid, string_agg(status, ',' ORDER BY ordered_at) AS statuses
      FROM orders_db GROUP BY customer_id HAVING count(*) > 1`;
    expect(await brief(sql)).toEqual({
      customer_id: 'copy: orders-db.customer_id',
      orders: 'aggregate:',
      spent: 'aggregate: orders-db.amount',
      mean: 'aggregate: orders-db.amount',
      paid: 'aggregate: orders-db.order_id, orders-db.status',
      statuses: 'aggregate: orders-db.status, orders-db.ordered_at',
    });
  });

  it('carries an aggregate through a CTE into an expression', async () => {
    const sql = `WITH totals AS (SELECT customer_id, sum(amount) AS spent FROM orders_db GROUP BY ALL)
      SELECT c.customer_id, c.tier, t.spent * 1.19 AS gross FROM customer_profiles c LEFT JOIN totals t ON t.customer_id = c.customer_id`;
    expect(await brief(sql)).toEqual({ customer_id: 'copy: customer-profiles.customer_id', tier: 'copy: customer-profiles.tier', gross: 'aggregate: orders-db.amount' });
  });

  it('takes a USING column from the side DuckDB takes it from', async () => {
    expect(await brief('SELECT customer_id, o.amount FROM orders_db o JOIN customer_profiles USING (customer_id)')).toEqual({
      customer_id: 'copy: orders-db.customer_id',
      amount: 'copy: orders-db.amount',
    });
    expect(await brief('SELECT customer_id FROM orders_db RIGHT JOIN customer_profiles USING (customer_id)')).toEqual({ customer_id: 'copy: customer-profiles.customer_id' });
    expect(await brief('SELECT customer_id FROM orders_db FULL JOIN customer_profiles USING (customer_id)')).toEqual({
      customer_id: 'copy: orders-db.customer_id, customer-profiles.customer_id',
    });
  });

  it('expands * over a USING join once per merged column, from the tables its columns are known for', async () => {
    const out = await brief('SELECT * FROM orders_db JOIN customer_profiles USING (customer_id)', { columns: true });
    expect(out.customer_id).toBe('copy: orders-db.customer_id');
    expect(out.name).toBe('copy: customer-profiles.name');
    expect(out.status).toBe('copy: orders-db.status');
    expect(Object.values(out).every((l) => !l.endsWith('(partial)'))).toBe(true);
  });

  it('follows a NATURAL join by the columns both sides have', async () => {
    const sql = 'SELECT * FROM (SELECT order_id, customer_id FROM orders_db) NATURAL JOIN (SELECT customer_id, name FROM customer_profiles)';
    expect(await brief(sql)).toEqual({ order_id: 'copy: orders-db.order_id', customer_id: 'copy: orders-db.customer_id', name: 'copy: customer-profiles.name' });
  });

  it('follows * EXCLUDE and * REPLACE over an input whose columns are unknown', async () => {
    const out = await brief('SELECT * EXCLUDE (items, parent_id) REPLACE (amount * 100 AS amount, upper(status) AS status) FROM orders_db');
    expect(out).toEqual({
      order_id: 'copy: orders-db.order_id',
      customer_id: 'copy: orders-db.customer_id',
      amount: 'transform: orders-db.amount',
      status: 'transform: orders-db.status',
      ordered_at: 'copy: orders-db.ordered_at',
    });
  });

  it('follows * RENAME, over known and unknown columns', async () => {
    const sql = 'SELECT * EXCLUDE (items) RENAME (order_id AS id, amount AS gross) FROM orders_db';
    for (const columns of [false, true]) {
      const out = await brief(sql, { columns });
      expect(out).toMatchObject({ id: 'copy: orders-db.order_id', gross: 'copy: orders-db.amount', status: 'copy: orders-db.status' });
    }
    const checked = await checkTransform(session, 'fixture', 'fixture.sql', sql, new Map([['orders-db', 'orders_db']]));
    const [renamedAway] = columnLineage(checked.tree, { inputs: [{ source: 'orders-db' }], contract: { fields: [{ name: 'order_id' }] } });
    expect(renamedAway).toMatchObject({ column: 'order_id', complete: false, unresolved: ['the SELECT produces no column "order_id" that its text shows'] });
  });

  it('follows t.* and a qualified EXCLUDE over a join', async () => {
    const out = await brief('SELECT c.* EXCLUDE (address), o.amount FROM orders_db o JOIN customer_profiles c USING (customer_id)');
    expect(out).toEqual({
      customer_id: 'copy: customer-profiles.customer_id',
      name: 'copy: customer-profiles.name',
      email: 'copy: customer-profiles.email',
      country: 'copy: customer-profiles.country',
      tier: 'copy: customer-profiles.tier',
      amount: 'copy: orders-db.amount',
    });
  });

  it('matches UNION ALL branches by position and names the columns after the first', async () => {
    const sql = 'SELECT order_id, amount FROM orders_db UNION ALL SELECT id, total FROM legacy_orders';
    expect(await brief(sql)).toEqual({ order_id: 'copy: orders-db.order_id, legacy-orders.id', amount: 'copy: orders-db.amount, legacy-orders.total' });
  });

  it('leaves a UNION of * over unknown columns partial, and completes it once the columns are known', async () => {
    const sql = 'SELECT * FROM (SELECT order_id, amount FROM orders_db) UNION ALL SELECT * EXCLUDE (cust, placed_at) FROM legacy_orders';
    expect(await brief(sql)).toEqual({ order_id: 'copy: orders-db.order_id (partial)', amount: 'copy: orders-db.amount (partial)' });
    expect(await brief(sql, { columns: true })).toEqual({ order_id: 'copy: orders-db.order_id, legacy-orders.id', amount: 'copy: orders-db.amount, legacy-orders.total' });
  });

  it('matches UNION ALL BY NAME branches by name', async () => {
    const sql = 'SELECT order_id AS id, amount FROM orders_db UNION ALL BY NAME SELECT total AS amount, id FROM legacy_orders';
    expect(await brief(sql)).toEqual({ id: 'copy: orders-db.order_id, legacy-orders.id', amount: 'copy: orders-db.amount, legacy-orders.total' });
  });

  it('keeps the left side of EXCEPT and INTERSECT', async () => {
    expect(await brief('SELECT order_id FROM orders_db EXCEPT SELECT id FROM legacy_orders')).toEqual({ order_id: 'copy: orders-db.order_id' });
  });

  it('counts window functions as aggregates over their arguments, partitions and orders, and QUALIFY as a filter only', async () => {
    const sql = `SELECT order_id, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at) AS seq,
        sum(amount) OVER w AS running, lag(status) OVER w AS previous
      FROM orders_db WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at)
      QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY ordered_at DESC) = 1`;
    expect(await brief(sql)).toEqual({
      order_id: 'copy: orders-db.order_id',
      seq: 'aggregate: orders-db.customer_id, orders-db.ordered_at',
      running: 'aggregate: orders-db.amount, orders-db.customer_id, orders-db.ordered_at',
      previous: 'aggregate: orders-db.status, orders-db.customer_id, orders-db.ordered_at',
    });
  });

  it('follows CASE (conditions and branches), casts and TRY_CAST as transformations', async () => {
    const sql = `SELECT CASE WHEN status = 'refunded' THEN -amount WHEN status = 'paid' THEN amount ELSE 0 END AS signed,
        CAST(ordered_at AS DATE) AS order_date, order_id::VARCHAR AS order_key, TRY_CAST(customer_id AS INTEGER) AS customer_no, 'v1' AS schema_version
      FROM orders_db`;
    expect(await brief(sql)).toEqual({
      signed: 'transform: orders-db.status, orders-db.amount',
      order_date: 'transform: orders-db.ordered_at',
      order_key: 'transform: orders-db.order_id',
      customer_no: 'transform: orders-db.customer_id',
      schema_version: 'transform:',
    });
  });

  it('follows scalar, IN and EXISTS subqueries, correlated to the outer query', async () => {
    const sql = `SELECT o.order_id,
        (SELECT c.name FROM customer_profiles c WHERE c.customer_id = o.customer_id) AS customer_name,
        (SELECT max(l.total) FROM legacy_orders l WHERE l.cust = o.customer_id) AS best_legacy,
        o.customer_id IN (SELECT c.customer_id FROM customer_profiles c WHERE c.tier = 'gold') AS gold,
        EXISTS (SELECT 1 FROM legacy_orders l WHERE l.id = o.order_id) AS migrated
      FROM orders_db o`;
    expect(await brief(sql)).toEqual({
      order_id: 'copy: orders-db.order_id',
      customer_name: 'copy: customer-profiles.name',
      best_legacy: 'aggregate: legacy-orders.total',
      gold: 'transform: orders-db.customer_id, customer-profiles.customer_id',
      migrated: 'transform:',
    });
  });

  it('follows struct fields, lambdas and list functions to the columns they read', async () => {
    const sql = `SELECT c.address.city AS city, address.zip AS zip, list_sum(list_transform(o.items, i -> i.price * i.qty)) AS items_total
      FROM orders_db o JOIN customer_profiles c USING (customer_id)`;
    expect(await brief(sql)).toEqual({ city: 'transform: customer-profiles.address', zip: 'transform: (partial)', items_total: 'transform: orders-db.items' });
    expect((await brief(sql, { columns: true })).zip).toBe('transform: customer-profiles.address');
  });

  it("follows an alias of the select list that a later item uses, once the inputs' columns rule out a table column", async () => {
    const sql = 'SELECT amount * 2 AS doubled, doubled + 1 AS plus_one FROM orders_db';
    expect(await brief(sql, { columns: true })).toEqual({ doubled: 'transform: orders-db.amount', plus_one: 'transform: orders-db.amount' });
    expect((await brief(sql)).plus_one).toBe('transform: (partial)');
  });

  it('follows a recursive CTE until its sources stop growing', async () => {
    const sql = `WITH RECURSIVE chain(id, root, depth, path) AS (
        SELECT order_id, order_id, 0, customer_id FROM orders_db WHERE parent_id IS NULL
        UNION ALL SELECT o.order_id, chain.root, chain.depth + 1, chain.path || '/' || o.status FROM orders_db o JOIN chain ON o.parent_id = chain.id)
      SELECT id, root, depth, path FROM chain`;
    expect(await brief(sql)).toEqual({
      id: 'copy: orders-db.order_id',
      root: 'copy: orders-db.order_id',
      depth: 'transform:',
      path: 'transform: orders-db.customer_id, orders-db.status',
    });
  });

  it('gives constants from VALUES and range() no sources, completely', async () => {
    expect(await lineage("SELECT n AS tier_rank, label FROM (VALUES (1, 'gold'), (2, 'silver')) v(n, label), range(1) r(i)")).toEqual([
      { column: 'tier_rank', from: [], kind: 'transform', complete: true },
      { column: 'label', from: [], kind: 'transform', complete: true },
    ]);
  });

  it('leaves COLUMNS(...), positional references and PIVOT partial, saying why', async () => {
    const [minimum] = await lineage('SELECT min(COLUMNS(* EXCLUDE (items, address))) FROM orders_db JOIN customer_profiles USING (customer_id) LIMIT 0');
    expect(minimum?.complete).toBe(false);
    expect(minimum?.unresolved).toEqual(['COLUMNS(...) and * LIKE pick their columns when DuckDB binds the query, which the SQL alone does not show']);
    const [liked] = await lineage("SELECT * LIKE 'order%' FROM orders_db");
    expect(liked).toMatchObject({ column: 'order_id', complete: false });
    const [first] = await lineage('SELECT #1 AS first FROM legacy_orders');
    expect(first?.unresolved).toEqual(['#1 names a column by its position, which the SQL alone does not show']);
    const pivoted = await lineage("SELECT * FROM (SELECT customer_id, status, amount FROM orders_db) PIVOT (sum(amount) FOR status IN ('paid', 'refunded'))");
    expect(pivoted.map((l) => [l.column, l.complete])).toEqual([
      ['customer_id', false],
      ['paid', false],
      ['refunded', false],
    ]);
  });

  it('leaves every column partial, naming the failure, when the walk trips on a tree instead of failing the build', () => {
    const product = { inputs: [{ source: 'orders-db' }], contract: { fields: [{ name: 'order_id' }] } };
    const [line] = columnLineage({ node: { type: 'SELECT_NODE', select_list: 5 } }, product);
    expect(line).toMatchObject({ column: 'order_id', complete: false, unresolved: [expect.stringMatching(/^the lineage walk failed on this SQL \(.+\): a bug to report$/)] });
  });

  it('reports a column the SELECT does not show as partial, never as a guess', async () => {
    const checked = await checkTransform(session, 'fixture', 'fixture.sql', 'SELECT order_id FROM orders_db', new Map([['orders-db', 'orders_db']]));
    const product = { inputs: [{ source: 'orders-db' }], contract: { fields: [{ name: 'order_id' }, { name: 'missing' }] } };
    expect(columnLineage(checked.tree, product)[1]).toEqual({
      column: 'missing',
      from: [],
      kind: 'copy',
      complete: false,
      unresolved: ['the SELECT produces no column "missing" that its text shows'],
    });
  });
});

describe('column lineage of a whole transform', () => {
  it('derives every column of an orders-enriched transform: the latest change per order, joined to its customer', async () => {
    const sql = `-- The latest state of each order from the change stream, with its customer's profile.
      WITH latest AS (
        SELECT * FROM orders_db
        QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY ordered_at DESC) = 1
      ),
      spend AS (
        SELECT customer_id, sum(amount) AS lifetime_value FROM latest WHERE status <> 'cancelled' GROUP BY customer_id
      )
      SELECT l.order_id, l.customer_id, c.name AS customer_name, c.country, l.amount AS total_amount,
             CASE WHEN s.lifetime_value > 1000 THEN 'vip' ELSE coalesce(c.tier, 'standard') END AS segment,
             l.ordered_at AS order_ts, s.lifetime_value
      FROM latest l
      JOIN customer_profiles c USING (customer_id)
      LEFT JOIN spend s ON s.customer_id = l.customer_id
      ORDER BY l.order_id`;
    const expected = {
      order_id: 'copy: orders-db.order_id',
      customer_id: 'copy: orders-db.customer_id',
      customer_name: 'copy: customer-profiles.name',
      country: 'copy: customer-profiles.country',
      total_amount: 'copy: orders-db.amount',
      segment: 'aggregate: orders-db.amount, customer-profiles.tier',
      order_ts: 'copy: orders-db.ordered_at',
      lifetime_value: 'aggregate: orders-db.amount',
    };
    expect(await brief(sql)).toEqual(expected);
    expect(await brief(sql, { columns: true })).toEqual(expected);
  });
});

describe('the aggregate functions the walk knows', () => {
  it("are DuckDB's own", async () => {
    const rows = await session.rows("SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate' ORDER BY 1");
    expect([...AGGREGATE_FUNCTIONS].sort()).toEqual(rows.map((r) => String(r.function_name)));
  });
});
