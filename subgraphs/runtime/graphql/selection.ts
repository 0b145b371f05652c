/** Which fields a query selects below a field, following fragments: the SQL reads only those columns. */
import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Selected field names below a selection set, for one object type; each with its sub-selections. */
export type Selection = Map<string, SelectionSetNode[]>;

/** Collects the fields selected for `typeName` (null: any type) in the given selection sets. */
export function collectFields(sets: readonly (SelectionSetNode | undefined)[], typeName: string | null, fragments: Record<string, FragmentDefinitionNode>): Selection {
  const out: Selection = new Map();
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        const subs = out.get(s.name.value) ?? [];
        if (s.selectionSet) subs.push(s.selectionSet);
        out.set(s.name.value, subs);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!s.typeCondition || typeName === null || s.typeCondition.name.value === typeName) visit(s.selectionSet, seen);
      } else if (!seen.has(s.name.value)) {
        const f = fragments[s.name.value];
        seen.add(s.name.value);
        if (f && (typeName === null || f.typeCondition.name.value === typeName)) visit(f.selectionSet, seen);
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return out;
}

/** The fields selected on the value of the current field (`info.fieldNodes`). */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): Selection {
  return collectFields(info.fieldNodes.map((n) => n.selectionSet), typeName, info.fragments);
}

/** Follows a path of field names down the selection (`edges` → `node`), for `typeName` at the end. */
export function selectedAt(info: GraphQLResolveInfo, path: readonly string[], typeName: string): Selection {
  let sets = info.fieldNodes.map((n) => n.selectionSet);
  for (const name of path) {
    sets = collectFields(sets, null, info.fragments).get(name) ?? [];
  }
  return collectFields(sets, typeName, info.fragments);
}
