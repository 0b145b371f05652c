/**
 * The request's operation as the gateway's analyses (the row budget, the access analysis) read it:
 * its fragments and its variables coerced once (defaults applied, a single value where a list is
 * expected wrapped in a list), exactly as execution will see them. Raw variables would read
 * `$l: Int = 1000` as no limit given.
 */
import { getVariableValues, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { BadUserInputError, fragmentsOf, type WalkScope } from '../../schema/index.js';
import type { RequestContext } from '../context.js';

/** The operation's walk scope, computed on the first call of a request; variables that do not coerce are BAD_USER_INPUT. */
export function operationScope(
  ctx: RequestContext,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
): WalkScope {
  if (ctx.operation.scope) return ctx.operation.scope;
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coercion.errors) throw new BadUserInputError(coercion.errors[0]!.message, { httpStatus: 400 });
  return (ctx.operation.scope = { fragments: fragmentsOf(document), variables: coercion.coerced });
}
