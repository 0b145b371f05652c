/**
 * The catalog's statements over the `access-log` product's served table: usage per product over a
 * window, and who and what read a product most. An entry names the products it read as
 * comma-separated text (schema/accessLog), split here; an answered request is one decided `allow`
 * or `mask` that ended with data (`ok` or `partial`), a refused one `deny`.
 */
import { maskExpression, type MaskSpec } from './masks.js';
import { Params, quoteIdent, type SqlQuery } from './SqlQuery.js';

/** An entry of a request that was answered with data. */
const ANSWERED = `"decision" IN ('allow', 'mask') AND "status" IN ('ok', 'partial')`;

/** The entries of the window, one row per product each names (`product`, then the entry's columns). */
function perProduct(table: string, products: readonly string[], since: string, p: Params): string {
  const list = products.map((n) => p.add(n, 'string')).join(', ');
  return `(SELECT * FROM (SELECT unnest(string_split("products", ',')) AS product, * FROM ${quoteIdent(table)} WHERE "time" >= ${p.add(since, 'timestamp')}) WHERE product IN (${list}))`;
}

/**
 * Per product: answered requests (`q7`, `q30`), refused ones (`r7`, `r30`) and distinct subjects
 * answered (`c7`, `c30`) since `since7` and `since30` (ISO times), in one pass over 30 days.
 */
export function buildUsage(table: string, products: readonly string[], since7: string, since30: string): SqlQuery {
  const p = new Params();
  const window = perProduct(table, products, since30, p);
  const recent = `"time" >= ${p.add(since7, 'timestamp')}`;
  const answered = ANSWERED;
  const text = `SELECT product,
  count(*) FILTER (WHERE ${answered} AND ${recent})::BIGINT AS q7, count(*) FILTER (WHERE ${answered})::BIGINT AS q30,
  count(*) FILTER (WHERE "decision" = 'deny' AND ${recent})::BIGINT AS r7, count(*) FILTER (WHERE "decision" = 'deny')::BIGINT AS r30,
  count(DISTINCT "subject") FILTER (WHERE ${answered} AND ${recent})::BIGINT AS c7, count(DISTINCT "subject") FILTER (WHERE ${answered})::BIGINT AS c30
FROM ${window} GROUP BY product`;
  return { text, values: p.values };
}

/** Which of `column`'s values (`subject`, `operation_name` or `client_name`) read `product` most since `since`, at most `limit`; the subject read through `mask` when the caller's grant masks it. */
export function buildTopReaders(table: string, product: string, since: string, column: 'subject' | 'operation_name' | 'client_name', limit: number, mask?: MaskSpec): SqlQuery {
  const p = new Params();
  const window = perProduct(table, [product], since, p);
  const value = mask ? maskExpression({ name: column, type: 'string' }, mask, p) : quoteIdent(column);
  const text = `SELECT ${value} AS "name", count(*)::BIGINT AS "count" FROM ${window} WHERE ${ANSWERED} AND ${quoteIdent(column)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`;
  return { text, values: p.values };
}

/** The applications (by client name) that read each of `products` since `since`, with how often: the lineage's consumers. */
export function buildConsumers(table: string, products: readonly string[], since: string): SqlQuery {
  const p = new Params();
  const window = perProduct(table, products, since, p);
  return {
    text: `SELECT product, "client_name" AS "name", count(*)::BIGINT AS "count" FROM ${window} WHERE ${ANSWERED} AND "client_name" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC`,
    values: p.values,
  };
}
