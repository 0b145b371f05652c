/**
 * The cost of an operation, as a data API counts it: how many rows it could return. Each list
 * field multiplies by its page size (`limit` or `first`, or their defaults) along its path, so
 * `customers(limit: 1000) { orders(limit: 100) }` could return 1,000 + 100,000 rows. Computed
 * with the operation's variables, before any subgraph is called.
 */
import {
  getNamedType, isObjectType, isInterfaceType, Kind, valueFromAST,
  type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

/** The page size a paged field asks for (its `limit` or `first`, else their default); null for an unpaged field. */
function pageSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number | null {
  for (const name of ['limit', 'first']) {
    const def = field.args.find((a) => a.name === name);
    if (!def) continue;
    const value = args[name] ?? def.defaultValue;
    return typeof value === 'number' ? Math.max(0, value) : 100;
  }
  return null;
}

/** The most rows `operation` could return. */
export function estimateRows(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const walk = (set: SelectionSetNode | undefined, type: GraphQLNamedType, factor: number): number => {
    let rows = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        rows += walk(s.selectionSet, s.typeCondition ? (schema.getType(s.typeCondition.name.value) ?? type) : type, factor);
      } else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (f) rows += walk(f.selectionSet, schema.getType(f.typeCondition.name.value) ?? type, factor);
      } else if (isObjectType(type) || isInterfaceType(type)) {
        const field = type.getFields()[s.name.value];
        if (!field) continue;
        const args: Record<string, unknown> = {};
        for (const a of s.arguments ?? []) {
          const def = field.args.find((x) => x.name === a.name.value);
          if (def) args[a.name.value] = valueFromAST(a.value, def.type, variables);
        }
        // A paged field (a list or a connection) multiplies what is below it; an unpaged list such as a connection's edges is bounded by its parent.
        const page = pageSize(field, args);
        const inner = page === null ? factor : factor * page;
        rows += (page === null ? 0 : inner) + walk(s.selectionSet, getNamedType(field.type), inner);
      }
    }
    return rows;
  };
  return walk(operation.selectionSet, root, 1);
}
