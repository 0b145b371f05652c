/**
 * A dump of the orders table in the form `pg_dump` writes and `psql -f` loads: the table's DDL with
 * its key, then its rows (the final state, test orders long deleted) as one COPY ... FROM stdin. Load
 * it into a real PostgreSQL and set MESHGATE_INPUT_ORDERS_DB_URL, and the same `orders-db`
 * declaration (postgres-cdc) reads the database instead of the local change stream.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { copyBetween, pgTimestamp, quoteIdent } from '../runtime/sampleData.js';
import { stepAtSql } from './changeStream.js';

const COLUMNS = ['order_id', 'customer_id', 'order_ts', 'status', 'channel', 'item_count', 'total_amount', 'discount_amount', 'currency', 'ship_to_country', 'updated_at'];

/** The statements before the rows. */
function head(now: Date): string {
  return `-- The commerce domain's operational orders table (the sample mesh's "orders-db" input), as of ${now.toISOString()}.
-- Written by \`meshgate seed\`. Load it with:  psql -v ON_ERROR_STOP=1 -d DATABASE -f orders-db.sql
-- then build against it with MESHGATE_INPUT_ORDERS_DB_URL=postgres://USER@HOST:PORT/DATABASE meshgate build
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
BEGIN;
DROP TABLE IF EXISTS public.orders;
CREATE TABLE public.orders (
    order_id text PRIMARY KEY,
    customer_id text NOT NULL,
    order_ts timestamp with time zone NOT NULL,
    status text NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    channel text NOT NULL,
    item_count integer NOT NULL CHECK (item_count > 0),
    total_amount numeric(10,2) NOT NULL,
    discount_amount numeric(10,2),
    currency character varying(3) NOT NULL,
    -- NULL: the order ships to the customer's own country.
    ship_to_country character varying(2),
    updated_at timestamp with time zone NOT NULL
);
-- Logical replication then sends the whole row before an update or a delete, as the change stream has it.
ALTER TABLE public.orders REPLICA IDENTITY FULL;
COPY public.orders (${COLUMNS.join(', ')}) FROM stdin;
`;
}

const TAIL = '\\.\nCOMMIT;\n';

/** The rows, in key order, as COPY's text format wants them. */
function rowsSql(orders: string): string {
  return `SELECT order_id, customer_id, ${pgTimestamp('order_us')} AS order_ts, status, channel, item_count,
      CAST(total_amount AS DECIMAL(10, 2)) AS total_amount, CAST(discount_amount AS DECIMAL(10, 2)) AS discount_amount,
      currency, ship_to_country, ${pgTimestamp(stepAtSql('len(path)'))} AS updated_at
    FROM ${quoteIdent(orders)} WHERE deleted_us IS NULL ORDER BY i`;
}

/** Writes the dump of the orders table `orders` to `file`; resolves to its rows. */
export async function writeOrdersDump(connection: DuckDBConnection, orders: string, file: string, now: Date): Promise<number> {
  return copyBetween(connection, { head: head(now), select: rowsSql(orders), values: {}, format: 'pg-copy', tail: TAIL }, file);
}
