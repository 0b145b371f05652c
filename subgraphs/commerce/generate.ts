/**
 * The commerce domain's sample-data generator: writes `orders-enriched` (contract
 * schemas/orders-enriched-v1.avsc) as one Parquet file from one DuckDB statement, enriching each
 * order from the `customer-profiles` file it is given, as the real product enriches from its input.
 * Every value is a function of the row number, the seed and the column name, so the file is the
 * same, byte for byte, whatever the thread count.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type GenerateOptions, copyAtomically, draw, quoteLiteral, unit, weighted } from '../runtime/sampleData.js';

const ORDERS_PER_SCALE = 100_000;
const KEY_WIDTH = 9;
const DAY_US = 86_400_000_000;
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'ES', 'IT', 'NL', 'PL', 'SE', 'AT', 'BE', 'IE'];
const CURRENCIES: Readonly<Record<string, string>> = { GB: 'GBP', US: 'USD', SE: 'SEK', PL: 'PLN' };

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

/** The SELECT producing every order row, in key order. */
function ordersSql(): string {
  const currency = `CASE shipping_country ${Object.entries(CURRENCIES)
    .map(([c, cur]) => `WHEN '${c}' THEN '${cur}'`)
    .join(' ')} ELSE 'EUR' END`;
  return `
    WITH customers AS (
      -- The file is in key order (ours are), so its row number is the customer's rank, without a sort.
      SELECT CAST(file_row_number AS BIGINT) AS idx, customer_id, country, epoch_us(signup_at) AS signup_us
      FROM read_parquet($customers, file_row_number = true)
    ),
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
          ELSE country END AS shipping_country
      FROM placed
    ),
    priced AS (
      SELECT *,
        CAST($now_us AS BIGINT) - ts_us AS age_us,
        round(least(2000, greatest(5, item_count * (3 + power(${unit('unit_price')}, 2) * 180))), 2) AS total
      FROM timed
    )
    SELECT
      CAST('O' || lpad(CAST(i + 1 AS VARCHAR), CAST($width AS INTEGER), '0') AS VARCHAR) AS order_id,
      CAST(customer_id AS VARCHAR) AS customer_id,
      CAST(make_timestamp(ts_us) AS TIMESTAMP) AS order_ts,
      CAST(make_timestamp(ts_us) AS DATE) AS order_date,
      CAST(${statusSql()} AS VARCHAR) AS status,
      CAST(${weighted('channel', [
        ['web', 55],
        ['app', 35],
        ['store', 10],
      ])} AS VARCHAR) AS channel,
      CAST(item_count AS INTEGER) AS item_count,
      CAST(total AS DOUBLE) AS total_amount,
      CAST(CASE WHEN ${unit('discount_null')} < 0.7 THEN NULL
        ELSE round(total * (0.05 + 0.25 * ${unit('discount')}), 2) END AS DOUBLE) AS discount_amount,
      CAST(${currency} AS VARCHAR) AS currency,
      CAST(shipping_country AS VARCHAR) AS shipping_country
    FROM priced
    -- Keys have one width, so row order is key order; sorting integers is cheaper than sorting keys.
    ORDER BY i`;
}

/**
 * Writes the orders' Parquet file, atomically; resolves to the number of rows written. Scale 1 is
 * 100,000 orders in the year before `now`; `inputs['customer-profiles']` is required.
 */
export async function generate(connection: DuckDBConnection, options: GenerateOptions): Promise<{ rows: number }> {
  const customers = options.inputs?.['customer-profiles'];
  if (!customers) throw new TypeError('commerce generate: expected options.inputs["customer-profiles"], the customers Parquet file');
  const rows = Math.max(1, Math.round(options.scale * ORDERS_PER_SCALE));
  const values = {
    rows: BigInt(rows),
    seed: BigInt(options.seed),
    width: Math.max(KEY_WIDTH, String(rows).length),
    now_us: BigInt(options.now.getTime()) * 1000n,
    customers,
  };
  return { rows: await copyAtomically(connection, ordersSql(), values, options.outFile) };
}
