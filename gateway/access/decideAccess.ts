/**
 * Decides a whole operation before any data is read: every product it touches must be granted,
 * no denied field may be selected, and no masked or denied field may be filtered, sorted, grouped
 * or aggregated on (that would reveal its values). Anything else refuses the whole operation with
 * FORBIDDEN, so a caller never gets silently partial data.
 */
import { GraphQLError } from 'graphql';
import { evaluateAccess, type PolicyFile, type Principal, type ProductDecision } from '../../policies/index.js';
import type { OperationUsage } from './analyzeOperation.js';
import type { ProductIndex } from './ProductIndex.js';

const HOW = { filter: 'Filtering on', sort: 'Sorting by', group: 'Grouping by', aggregate: 'Aggregating' } as const;

/** A refusal, and what it refused (`product` or `product.column`), for the access log. */
export class AccessRefusal extends GraphQLError {
  constructor(message: string, readonly denied: string) {
    super(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  }
}

/** The decisions for every product an operation touches; throws FORBIDDEN when the operation must be refused. */
export function decideAccess(policy: PolicyFile, policyFile: string, principal: Principal, usage: OperationUsage, index: ProductIndex): Map<string, ProductDecision> {
  const decisions = new Map<string, ProductDecision>();
  for (const [name, use] of usage) {
    const shape = index.shape(name)!;
    const d = evaluateAccess(policy, principal, shape.product, policyFile);
    if (!d.allowed) throw new AccessRefusal(`You may not read the data product "${name}": no access rule grants it to your roles${principal.purpose ? ` and purpose "${principal.purpose}"` : ''}.`, name);
    const label = (column: string): string => `${shape.typeName}.${shape.fields.find((f) => f.field.name === column)?.name ?? column}`;
    for (const column of use.selected) {
      if (d.denied[column]) throw new AccessRefusal(`You may not read ${label(column)} of "${name}" (${d.denied[column]}).`, `${name}.${column}`);
    }
    for (const [column, how] of use.revealed) {
      if (d.denied[column]) throw new AccessRefusal(`${HOW[how]} ${label(column)} of "${name}" is not allowed: you may not read it (${d.denied[column]}).`, `${name}.${column}`);
      if (d.masks[column]) throw new AccessRefusal(`${HOW[how]} ${label(column)} of "${name}" is not allowed: you read it masked, and this would reveal its values.`, `${name}.${column}`);
    }
    decisions.set(name, d);
  }
  return decisions;
}
