/**
 * Decides a whole operation before any data is read: every product it touches must be granted,
 * no denied field may be selected, and no masked or denied field may be filtered, sorted, grouped,
 * aggregated or looked up by (that would reveal its values; policies/ states the rule, which each
 * subgraph applies again). Anything else refuses the whole operation with FORBIDDEN, so a caller
 * never gets silently partial data.
 */
import { decisionVisibility, evaluateAccess, revealingRefusal, type PolicyFile, type Principal, type ProductDecision } from '../../policies/index.js';
import { ForbiddenError } from '../../schema/index.js';
import type { OperationUsage } from './analyzeOperation.js';
import type { ProductIndex } from './ProductIndex.js';

/** A refusal, and what it refused (`product` or `product.column`), for the access log. */
export class AccessRefusal extends ForbiddenError {
  override readonly name = 'AccessRefusal';
  constructor(
    message: string,
    readonly denied: string,
  ) {
    super(message, { httpStatus: 403 });
  }
}

/** The decisions for every product an operation touches; throws FORBIDDEN when the operation must be refused. */
export function decideAccess(policy: PolicyFile, policyFile: string, principal: Principal, usage: OperationUsage, index: ProductIndex): Map<string, ProductDecision> {
  const decisions = new Map<string, ProductDecision>();
  for (const [name, use] of usage) {
    const shape = index.shape(name)!;
    const d = evaluateAccess(policy, principal, shape.product, policyFile);
    if (!d.allowed)
      throw new AccessRefusal(
        `You may not read the data product "${name}": no access rule grants it to your roles${principal.purpose ? ` and purpose "${principal.purpose}"` : ''}.`,
        name,
      );
    for (const column of use.selected) {
      if (d.denied[column]) throw new AccessRefusal(`You may not read ${shape.label(column)} of "${name}" (${d.denied[column]}).`, `${name}.${column}`);
    }
    for (const [column, how] of use.revealed) {
      const refusal = revealingRefusal(how, shape.label(column), name, decisionVisibility(d, column));
      if (refusal) throw new AccessRefusal(refusal, `${name}.${column}`);
    }
    decisions.set(name, d);
  }
  return decisions;
}
