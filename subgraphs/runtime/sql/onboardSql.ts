/**
 * The SQL `meshgate init` reads a domain's Parquet file with, to scaffold its contract: the column
 * types, each column's counts (for nullability and a unique key) and a small sample of values (for
 * the classification guesses). The file path is the operator's own, given on the command line.
 */
import { quoteIdent, quoteLiteral } from './SqlQuery.js';

const source = (file: string): string => `read_parquet(${quoteLiteral(file)})`;

/** The file's columns and their DuckDB types (`column_name`, `column_type`). */
export function buildDescribeParquet(file: string): string {
  return `DESCRIBE SELECT * FROM ${source(file)}`;
}

/** One column's counts: `total` rows, `present` (not null) and `distinct` values. */
export function buildColumnCounts(file: string, column: string): string {
  const c = quoteIdent(column);
  return `SELECT count(*) AS total, count(${c}) AS present, count(DISTINCT ${c}) AS "distinct" FROM ${source(file)}`;
}

/**
 * Up to `limit` non-null values of one column as text (`value`), spread over the file rather than
 * its first rows (DuckDB takes only a constant sample size, so `limit` is written as an integer).
 */
export function buildColumnSample(file: string, column: string, limit: number): string {
  if (!Number.isInteger(limit) || limit <= 0) throw new TypeError('a sample size is a positive integer');
  const c = quoteIdent(column);
  return `SELECT CAST(${c} AS VARCHAR) AS value FROM ${source(file)} WHERE ${c} IS NOT NULL USING SAMPLE reservoir(${limit} ROWS) REPEATABLE (42)`;
}

/** The same sample of a list column's elements (a list's classification applies to each element). */
export function buildListElementSample(file: string, column: string, limit: number): string {
  if (!Number.isInteger(limit) || limit <= 0) throw new TypeError('a sample size is a positive integer');
  return `SELECT CAST(element AS VARCHAR) AS value FROM (SELECT unnest(${quoteIdent(column)}) AS element FROM ${source(file)}) WHERE element IS NOT NULL USING SAMPLE reservoir(${limit} ROWS) REPEATABLE (42)`;
}
