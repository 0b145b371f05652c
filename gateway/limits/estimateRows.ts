/**
 * The cost of an operation, as a data API counts it: how many rows it could return. Each list
 * field multiplies by its page size (`limit` or `first`, or their defaults) along its path, so
 * `customers(limit: 1000) { orders(limit: 100) }` could return 1,000 + 100,000 rows. Computed
 * with the operation's coerced variables, before any subgraph is called; a field that `@skip` or
 * `@include` leaves out costs nothing.
 */
import { getNamedType, isInterfaceType, isObjectType, type GraphQLField, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { collectFields, fieldArguments, type WalkScope } from '../../schema/index.js';

/** The page size a paged field asks for (its `limit` or `first`, else their default); null for an unpaged field. */
function pageSize(field: GraphQLField<unknown, unknown>, args: Readonly<Record<string, unknown>>): number | null {
  for (const name of ['limit', 'first']) {
    const def = field.args.find((a) => a.name === name);
    if (!def) continue;
    const value = args[name] ?? def.defaultValue;
    return typeof value === 'number' ? Math.max(0, value) : 100;
  }
  return null;
}

/** The most rows `operation` could return. */
export function estimateRows(schema: GraphQLSchema, operation: OperationDefinitionNode, scope: WalkScope): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // Rows grow linearly with the factor above a selection, so each (selection set, type) is counted once, at factor 1.
  const memo = new Map<SelectionSetNode, Map<string, number>>();
  const rowsBelow = (set: SelectionSetNode, typeName: string): number => {
    const known = memo.get(set)?.get(typeName);
    if (known !== undefined) return known;
    let rows = 0;
    for (const { node, on } of collectFields([set], typeName, scope, false)) {
      const type = schema.getType(on);
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const field = type.getFields()[node.name.value];
      if (!field) continue;
      // A paged field (a list or a connection) multiplies what is below it; an unpaged list such as a connection's edges is bounded by its parent.
      const page = pageSize(field, fieldArguments(field, node, scope.variables));
      const below = node.selectionSet ? rowsBelow(node.selectionSet, getNamedType(field.type).name) : 0;
      rows += page === null ? below : page + page * below;
    }
    (memo.get(set) ?? memo.set(set, new Map()).get(set)!).set(typeName, rows);
    return rows;
  };
  return rowsBelow(operation.selectionSet, root.name);
}
