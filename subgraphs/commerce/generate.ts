/**
 * The commerce domain's sample generator, playing its order system: the `orders` table of the
 * shop's PostgreSQL database (the state the payments domain reads), written as the two raw forms of
 * the `orders-db` input: the table's change stream in the `orders-db` landing folder (changeStream.ts,
 * what the embedded default reads), and a dump of the table beside it, `orders-db.sql`, to load into
 * a real PostgreSQL (ordersDump.ts). The table holds what the order system knows: no order date (the
 * timestamp has it) and no shipping country when an order ships to the customer's own country.
 * The commerce transform (transforms/orders-enriched.sql) makes the product from the table and the
 * customer-profiles product. Every value is a function of the row number, the seed and the column
 * name, so the files are the same, byte for byte, whatever the thread count.
 */
import path from 'node:path';
import { createState, draw, quoteIdent, quoteLiteral, tableRows, unit, weighted, type SampleGenerator, type SampleOptions } from '../runtime/sampleData.js';
import { CHANGE_HORIZON_US, writeChangeStream } from './changeStream.js';
import { writeOrdersDump } from './ordersDump.js';

const ORDERS_PER_SCALE = 100_000;
/** Orders a tester placed by hand and deleted again: one per thousand orders, at least two. */
const TEST_ORDERS_PER_ORDER = 0.001;
const KEY_WIDTH = 9;
const DAY_US = 86_400_000_000;
const MINUTE_US = 60_000_000;
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'ES', 'IT', 'NL', 'PL', 'SE', 'AT', 'BE', 'IE'];
const CURRENCIES: Readonly<Record<string, string>> = { GB: 'GBP', US: 'USD', SE: 'SEK', PL: 'PLN' };
/** The statuses an order passes through to reach each final one. */
const LIFECYCLES: Readonly<Record<string, readonly string[]>> = {
  placed: ['placed'],
  paid: ['placed', 'paid'],
  shipped: ['placed', 'paid', 'shipped'],
  delivered: ['placed', 'paid', 'shipped', 'delivered'],
  returned: ['placed', 'paid', 'shipped', 'delivered', 'returned'],
  cancelled: ['placed', 'cancelled'],
};

/** The order's lifecycle status: recent orders are still moving, old ones have settled. */
function statusSql(): string {
  return `CASE
    WHEN age_us < ${3 * DAY_US} THEN ${weighted('status', [
      ['placed', 40],
      ['paid', 40],
      ['shipped', 15],
      ['cancelled', 5],
    ])}
    WHEN age_us < ${14 * DAY_US} THEN ${weighted('status', [
      ['shipped', 50],
      ['delivered', 40],
      ['paid', 5],
      ['cancelled', 5],
    ])}
    ELSE ${weighted('status', [
      ['delivered', 87],
      ['returned', 7],
      ['cancelled', 6],
    ])} END`;
}

