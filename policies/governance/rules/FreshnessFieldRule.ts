/** A declared `sla.freshness_field` names a timestamp (or date) field of the contract, so freshness can be measured from the data. */
import type { GovernanceRule } from '../GovernanceRule.js';

/** `freshness-field`: `sla.freshness_field`, when given, is a timestamp or date field of the product's contract. */
export const FreshnessFieldRule: GovernanceRule = {
  id: 'freshness-field',
  description: 'sla.freshness_field, when declared, names a timestamp or date field of the contract.',
  check(ctx) {
    for (const product of ctx.products) {
      const declared = product.sla.declared.freshness_field;
      if (declared === undefined) continue;
      const base = { product: product.name, file: ctx.relative(product.descriptorFile) };
      const candidates = product.contract.fields.filter((f) => f.type === 'timestamp' || f.type === 'date').map((f) => f.name);
      const fix = candidates.length
        ? `Name one of the contract's timestamp or date fields (${candidates.join(', ')}), or remove freshness_field to measure freshness from when each version's data is as of.`
        : "Remove freshness_field: freshness is then measured from when each version's data is as of (its build's start).";
      if (typeof declared !== 'string') {
        ctx.report({ ...base, message: `sla.freshness_field must be a field name, got ${JSON.stringify(declared)}`, fix });
        continue;
      }
      const field = product.contract.fields.find((f) => f.name === declared);
      if (!field) ctx.report({ ...base, field: declared, message: `sla.freshness_field names "${declared}", which is not a field of the contract`, fix });
      else if (field.type !== 'timestamp' && field.type !== 'date')
        ctx.report({ ...base, field: declared, message: `sla.freshness_field names "${declared}", a ${field.type} field: expected a timestamp or date`, fix });
    }
  },
};
