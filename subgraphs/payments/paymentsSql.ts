/** The PSP's payment attempts as a SELECT over the commerce domain's orders table: what was paid, how, and when. */
import { draw, quoteIdent, unit, weighted } from '../runtime/sampleData.js';

const RETRY_RATE = 0.02;
const MINUTE_US = 60_000_000;
/** The card number PSPs keep for tests. */
const TEST_CARD = '4111111111111111';

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

/** The PSP's reference of a payment: its own 16 hex digits. */
const pspReference = (row: string): string => `'PSP' || printf('%016X', ${draw('psp_reference', row)})`;

/** The SELECT producing every payment attempt, in key order, then the test payments; `$rows` is the number of orders. */
export function paymentsSql(orders: string): string {
  const delay = `CASE WHEN is_retry THEN ${25 * MINUTE_US} + floor(${unit('paid_at')} * ${30 * MINUTE_US})
    ELSE ${MINUTE_US / 2} + floor(${unit('paid_at')} * ${20 * MINUTE_US}) END`;
  return `
    WITH orders AS (
      SELECT i AS idx, order_id, customer_id, order_us, status AS order_status, total_amount, discount_amount, currency
      FROM ${quoteIdent(orders)} WHERE deleted_us IS NULL
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
    SELECT i,
      CAST('P' || lpad(CAST(i + 1 AS VARCHAR), CAST($width AS INTEGER), '0') AS VARCHAR) AS payment_id,
      ${pspReference('i')} AS psp_reference,
      order_id, method, ${withLuhnSql('card_payload')} AS card_number,
      CAST(paid AS DOUBLE) AS amount, CAST(round(paid * 100) AS BIGINT) AS amount_cents, currency,
      ${statusSql()} AS status, order_us + CAST(${delay} AS BIGINT) AS paid_us
    FROM numbered
    UNION ALL
    SELECT NULL, 'P' || order_id, 'PSP' || printf('%016X', hash(hash(order_id, $seed, 'psp_reference'))), order_id, 'card', '${TEST_CARD}',
      total_amount, CAST(round(total_amount * 100) AS BIGINT), currency, 'authorized', order_us + ${MINUTE_US}
    FROM ${quoteIdent(orders)} WHERE deleted_us IS NOT NULL
    ORDER BY i NULLS LAST, payment_id`;
}
