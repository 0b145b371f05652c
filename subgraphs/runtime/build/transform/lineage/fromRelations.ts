/**
 * The tables a FROM clause puts in scope, each with its columns' lineage: a declared input (its
 * columns as `source.column`), a CTE or subquery (its query's output), a join of both sides (the
 * right side sees the left, as DuckDB's lateral joins do; USING and NATURAL merge their columns),
 * VALUES, a table function. A table reference of a kind not followed here is a table of unknown
 * columns whose values say so.
 */
import type { TreeNode } from '../checkTransform.js';
import { expressionValue } from './expressionValue.js';
import { resolveColumn } from './resolveColumn.js';
import { derive, inputColumn, sameName, unknown, type Column, type Columns, type Relation, type Scope, type Value, type Walk } from './Value.js';

/** What a FROM clause contributes to the scope of its query. */
export interface FromScope {
  readonly relations: readonly Relation[];
  readonly merged: readonly Column[];
}

/** The tables of `ref` (a FROM clause's table reference), seen from `scope`. */
export function fromRelations(ref: TreeNode | undefined, scope: Scope, walk: Walk): FromScope {
  const alias = typeof ref?.alias === 'string' && ref.alias !== '' ? ref.alias : undefined;
  const aliases = ref?.column_name_alias as string[] | undefined;
  const one = (name: string | undefined, label: string, columns: Columns): FromScope => ({ relations: [{ name, label, ...renamed(columns, aliases) }], merged: [] });
  switch (ref?.type) {
    case undefined:
    case 'EMPTY':
      return { relations: [], merged: [] };
    case 'BASE_TABLE': {
      const table = String(ref.table_name);
      const label = (what: string): string => (alias ? `${alias} (${what})` : what);
      const cte = findCte(table, scope);
      if (cte) return one(alias ?? table, label(`CTE ${table}`), cte);
      const input = walk.inputs.get(table.toLowerCase());
      if (!input) return one(alias ?? table, label(table), opaque(`"${table}" is neither a declared input nor a CTE`));
      const known = (input.columns ?? []).map((c) => ({ name: c, value: inputColumn(input.source, c) }));
      return one(alias ?? table, label(input.source), input.columns ? { known } : { known, more: (c) => inputColumn(input.source, c) });
    }
    case 'SUBQUERY': {
      const node = (ref.subquery as { node?: TreeNode } | undefined)?.node;
      return one(alias, alias ? `subquery ${alias}` : 'a subquery', node ? walk.query(node, scope) : opaque('a subquery without a query'));
    }
    case 'JOIN':
      return joinRelations(ref, scope, walk);
    case 'EXPRESSION_LIST': {
      const rows = (ref.values as TreeNode[][] | undefined) ?? [];
      const width = rows[0]?.length ?? 0;
      const known = Array.from({ length: width }, (_, i) => ({
        name: `col${i}`,
        value: derive(
          rows.flatMap((r) => (r[i] ? [expressionValue(r[i], scope, walk)] : [])),
          'transform',
        ),
      }));
      return one(alias, 'VALUES', { known });
    }
    case 'TABLE_FUNCTION': {
      const fn = ref.function as TreeNode | undefined;
      const value = fn ? expressionValue(fn, scope, walk) : unknown('a table function without a call');
      const name = String(fn?.function_name ?? 'function');
      return {
        relations: [{ name: alias ?? name, label: `${name}()`, ...(aliases ? { known: aliases.map((a) => ({ name: a, value })) } : { known: [], more: () => value }) }],
        merged: [],
      };
    }
    default:
      return one(alias, String(ref?.type), opaque(`a ${String(ref?.type)} table reference is not followed`));
  }
}

/** A join: both sides' tables, the right side resolved with the left in scope, and the columns USING or NATURAL merges. */
function joinRelations(ref: TreeNode, scope: Scope, walk: Walk): FromScope {
  const left = fromRelations(ref.left as TreeNode, scope, walk);
  const right = fromRelations(ref.right as TreeNode, { parent: scope, ...left, aliases: [], ctes: new Map() }, walk);
  const type = String(ref.join_type);
  // A semi or anti join filters its left side: the right side's columns are not in the result.
  const relations = type === 'SEMI' || type === 'ANTI' ? left.relations : [...left.relations, ...right.relations];
  const using = (ref.using_columns as string[] | undefined) ?? (ref.ref_type === 'NATURAL' ? naturalColumns(left, right) : []);
  const side = (s: FromScope, name: string): Value => resolveColumn([name], { ...s, aliases: [], ctes: new Map() });
  const merged = using.map((name): Column => {
    // As DuckDB binds them: the left side's value, the right's for a RIGHT join, either (COALESCE) for a FULL one.
    if (type === 'RIGHT') return { name, value: side(right, name) };
    if (type === 'FULL') return { name, value: derive([side(left, name), side(right, name)], 'copy') };
    return { name, value: side(left, name) };
  });
  return { relations, merged: [...left.merged, ...right.merged, ...merged] };
}

/** The columns a NATURAL join matches: those both sides have, when both sides' columns are all known. */
function naturalColumns(left: FromScope, right: FromScope): string[] {
  const names = (s: FromScope): string[] | undefined => (s.relations.some((r) => r.more) ? undefined : [...s.merged, ...s.relations.flatMap((r) => r.known)].map((c) => c.name));
  const l = names(left);
  const r = names(right);
  if (!l || !r) return [];
  return [...new Set(l.filter((n) => r.some((m) => sameName(m, n))))];
}

/** The nearest CTE named `name`. */
export function findCte(name: string, scope: Scope): Columns | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (const [key, columns] of s.ctes) if (sameName(key, name)) return columns;
  }
  return undefined;
}

/** Columns renamed by position (`AS t(a, b)`, a CTE's column list); over columns whose positions are unknown, every name is a doubt. */
export function renamed(columns: Columns, aliases: readonly string[] | undefined): Columns {
  if (!aliases?.length) return columns;
  if (columns.more) return opaque(`columns renamed by position (${aliases.join(', ')}) over a * whose columns are unknown`);
  return { known: columns.known.map((c, i) => (i < aliases.length ? { name: aliases[i]!, value: c.value } : c)) };
}

/** Columns none of which the SQL says anything about. */
const opaque = (why: string): Columns => ({ known: [], more: () => unknown(why) });
