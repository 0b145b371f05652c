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

/** An index on the key column, for fast look-ups and batched `IN` queries. */
export function buildCreateIndex(table: string, key: Column): string {
  return `CREATE INDEX ${quoteIdent(`${table}_key`)} ON ${quoteIdent(table)} (${quoteIdent(key.name)})`;
}

/** Drops a superseded table. */
export function buildDropTable(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}
