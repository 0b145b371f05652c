/**
 * The orders table's change stream, as a CDC tool (Debezium's PostgreSQL connector) emits it: one
 * JSON object per line, `{before, after, source, op, lsn, ts_ms}`. It begins with a snapshot (`op`
 * "r") of the orders placed before the stream's horizon (30 days before `now`), in their final
 * state; every order placed since is created ("c") with its first status and updated ("u", with the
 * row before and after) through its lifecycle to its final status; test orders are created and then
 * deleted ("d", with the row before and none after), so a correct mirror drops them. Log positions
 * (`lsn`) and times (`ts_ms`) increase along the stream. Rows carry timestamps as ISO-8601 text and
 * numbers as JSON numbers. Files: `orders-0000-snapshot.jsonl`, then one per UTC day of changes.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { copyAtomically, createState, isoTimestamp, quoteIdent, type SampleValues } from '../runtime/sampleData.js';

/** The stream starts with a snapshot this long before `now`. */
export const CHANGE_HORIZON_US = 30n * 86_400_000_000n;
/** Where the stream's log positions start (a PostgreSQL WAL position is bytes; 64 per record is plausible enough). */
const LSN_BASE = 24_000_000;
const LSN_STEP = 64;

/**
 * When an order reached the k-th status of its lifecycle (`path`): its steps spread over part
 * (`pace`) of the time from its placing to its horizon (the snapshot for an order placed before
 * it, else `now`), so each change comes after the one before, and before `now`.
 */
export function stepAtSql(k: string): string {
  return `order_us + CAST(floor((horizon_us - order_us) * pace * (${k} - 1) / len(path)) AS BIGINT)`;
}

/** A row of the orders table as JSON, with the status of step `k` and its time. */
function rowJson(status: string, atUs: string): string {
  return `json_object('order_id', order_id, 'customer_id', customer_id, 'order_ts', ${isoTimestamp('order_us')}, 'status', ${status},
    'channel', channel, 'item_count', item_count, 'total_amount', total_amount, 'discount_amount', discount_amount,
    'currency', currency, 'ship_to_country', ship_to_country, 'updated_at', ${isoTimestamp(atUs)})`;
}

const SNAPSHOT = `order_us < CAST($snapshot_us AS BIGINT)`;
const SOURCE = (snapshot: string) => `json_object('connector', 'postgresql', 'db', 'shop', 'schema', 'public', 'table', 'orders', 'snapshot', ${snapshot}) AS source`;

/** The snapshot's records: each order placed before the horizon, once, as it is by then, in key order. */
function snapshotSql(orders: string): string {
  return `SELECT NULL::JSON AS before, ${rowJson('path[len(path)]', stepAtSql('len(path)'))} AS after, ${SOURCE('true')}, 'r' AS op,
      ${LSN_BASE} + ${LSN_STEP} * (i + 1) AS lsn, CAST($snapshot_us AS BIGINT) // 1000 AS ts_ms
    FROM ${quoteIdent(orders)} WHERE deleted_us IS NULL AND ${SNAPSHOT} ORDER BY i`;
}

/**
 * The records after the snapshot, each with its UTC day (`day`), in stream order: every step of
 * each order placed since, and the test orders' creations and deletions. Their log positions
 * follow every snapshot record's (`$rows`, the number of orders, bounds those).
 */
function streamSql(orders: string): string {
  return `
    WITH steps AS (
      SELECT *, path[k] AS step_status, ${stepAtSql('k')} AS at_us
      FROM (SELECT *, unnest(generate_series(1, len(path))) AS k FROM ${quoteIdent(orders)} WHERE deleted_us IS NULL AND NOT ${SNAPSHOT})
    ),
    lived AS (
      SELECT order_id, k, CASE WHEN k = 1 THEN 'c' ELSE 'u' END AS op, at_us AS ts_us,
        lag(${rowJson('step_status', 'at_us')}) OVER (PARTITION BY order_id ORDER BY k) AS before, ${rowJson('step_status', 'at_us')} AS after
      FROM steps
    ),
    tested AS (
      SELECT order_id, 1 AS k, 'c' AS op, order_us AS ts_us, NULL::JSON AS before, ${rowJson("'placed'", 'order_us')} AS after
      FROM ${quoteIdent(orders)} WHERE deleted_us IS NOT NULL
      UNION ALL
      SELECT order_id, 2, 'd', deleted_us, ${rowJson("'placed'", 'order_us')}, NULL::JSON
      FROM ${quoteIdent(orders)} WHERE deleted_us IS NOT NULL
    ),
    changes AS (SELECT * FROM lived UNION ALL SELECT * FROM tested)
    SELECT before, after, ${SOURCE('false')}, op, ${LSN_BASE} + ${LSN_STEP} * (CAST($rows AS BIGINT) + row_number() OVER (ORDER BY ts_us, order_id, k)) AS lsn,
      ts_us // 1000 AS ts_ms, strftime(make_timestamp(ts_us), '%Y-%m-%d') AS day
    FROM changes ORDER BY lsn`;
}

/** One day's records, in stream order, in the record shape. */
function daySql(stream: string): string {
  return `SELECT * EXCLUDE (day) FROM ${quoteIdent(stream)} WHERE day = $day ORDER BY lsn`;
}

/** Writes the stream of the orders table `orders` into `dir`; resolves to the files and records written. */
export async function writeChangeStream(connection: DuckDBConnection, orders: string, dir: string, values: SampleValues): Promise<{ files: string[]; records: number }> {
  const files = [path.join(dir, 'orders-0000-snapshot.jsonl')];
  let records = await copyAtomically(connection, snapshotSql(orders), { snapshot_us: values.snapshot_us! }, files[0]!, 'jsonl');
  // Stored in stream order, so each day's scan skips the others' row groups.
  const stream = `${orders}_stream`;
  await createState(connection, stream, streamSql(orders), values);
  const days = (await connection.runAndReadAll(`SELECT DISTINCT day FROM ${quoteIdent(stream)} ORDER BY day`)).getRows();
  for (const [day] of days) {
    const file = path.join(dir, `orders-${String(day)}.jsonl`);
    records += await copyAtomically(connection, daySql(stream), { day: String(day) }, file, 'jsonl');
    files.push(file);
  }
  await connection.run(`DROP TABLE ${quoteIdent(stream)}`);
  return { files, records };
}
