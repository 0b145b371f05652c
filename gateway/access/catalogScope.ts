/**
 * Whether an operation reads the catalog, and whose data it may read through it. A catalog request
 * is decided for every product (gateway/access/decideAccess.ts, decideCatalog): the caller sees the
 * entries of the products granted, and the access log records a read of each product a sample or
 * profile of the operation may reach: under `dataProduct(name:)` the product it names, under
 * `dataProducts` any, narrowed to one domain's products when the field sits in a fragment on that
 * domain's entity type.
 */
import { isObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CATALOG_DATA_FIELDS, CATALOG_INTERFACE, CATALOG_ROOT_FIELDS, collectFields, fieldArguments, walkOperation, type WalkScope } from '../../schema/index.js';

/** Products whose data one catalog field may read: the one named, and of one entity type; undefined is any. */
export interface CatalogRead {
  readonly product?: string;
  readonly entityType?: string;
}

/** How an operation uses the catalog. */
export interface CatalogScope {
  /** What its samples and profiles may read (none: it reads entries only). */
  readonly reads: readonly CatalogRead[];
}

/** The operation's catalog scope, or undefined when it selects no catalog root field. */
export function catalogScope(schema: GraphQLSchema, operation: OperationDefinitionNode, scope: WalkScope): CatalogScope | undefined {
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  let catalog = false;
  const reads: CatalogRead[] = [];
  for (const { node, on } of collectFields([operation.selectionSet], root.name, scope, false)) {
    const name = node.name.value;
    const def = on === root.name ? root.getFields()[name] : undefined;
    if (!def || !CATALOG_ROOT_FIELDS.has(name)) continue;
    catalog = true;
    if (!node.selectionSet || name === 'lineage') continue;
    const args = fieldArguments(def, node, scope.variables);
    const product = name === 'dataProduct' && typeof args.name === 'string' ? args.name : undefined;
    walkOperation(schema, CATALOG_INTERFACE, node.selectionSet, scope, ({ parentType, name: field }) => {
      if (!CATALOG_DATA_FIELDS.has(field)) return;
      const t = schema.getType(parentType);
      const entityType = isObjectType(t) && t.getInterfaces().some((i) => i.name === CATALOG_INTERFACE) ? parentType : undefined;
      if (parentType === CATALOG_INTERFACE || entityType) reads.push({ ...(product !== undefined && { product }), ...(entityType && { entityType }) });
    });
  }
  return catalog ? { reads } : undefined;
}
