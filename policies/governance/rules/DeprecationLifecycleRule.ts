/** A deprecated product tells its consumers where to go and by when; consumers of it hear about it. */
import type { DataProduct } from '../../../schema/index.js';
import type { GovernanceRule, RuleContext } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

function checkDeprecated(ctx: RuleContext, product: DataProduct): void {
  const base = { product: product.name, file: ctx.relative(product.descriptorFile) };
  const { successorRequired, sunsetRequired } = ctx.config.lifecycle;
  const { successor, sunset } = product;
  if (successor === undefined) {
    if (successorRequired) ctx.report({ ...base, message: 'deprecated without a successor', fix: 'Add "successor: <product>" naming the product that replaces this one.' });
  } else if (successor === product.name) {
    ctx.report({ ...base, message: 'deprecated with itself as successor', fix: 'Name the product that replaces this one as successor.' });
  } else {
    const next = ctx.product(successor);
    if (!next)
      ctx.report({ ...base, message: `successor "${successor}" is not a product of the mesh`, fix: `Name an existing product as successor, or publish "${successor}" first.` });
    else if (next.status === 'deprecated' || next.status === 'retired')
      ctx.report({ ...base, message: `successor "${successor}" is itself ${next.status}`, fix: `Name the product that replaces "${successor}" as successor.` });
  }
  if (sunset === undefined) {
    if (sunsetRequired) ctx.report({ ...base, message: 'deprecated without a sunset date', fix: 'Add "sunset: YYYY-MM-DD", the day the product stops being served.' });
  } else if (sunset <= ctx.today) {
    ctx.report({
      ...base,
      message: `sunset date ${sunset} is not in the future (today is ${ctx.today})`,
      fix: 'Retire the product now, or move its sunset date to a day consumers can still reach.',
    });
  }
}

/** The products that read `product`, as inputs or through a field or composite reference. */
function consumersOf(ctx: RuleContext, product: DataProduct): DataProduct[] {
  return ctx.products.filter(
    (p) =>
      p !== product &&
      (p.inputs.some((i) => i.type === 'data-product' && i.source === product.name) ||
        p.contract.fields.some((f) => f.references?.product === product.name) ||
        p.contract.references.some((r) => r.product === product.name)),
  );
}

/** `deprecation-lifecycle`: a deprecated product names an existing successor and a future sunset date; its consumers are warned. */
export const DeprecationLifecycleRule: GovernanceRule = {
  id: 'deprecation-lifecycle',
  description: 'A deprecated product names its successor (an existing product) and a sunset date in the future.',
  claims: (p) => p.source === 'descriptor' && ['status', 'successor', 'sunset'].includes(p.path),
  check(ctx) {
    for (const p of ctx.claimed)
      reportProblem(ctx, p, 'Write status, successor and sunset as the message says, e.g. status: deprecated, successor: orders-enriched, sunset: 2027-01-31.');
    for (const product of ctx.products) {
      if (product.status !== 'deprecated') continue;
      checkDeprecated(ctx, product);
      for (const consumer of consumersOf(ctx, product)) {
        ctx.report({
          severity: 'warning',
          product: consumer.name,
          file: ctx.relative(consumer.descriptorFile),
          message: `reads "${product.name}", which is deprecated${product.sunset ? ` (sunset ${product.sunset})` : ''}`,
          fix: product.successor ? `Move to "${product.successor}" before the sunset date.` : `Ask the owner of "${product.name}" (${product.owner}) what replaces it.`,
        });
      }
    }
  },
};
