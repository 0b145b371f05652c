/**
 * The platform's statements of a build (subgraphs/runtime/build): loading each input port into a
 * table of the build's own DuckDB, checking a transform's parse tree, writing a version's Parquet.
 * Paths are trusted configuration (quoted as literals), identifiers come from declarations and
 * contracts through quoteIdent, and a caller's values (row-filter values, the hash key) are bound.
 * A transform's own text is the domain's code: it is spliced only after its parse tree showed one
 * SELECT over declared inputs, into a session that can read nothing else.
 */
import { compileCondition, type Condition } from './Condition.js';
import { selectedExpression } from './masks.js';
import type { Selected } from './buildSelect.js';
import { duckType, PARAM_CASTS, Params, quoteIdent, quoteLiteral, type SqlQuery } from './SqlQuery.js';
import type { LogicalType } from '../../../schema/index.js';
import type { Column } from './Condition.js';

const fileList = (files: readonly string[]): string => `[${files.map(quoteLiteral).join(', ')}]`;

/** The landing-file formats a files input reads. */
export type LandingFormat = 'csv' | 'jsonl' | 'parquet';

const READERS: Record<LandingFormat, (files: string) => string> = {
  csv: (files) => `read_csv(${files}, header = true, union_by_name = true)`,
  jsonl: (files) => `read_json(${files}, format = 'newline_delimited', union_by_name = true)`,
  parquet: (files) => `read_parquet(${files}, union_by_name = true)`,
};

/** Loads landing files into `table`, with the columns and types the files have. */
export function buildLoadFiles(table: string, files: readonly string[], format: LandingFormat): string {
  return `CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM ${READERS[format](fileList(files))}`;
}

/** The DuckDB types an operational input's columns load as (a connector maps its source's types onto these). */
export type InputColumnType =
  'BOOLEAN' | 'SMALLINT' | 'INTEGER' | 'BIGINT' | 'FLOAT' | 'DOUBLE' | `DECIMAL(${number},${number})` | 'VARCHAR' | 'JSON' | 'UUID' | 'DATE' | 'TIME' | 'TIMESTAMP' | 'TIMESTAMPTZ';

/** One column of an operational input's table. */
export interface InputColumn {
  readonly name: string;
  readonly type: InputColumnType;
}

const DECIMAL_TYPE = /^DECIMAL\(\d{1,2},\d{1,2}\)$/;

/** A column type, checked: the template type admits any number, the text must still be a DECIMAL DuckDB reads. */
function columnType(type: InputColumnType): string {
  if (type.startsWith('DECIMAL') && !DECIMAL_TYPE.test(type)) throw new TypeError(`not a column type: ${type}`);
  return type;
}

/** Creates an operational input's table with its source's columns, empty (so a query with no rows still has its columns). */
export function buildCreateInputTable(table: string, columns: readonly InputColumn[]): string {
  return `CREATE TABLE ${quoteIdent(table)} (${columns.map((c) => `${quoteIdent(c.name)} ${columnType(c.type)}`).join(', ')})`;
}

/** DuckDB's reading buffer for a CSV batch: its default line limit, raised for a batch with a longer row (a large text value still loads). */
const csvBuffer = (longestLine: number): number => Math.max(8 << 20, Math.ceil(longestLine) + 2);

/**
 * Appends a batch of rows written as CSV (every value quoted, `""` for a quote, a NULL as an
 * unquoted empty field) to an input's table; DuckDB parses each value's text as its column's type.
 * `longestLine` is the batch's longest row in bytes.
 */
