/** The statements the runtime runs: pages, counts, key look-ups, reverse lists and grouped aggregates. */
import { compileCondition, type Column, type Condition } from './Condition.js';
import { Params, quoteIdent, type SqlQuery, type SqlValue } from './SqlQuery.js';
import { maskExpression, type MaskSpec } from './masks.js';

/** A column to select, under the name the result row carries (the GraphQL field name), masked if the caller must not see it. */
export interface Selected {
  readonly column: Column;
  readonly as: string;
  readonly mask?: MaskSpec;
}

/** Sort directions, with explicit null placement (nulls sort as the largest value by default). */
export type Direction = 'ASC' | 'DESC' | 'ASC_NULLS_FIRST' | 'DESC_NULLS_LAST';

/** One sort key. */
export interface Sort {
  readonly column: Column;
  readonly direction: Direction;
}

const ORDER_SQL: Record<Direction, string> = {
  ASC: 'ASC NULLS LAST',
  DESC: 'DESC NULLS FIRST',
  ASC_NULLS_FIRST: 'ASC NULLS FIRST',
  DESC_NULLS_LAST: 'DESC NULLS LAST',
};

/** What every row-returning statement needs. */
export interface SelectSpec {
  /** The table (a name the runtime owns). */
  readonly table: string;
  readonly columns: readonly Selected[];
  readonly where: Condition;
  readonly orderBy: readonly Sort[];
  /** The last sort keys, so every order is total and pages never overlap: the key columns, or a keyless product's declared order. */
  readonly order: readonly Column[];
}

/** The select list; masked columns read through their mask, so raw values never leave DuckDB. */
const selectList = (columns: readonly Selected[], p: Params): string =>
  columns.map((c) => `${c.mask ? maskExpression(c.column, c.mask, p) : quoteIdent(c.column.name)} AS ${quoteIdent(c.as)}`).join(', ');

/** The caller's sort keys, then each column of the total order the caller did not sort by. */
function totalOrder(orderBy: readonly Sort[], order: readonly Column[]): Sort[] {
  const named = new Set(orderBy.map((s) => s.column.name));
  return [...orderBy, ...order.filter((c) => !named.has(c.name)).map((column) => ({ column, direction: 'ASC' as const }))];
}

function orderList(orderBy: readonly Sort[], order: readonly Column[]): string {
  return totalOrder(orderBy, order)
    .map((s) => `${quoteIdent(s.column.name)} ${ORDER_SQL[s.direction]}`)
    .join(', ');
}

/** A page of rows: `limit` rows after skipping `offset`. */
export function buildSelect(spec: SelectSpec, limit: number, offset: number): SqlQuery {
  if (spec.columns.some((c) => c.mask)) return buildMaskedSelect(spec, limit, offset);
  const p = new Params();
  const list = selectList(spec.columns, p);
  const where = compileCondition(spec.where, p);
  const text = `SELECT ${list} FROM ${quoteIdent(spec.table)} WHERE ${where} ORDER BY ${orderList(spec.orderBy, spec.order)} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`;
  return { text, values: p.values };
}

const raw = (i: number): string => `"__r${i}"`;

/**
 * A page with masked columns: the page is taken first on raw columns, then masked, so DuckDB masks
 * one page of values instead of every matching row (measured: a page of 100 of 10,000 customers
 * sorted by signup, masked 3.0 ms against 2.1 ms unmasked, best of 30).
 * Raw values only exist inside the statement; the outer query re-sorts the page (the same order).
 */
function buildMaskedSelect(spec: SelectSpec, limit: number, offset: number): SqlQuery {
  const p = new Params();
  const sorts = totalOrder(spec.orderBy, spec.order);
  const names = [...new Set([...spec.columns.map((c) => c.column.name), ...sorts.map((s) => s.column.name)])];
  const inner = names.map((n, i) => `${quoteIdent(n)} AS ${raw(i)}`).join(', ');
  const outer = spec.columns.map((c) => {
    const ref = raw(names.indexOf(c.column.name));
    return `${c.mask ? maskExpression(c.column, c.mask, p, ref) : ref} AS ${quoteIdent(c.as)}`;
  });
  const where = compileCondition(spec.where, p);
  const order = (ref: (name: string) => string): string => sorts.map((s) => `${ref(s.column.name)} ${ORDER_SQL[s.direction]}`).join(', ');
  const page = `SELECT ${inner} FROM ${quoteIdent(spec.table)} WHERE ${where} ORDER BY ${order(quoteIdent)} LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`;
  return { text: `SELECT ${outer.join(', ')} FROM (${page}) ORDER BY ${order((n) => raw(names.indexOf(n)))}`, values: p.values };
}

/** The number of rows a condition matches. */
export function buildCount(table: string, where: Condition): SqlQuery {
  const p = new Params();
  return { text: `SELECT count(*)::BIGINT AS "count" FROM ${quoteIdent(table)} WHERE ${compileCondition(where, p)}`, values: p.values };
}

/**
 * The alias under which the raw key or parent reference travels, so a masked value never breaks
 * matching; the further columns of a composite key travel as `__match1`, `__match2`, ...
 */
export const MATCH_ALIAS = '__match';

/** The alias of the `i`-th key column's raw value (see {@link MATCH_ALIAS}). */
export const matchAlias = (i: number): string => (i === 0 ? MATCH_ALIAS : `${MATCH_ALIAS}${i}`);

