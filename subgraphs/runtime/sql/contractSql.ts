/**
 * The statements of the contract tests (`meshgate test-contracts`): a view over a product's Parquet
 * files (paths are trusted configuration, quoted as literals), then counts over it. Columns come
 * from the contract through quoteIdent; values from quality rules are bound parameters.
 */
import { Params, quoteIdent, quoteLiteral, type SqlQuery, type SqlValue } from './SqlQuery.js';

/** One Parquet file's row count, read from its footer (fails when the file is not Parquet). */
export function buildFileRowCount(file: string): string {
  return `SELECT CAST(num_rows AS BIGINT) AS row_count FROM parquet_file_metadata(${quoteLiteral(file)})`;
}

/** A temporary view over a product's files, so each test reads them by one name. */
export function buildSourceView(view: string, files: readonly string[]): string {
  return `CREATE OR REPLACE TEMP VIEW ${quoteIdent(view)} AS SELECT * FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`;
}

/** The columns and DuckDB types of a view. */
export function buildDescribeView(view: string): string {
  return `DESCRIBE SELECT * FROM ${quoteIdent(view)}`;
}

/** The row count (`row_count`) and the null count of each column (`n0`, `n1`, ... in order), in one pass. */
export function buildNullCounts(view: string, columns: readonly string[]): string {
  const counts = columns.map((c, i) => `, count(*) - count(${quoteIdent(c)}) AS n${i}`).join('');
  return `SELECT count(*) AS row_count${counts} FROM ${quoteIdent(view)}`;
}

const allPresent = (columns: readonly string[]): string => columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');

/** Rows (with every column non-null) that repeat an earlier row's values of these columns (`value`). */
export function buildDuplicateCount(view: string, columns: readonly string[]): string {
  const v = quoteIdent(view);
  const where = allPresent(columns);
  return `SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT ${columns.map(quoteIdent).join(', ')} FROM ${v} WHERE ${where})) AS value FROM ${v} WHERE ${where}`;
}

/** Up to `limit` values of a column that occur more than once (`value`, as text). */
export function buildDuplicateExamples(view: string, column: string, limit: number): SqlQuery {
  const c = quoteIdent(column);
  const params = new Params();
  const text = `SELECT CAST(${c} AS VARCHAR) AS value FROM ${quoteIdent(view)} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1 ORDER BY 1 LIMIT ${params.add(limit, 'integer')}`;
  return { text, values: params.values };
}

const orphanWhere = (view: string, column: string, target: string, key: string): string =>
  `FROM ${quoteIdent(view)} s WHERE s.${quoteIdent(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(target)} t WHERE t.${quoteIdent(key)} = s.${quoteIdent(column)})`;

/** Rows whose reference column holds a value that is no key of the target view (`value`). */
export function buildOrphanCount(view: string, column: string, target: string, key: string): string {
  return `SELECT count(*) AS value ${orphanWhere(view, column, target, key)}`;
}

/** Rows whose reference columns (every one non-null) hold values that are no key of the target view (`value`): a composite reference, `columns[i]` against `keys[i]`. */
export function buildCompositeOrphanCount(view: string, columns: readonly string[], target: string, keys: readonly string[]): string {
  const present = columns.map((c) => `s.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const on = columns.map((c, i) => `t.${quoteIdent(keys[i]!)} = s.${quoteIdent(c)}`).join(' AND ');
  return `SELECT count(*) AS value FROM ${quoteIdent(view)} s WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(target)} t WHERE ${on})`;
}

/** Up to `limit` distinct orphaned reference values (`value`, as text). */
export function buildOrphanExamples(view: string, column: string, target: string, key: string, limit: number): SqlQuery {
  const params = new Params();
  const text = `SELECT DISTINCT CAST(s.${quoteIdent(column)} AS VARCHAR) AS value ${orphanWhere(view, column, target, key)} ORDER BY 1 LIMIT ${params.add(limit, 'integer')}`;
  return { text, values: params.values };
}

/** The newest value of a timestamp or date column, in epoch milliseconds (`value`, null without values). */
export function buildNewest(view: string, column: string): string {
  return `SELECT epoch_ms(CAST(max(${quoteIdent(column)}) AS TIMESTAMP)) AS value FROM ${quoteIdent(view)}`;
}

/** An ODCS library metric counted over one column (duplicateValues and rowCount have their own statements). */
export type ColumnMetric =
  | { readonly metric: 'nullValues'; readonly column: string }
  | { readonly metric: 'missingValues'; readonly column: string; readonly missing: readonly SqlValue[] }
  | { readonly metric: 'invalidValues'; readonly column: string; readonly valid?: readonly string[]; readonly pattern?: string };

function metricCondition(m: ColumnMetric, params: Params): string {
  const c = quoteIdent(m.column);
  const text = `CAST(${c} AS VARCHAR)`;
  if (m.metric === 'nullValues') return `${c} IS NULL`;
  const list = (values: readonly SqlValue[]) => values.map((v) => params.add(String(v), 'string')).join(', ');
  if (m.metric === 'missingValues') {
    const listed = m.missing.filter((v) => v !== null);
    const parts = [...(m.missing.includes(null) ? [`${c} IS NULL`] : []), ...(listed.length ? [`${text} IN (${list(listed)})`] : [])];
    return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
  }
  const invalid = [
    ...(m.valid ? [m.valid.length ? `${text} NOT IN (${list(m.valid)})` : 'TRUE'] : []),
    ...(m.pattern !== undefined ? [`NOT regexp_matches(${text}, ${params.add(m.pattern, 'string')})`] : []),
  ];
  return `(${c} IS NOT NULL AND (${invalid.length ? invalid.join(' OR ') : 'FALSE'}))`;
}

/** Counts the rows a column metric matches (`value`) and all rows (`row_count`). */
export function buildColumnMetric(view: string, metric: ColumnMetric): SqlQuery {
  const params = new Params();
  const text = `SELECT count(*) AS row_count, count(*) FILTER (WHERE ${metricCondition(metric, params)}) AS value FROM ${quoteIdent(view)}`;
  return { text, values: params.values };
}
