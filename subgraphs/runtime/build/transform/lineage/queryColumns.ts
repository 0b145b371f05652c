/**
 * The output columns of a query node of DuckDB's parse tree, with their lineage: its CTEs bound in
 * order (each sees the ones before it), then a SELECT, a set operation (UNION matches columns by
 * position, UNION BY NAME by name; EXCEPT and INTERSECT keep the left side's values), or a
 * recursive CTE (followed until its columns' sources stop growing).
 */
import type { TreeNode } from '../checkTransform.js';
import { renamed } from './fromRelations.js';
import { selectColumns } from './selectColumns.js';
import { derive, findColumn, sameName, unknown, type Column, type Columns, type InputTable, type Scope, type Value, type Walk } from './Value.js';

/** The output of the top-level query `node`, reading the declared inputs (by table name). */
export function statementColumns(node: TreeNode, inputs: ReadonlyMap<string, InputTable>): Columns {
  const walk: Walk = { inputs, query: (n, scope) => queryColumns(n, scope, walk) };
  return queryColumns(node, { relations: [], merged: [], aliases: [], ctes: new Map() }, walk);
}

/** The output of `node`, seen from `scope`. */
function queryColumns(node: TreeNode, scope: Scope, walk: Walk): Columns {
  const inner = bindCtes(node, scope, walk);
  switch (node.type) {
    case 'SELECT_NODE':
      return selectColumns(node, inner, walk);
    case 'SET_OPERATION_NODE':
      return setColumns(node, inner, walk);
    case 'RECURSIVE_CTE_NODE':
      return recursiveColumns(node, inner, walk, []);
    default:
      return { known: [], more: () => unknown(`a ${String(node.type)} query is not followed`) };
  }
}

/** A scope holding `node`'s CTEs, bound in order. */
function bindCtes(node: TreeNode, scope: Scope, walk: Walk): Scope {
  const entries = (node.cte_map as { map?: { key: string; value: { query?: { node?: TreeNode }; aliases?: string[] } }[] } | undefined)?.map ?? [];
  if (entries.length === 0) return scope;
  const ctes = new Map<string, Columns>();
  const level: Scope = { parent: scope, relations: [], merged: [], aliases: [], ctes };
  for (const { key, value } of entries) {
    const query = value.query?.node;
    const columns = !query
      ? { known: [], more: () => unknown(`CTE ${key} has no query`) }
      : query.type === 'RECURSIVE_CTE_NODE'
        ? recursiveColumns(query, level, walk, value.aliases ?? [], key)
        : renamed(queryColumns(query, level, walk), value.aliases);
    ctes.set(key, columns);
  }
  return level;
}

/** The branches of a set operation (a future DuckDB may list them as `children`). */
const branches = (node: TreeNode): TreeNode[] => (Array.isArray(node.children) ? (node.children as TreeNode[]) : [node.left as TreeNode, node.right as TreeNode]).filter(Boolean);

/** A UNION, UNION BY NAME, EXCEPT or INTERSECT. */
function setColumns(node: TreeNode, scope: Scope, walk: Walk): Columns {
  const outs = branches(node).map((b) => queryColumns(b, scope, walk));
  if (node.setop_type === 'UNION_BY_NAME') return byName(outs);
  if (node.setop_type !== 'UNION') return outs[0] ?? { known: [] };
  return byPosition(outs);
}

/** Columns matched by position, named after the first branch. */
function byPosition(outs: readonly Columns[]): Columns {
  const [first, ...rest] = outs;
  if (!first) return { known: [] };
  const hidden = (which: string): Value => unknown(`a UNION matches its branches by position, and ${which} has a * whose columns are unknown`);
  if (first.more) {
    return {
      known: [],
      more: (name) => {
        const column = findColumn(first, name);
        return column && derive([column.value, hidden('its first branch')], 'copy');
      },
    };
  }
  const doubt = rest.some((o) => o.more) ? [hidden('another branch')] : [];
  const at = (o: Columns, i: number): Value[] => (o.more || !o.known[i] ? [] : [o.known[i].value]);
  return { known: first.known.map((c, i): Column => ({ name: c.name, value: derive([c.value, ...rest.flatMap((o) => at(o, i)), ...doubt], 'copy') })) };
}

/** Columns matched by name (UNION BY NAME): every branch's column of that name. */
function byName(outs: readonly Columns[]): Columns {
  const names: string[] = [];
  for (const o of outs) for (const c of o.known) if (!names.some((n) => sameName(n, c.name))) names.push(c.name);
  const valueOf = (name: string): Value | undefined => {
    const hits = outs.flatMap((o) => findColumn(o, name)?.value ?? []);
    return hits.length ? derive(hits, 'copy') : undefined;
  };
  const known = names.map((name) => ({ name, value: valueOf(name)! }));
  return outs.some((o) => o.more) ? { known, more: valueOf } : { known };
}

/** A recursive CTE: its anchor, then its recursive step over what it has so far, until the sources stop growing (they only grow, so this ends). */
function recursiveColumns(node: TreeNode, scope: Scope, walk: Walk, aliases: readonly string[], name = String(node.cte_name)): Columns {
  const ctes = new Map<string, Columns>();
  const level: Scope = { parent: scope, relations: [], merged: [], aliases: [], ctes };
  let current = renamed(queryColumns(node.left as TreeNode, scope, walk), aliases);
  for (let round = 0; round < 32; round++) {
    ctes.set(name, current);
    const next = byPosition([current, queryColumns(node.right as TreeNode, level, walk)]);
    if (size(next) === size(current)) return next;
    current = next;
  }
  return current;
}

const RANK = { copy: 0, transform: 1, aggregate: 2 } as const;

/** How much lineage a set of columns holds, to see when a fixpoint is reached. */
const size = (c: Columns): number => c.known.reduce((n, k) => n + k.value.from.length + k.value.gaps.length + RANK[k.value.kind], 0) + (c.more ? 1 : 0);
