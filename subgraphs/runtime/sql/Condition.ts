/** Row conditions as the SQL builder receives them: columns from the contract, values from the caller. */
import type { LogicalType, ValueType } from '../../../schema/index.js';
import { type Params, quoteIdent, quoteLiteral, type SqlValue } from './SqlQuery.js';

/** A column of a product table, or a member of a struct column (`path`). */
export interface Column {
  readonly name: string;
  /** The logical type of the column, or of the member `path` names. */
  readonly type: LogicalType;
  /** The full value type (a decimal's precision and scale, a list's elements, a struct's members), when known. */
  readonly value?: ValueType;
  /** Member names below the column, for a condition on a struct's member (`address.country`). */
  readonly path?: readonly string[];
}

/** The SQL that reads a column, or the struct member its path names (member names come from the contract). */
export function columnRef(c: Column, ref = quoteIdent(c.name)): string {
  return (c.path ?? []).reduce((r, m) => `struct_extract(${r}, ${quoteLiteral(m)})`, ref);
}

/** List operators. */
export type ListOp = 'contains' | 'containsAny' | 'containsAll' | 'isEmpty';

/** Comparison operators. */
export type CompareOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike';

/** A condition tree. Every node evaluates to true or false: a null never makes `not` match. */
export type Condition =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | { readonly kind: 'compare'; readonly column: Column; readonly op: CompareOp; readonly value: SqlValue }
  | { readonly kind: 'in'; readonly column: Column; readonly negated: boolean; readonly values: readonly SqlValue[] }
  | { readonly kind: 'isNull'; readonly column: Column; readonly isNull: boolean }
  /** On a list column: it holds a value, any or all of `values`, or is (not) empty (`values` is `[true]` or `[false]`). */
  | { readonly kind: 'list'; readonly column: Column; readonly op: ListOp; readonly values: readonly SqlValue[] };

const OPERATORS: Record<CompareOp, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', ilike: 'ILIKE' };

/** Compiles a condition into SQL text, binding its values. */
export function compileCondition(c: Condition, params: Params): string {
  switch (c.kind) {
    case 'and':
    case 'or':
      if (c.items.length === 0) return c.kind === 'and' ? 'TRUE' : 'FALSE';
      return `(${c.items.map((i) => compileCondition(i, params)).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT coalesce(${compileCondition(c.item, params)}, FALSE))`;
    case 'isNull':
      return `(${columnRef(c.column)} IS ${c.isNull ? '' : 'NOT '}NULL)`;
    case 'in': {
      if (c.values.length === 0) return c.negated ? `(${columnRef(c.column)} IS NOT NULL)` : 'FALSE';
      const list = c.values.map((v) => params.add(v, c.column.value ?? c.column.type)).join(', ');
      return `(${columnRef(c.column)} ${c.negated ? 'NOT IN' : 'IN'} (${list}))`;
    }
    case 'compare': {
      const pattern = c.op === 'like' || c.op === 'ilike';
      const value = params.add(c.value, pattern ? 'string' : (c.column.value ?? c.column.type));
      return `(${columnRef(c.column)} ${OPERATORS[c.op]} ${value}${pattern ? " ESCAPE '\\'" : ''})`;
    }
    case 'list':
      return compileList(c, params);
  }
}

/** A list condition through DuckDB's list functions; each value is bound as one element, cast to the element type. */
function compileList(c: Extract<Condition, { kind: 'list' }>, params: Params): string {
  const ref = columnRef(c.column);
  const items = c.column.value?.items ?? { type: 'string' as const };
  if (c.op === 'isEmpty') return `(len(${ref}) ${c.values[0] === false ? '>' : '='} 0)`;
  if (c.op === 'contains') return `list_contains(${ref}, ${params.add(c.values[0] ?? null, items)})`;
  // Of no values: any holds for none, all holds for every list.
  if (c.values.length === 0) return c.op === 'containsAny' ? 'FALSE' : `(${ref} IS NOT NULL)`;
  const list = `[${c.values.map((v) => params.add(v, items)).join(', ')}]`;
  return `${c.op === 'containsAny' ? 'list_has_any' : 'list_has_all'}(${ref}, ${list})`;
}

/** AND-s conditions, dropping absent ones. */
export function allOf(...conditions: readonly (Condition | undefined)[]): Condition {
  const items = conditions.filter((c): c is Condition => c !== undefined);
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}
