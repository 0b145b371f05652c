/** Product names follow the mesh's naming convention and are unique (they name files, types and grants). */
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `product-name`: every descriptor `name` matches `naming.product` and no two products share a name or type. */
export const ProductNameRule: GovernanceRule = {
  id: 'product-name',
  description: 'Product names follow the naming convention and are unique in the mesh.',
  claims: (p) => p.source === 'descriptor' && p.path === 'name',
  check(ctx) {
    const { pattern, example } = ctx.config.naming.product;
    for (const p of ctx.claimed) reportProblem(ctx, p, `Give the product a unique name like "${example}" (${pattern.source}).`);
    for (const product of ctx.products) {
      if (pattern.test(product.name)) continue;
      ctx.report({
        product: product.name,
        file: ctx.relative(product.descriptorFile),
        message: `product name "${product.name}" does not match the naming convention ${pattern.source}`,
        fix: `Rename the product like "${example}" (consumers see the new name: announce it as a new product).`,
      });
    }
  },
};
