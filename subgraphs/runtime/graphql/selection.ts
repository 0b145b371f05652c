/**
 * Which fields a query selects below a field, through the walker the gateway uses too (fragments
 * followed, `@skip`/`@include` honoured): the SQL reads only those columns.
 */
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { collectFields, type WalkScope } from '../../../schema/index.js';

/** Selected field names below a selection set, for one object type; each with its sub-selections. */
export type Selection = Map<string, SelectionSetNode[]>;

const scopeOf = (info: GraphQLResolveInfo): WalkScope => ({ fragments: info.fragments, variables: info.variableValues });

/** The fields `sets` select, by name, on `typeName` (exactly), or through every fragment when `typeName` is null. */
function selectionOf(sets: readonly (SelectionSetNode | undefined)[], typeName: string | null, scope: WalkScope): Selection {
  const out: Selection = new Map();
  for (const { node } of collectFields(sets, typeName ?? '', scope, typeName !== null)) {
    const subs = out.get(node.name.value) ?? [];
    if (node.selectionSet) subs.push(node.selectionSet);
    out.set(node.name.value, subs);
  }
  return out;
}

/** The fields selected on the value of the current field (`info.fieldNodes`), an object of type `typeName`. */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): Selection {
  return selectionOf(
    info.fieldNodes.map((n) => n.selectionSet),
    typeName,
    scopeOf(info),
  );
}

/** Follows a path of field names down the selection (`edges` → `node`), for `typeName` at the end. */
export function selectedAt(info: GraphQLResolveInfo, path: readonly string[], typeName: string): Selection {
  const scope = scopeOf(info);
  let sets: readonly SelectionSetNode[] = info.fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  for (const name of path) sets = selectionOf(sets, null, scope).get(name) ?? [];
  return selectionOf(sets, typeName, scope);
}
