/**
 * The output columns of one SELECT: each item of its select list, resolved against its FROM
 * clause; `*` (optionally `t.*`) expands to the tables' columns, the columns USING merged once,
 * less `EXCLUDE`, with `REPLACE`'s expressions in place. WHERE, GROUP BY, HAVING, QUALIFY and
 * ORDER BY choose rows, not values, so they add no sources.
 */
import type { TreeNode } from '../checkTransform.js';
import { childExpressions, expressionValue } from './expressionValue.js';
import { fromRelations, type FromScope } from './fromRelations.js';
import { findColumn, sameName, unknown, type Column, type Columns, type Relation, type Scope, type Value, type Walk } from './Value.js';

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
    } else if (hasColumnsStar(item)) {
      open.push(() => unknown('COLUMNS(...) picks its columns when DuckDB binds the query, which the SQL alone does not show'));
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

/** Whether an item holds COLUMNS(...), which expands to columns only the binder knows. */
function hasColumnsStar(node: TreeNode): boolean {
  return (node.class === 'STAR' && node.columns === true) || childExpressions(node).some(hasColumnsStar);
}

/** The one value among `values` that is there, undefined if none, or a doubt if several. */
function oneOf(values: readonly (Value | undefined)[], doubt: string): Value | undefined {
  const present = values.filter((v): v is Value => v !== undefined);
  return present.length > 1 ? unknown(doubt) : present[0];
}

/** A `*` or `t.*` of the select list. */
function expandStar(star: TreeNode, from: FromScope, at: Scope, walk: Walk): Columns {
  const qualifier = typeof star.relation_name === 'string' && star.relation_name !== '' ? star.relation_name : undefined;
  const relations = qualifier ? from.relations.filter((r) => sameName(r.name, qualifier)) : from.relations;
  if (qualifier && relations.length === 0) return { known: [], more: () => unknown(`${qualifier}.* expands a struct or a table the SQL does not show`) };
  const excludes: { readonly table?: string; readonly column: string }[] = [
    ...((star.exclude_list as string[] | undefined) ?? []).map((column) => ({ column })),
    ...((star.qualified_exclude_list as { table?: string; column: string }[] | undefined) ?? []),
  ];
  const excluded = (r: Relation, name: string): boolean => excludes.some((e) => sameName(e.column, name) && (e.table === undefined || sameName(r.name, e.table)));
  const replaced = new Map(((star.replace_list as { key: string; value: TreeNode }[] | undefined) ?? []).map((r) => [r.key.toLowerCase(), expressionValue(r.value, at, walk)]));
  const merged = qualifier ? [] : from.merged;
  const known: Column[] = [];
  const emit = (r: Relation, c: Column): void => {
    if (excluded(r, c.name) || known.some((k) => sameName(k.name, c.name) && merged.some((m) => sameName(m.name, c.name)))) return;
    const value = replaced.get(c.name.toLowerCase()) ?? merged.find((m) => sameName(m.name, c.name))?.value ?? c.value;
    known.push({ name: c.name, value });
  };
  for (const r of relations) for (const c of r.known) emit(r, c);
  const unlisted = relations.filter((r) => r.more);
  if (unlisted.length === 0) return { known };
  return {
    known,
    more: (name) => {
      const fromTables = unlisted.filter((r) => !excluded(r, name)).map((r) => findColumn(r, name)?.value);
      if (fromTables.every((v) => v === undefined)) return undefined;
      return (
        replaced.get(name.toLowerCase()) ??
        merged.find((m) => sameName(m.name, name))?.value ??
        oneOf(fromTables, `"${name}" could be a column of ${unlisted.map((r) => r.label).join(' or ')}`)
      );
    },
  };
}
