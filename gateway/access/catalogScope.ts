/**
 * Whether an operation reads the catalog, and which products it may read the data of through it.
 * A catalog request is decided for every product (gateway/access/accessPlugin.ts): the caller sees
 * the entries of the products granted, and the access log records a read of each product whose
 * sample or profile the operation asks for (of the product `dataProduct(name:)` names, or of every
 * granted product when a list or the lineage could reach it).
 */
import { isObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CATALOG_DATA_FIELDS, CATALOG_INTERFACE, CATALOG_ROOT_FIELDS, walkOperation, type WalkScope } from '../../schema/index.js';

/** How an operation uses the catalog. */
export interface CatalogScope {
  /** Whether it selects a sample or a profile (it reads data). */
  readonly readsData: boolean;
  /** The products `dataProduct(name:)` names, when that is the only way the operation reaches an entry; undefined when any entry may be reached. */
  readonly named?: ReadonlySet<string>;
}

/** The operation's catalog scope, or undefined when it selects no catalog root field. */
export function catalogScope(schema: GraphQLSchema, operation: OperationDefinitionNode, scope: WalkScope): CatalogScope | undefined {
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  let catalog = false;
  let readsData = false;
  let named: Set<string> | undefined = new Set();
  const isEntry = (typeName: string): boolean => {
    if (typeName === CATALOG_INTERFACE) return true;
    const t = schema.getType(typeName);
    return isObjectType(t) && t.getInterfaces().some((i) => i.name === CATALOG_INTERFACE);
  };
  walkOperation(schema, root.name, operation.selectionSet, scope, ({ parentType, name, args }) => {
    if (parentType === root.name && CATALOG_ROOT_FIELDS.has(name)) {
      catalog = true;
      if (name === 'dataProduct' && typeof args.name === 'string') named?.add(args.name);
      else named = undefined;
    } else if (CATALOG_DATA_FIELDS.has(name) && isEntry(parentType)) readsData = true;
  });
  if (!catalog) return undefined;
  return named ? { readsData, named } : { readsData };
}
