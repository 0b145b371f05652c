/** Every PII classification in use has a mask in the access policy that fits the field, so PII is never served raw by default. */
import { classifiedParts, MASK_NAMES, maskMisfit } from '../../masks/masks.js';
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `pii-has-mask`: each classification other than `none` (of a field, a list's elements, a struct's members) maps to a mask (policies/access.yaml `masks:`) that applies to its type. */
export const PiiHasMaskRule: GovernanceRule = {
  id: 'pii-has-mask',
  description: 'Every PII classification in use is mapped to a mask that fits the field.',
  claims: (p) => p.source === 'policy',
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, 'Correct the access policy as the message says; until it loads, the gateway does not start.');
    // Without a readable policy every field would look unmasked: the policy's own problem says it all.
    if (ctx.claimed.length > 0) return;
    for (const product of ctx.products) {
      for (const field of product.contract.fields) {
        // A list's classification masks each element, a struct's members are masked one by one: each classified part must have a mask that fits it.
        for (const part of classifiedParts(field)) {
          const base = { product: product.name, field: field.name, file: ctx.relative(product.descriptorFile) };
          const what = part.path === field.name ? `field "${field.name}"` : `member "${part.path}" of field "${field.name}"`;
          const mask = ctx.masks[part.classification];
          if (!mask) {
            ctx.report({
              ...base,
              message: `${what} is classified "${part.classification}", which has no mask in the access policy`,
              fix: `Add "${part.classification}: <mask>" under masks: in the access policy (one of ${MASK_NAMES.join(', ')}).`,
            });
            continue;
          }
          const misfit = maskMisfit(mask, part.type, part.nullable);
          if (misfit) {
            const elements = field.type === 'list' && part.path === field.name ? ' (its elements)' : '';
            ctx.report({
              ...base,
              message: `${what}${elements} (${part.type}, classified "${part.classification}"): ${misfit}`,
              fix: `Map "${part.classification}" to a mask that fits ${part.type} values, or classify the ${part.path === field.name ? 'field' : 'member'} differently.`,
            });
          }
        }
      }
    }
  },
};
