/**
 * The output columns of one SELECT: each item of its select list, resolved against its FROM
 * clause (a `*` through expandStar). An item whose columns only the binder picks (COLUMNS(...),
 * `* LIKE '...'`) leaves every name it could produce partial. WHERE, GROUP BY, HAVING, QUALIFY and
 * ORDER BY choose rows, not values, so they add no sources.
 */
import type { TreeNode } from '../checkTransform.js';
import { childExpressions, expressionValue } from './expressionValue.js';
import { expandStar } from './expandStar.js';
import { fromRelations } from './fromRelations.js';
import { oneOf, PICKED_WHEN_BOUND, unknown, type Column, type Columns, type Scope, type Value, type Walk } from './Value.js';

/** The columns a SELECT_NODE produces, seen from `scope` (its CTEs already in it). */
export function selectColumns(node: TreeNode, scope: Scope, walk: Walk): Columns {
  const from = fromRelations(node.from_table as TreeNode | undefined, scope, walk);
  const known: Column[] = [];
  const open: ((name: string) => Value | undefined)[] = [];
  // Only an item's own alias can be named by a later item (a bare column's implied name reads that column anyway).
  const aliases: Column[] = [];
  for (const item of (node.select_list as TreeNode[] | undefined) ?? []) {
    const at: Scope = { parent: scope, ...from, aliases: [...aliases], ctes: new Map() };
    if (item.class === 'STAR' && !item.columns) {
      const star = expandStar(item, from, at, walk);
      known.push(...star.known);
      if (star.more) open.push(star.more);
    } else if (expandsWhenBound(item)) {
      open.push(() => unknown(PICKED_WHEN_BOUND));
    } else {
      const column = { name: outputName(item), value: expressionValue(item, at, walk) };
      known.push(column);
      if (typeof item.alias === 'string' && item.alias !== '') aliases.push(column);
    }
  }
  return open.length
    ? {
        known,
        more: (name) =>
          oneOf(
            open.map((f) => f(name)),
            `"${name}" could come from more than one * of the select list`,
          ),
      }
    : { known };
}

/** DuckDB's name for an item: its alias, or the column a bare reference reads; other expressions get their text, which no contract names. */
function outputName(item: TreeNode): string {
  if (typeof item.alias === 'string' && item.alias !== '') return item.alias;
  const names = item.class === 'COLUMN_REF' ? (item.column_names as string[]) : [];
  return names[names.length - 1] ?? '';
}

/** Whether an item holds COLUMNS(...) or a filtered `*` (`* LIKE 'a%'`, a STAR under a function), which expand to columns only the binder knows. */
function expandsWhenBound(item: TreeNode): boolean {
  const hasStar = (n: TreeNode): boolean => n.class === 'STAR' || childExpressions(n).some(hasStar);
  return (item.class === 'STAR' && item.columns === true) || childExpressions(item).some(hasStar);
}
