/**
 * The lineage of one expression of DuckDB's parse tree: the columns it references (resolved in its
 * scope), through every operator, function, CASE, cast, window and subquery. A call of an aggregate
 * function or a window function makes the value an aggregate; anything but a bare column reference
 * makes it at least a transformation. A node kind without a rule of its own is followed through its
 * child expressions, so a new operator still yields its columns.
 */
import type { TreeNode } from '../checkTransform.js';
import { AGGREGATE_FUNCTIONS } from './aggregateFunctions.js';
import { resolveColumn } from './resolveColumn.js';
import { derive, NEUTRAL, PICKED_WHEN_BOUND, unknown, type Scope, type Value, type Walk } from './Value.js';

/** The value of `expr` in `scope`. */
export function expressionValue(expr: TreeNode, scope: Scope, walk: Walk): Value {
  const parts = (): Value[] => childExpressions(expr).map((e) => expressionValue(e, scope, walk));
  switch (expr.class) {
    case 'COLUMN_REF':
      return resolveColumn((expr.column_names as string[] | undefined) ?? [], scope);
    case 'CONSTANT':
      return derive([], 'transform');
    case 'FUNCTION':
      return derive(parts(), AGGREGATE_FUNCTIONS.has(String(expr.function_name).toLowerCase()) ? 'aggregate' : 'transform');
    case 'WINDOW':
      return derive(parts(), 'aggregate');
    case 'SUBQUERY':
      return subqueryValue(expr, scope, walk);
    case 'LAMBDA':
      return lambdaValue(expr, scope, walk);
    case 'STAR':
      return unknown(PICKED_WHEN_BOUND);
    case 'POSITIONAL_REFERENCE':
      return unknown(`#${String(expr.index)} names a column by its position, which the SQL alone does not show`);
    default:
      return derive(parts(), 'transform');
  }
}

/** The expressions directly below `node`, wherever its fields hold them (arguments, CASE branches, window partitions and orders, FILTER). */
export function childExpressions(node: TreeNode): TreeNode[] {
  const found: TreeNode[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      if ('class' in v) found.push(v as TreeNode);
      else Object.values(v).forEach(visit);
    }
  };
  Object.values(node).forEach(visit);
  return found;
}

/** A scalar subquery is its one column; `x IN (SELECT ...)` is x and that column; EXISTS reads no value. */
function subqueryValue(expr: TreeNode, scope: Scope, walk: Walk): Value {
  const node = (expr.subquery as { node?: TreeNode } | undefined)?.node;
  if (expr.subquery_type === 'EXISTS' || expr.subquery_type === 'NOT_EXISTS' || !node) return derive([], 'transform');
  const out = walk.query(node, scope);
  const column = out.more ? unknown("a subquery's column is behind a * whose columns are unknown") : (out.known[0]?.value ?? unknown('a subquery without a column'));
  if (expr.subquery_type === 'SCALAR') return column;
  const child = expr.child as TreeNode | undefined;
  return derive([...(child ? [expressionValue(child, scope, walk)] : []), column], 'transform');
}

/** A lambda's body, with its parameters shadowing the columns of the same name. */
function lambdaValue(expr: TreeNode, scope: Scope, walk: Walk): Value {
  const lhs = expr.lhs as TreeNode | undefined;
  const params = (lhs?.class === 'COLUMN_REF' ? [lhs] : childExpressions(lhs ?? {})).flatMap((p) => (p.column_names as string[] | undefined)?.slice(0, 1) ?? []);
  const inner: Scope = { parent: scope, relations: [{ label: 'a lambda', known: params.map((name) => ({ name, value: NEUTRAL })) }], merged: [], aliases: [], ctes: new Map() };
  const body = expr.expr as TreeNode | undefined;
  return body ? expressionValue(body, inner, walk) : NEUTRAL;
}
