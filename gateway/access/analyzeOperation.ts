/**
 * Finds what an operation reads, before any data is read: for each product, the columns it
 * selects, and the columns it filters, sorts, groups, aggregates or looks up by (those reveal
 * values even when the values themselves are masked). Works on the composed API schema with the
 * shapes schema/ derives, so every name resolves exactly as the subgraphs resolve it, and walks the
 * operation as execution will run it (fragments followed, `@skip`/`@include` honoured).
 */
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { RevealingUse } from '../../policies/index.js';
import { walkOperation, type ProductShape, type ValueShape, type WalkScope } from '../../schema/index.js';
import type { ProductIndex } from './ProductIndex.js';

/** How an operation uses one product. */
export interface ProductUsage {
  readonly selected: Set<string>;
  /** Columns whose values a filter, sort, grouping, aggregate or look-up would reveal, with how. */
  readonly revealed: Map<string, RevealingUse>;
}

/** What an operation reads, by product name. */
export type OperationUsage = Map<string, ProductUsage>;

function usageOf(usage: OperationUsage, shape: ProductShape): ProductUsage {
  let u = usage.get(shape.product.name);
  if (!u) usage.set(shape.product.name, (u = { selected: new Set(), revealed: new Map() }));
  return u;
}

/** Records a field's filter: a struct's filter reveals each member it names (`address.country`), as masks name them. */
function recordFilter(v: ValueShape, path: string, filter: unknown, u: ProductUsage): void {
  if (!v.struct || v.filter !== v.struct.where || typeof filter !== 'object' || filter === null) return void u.revealed.set(path, 'filter');
  for (const [name, value] of Object.entries(filter as Record<string, unknown>)) {
    const m = v.struct.members.find((x) => x.name === name);
    if (m && value !== null && value !== undefined) recordFilter(m, `${path}.${m.member.name}`, value, u);
    // The struct's own isNull reveals only whether the value is there, as the struct's path.
    else if (!m && name === 'isNull' && value !== null && value !== undefined) u.revealed.set(path, 'filter');
  }
}

/** Records the columns named in a coerced `where` value, through and/or/not. */
function recordWhere(where: unknown, shape: ProductShape, u: ProductUsage): void {
  if (!where || typeof where !== 'object') return;
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key === 'and' || key === 'or') for (const w of (value as unknown[]) ?? []) recordWhere(w, shape, u);
    else if (key === 'not') recordWhere(value, shape, u);
    else {
      const f = shape.fieldNamed(key);
      if (f && value !== null && value !== undefined) recordFilter(f, f.field.name, value, u);
    }
  }
}

/** Records what the arguments of a product field (root field, reverse list) reveal. */
function recordArguments(args: Readonly<Record<string, unknown>>, shape: ProductShape, u: ProductUsage): void {
  recordWhere(args.where, shape, u);
  for (const item of (args.orderBy as Record<string, unknown>[] | undefined) ?? []) {
    for (const [name, dir] of Object.entries(item ?? {})) {
      const f = shape.fieldNamed(name);
      if (f && dir) u.revealed.set(f.field.name, 'sort');
    }
  }
  for (const e of (args.groupBy as string[] | undefined) ?? []) {
    const f = shape.fieldOfEnum(e);
    if (f) u.revealed.set(f.field.name, 'group');
  }
  if (args[shape.key.name] !== undefined) u.revealed.set(shape.key.field.name, 'lookup');
}

/** Analyses one operation against the API schema. */
export function analyzeOperation(schema: GraphQLSchema, index: ProductIndex, operation: OperationDefinitionNode, scope: WalkScope): OperationUsage {
  const usage: OperationUsage = new Map();
  const root = schema.getRootType(operation.operation);
  if (!root) return usage;
  walkOperation(schema, root.name, operation.selectionSet, scope, ({ parentType, name, args }) => {
    const hit = index.classify(parentType, name);
    if (!hit) return;
    const u = usageOf(usage, hit.shape);
    if (hit.kind === 'column') u.selected.add(hit.field.field.name);
    else if (hit.kind === 'aggregate') u.revealed.set(hit.field.field.name, 'aggregate');
    // Resolving a reference hands this row's value to the target's look-up: the link is revealed even when the column is not selected.
    else if (hit.kind === 'reference') u.revealed.set(hit.field.field.name, 'lookup');
    else {
      recordArguments(args, hit.shape, u);
      // A reverse list returns the rows whose reference is the parent's key: a look-up by that column.
      if (hit.reference) u.revealed.set(hit.reference.field.name, 'lookup');
    }
  });
  return usage;
}
