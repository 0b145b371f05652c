/**
 * The one way meshgate walks a GraphQL operation: through inline fragments and fragment spreads,
 * leaving out every selection that `@skip` or `@include` excludes for the request's variables, with
 * each field's arguments as execution will see them (variables and defaults applied). The gateway's
 * row budget and access analysis and each subgraph's column selection all read operations through
 * here, so the three agree on what a query selects.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { BadUserInputError } from '../errors.js';

/** What a walk needs besides the selections: the document's fragments and the request's coerced variables. */
export interface WalkScope {
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The fragments of a document by name. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const out: Record<string, FragmentDefinitionNode> = Object.create(null) as Record<string, FragmentDefinitionNode>;
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) out[d.name.value] = d;
  return out;
}

/** Whether `@skip` and `@include` let a selection run with these variables; a value they cannot take (a null `if`) is BAD_USER_INPUT. */
export function isIncluded(node: SelectionNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  } catch (error) {
    throw new BadUserInputError((error as Error).message, { httpStatus: 400 });
  }
}

/** A field a selection set selects, and the type it is selected on. */
export interface CollectedField {
  readonly node: FieldNode;
  /** The innermost fragment's type condition, else the selection set's own type. */
  readonly on: string;
}

/**
 * The fields that `sets` select on an object of type `typeName`, in document order. With `exact`
 * (a subgraph resolving one known object type), a fragment whose type condition names another type
 * is not followed; without it (the gateway, before runtime types are known), every fragment is, and
 * its fields are selected on its type condition.
 */
export function collectFields(sets: readonly (SelectionSetNode | undefined)[], typeName: string, scope: WalkScope, exact = true): CollectedField[] {
  const out: CollectedField[] = [];
  // A fragment spread again selects the same fields again: following it once keeps nested spreads linear.
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, on: string): void => {
    for (const s of set?.selections ?? []) {
      if (!isIncluded(s, scope.variables)) continue;
      if (s.kind === Kind.FIELD) {
        out.push({ node: s, on });
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const condition = s.typeCondition?.name.value ?? on;
        if (!exact || condition === typeName) visit(s.selectionSet, condition);
      } else if (!spread.has(s.name.value)) {
        spread.add(s.name.value);
        const f = scope.fragments[s.name.value];
        const condition = f?.typeCondition.name.value;
        if (f && condition && (!exact || condition === typeName)) visit(f.selectionSet, condition);
      }
    }
  };
  for (const set of sets) visit(set, typeName);
  return out;
}

/** A field's arguments as execution sees them; a value that cannot be used there is the caller's mistake (BAD_USER_INPUT). */
export function fieldArguments(def: GraphQLField<unknown, unknown>, node: FieldNode, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, variables);
  } catch (error) {
    throw new BadUserInputError((error as Error).message, { httpStatus: 400 });
  }
}

/** One field of an operation, as {@link walkOperation} visits it. */
export interface WalkedField {
  /** The type the field is selected on. */
  readonly parentType: string;
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * Visits every field an operation would execute, from `rootType` down, once per field and parent
 * type however many fragments repeat it (so a document of nested fragment spreads costs what its
 * text costs, never exponentially more). `__typename` and unknown fields are passed over.
 */
export function walkOperation(schema: GraphQLSchema, rootType: string, selectionSet: SelectionSetNode, scope: WalkScope, visit: (field: WalkedField) => void): void {
  const seen = new Map<FieldNode, Set<string>>();
  const walk = (set: SelectionSetNode, typeName: string): void => {
    for (const { node, on } of collectFields([set], typeName, scope, false)) {
      const once = seen.get(node) ?? new Set<string>();
      if (once.has(on)) continue;
      seen.set(node, once.add(on));
      const type = schema.getType(on);
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      const def = type.getFields()[node.name.value];
      if (!def) continue;
      visit({ parentType: on, name: node.name.value, args: fieldArguments(def, node, scope.variables) });
      if (node.selectionSet) walk(node.selectionSet, getNamedType(def.type).name);
    }
  };
  walk(selectionSet, rootType);
}
