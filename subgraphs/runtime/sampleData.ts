/**
 * What domain teams' sample-data generators (subgraphs/<domain>/generate.ts) share: the random-value
 * expressions and the quoting of sql/ (re-exported, so a generator has one import), an input's row
 * count and an atomic Parquet write. Generators are trusted domain code; nothing here takes a caller's input.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildCopyToParquet, buildParquetRowCount } from './sql/index.js';

export { draw, quoteLiteral, unit, weighted } from './sql/index.js';

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

/** Writes `select` to `outFile` as Parquet through a temporary file renamed into place, so a reader never sees half a file; resolves to the rows written. */
export async function copyAtomically(connection: DuckDBConnection, select: string, values: Record<string, bigint | number | string>, outFile: string): Promise<number> {
  await mkdir(path.dirname(outFile), { recursive: true });
  const temp = `${outFile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const reader = await connection.runAndReadAll(buildCopyToParquet(select, temp), values);
    await rename(temp, outFile);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The number of rows in a Parquet input, for a generator that sizes its output by it. */
export async function parquetRowCount(connection: DuckDBConnection, file: string): Promise<number> {
  const count = buildParquetRowCount(file);
  const reader = await connection.runAndReadAll(count.text, count.values as never);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
