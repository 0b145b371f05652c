/**
 * Runs the gateway's access analysis on one operation as the enforcement plugin runs it: parsed,
 * validated against the API schema (an invalid operation never reaches the analysis, so a test that
 * writes one fails here), its variables coerced by operationScope, then analyzeOperation.
 */
import { Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { analyzeOperation, type OperationUsage } from '../../gateway/access/analyzeOperation.js';
import type { ProductIndex } from '../../gateway/access/ProductIndex.js';
import { createRequestContext } from '../../gateway/context.js';
import { operationScope } from '../../gateway/operation/operationScope.js';
import type { RevealingUse } from '../../policies/index.js';

/** What an operation reads of its schema, by product. */
export function usageOf(schema: GraphQLSchema, index: ProductIndex, query: string, variables: Record<string, unknown> = {}): OperationUsage {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length) throw new Error(`the test's operation is invalid: ${errors.map((e) => e.message).join('; ')}`);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return analyzeOperation(schema, index, operation, operationScope(createRequestContext({}), schema, document, operation, variables));
}

/** A usage as plain, sorted data: per product, the selected columns and how each revealed column is used. */
export function plainUsage(usage: OperationUsage): Record<string, { selected: string[]; revealed: Record<string, RevealingUse> }> {
  return Object.fromEntries(
    [...usage].map(([product, u]) => [product, { selected: [...u.selected].sort(), revealed: Object.fromEntries([...u.revealed].sort(([a], [b]) => a.localeCompare(b))) }]),
  );
}
