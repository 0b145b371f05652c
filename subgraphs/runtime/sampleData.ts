/**
 * What the domains' sample generators (subgraphs/<domain>/generate.ts) share. A generator plays a
 * domain's operational systems: it first makes the domain's operational state as a table of the
 * seed's DuckDB connection (which the generators of later domains read, as an order references a
 * customer), then writes the raw sources the domain's descriptor declares as its inputs (landing
 * files, a change stream, a database dump), never the product: the domain's transform builds that.
 * Here are the random-value expressions and quoting of sql/ (re-exported, so a generator has one
 * import) and atomic file writes. Generators are trusted domain code; nothing here takes a caller's input.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildCopyTo, buildCreateSampleTable, buildRowCount, type SampleFileFormat } from './sql/index.js';

export { draw, isoTimestamp, pgTimestamp, quoteIdent, quoteLiteral, unit, weighted } from './sql/index.js';

/** Bound values of a generator's statements (`$name`). */
export type SampleValues = Record<string, bigint | number | string>;

/** What every step of a generator is given; each generator says what `scale` and `now` mean for it. */
export interface SampleOptions {
  /** How much data: 1 is the sample mesh's default size; any positive number, at least one row. */
  readonly scale: number;
  readonly seed: number;
  /** Generated times fall before this instant; it is also when the raw sources are exported. */
  readonly now: Date;
  /** The connection's table holding this domain's operational state. */
  readonly table: string;
  /** The state tables of the domains this one reads, by domain. */
  readonly upstream: Readonly<Record<string, string>>;
}

/** What a generator's write step is given besides {@link SampleOptions}. */
export interface WriteOptions extends SampleOptions {
  /** The landing folder of each raw source it writes, by the source's name in the descriptor (empty folders). */
  readonly landing: Readonly<Record<string, string>>;
}

/** What a generator wrote. */
export interface Written {
  readonly files: readonly string[];
  /** The records written (rows, change records, settlements), all files together. */
  readonly records: number;
  /** What was written, in a few words, for the seed's progress line. */
  readonly summary: string;
}

/** A domain's sample generator: its operational state, then the raw sources written from it. */
export interface SampleGenerator {
  /** The descriptor inputs it writes, by source name (each gets its landing folder). */
  readonly sources: readonly string[];
  /** The domains whose state it reads: their generators run first. */
  readonly reads: readonly string[];
  /** Creates `options.table`, the domain's operational state as of `now`; resolves to its rows. Writes no file. */
  state(connection: DuckDBConnection, options: SampleOptions): Promise<number>;
  /** Writes the raw sources from the state table into their landing folders. */
  write(connection: DuckDBConnection, options: WriteOptions): Promise<Written>;
}

/** Creates a generator's state table from `select`; resolves to its rows. */
export async function createState(connection: DuckDBConnection, table: string, select: string, values: SampleValues): Promise<number> {
  await connection.run(buildCreateSampleTable(table, select), values);
  return tableRows(connection, table);
}

/** The rows of a state table (a generator sizes its output by an upstream domain's). */
export async function tableRows(connection: DuckDBConnection, table: string): Promise<number> {
  const reader = await connection.runAndReadAll(buildRowCount(table));
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** A temporary name beside `file`, which a reader never takes for a finished file. */
const tempBeside = (file: string): string => path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/** Writes `select` to `outFile` through a temporary file renamed into place, so a reader never sees half a file; resolves to the rows written. */
export async function copyAtomically(connection: DuckDBConnection, select: string, values: SampleValues, outFile: string, format: SampleFileFormat): Promise<number> {
  await mkdir(path.dirname(outFile), { recursive: true });
  const temp = tempBeside(outFile);
  try {
    const reader = await connection.runAndReadAll(buildCopyTo(select, temp, format), values);
    await rename(temp, outFile);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes `head`, the rows of `select` in `format`, then `tail`, to `outFile`, atomically (a dump: its statements around its data); resolves to the rows written. */
export async function copyBetween(
  connection: DuckDBConnection,
  parts: { readonly head: string; readonly select: string; readonly values: SampleValues; readonly format: SampleFileFormat; readonly tail: string },
  outFile: string,
): Promise<number> {
  await mkdir(path.dirname(outFile), { recursive: true });
  const [body, temp] = [tempBeside(`${outFile}.body`), tempBeside(outFile)];
  try {
    const reader = await connection.runAndReadAll(buildCopyTo(parts.select, body, parts.format), parts.values);
    await writeFile(temp, parts.head);
    await pipeline(createReadStream(body), createWriteStream(temp, { flags: 'a' }));
    await appendFile(temp, parts.tail);
    await rename(temp, outFile);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  } finally {
    await rm(body, { force: true });
    await rm(temp, { force: true });
  }
}
