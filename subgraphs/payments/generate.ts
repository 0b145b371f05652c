/**
 * The payments domain's sample-data generator: writes `payments` (contract
 * schemas/payments-v1.odcs.yaml) as one Parquet file from one DuckDB statement, settling the orders of
 * the `orders-enriched` file it is given: about one payment per order; about 2% of orders are
 * retried (a failed attempt, then a second one) and the order after a retry goes unpaid, so there are
 * exactly as many payments as orders. Every value is a function of the row number, the seed and the
 * column name, so the file is the same, byte for byte, whatever the thread count.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type GenerateOptions, copyAtomically, draw, parquetRowCount, unit, weighted } from '../runtime/sampleData.js';

const KEY_WIDTH = 9;
const RETRY_RATE = 0.02;
const MINUTE_US = 60_000_000;

/**
 * The first 15 digits of a card number, as a BIGINT: Visa (4…) or Mastercard (51…55…). Cards belong
 * to customers (two each), so a customer's payments reuse the same cards.
 */
function cardPayloadSql(key: string): string {
  // BIGINT throughout: UBIGINT mixed with BIGINT constants widens to HUGEINT, which is several times slower.
  const low = (digits: number) => `CAST((${key} >> 8) % ${10 ** digits} AS BIGINT)`;
  return `CASE WHEN ${key} % 10 < 6 THEN 400000000000000 + ${low(14)}
    ELSE (51 + CAST((${key} >> 4) % 5 AS BIGINT)) * 10000000000000 + ${low(13)} END`;
}

/** The 16-digit number: the payload and its Luhn check digit (the payload's last digit is doubled, and every second one leftwards). */
function withLuhnSql(payload: string): string {
  const terms = Array.from({ length: 15 }, (_, k) => {
    const digit = `(${payload} // ${10 ** k}) % 10`;
    return k % 2 === 0 ? `[0, 2, 4, 6, 8, 1, 3, 5, 7, 9][1 + ${digit}]` : digit;
  });
  return `CAST(${payload} * 10 + (10 - (${terms.join(' + ')}) % 10) % 10 AS VARCHAR)`;
}

/** The payment status, consistent with the order's and with a retry that follows. */
function statusSql(): string {
  return `CASE
    WHEN next_is_retry AND NOT is_retry THEN 'failed'
    WHEN order_status = 'returned' THEN 'refunded'
    WHEN order_status = 'cancelled' THEN ${weighted('status', [
      ['refunded', 60],
      ['failed', 40],
    ])}
    WHEN order_status = 'placed' THEN ${weighted('status', [
      ['authorized', 90],
      ['failed', 10],
    ])}
    ELSE ${weighted('status', [
      ['captured', 96],
      ['authorized', 2],
      ['failed', 2],
    ])} END`;
}

/** The SELECT producing every payment row, in key order. */
function paymentsSql(): string {
  const delay = `CASE WHEN is_retry THEN ${25 * MINUTE_US} + floor(${unit('paid_at')} * ${30 * MINUTE_US})
    ELSE ${MINUTE_US / 2} + floor(${unit('paid_at')} * ${20 * MINUTE_US}) END`;
  return `
    WITH orders AS (
      -- The file is in key order (ours are), so its row number is the order's rank, without a sort.
      SELECT CAST(file_row_number AS BIGINT) AS idx, order_id, customer_id, order_ts, status AS order_status,
        total_amount, discount_amount, currency
      FROM read_parquet($orders, file_row_number = true)
    ),
    attempts AS (
      SELECT i,
        i > 0 AND ${unit('retry')} < ${RETRY_RATE} AS is_retry,
        i + 1 < CAST($rows AS BIGINT) AND ${unit('retry', 'i + 1')} < ${RETRY_RATE} AS next_is_retry
      FROM (SELECT idx AS i FROM orders)
    ),
    settled AS (
      SELECT a.*, o.* EXCLUDE (idx), ${weighted('method', [
        ['card', 55],
        ['paypal', 20],
        ['wallet', 15],
        ['bank_transfer', 10],
      ])} AS method,
        round(o.total_amount - coalesce(o.discount_amount, 0), 2) AS paid
      FROM attempts a JOIN orders o ON o.idx = a.i - CAST(a.is_retry AS BIGINT)
    ),
    carded AS (
      SELECT *, CASE WHEN method = 'card' THEN hash(hash(customer_id, $seed, 'card', ${draw('card_slot')} % 2)) END AS card_key
      FROM settled
    ),
    numbered AS (
      SELECT *, ${cardPayloadSql('card_key')} AS card_payload FROM carded
    )
    SELECT
      CAST('P' || lpad(CAST(i + 1 AS VARCHAR), CAST($width AS INTEGER), '0') AS VARCHAR) AS payment_id,
      CAST(order_id AS VARCHAR) AS order_id,
      CAST(method AS VARCHAR) AS method,
      ${withLuhnSql('card_payload')} AS card_number,
      CAST(paid AS DOUBLE) AS amount,
      CAST(round(paid * 100) AS BIGINT) AS amount_cents,
      CAST(currency AS VARCHAR) AS currency,
      CAST(${statusSql()} AS VARCHAR) AS status,
      CAST(make_timestamp(epoch_us(order_ts) + CAST(${delay} AS BIGINT)) AS TIMESTAMP) AS paid_at
    FROM numbered
    -- Keys have one width, so row order is key order; sorting integers is cheaper than sorting keys.
    ORDER BY i`;
}

/**
 * Writes the payments' Parquet file, atomically; resolves to the number of rows written. `scale`
 * is unused: payments follow the orders file, about one per order; `inputs['orders-enriched']` is
 * required.
 */
export async function generate(connection: DuckDBConnection, options: GenerateOptions): Promise<{ rows: number }> {
  const orders = options.inputs?.['orders-enriched'];
  if (!orders) throw new TypeError('payments generate: expected options.inputs["orders-enriched"], the orders Parquet file');
  const rows = await parquetRowCount(connection, orders);
  const values = { rows: BigInt(rows), seed: BigInt(options.seed), width: Math.max(KEY_WIDTH, String(rows).length), orders };
  return { rows: await copyAtomically(connection, paymentsSql(), values, options.outFile) };
}