/**
 * The text a batch matches its rows by, from a key's values in key order: the value itself for one
 * column, a JSON list of the values' texts for several (a key read back from DuckDB and the same key
 * from GraphQL or a representation give the same text: see the composite key types in finishContract).
 */
export const matchKey = (values: readonly unknown[]): string => (values.length === 1 ? String(values[0]) : JSON.stringify(values.map(String)));

/** The match text of a row returned by {@link buildKeyLookup} or {@link buildReverseList} over `n` key columns. */
export const rowMatchKey = (row: Readonly<Record<string, unknown>>, n: number): string => matchKey(Array.from({ length: n }, (_, i) => row[matchAlias(i)]));

/**
 * `WHERE` text keeping the rows whose `columns` equal one of the batch's tuples: `IN (...)` for
 * one column; for several, a semi-join against a VALUES list of bound parameters (a hash join,
 * where a row comparison per tuple would be an OR chain the size of the batch).
 */
function batchFilter(table: string, columns: readonly Column[], batch: readonly (readonly SqlValue[])[], p: Params): { from: string; where: string } {
  if (columns.length === 1) {
    const [c] = columns as [Column];
    return { from: quoteIdent(table), where: `${quoteIdent(c.name)} IN (${batch.map((k) => p.add(k[0] ?? null, c.type)).join(', ')})` };
  }
  const rows = batch.map((k) => `(${columns.map((c, i) => p.add(k[i] ?? null, c.type)).join(', ')})`).join(', ');
  const names = columns.map((_, i) => `"__k${i}"`);
  const on = columns.map((c, i) => `${quoteIdent(table)}.${quoteIdent(c.name)} = "__batch".${names[i]}`).join(' AND ');
  return { from: `${quoteIdent(table)} SEMI JOIN (VALUES ${rows}) AS "__batch"(${names.join(', ')}) ON ${on}`, where: 'TRUE' };
}

/** Rows by key (one column or several), for a batch of entity look-ups: one statement per batch. Each row carries its raw key as {@link matchAlias}es. */
export function buildKeyLookup(table: string, columns: readonly Selected[], keys: readonly Column[], batch: readonly (readonly SqlValue[])[], where: Condition): SqlQuery {
  const p = new Params();
  const select = selectList([...columns, ...keys.map((column, i) => ({ column, as: matchAlias(i) }))], p);
  const { from, where: matching } = batchFilter(table, keys, batch, p);
  const text = `SELECT ${select} FROM ${from} WHERE ${matching} AND ${compileCondition(where, p)}`;
  return { text, values: p.values };
}

/**
 * The rows referencing each of a batch of parents, at most `limit` per parent, in one statement:
 * a window numbers each parent's rows in the requested order. Each row carries its raw parent
 * reference as {@link MATCH_ALIAS}.
 */
export function buildReverseList(spec: SelectSpec, references: readonly Column[], parents: readonly (readonly SqlValue[])[], limit: number): SqlQuery {
  const p = new Params();
  const select = selectList([...spec.columns, ...references.map((column, i) => ({ column, as: matchAlias(i) }))], p);
  const { from, where: matching } = batchFilter(spec.table, references, parents, p);
  const where = compileCondition(spec.where, p);
  const order = orderList(spec.orderBy, spec.order);
  const partition = references.map((c) => quoteIdent(c.name)).join(', ');
  const inner = `SELECT ${select}, row_number() OVER (PARTITION BY ${partition} ORDER BY ${order}) AS "__rank" FROM ${from} WHERE ${matching} AND ${where}`;
  return { text: `SELECT * EXCLUDE ("__rank") FROM (${inner}) WHERE "__rank" <= ${p.add(limit)} ORDER BY "__rank"`, values: p.values };
}

/** An aggregate to compute per group, e.g. `sum` of `total_amount`, returned as `sum.totalAmount`. */
export interface Aggregate {
  readonly fn: 'sum' | 'avg' | 'min' | 'max';
  readonly column: Column;
  readonly as: string;
}

/** Grouped aggregates; groups in key order, at most `maxGroups` (+1 so the caller can tell there were more). */
export function buildAggregate(table: string, groupBy: readonly Selected[], aggregates: readonly Aggregate[], where: Condition, maxGroups: number): SqlQuery {
  const p = new Params();
  const cond = compileCondition(where, p);
  const aggs = aggregates.map((a) => {
    const expr = `${a.fn}(${quoteIdent(a.column.name)})`;
    const typed = a.fn === 'avg' ? `${expr}::DOUBLE` : a.fn === 'sum' && a.column.type !== 'bigint' ? `${expr}::DOUBLE` : a.fn === 'sum' ? `${expr}::HUGEINT` : expr;
    return `${typed} AS ${quoteIdent(a.as)}`;
  });
  const items = [...groupBy.map((g) => `${quoteIdent(g.column.name)} AS ${quoteIdent(g.as)}`), 'count(*)::BIGINT AS "__count"', ...aggs];
  const group = groupBy.length
    ? ` GROUP BY ${groupBy.map((g) => quoteIdent(g.column.name)).join(', ')} ORDER BY ${groupBy.map((g) => `${quoteIdent(g.column.name)} ASC NULLS LAST`).join(', ')}`
    : '';
  return { text: `SELECT ${items.join(', ')} FROM ${quoteIdent(table)} WHERE ${cond}${group} LIMIT ${p.add(maxGroups + 1)}`, values: p.values };
}
