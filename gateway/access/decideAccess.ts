/**
 * Decides a whole operation before any data is read: every product it touches must be granted,
 * no denied field may be selected, and no masked or denied field may be filtered, sorted, grouped,
 * aggregated or looked up by (that would reveal its values; policies/ states the rule, which each
 * subgraph applies again). Anything else refuses the whole operation with FORBIDDEN, so a caller
 * never gets silently partial data.
 */
import { decisionVisibility, evaluateAccess, measureRefusal, revealingRefusal, type PolicyFile, type Principal, type ProductDecision } from '../../policies/index.js';
import { catalogEntityType, ForbiddenError } from '../../schema/index.js';
import type { OperationUsage } from './analyzeOperation.js';
import type { CatalogScope } from './catalogScope.js';
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
    for (const measureName of use.measures ?? []) {
      const m = shape.measureNamed(measureName)!;
      const columns = m.columns.map((c) => ({ label: shape.label(c), visibility: decisionVisibility(d, c) }));
      const refusal = measureRefusal(`${shape.typeName}.${m.name}`, m.measure.name, name, columns, d.aggregable);
      if (refusal) throw new AccessRefusal(refusal, `${name}.${m.measure.name}`);
    }
    decisions.set(name, d);
  }
  return decisions;
}

/**
 * The decisions of a catalog request: every product the caller may read (the entries it will see),
 * never refusing (a product it may not read simply has no entry). They travel apart from the
 * operation's own decisions (the access context's `catalog`). Each product a sample or profile of
 * the operation may reach is recorded in `usage` as read, every column the decision does not deny,
 * so the access log shows it like a query.
 */
export function decideCatalog(
  policy: PolicyFile,
  policyFile: string,
  principal: Principal,
  index: ProductIndex,
  scope: CatalogScope,
  usage: OperationUsage,
): Map<string, ProductDecision> {
  const decisions = new Map<string, ProductDecision>();
  for (const shape of index.shapes) {
    const d = evaluateAccess(policy, principal, shape.product, policyFile);
    if (!d.allowed) continue;
    decisions.set(shape.product.name, d);
    const p = shape.product;
    if (!scope.reads.some((r) => (r.product === undefined || r.product === p.name) && (r.entityType === undefined || r.entityType === catalogEntityType(p.domain)))) continue;
    const use = usage.get(p.name) ?? { selected: new Set<string>(), revealed: new Map() };
    for (const f of p.contract.fields) if (!d.denied[f.name]) use.selected.add(f.name);
    usage.set(p.name, use);
  }
  return decisions;
}
