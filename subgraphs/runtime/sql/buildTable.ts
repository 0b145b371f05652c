/** Statements that load a product's Parquet into an indexed table (trusted configuration only). */
import type { Column } from './Condition.js';
import { duckType, PARAM_CASTS, quoteIdent, quoteLiteral } from './SqlQuery.js';

const fileList = (files: readonly string[]): string => `[${files.map(quoteLiteral).join(', ')}]`;

/** The columns and types the Parquet files actually have. */
export function buildDescribe(files: readonly string[]): string {
  return `DESCRIBE SELECT * FROM read_parquet(${fileList(files)})`;
}

/** How a product table stores its rows: string columns held as ENUM types, and the order rows are stored in. */
export interface TableLayout {
  /** String columns stored as an ENUM type made by {@link buildCreateEnum}: column name to type name. */
  readonly enums?: ReadonlyMap<string, string>;
  /** Columns the rows are stored in order of (ascending, nulls last); as read when absent. */
  readonly orderBy?: readonly { readonly column: Column; readonly descending?: boolean }[];
}

/** Copies exactly the contract's columns, cast to the contract's types (or the layout's ENUM types), into a new table. */
export function buildCreateTable(table: string, columns: readonly Column[], files: readonly string[], layout: TableLayout = {}): string {
  const type = (c: Column): string => {
    const e = layout.enums?.get(c.name);
    return e ? quoteIdent(e) : c.value ? duckType(c.value) : PARAM_CASTS[c.type];
  };
  const list = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${type(c)}) AS ${quoteIdent(c.name)}`).join(', ');
  const order = layout.orderBy?.length
    ? ` ORDER BY ${layout.orderBy.map((s) => `${quoteIdent(s.column.name)} ${s.descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`).join(', ')}`
    : '';
  return `CREATE TABLE ${quoteIdent(table)} AS SELECT ${list} FROM read_parquet(${fileList(files)})${order}`;
}

/** How many distinct values each column has (`d0`, `d1`, ... in the order given). */
export function buildDistinctCounts(columns: readonly Column[], files: readonly string[]): string {
  return `SELECT ${columns.map((c, i) => `count(DISTINCT ${quoteIdent(c.name)})::BIGINT AS d${i}`).join(', ')} FROM read_parquet(${fileList(files)})`;
}

/**
 * An ENUM type holding a string column's distinct values, in VARCHAR order, so that sorting and
 * grouping by the ENUM gives the order the VARCHAR would (values come from the data, never as text).
 */
export function buildCreateEnum(type: string, column: Column, files: readonly string[]): string {
  const c = quoteIdent(column.name);
  return `CREATE TYPE ${quoteIdent(type)} AS ENUM (SELECT DISTINCT CAST(${c} AS VARCHAR) FROM read_parquet(${fileList(files)}) WHERE ${c} IS NOT NULL ORDER BY 1)`;
}

/** Drops an ENUM type (after the table that uses it: DuckDB drops a type still in use). */
export function buildDropType(type: string): string {
  return `DROP TYPE IF EXISTS ${quoteIdent(type)}`;
}

/**
 * An index on a composite key's first column: DuckDB scans an index only for a filter on one
 * column, so a batch of composite look-ups first narrows the table by it (buildKeyLookup).
 */
export function buildCreateLeadIndex(table: string, first: Column): string {
  return `CREATE INDEX ${quoteIdent(`${table}_lead`)} ON ${quoteIdent(table)} (${quoteIdent(first.name)})`;
}

/** A unique index on the key column(s), for fast look-ups and batched `IN` queries; it fails on a key that repeats. */
export function buildCreateIndex(table: string, key: Column | readonly Column[]): string {
  const columns = Array.isArray(key) ? key : [key as Column];
  return `CREATE UNIQUE INDEX ${quoteIdent(`${table}_key`)} ON ${quoteIdent(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')})`;
}

/**
 * How many rows repeat another row's key (`repeated`), and one such key as text (`example`: the
 * value, or for a composite key its columns' values as a DuckDB row such as `(O-1, 2)`).
 */
export function buildRepeatedKeys(table: string, key: Column | readonly Column[]): string {
  const columns = Array.isArray(key) ? key : [key as Column];
  const k = columns.map((c) => quoteIdent(c.name)).join(', ');
  const distinct = columns.length === 1 ? `count(DISTINCT ${k})` : `(SELECT count(*) FROM (SELECT DISTINCT ${k} FROM ${quoteIdent(table)}))`;
  const example = columns.length === 1 ? `CAST(${k} AS VARCHAR)` : `CAST(row(${k}) AS VARCHAR)`;
  return `SELECT count(*) - ${distinct} AS repeated, (SELECT ${example} FROM ${quoteIdent(table)} GROUP BY ${k} HAVING count(*) > 1 ORDER BY 1 LIMIT 1) AS example FROM ${quoteIdent(table)}`;
}

/** Drops a superseded table. */
export function buildDropTable(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}
