/** Row conditions as the SQL builder receives them: columns from the contract, values from the caller. */
import type { LogicalType } from '../../../schema/index.js';
import { type Params, quoteIdent, type SqlValue } from './SqlQuery.js';

/** A column of a product table. */
export interface Column {
  readonly name: string;
  readonly type: LogicalType;
}

/** Comparison operators. */
export type CompareOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike';

/** A condition tree. Every node evaluates to true or false: a null never makes `not` match. */
export type Condition =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | { readonly kind: 'compare'; readonly column: Column; readonly op: CompareOp; readonly value: SqlValue }
  | { readonly kind: 'in'; readonly column: Column; readonly negated: boolean; readonly values: readonly SqlValue[] }
  | { readonly kind: 'isNull'; readonly column: Column; readonly isNull: boolean };

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
      return `(${quoteIdent(c.column.name)} IS ${c.isNull ? '' : 'NOT '}NULL)`;
    case 'in': {
      if (c.values.length === 0) return c.negated ? `(${quoteIdent(c.column.name)} IS NOT NULL)` : 'FALSE';
      const list = c.values.map((v) => params.add(v, c.column.type)).join(', ');
      return `(${quoteIdent(c.column.name)} ${c.negated ? 'NOT IN' : 'IN'} (${list}))`;
    }
    case 'compare': {
      const pattern = c.op === 'like' || c.op === 'ilike';
      const value = params.add(c.value, pattern ? 'string' : c.column.type);
      return `(${quoteIdent(c.column.name)} ${OPERATORS[c.op]} ${value}${pattern ? " ESCAPE '\\'" : ''})`;
    }
  }
}

/** AND-s conditions, dropping absent ones. */
export function allOf(...conditions: readonly (Condition | undefined)[]): Condition {
  const items = conditions.filter((c): c is Condition => c !== undefined);
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}
