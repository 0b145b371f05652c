/** Field (column) names follow the mesh's naming convention, so every product reads alike. */
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `field-name`: every contract field name matches `naming.field`. */
export const FieldNameRule: GovernanceRule = {
  id: 'field-name',
  description: 'Field names follow the naming convention.',
  claims: (p) => p.source === 'contract' && /(^|\.)(fields|properties)\[\d+\]\.name$/.test(p.path),
  check(ctx) {
    const { pattern, example } = ctx.config.naming.field;
    for (const p of ctx.claimed) reportProblem(ctx, p, `Name the field like "${example}" (${pattern.source}).`);
    for (const product of ctx.products) {
      for (const field of product.contract.fields) {
        if (pattern.test(field.name)) continue;
        ctx.report({
          product: product.name,
          field: field.name,
          file: ctx.relative(product.descriptorFile),
          message: `field name "${field.name}" does not match the naming convention ${pattern.source}`,
          fix: `Rename the column like "${example}" in the output and the contract (a breaking change: publish it as a new major version).`,
        });
      }
    }
  },
};
