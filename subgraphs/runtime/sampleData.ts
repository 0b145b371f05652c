/**
 * What domain teams' sample-data generators share (subgraphs/<domain>/generate.ts): deterministic
 * random values as SQL expressions of the row number, the seed and the column name (the same file
 * byte for byte whatever DuckDB's thread count), and an atomic Parquet write. Generators are
 * trusted domain code; nothing here takes a caller's input.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

/** What a domain's sample-data generator is given; each generator says what `scale`, `now` and `inputs` mean for it. */
export interface GenerateOptions {
  /** How much data: 1 is the sample mesh's default size; any positive number, at least one row. */
  readonly scale: number;
  readonly seed: number;
  readonly outFile: string;
  /** Generated times fall before this instant. */
  readonly now: Date;
  /** Files of the input products, by product name. */
  readonly inputs?: Readonly<Record<string, string>>;
}

/** A domain's sample-data generator (`subgraphs/<domain>/generate.ts`); resolves to the rows written. */
export type Generate = (connection: DuckDBConnection, options: GenerateOptions) => Promise<{ rows: number }>;

/** An SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The row's random UBIGINT for one column; the outer `hash` mixes DuckDB's weakly combined bits. */
export function draw(column: string, row = 'i'): string {
  return `hash(hash(${row}, $seed, ${literal(column)}))`;
}

/** A uniform DOUBLE in [0, 1) for one column (53 random bits). */
export function unit(column: string, row = 'i'): string {
  return `(CAST(${draw(column, row)} >> 11 AS DOUBLE) / 9007199254740992.0)`;
}

/** One of `choices`, each as likely as its weight. */
export function weighted(column: string, choices: readonly (readonly [string, number])[]): string {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let upTo = 0;
  const arms = choices.map(([value, w]) => `WHEN ${draw(column)} % ${total} < ${(upTo += w)} THEN ${literal(value)}`);
  return `CASE ${arms.join(' ')} END`;
}

/** Writes `select` to `outFile` as Parquet through a temporary file renamed into place, so a reader never sees half a file; resolves to the rows written. */
export async function copyAtomically(connection: DuckDBConnection, select: string, values: Record<string, bigint | number | string>, outFile: string): Promise<number> {
  await mkdir(path.dirname(outFile), { recursive: true });
  const temp = `${outFile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const reader = await connection.runAndReadAll(`COPY (${select}) TO ${literal(temp)} (FORMAT parquet, COMPRESSION zstd)`, values);
    await rename(temp, outFile);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
