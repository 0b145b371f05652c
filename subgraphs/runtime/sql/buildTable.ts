/** Statements that load a product's Parquet into an indexed table (trusted configuration only). */
import type { Column } from './Condition.js';
import { PARAM_CASTS, quoteIdent, quoteLiteral } from './SqlQuery.js';

const fileList = (files: readonly string[]): string => `[${files.map(quoteLiteral).join(', ')}]`;

/** The columns and types the Parquet files actually have. */
export function buildDescribe(files: readonly string[]): string {
  return `DESCRIBE SELECT * FROM read_parquet(${fileList(files)})`;
}

/** Copies exactly the contract's columns, cast to the contract's types, into a new table. */
export function buildCreateTable(table: string, columns: readonly Column[], files: readonly string[]): string {
  const list = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${PARAM_CASTS[c.type]}) AS ${quoteIdent(c.name)}`).join(', ');
  return `CREATE TABLE ${quoteIdent(table)} AS SELECT ${list} FROM read_parquet(${fileList(files)})`;
}

/** A unique index on the key column, for fast look-ups and batched `IN` queries; it fails on a key that repeats. */
export function buildCreateIndex(table: string, key: Column): string {
  return `CREATE UNIQUE INDEX ${quoteIdent(`${table}_key`)} ON ${quoteIdent(table)} (${quoteIdent(key.name)})`;
}

/** How many rows repeat another row's key (`repeated`), and one such key as text (`example`). */
export function buildRepeatedKeys(table: string, key: Column): string {
  const k = quoteIdent(key.name);
  return `SELECT count(*) - count(DISTINCT ${k}) AS repeated, (SELECT CAST(${k} AS VARCHAR) FROM ${quoteIdent(table)} GROUP BY ${k} HAVING count(*) > 1 ORDER BY 1 LIMIT 1) AS example FROM ${quoteIdent(table)}`;
}

/** Drops a superseded table. */
export function buildDropTable(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}