/** The SELECT of the orders table, in key order: the orders, then the test orders (deleted since). */
function ordersSql(customers: string): string {
  const currency = `CASE shipping_country ${Object.entries(CURRENCIES)
    .map(([c, cur]) => `WHEN '${c}' THEN '${cur}'`)
    .join(' ')} ELSE 'EUR' END`;
  const lifecycle = `CASE status ${Object.entries(LIFECYCLES)
    .map(([s, p]) => `WHEN '${s}' THEN [${p.map(quoteLiteral).join(', ')}]`)
    .join(' ')} END`;
  const horizon = `CASE WHEN order_us < CAST($snapshot_us AS BIGINT) THEN CAST($snapshot_us AS BIGINT) ELSE CAST($now_us AS BIGINT) END`;
  return `
    WITH customers AS (SELECT i AS idx, customer_id, country, signup_us FROM ${quoteIdent(customers)}),
    picked AS (
      SELECT i, CAST(floor(power(${unit('customer')}, 1.4) * (SELECT count(*) FROM customers)) AS BIGINT) AS idx
      FROM range(CAST($rows AS BIGINT)) t(i)
    ),
    placed AS (
      SELECT p.i, c.customer_id, c.country,
        greatest(c.signup_us, CAST($now_us AS BIGINT) - ${365 * DAY_US}) AS from_us
      FROM picked p JOIN customers c ON c.idx = p.idx
    ),
    timed AS (
      SELECT *,
        from_us + CAST(floor(${unit('order_ts')} * greatest(0, CAST($now_us AS BIGINT) - from_us)) AS BIGINT) AS ts_us,
        CAST(1 + floor(12 * power(${unit('item_count')}, 2.2)) AS INTEGER) AS item_count,
        CASE WHEN ${unit('ship_abroad')} < 0.04 THEN [${COUNTRIES.map(quoteLiteral).join(', ')}][1 + CAST(${draw('ship_country')} % ${COUNTRIES.length} AS BIGINT)]
          END AS ship_to_country
      FROM placed
    ),
    priced AS (
      SELECT *, coalesce(ship_to_country, country) AS shipping_country,
        CAST($now_us AS BIGINT) - ts_us AS age_us,
        round(least(2000, greatest(5, item_count * (3 + power(${unit('unit_price')}, 2) * 180))), 2) AS total
      FROM timed
    ),
    orders AS (
      SELECT i,
        CAST('O' || lpad(CAST(i + 1 AS VARCHAR), CAST($width AS INTEGER), '0') AS VARCHAR) AS order_id,
        customer_id, ts_us AS order_us, ${statusSql()} AS status,
        ${weighted('channel', [
          ['web', 55],
          ['app', 35],
          ['store', 10],
        ])} AS channel,
        item_count, CAST(total AS DOUBLE) AS total_amount,
        CAST(CASE WHEN ${unit('discount_null')} < 0.7 THEN NULL ELSE round(total * (0.05 + 0.25 * ${unit('discount')}), 2) END AS DOUBLE) AS discount_amount,
        ${currency} AS currency, ship_to_country, 0.5 + 0.5 * ${unit('lifecycle')} AS pace, CAST(NULL AS BIGINT) AS deleted_us
      FROM priced
    ),
    tests AS (
      SELECT CAST(NULL AS BIGINT) AS i, 'T' || lpad(CAST(k AS VARCHAR), CAST($width AS INTEGER), '0') AS order_id, c.customer_id,
        CAST($snapshot_us AS BIGINT) + CAST(floor(${unit('test_order_ts', 'k')} * (CAST($now_us AS BIGINT) - CAST($snapshot_us AS BIGINT) - ${120 * MINUTE_US})) AS BIGINT) AS order_us,
        'placed' AS status, 'web' AS channel, 1 AS item_count, 1.0::DOUBLE AS total_amount, NULL::DOUBLE AS discount_amount, 'EUR' AS currency,
        NULL::VARCHAR AS ship_to_country, 0.0::DOUBLE AS pace,
        ${5 * MINUTE_US} + CAST(${draw('test_deleted', 'k')} % ${60 * MINUTE_US} AS BIGINT) AS deleted_after
      FROM range(1, CAST($tests AS BIGINT) + 1) t(k)
      JOIN customers c ON c.idx = CAST(${draw('test_customer', 'k')} % (SELECT count(*) FROM customers) AS BIGINT)
    )
    SELECT *, ${lifecycle} AS path, ${horizon} AS horizon_us FROM orders
    UNION ALL
    SELECT * EXCLUDE (deleted_after), order_us + deleted_after AS deleted_us, ['placed'] AS path, CAST($now_us AS BIGINT) AS horizon_us FROM tests
    ORDER BY i NULLS LAST, order_id`;
}

/** The statements' bound values. */
function values(options: SampleOptions) {
  const rows = Math.max(1, Math.round(options.scale * ORDERS_PER_SCALE));
  const nowUs = BigInt(options.now.getTime()) * 1000n;
  return {
    rows: BigInt(rows),
    tests: BigInt(Math.max(2, Math.round(rows * TEST_ORDERS_PER_ORDER))),
    seed: BigInt(options.seed),
    width: Math.max(KEY_WIDTH, String(rows).length),
    now_us: nowUs,
    snapshot_us: nowUs - CHANGE_HORIZON_US,
  };
}

/** The order system: scale 1 is 100,000 orders in the year before `now`, of the customers domain's accounts. */
export const generator: SampleGenerator = {
  sources: ['orders-db'],
  reads: ['customers'],
  async state(connection, options) {
    const customers = options.upstream.customers;
    if (!customers) throw new TypeError("commerce sample: expected options.upstream.customers, the customers domain's accounts table");
    if ((await tableRows(connection, customers)) === 0) throw new TypeError('commerce sample: the customers table is empty, so no order has a customer');
    return createState(connection, options.table, ordersSql(customers), values(options));
  },
  async write(connection, options) {
    const dir = options.landing['orders-db']!;
    const v = values(options);
    const stream = await writeChangeStream(connection, options.table, dir, { rows: v.rows, snapshot_us: v.snapshot_us });
    const dump = path.join(path.dirname(dir), `${path.basename(dir)}.sql`);
    const rows = await writeOrdersDump(connection, options.table, dump, options.now);
    return {
      files: [...stream.files, dump],
      records: stream.records + rows,
      summary: `${stream.records.toLocaleString('en-US')} change records in ${stream.files.length} files, and a PostgreSQL dump of ${rows.toLocaleString('en-US')} orders`,
    };
  },
};
