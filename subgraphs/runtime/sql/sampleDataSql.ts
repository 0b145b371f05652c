/**
 * The SQL the domains' sample-data generators (subgraphs/<domain>/generate.ts) share: deterministic
 * random values as expressions of the row number, the bound `$seed` and the column name (so a file
 * is the same byte for byte whatever DuckDB's thread count), timestamps as ISO-8601 text, and the
 * statements around a generator's own SELECTs (its state table, the raw files it writes).
 * Generators are trusted domain code; nothing here takes a caller's input.
 */
import { quoteIdent, quoteLiteral } from './SqlQuery.js';

/** The row's random UBIGINT for one column; the outer `hash` mixes DuckDB's weakly combined bits. */
export function draw(column: string, row = 'i'): string {
  return `hash(hash(${row}, $seed, ${quoteLiteral(column)}))`;
}

/** A uniform DOUBLE in [0, 1) for one column (53 random bits). */
export function unit(column: string, row = 'i'): string {
  return `(CAST(${draw(column, row)} >> 11 AS DOUBLE) / 9007199254740992.0)`;
}

/** One of `choices`, each as likely as its weight. */
export function weighted(column: string, choices: readonly (readonly [string, number])[], row = 'i'): string {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let upTo = 0;
  const arms = choices.map(([value, w]) => `WHEN ${draw(column, row)} % ${total} < ${(upTo += w)} THEN ${quoteLiteral(value)}`);
  return `CASE ${arms.join(' ')} END`;
}

/** An instant given in microseconds since the epoch (a BIGINT expression) as ISO-8601 UTC text with microseconds, as CDC tools and exports write it. */
export function isoTimestamp(micros: string): string {
  return `strftime(make_timestamp(${micros}), '%Y-%m-%dT%H:%M:%S.%fZ')`;
}

/** The same instant as PostgreSQL's text form of a `timestamptz` in UTC. */
export function pgTimestamp(micros: string): string {
  return `strftime(make_timestamp(${micros}), '%Y-%m-%d %H:%M:%S.%f+00')`;
}

/** The formats a generator writes raw sources in. */
export type SampleFileFormat = 'csv' | 'jsonl' | 'pg-copy';

/**
 * `pg-copy` is PostgreSQL's COPY text format (tab-separated, `\N` for NULL, no header); it holds
 * only values without tabs, newlines or backslashes, which is all a generator writes in it.
 */
const COPY_OPTIONS: Record<SampleFileFormat, string> = {
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
  'pg-copy': "FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '\"', NULLSTR '\\N'",
};

/** Writes the rows of a generator's `select` to `file`; its one result row holds the rows written. */
export function buildCopyTo(select: string, file: string, format: SampleFileFormat): string {
  return `COPY (${select}) TO ${quoteLiteral(file)} (${COPY_OPTIONS[format]})`;
}

/** Creates a generator's state table (temporary: it lives as long as the seed's connection) from its `select`. */
export function buildCreateSampleTable(table: string, select: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS ${select}`;
}
