/**
 * The payments domain's sample generator, playing its payment service provider (PSP): the payment
 * attempts against the orders of the commerce domain's orders table, about one per order (about 2%
 * of orders are retried, a failed attempt then a second one, and the order after a retry goes
 * unpaid, so there are as many attempts as orders), plus a test payment for each test order. The
 * PSP reports them as settlement records, JSON lines in the `psp-settlements` landing folder, one
 * file per month: its own reference, the merchant's (the payment id), the order, the method and
 * card, the amount in minor units, the PSP's status words, when it processed it. The payments
 * transform (transforms/payments.sql) makes the product from them and the orders-enriched product.
 * Every value is a function of the row number, the seed and the column name, so the files are the
 * same, byte for byte, whatever the thread count.
 */
import path from 'node:path';
import { copyAtomically, createState, isoTimestamp, quoteIdent, type SampleGenerator, type SampleOptions } from '../runtime/sampleData.js';
import { paymentsSql } from './paymentsSql.js';

const KEY_WIDTH = 9;
/** The PSP's words for the payment statuses. */
const PSP_STATUS: Readonly<Record<string, string>> = { authorized: 'AUTHORISED', captured: 'SETTLED', refunded: 'REFUNDED', failed: 'REFUSED' };

/** The settlement records, each with its month (`month`), in the PSP's order: by month, then merchant reference. */
function settlementsSql(table: string): string {
  const status = `CASE status ${Object.entries(PSP_STATUS)
    .map(([s, psp]) => `WHEN '${s}' THEN '${psp}'`)
    .join(' ')} END`;
  return `SELECT psp_reference, payment_id AS merchant_reference, order_id, method, card_number, amount_cents, currency,
      ${status} AS status, ${isoTimestamp('paid_us')} AS processed_at, strftime(make_timestamp(paid_us), '%Y-%m') AS month
    FROM ${quoteIdent(table)} ORDER BY month, payment_id`;
}

/** One month's file. */
const monthSql = (settlements: string): string => `SELECT * EXCLUDE (month) FROM ${quoteIdent(settlements)} WHERE month = $month ORDER BY merchant_reference`;

/** The statements' bound values, given the orders there are. */
function values(options: SampleOptions, orders: number) {
  return { rows: BigInt(orders), seed: BigInt(options.seed), width: Math.max(KEY_WIDTH, String(orders).length) };
}

/** The PSP: `scale` is unused, payments follow the orders table of the commerce domain. */
export const generator: SampleGenerator = {
  sources: ['psp-settlements'],
  reads: ['commerce'],
  async state(connection, options) {
    const orders = options.upstream.commerce;
    if (!orders) throw new TypeError("payments sample: expected options.upstream.commerce, the commerce domain's orders table");
    const [row] = (await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(orders)} WHERE deleted_us IS NULL`)).getRows();
    return createState(connection, options.table, paymentsSql(orders), values(options, Number(row?.[0] ?? 0)));
  },
  async write(connection, options) {
    const dir = options.landing['psp-settlements']!;
    // Stored in month order, so each month's scan skips the others' row groups.
    const settlements = `${options.table}_settlements`;
    await createState(connection, settlements, settlementsSql(options.table), {});
    const months = (await connection.runAndReadAll(`SELECT DISTINCT month FROM ${quoteIdent(settlements)} ORDER BY month`)).getRows();
    const files: string[] = [];
    let records = 0;
    for (const [month] of months) {
      const file = path.join(dir, `settlements-${String(month)}.jsonl`);
      records += await copyAtomically(connection, monthSql(settlements), { month: String(month) }, file, 'jsonl');
      files.push(file);
    }
    await connection.run(`DROP TABLE ${quoteIdent(settlements)}`);
    return { files, records, summary: `${records.toLocaleString('en-US')} settlement records in ${files.length} monthly files` };
  },
};