export function buildInsertCsv(table: string, file: string, columns: readonly InputColumn[], longestLine: number): string {
  const types = `{${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(columnType(c.type))}`).join(', ')}}`;
  const buffer = csvBuffer(longestLine);
  return (
    `INSERT INTO ${quoteIdent(table)} SELECT * FROM read_csv(${quoteLiteral(file)}, header = false, auto_detect = false, columns = ${types}, ` +
    `delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, max_line_size = ${buffer}, buffer_size = ${buffer})`
  );
}

/**
 * Loads an upstream product's published version into `table` as the consuming domain may read it:
 * only the granted contract columns, each through its mask, only the rows its row policy grants.
 * Raw values exist only inside this statement.
 */
export function buildLoadUpstream(table: string, columns: readonly Selected[], files: readonly string[], where: Condition): SqlQuery {
  const p = new Params();
  const list = columns.map((c) => `${selectedExpression(c.column, c.mask, c.memberMasks, p)} AS ${quoteIdent(c.as)}`).join(', ');
  const text = `CREATE TABLE ${quoteIdent(table)} AS SELECT ${list} FROM read_parquet(${fileList(files)}) WHERE ${compileCondition(where, p)}`;
  return { text, values: p.values };
}

/** A statement's parse tree as JSON (`tree`): DuckDB's own parser, so a transform is judged as DuckDB will read it. */
export function buildParseTree(sql: string): SqlQuery {
  return { text: 'SELECT json_serialize_sql($1::VARCHAR) AS tree', values: [sql] };
}

/** Every row of a table, as a SELECT (what a publish runs in place of a transform). */
export function buildSelectAll(table: string): string {
  return `SELECT * FROM ${quoteIdent(table)}`;
}

/** Runs a checked transform into `table`. */
export function buildRunTransform(table: string, checkedSelect: string): string {
  return `CREATE TABLE ${quoteIdent(table)} AS ${checkedSelect}`;
}

/** The columns and types of a table (`column_name`, `column_type`). */
export function buildDescribeTable(table: string): string {
  return `DESCRIBE ${quoteIdent(table)}`;
}

/** The row count of a table (`rows`). */
export function buildRowCount(table: string): string {
  return `SELECT count(*)::BIGINT AS "rows" FROM ${quoteIdent(table)}`;
}

/** The Parquet type a version stores each logical type as: a parameter's cast, but an `integer` is INTEGER (what the contract tests and product tables read as one), not BIGINT. */
export const STORAGE_TYPES: Readonly<Record<LogicalType, string>> = { ...PARAM_CASTS, integer: 'INTEGER' };

/** The Parquet type a version stores a column as: its value type's DuckDB type (`DECIMAL(12,2)`, `VARCHAR[]`, a STRUCT), an integer as INTEGER. */
export const storageType = (c: Column): string => (c.value ? duckType(c.value, 'INTEGER') : STORAGE_TYPES[c.type]);

/** Writes a version's Parquet: exactly the contract's columns, cast to their storage types, in key order (every key column, or a keyless product's declared order). */
export function buildWriteVersion(table: string, columns: readonly Column[], order: readonly Column[], file: string): string {
  const list = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${storageType(c)}) AS ${quoteIdent(c.name)}`).join(', ');
  const by = order.length ? ` ORDER BY ${order.map((c) => quoteIdent(c.name)).join(', ')}` : '';
  return `COPY (SELECT ${list} FROM ${quoteIdent(table)}${by}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`;
}

/** The shape of a change record (Debezium's): `op` c(reate), r(ead, a snapshot row), u(pdate) or d(elete), its log position, and the row before and after. */
const CHANGE_COLUMNS = "{'op': 'VARCHAR', 'lsn': 'BIGINT', 'ts_ms': 'BIGINT', 'before': 'JSON', 'after': 'JSON'}";

/** Loads a change stream's mirror (`key`, `lsn`, `row` as JSON text) from its last state, or an empty one. */
export function buildLoadMirror(table: string, file: string | undefined): string {
  if (!file) return `CREATE TABLE ${quoteIdent(table)} (key VARCHAR, lsn BIGINT, "row" VARCHAR)`;
  return `CREATE TABLE ${quoteIdent(table)} AS SELECT key, lsn, "row" FROM read_parquet(${quoteLiteral(file)})`;
}

/** Loads the change records after position `after` from JSON-lines files: each with its op, position, key (the `key` field of its row) and row after. */
export function buildLoadChanges(table: string, files: readonly string[], key: string, after: number): SqlQuery {
  const p = new Params();
  const k = p.add(key, 'string');
  const text =
    `CREATE TABLE ${quoteIdent(table)} AS SELECT op, lsn, ts_ms, CAST(json_extract_string(coalesce("after", "before"), '$.' || ${k}) AS VARCHAR) AS key, CAST("after" AS VARCHAR) AS "row" ` +
    `FROM read_json(${fileList(files)}, format = 'newline_delimited', columns = ${CHANGE_COLUMNS}) WHERE lsn > ${p.add(after, 'bigint')}`;
  return { text, values: p.values };
}

