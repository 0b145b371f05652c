/**
 * The SQL the domains' sample-data generators (subgraphs/<domain>/generate.ts) share: deterministic
 * random values as expressions of the row number, the bound `$seed` and the column name (so a file
 * is the same byte for byte whatever DuckDB's thread count), and the statements around a
 * generator's own SELECT. Generators are trusted domain code; nothing here takes a caller's input.
 */
import { Params, quoteLiteral, type SqlQuery } from './SqlQuery.js';

/** The row's random UBIGINT for one column; the outer `hash` mixes DuckDB's weakly combined bits. */
export function draw(column: string, row = 'i'): string {
  return `hash(hash(${row}, $seed, ${quoteLiteral(column)}))`;
}

/** A uniform DOUBLE in [0, 1) for one column (53 random bits). */
export function unit(column: string, row = 'i'): string {
  return `(CAST(${draw(column, row)} >> 11 AS DOUBLE) / 9007199254740992.0)`;
}

/** One of `choices`, each as likely as its weight. */
export function weighted(column: string, choices: readonly (readonly [string, number])[]): string {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let upTo = 0;
  const arms = choices.map(([value, w]) => `WHEN ${draw(column)} % ${total} < ${(upTo += w)} THEN ${quoteLiteral(value)}`);
  return `CASE ${arms.join(' ')} END`;
}

/** Writes the rows of a generator's `select` to `file` as zstd-compressed Parquet; its one result row holds the rows written. */
export function buildCopyToParquet(select: string, file: string): string {
  return `COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`;
}

/** The number of rows in a Parquet input (the file bound as a parameter), for a generator that sizes its output by it. */
export function buildParquetRowCount(file: string): SqlQuery {
  const p = new Params();
  return { text: `SELECT count(*) FROM read_parquet(${p.add(file)})`, values: p.values };
}
