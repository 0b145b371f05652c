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
  /** The contract measures it computes (GraphQL names), each checked with the columns it reads. */
  readonly measures?: Set<string>;
}

/**
 * Records that `column` is used `how`; a use the policy may allow (aggregating) never replaces one
 * it may not (filtering, grouping...), so a column both summed and grouped by is judged as grouped.
 */
function reveal(u: ProductUsage, column: string, how: RevealingUse): void {
  const was = u.revealed.get(column);
  if (was === undefined || was === 'aggregate') u.revealed.set(column, how);
}

function useMeasure(u: ProductUsage, name: string): void {
  (u as { measures?: Set<string> }).measures ??= new Set();
  u.measures!.add(name);
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
  if (!v.struct || v.filter !== v.struct.where || typeof filter !== 'object' || filter === null) return reveal(u, path, 'filter');
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
      if (dir === null || dir === undefined) continue;
      // Groups sort by aggregates: `{ sum: { totalAmount: DESC } }` aggregates the field, `{ revenue: DESC }` computes the measure.
      if (typeof dir === 'object') {
        for (const [fieldName, d] of Object.entries(dir as Record<string, unknown>)) {
          const f = shape.fieldNamed(fieldName);
          if (f && d) reveal(u, f.field.name, 'aggregate');
        }
      } else if (shape.measureNamed(name)) useMeasure(u, name);
      else {
        const f = shape.fieldNamed(name);
        if (f) reveal(u, f.field.name, 'sort');
      }
    }
  }
  for (const e of (args.groupBy as string[] | undefined) ?? []) {
    const f = shape.fieldOfEnum(e);
    if (f) reveal(u, f.field.name, 'group');
  }
  // A bucket groups by its field's truncated values; `having` aggregates the fields (or computes the measures) it names.
  for (const b of (args.buckets as { field: string }[] | undefined) ?? []) {
    const f = shape.fieldOfEnum(b?.field);
    if (f) reveal(u, f.field.name, 'group');
  }
  for (const [name, value] of Object.entries((args.having as Record<string, unknown> | undefined) ?? {})) {
    if (value === null || value === undefined || name === 'count') continue;
    if (name === 'sum' || name === 'avg' || name === 'countDistinct') {
      for (const [fieldName, filter] of Object.entries(value as Record<string, unknown>)) {
        const f = shape.fieldNamed(fieldName);
        if (f && filter) reveal(u, f.field.name, 'aggregate');
      }
    } else if (shape.measureNamed(name)) useMeasure(u, name);
  }
  // A by-key look-up names every key field: each is revealed.
  for (const k of shape.keys) if (args[k.name] !== undefined) reveal(u, k.field.name, 'lookup');
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
    else if (hit.kind === 'aggregate') reveal(u, hit.field.field.name, 'aggregate');
    else if (hit.kind === 'measure') useMeasure(u, hit.measure.name);
    // Resolving a reference hands this row's value to the target's look-up: the link is revealed even when the column is not selected.
    else if (hit.kind === 'reference') for (const f of hit.fields) reveal(u, f.field.name, 'lookup');
    else {
      recordArguments(args, hit.shape, u);
      // A reverse list returns the rows whose reference is the parent's key: a look-up by that column.
      for (const f of hit.reference ?? []) reveal(u, f.field.name, 'lookup');
    }
  });
  return usage;
}