/** An empty batch of changes, when no change file exists yet. */
export function buildEmptyChanges(table: string): string {
  return `CREATE TABLE ${quoteIdent(table)} (op VARCHAR, lsn BIGINT, ts_ms BIGINT, key VARCHAR, "row" VARCHAR)`;
}

/** What a batch of changes holds: how many, the last position and time, and rows without a key (`keyless`). */
export function buildChangeSummary(changes: string): string {
  const c = quoteIdent(changes);
  return `SELECT count(*)::BIGINT AS changes, max(lsn)::BIGINT AS last_lsn, max(ts_ms)::BIGINT AS last_ts, count(*) FILTER (WHERE key IS NULL)::BIGINT AS keyless FROM ${c}`;
}

/** The mirror after the changes: rows whose key changed are replaced by their latest change, and a delete removes its row. */
export function buildApplyChanges(next: string, mirror: string, changes: string): string {
  const latest = `SELECT key, lsn, op, "row" FROM ${quoteIdent(changes)} WHERE key IS NOT NULL QUALIFY row_number() OVER (PARTITION BY key ORDER BY lsn DESC) = 1`;
  return (
    `CREATE TABLE ${quoteIdent(next)} AS WITH latest AS (${latest}) ` +
    `SELECT m.key, m.lsn, m."row" FROM ${quoteIdent(mirror)} m ANTI JOIN latest l ON l.key = m.key ` +
    `UNION ALL SELECT key, lsn, "row" FROM latest WHERE op <> 'd'`
  );
}

/**
 * The JSON structure every row of the mirror fits (`structure`), to turn the rows into columns. It
 * merges one row of each distinct row structure, which gives the same structure as merging them
 * all: over every row, a million-row mirror ran out of a 2 GB memory limit (measured at scale 10).
 */
export function buildMirrorStructure(mirror: string): string {
  const shapes = `SELECT any_value("row") AS "row" FROM ${quoteIdent(mirror)} GROUP BY json_structure("row")`;
  return `SELECT CAST(json_group_structure(json("row")) AS VARCHAR) AS structure FROM (${shapes})`;
}

/** The mirror's rows as a table with a column per field (`structure` from {@link buildMirrorStructure}), in key order. */
export function buildExposeMirror(table: string, mirror: string, structure: string): string {
  return `CREATE TABLE ${quoteIdent(table)} AS SELECT unnest(json_transform("row", ${quoteLiteral(structure)})) FROM ${quoteIdent(mirror)} ORDER BY key`;
}

/** Writes a mirror to its next state file. */
export function buildWriteMirror(mirror: string, file: string): string {
  return `COPY (SELECT key, lsn, "row" FROM ${quoteIdent(mirror)} ORDER BY key) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`;
}

/** A profiled column: its name, and whether min and max make sense for it. */
export interface ProfiledColumn {
  readonly name: string;
  readonly ordered: boolean;
}

/** The aggregates of a profile: per column i its nulls (`n<i>`), distinct values (`d<i>`) and, for ordered columns, min and max as text (`lo<i>`, `hi<i>`). */
function profileParts(columns: readonly ProfiledColumn[]): string {
  const parts = columns.flatMap((c, i) => {
    const q = quoteIdent(c.name);
    const own = [`count(*) - count(${q}) AS n${i}`, `count(DISTINCT ${q}) AS d${i}`];
    return c.ordered ? [...own, `CAST(min(${q}) AS VARCHAR) AS lo${i}`, `CAST(max(${q}) AS VARCHAR) AS hi${i}`] : own;
  });
  return `count(*) AS "rows"${parts.map((p) => `, ${p}`).join('')}`;
}

/** One pass over a version's files: the row count (`rows`) and each column's profile (see profileParts). */
export function buildProfile(files: readonly string[], columns: readonly ProfiledColumn[]): string {
  return `SELECT ${profileParts(columns)} FROM read_parquet(${fileList(files)})`;
}

/** The same profile over the rows of a served table a condition lets through (the caller's row policy): the catalog's live profile. */
export function buildTableProfile(table: string, columns: readonly ProfiledColumn[], where: Condition): SqlQuery {
  const p = new Params();
  return { text: `SELECT ${profileParts(columns)} FROM ${quoteIdent(table)} WHERE ${compileCondition(where, p)}`, values: p.values };
}
