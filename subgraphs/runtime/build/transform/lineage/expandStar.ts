/**
 * A `*` (or `t.*`) of a select list: the tables' columns in order, each column USING merged once
 * (with its merged value), less `EXCLUDE`, `REPLACE`'s expressions in place of theirs, `RENAME`'s
 * names for theirs. Over a table whose columns are unknown, the names it may add are answered one
 * by one, through the same rules.
 */
import type { TreeNode } from '../checkTransform.js';
import { expressionValue } from './expressionValue.js';
import type { FromScope } from './fromRelations.js';
import { findColumn, oneOf, sameName, unknown, type Column, type Columns, type Relation, type Scope, type Walk } from './Value.js';

/** A column named by a star's modifiers, optionally with its table. */
interface Named {
  readonly table?: string;
  readonly column: string;
}

const applies = (n: Named, r: Relation, column: string): boolean => sameName(n.column, column) && (!n.table || sameName(r.name, n.table));

/** The columns `star` expands to over the FROM clause `from`; REPLACE's expressions are resolved in `at`. */
export function expandStar(star: TreeNode, from: FromScope, at: Scope, walk: Walk): Columns {
  const qualifier = typeof star.relation_name === 'string' && star.relation_name !== '' ? star.relation_name : undefined;
  const relations = qualifier ? from.relations.filter((r) => sameName(r.name, qualifier)) : from.relations;
  if (qualifier && relations.length === 0) return { known: [], more: () => unknown(`${qualifier}.* expands a struct or a table the SQL does not show`) };
  const excludes: Named[] = [...((star.exclude_list as string[] | undefined) ?? []).map((column) => ({ column })), ...((star.qualified_exclude_list as Named[] | undefined) ?? [])];
  const renames = ((star.rename_list as { key: Named; value: string }[] | undefined) ?? []).map((r) => ({ ...r.key, to: r.value }));
  const replaced = new Map(((star.replace_list as { key: string; value: TreeNode }[] | undefined) ?? []).map((r) => [r.key.toLowerCase(), expressionValue(r.value, at, walk)]));
  const merged = qualifier ? [] : from.merged;
  const mergedValue = (name: string) => merged.find((m) => sameName(m.name, name))?.value;
  const known: Column[] = [];
  for (const r of relations) {
    for (const c of r.known) {
      if (excludes.some((e) => applies(e, r, c.name))) continue;
      if (mergedValue(c.name) && known.some((k) => sameName(k.name, c.name))) continue;
      const name = renames.find((n) => applies(n, r, c.name))?.to ?? c.name;
      known.push({ name, value: replaced.get(c.name.toLowerCase()) ?? mergedValue(c.name) ?? c.value });
    }
  }
  const unlisted = relations.filter((r) => r.more);
  if (unlisted.length === 0) return { known };
  return {
    known,
    more: (name) => {
      // The column a RENAME gave this name, or the name itself unless a RENAME took it away.
      const hits = unlisted.map((r) => {
        const original = renames.find((n) => sameName(n.to, name) && (!n.table || sameName(r.name, n.table)))?.column ?? name;
        if (excludes.some((e) => applies(e, r, original)) || (original === name && renames.some((n) => applies(n, r, name)))) return undefined;
        const hit = findColumn(r, original);
        return hit && { original, value: hit.value };
      });
      const found = hits.filter((h) => h !== undefined);
      if (found.length === 0) return undefined;
      const original = found[0]!.original;
      return (
        replaced.get(original.toLowerCase()) ??
        mergedValue(original) ??
        oneOf(
          found.map((h) => h.value),
          `"${name}" could be a column of ${unlisted.map((r) => r.label).join(' or ')}`,
        )
      );
    },
  };
}
