/**
 * Finds what an operation reads, before any data is read: for each product, the columns it
 * selects, and the columns it filters, sorts, groups or aggregates on (those reveal values even
 * when the values themselves are masked). Works on the composed API schema with the shapes
 * schema/ derives, so every name resolves exactly as the subgraphs resolve it.
 */
import {
  getNamedType, getVariableValues, GraphQLError, isInputObjectType, Kind, TypeInfo, valueFromAST, visit, visitWithTypeInfo,
  type DocumentNode, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import type { FieldShape, ProductShape } from '../../schema/index.js';
import type { ASTNode, FieldNode } from 'graphql';
import type { ProductIndex } from './ProductIndex.js';

/** How an operation uses one product. */
export interface ProductUsage {
  readonly selected: Set<string>;
  /** Columns whose values a filter, sort, grouping or aggregate would reveal, with how. */
  readonly revealed: Map<string, 'filter' | 'sort' | 'group' | 'aggregate'>;
}

/** What an operation reads, by product name. */
export type OperationUsage = Map<string, ProductUsage>;

function usageOf(usage: OperationUsage, shape: ProductShape): ProductUsage {
  let u = usage.get(shape.product.name);
  if (!u) usage.set(shape.product.name, (u = { selected: new Set(), revealed: new Map() }));
  return u;
}

/** Columns named in a coerced `where` value, through and/or/not. */
function whereColumns(where: unknown, shape: ProductShape, out: Set<FieldShape>): void {
  if (!where || typeof where !== 'object') return;
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (key === 'and' || key === 'or') for (const w of (value as unknown[]) ?? []) whereColumns(w, shape, out);
    else if (key === 'not') whereColumns(value, shape, out);
    else {
      const f = shape.fields.find((x) => x.name === key);
      if (f && value !== null && value !== undefined) out.add(f);
    }
  }
}

/** Records what the arguments of a product field (root list, reverse list) reveal. */
function recordArguments(args: Record<string, unknown>, shape: ProductShape, u: ProductUsage): void {
  const filtered = new Set<FieldShape>();
  whereColumns(args.where, shape, filtered);
  for (const f of filtered) u.revealed.set(f.field.name, 'filter');
  for (const item of (args.orderBy as Record<string, unknown>[] | undefined) ?? []) {
    for (const [name, dir] of Object.entries(item ?? {})) {
      const f = shape.fields.find((x) => x.name === name);
      if (f && dir) u.revealed.set(f.field.name, 'sort');
    }
  }
  for (const e of (args.groupBy as string[] | undefined) ?? []) {
    const f = shape.fields.find((x) => x.enumValue === e);
    if (f) u.revealed.set(f.field.name, 'group');
  }
  const key = args[shape.key.name];
  if (key !== undefined) u.revealed.set(shape.key.field.name, 'filter');
}

/** Analyses one operation of a document against the API schema. */
export function analyzeOperation(schema: GraphQLSchema, index: ProductIndex, document: DocumentNode, operation: OperationDefinitionNode, rawVariables: Record<string, unknown>): OperationUsage {
  // Analyse the values execution will use: defaults applied, a single value where a list is expected wrapped in a list.
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coercion.errors) throw new GraphQLError(coercion.errors[0]!.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  const variables = coercion.coerced;
  const usage: OperationUsage = new Map();
  const fieldVisitor = (typeInfo: TypeInfo) => ({
    Field(node: FieldNode) {
      const parent = typeInfo.getParentType();
      const def = typeInfo.getFieldDef();
      if (!parent || !def) return;
      const args: Record<string, unknown> = {};
      for (const a of node.arguments ?? []) {
        const argDef = def.args.find((x) => x.name === a.name.value);
        if (argDef) args[a.name.value] = valueFromAST(a.value, argDef.type, variables);
      }
      for (const argDef of def.args) if (!(argDef.name in args) && argDef.defaultValue !== undefined && isInputObjectType(getNamedType(argDef.type))) args[argDef.name] = argDef.defaultValue;
      const hit = index.classify(parent.name, node.name.value);
      if (!hit) return;
      const u = usageOf(usage, hit.shape);
      if (hit.kind === 'column') u.selected.add(hit.field.field.name);
      else if (hit.kind === 'aggregate') u.revealed.set(hit.field.field.name, 'aggregate');
      else if (hit.kind === 'product') recordArguments(args, hit.shape, u);
    },
  });
  // The operation and every fragment (validation refuses unused ones), each from its own type.
  const roots: ASTNode[] = [operation, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)];
  for (const node of roots) {
    const typeInfo = new TypeInfo(schema);
    visit(node, visitWithTypeInfo(typeInfo, fieldVisitor(typeInfo)));
  }
  return usage;
}
