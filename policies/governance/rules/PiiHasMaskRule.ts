/** Every PII classification in use has a mask in the access policy that fits the field, so PII is never served raw by default. */
import { MASK_NAMES, maskMisfit } from '../../masks/masks.js';
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `pii-has-mask`: each classification other than `none` maps to a mask (policies/access.yaml `masks:`) that applies to the field's type. */
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
        if (field.classification === 'none') continue;
        const base = { product: product.name, field: field.name, file: ctx.relative(product.descriptorFile) };
        const mask = ctx.masks[field.classification];
        if (!mask) {
          ctx.report({
            ...base,
            message: `field "${field.name}" is classified "${field.classification}", which has no mask in the access policy`,
            fix: `Add "${field.classification}: <mask>" under masks: in the access policy (one of ${MASK_NAMES.join(', ')}).`,
          });
          continue;
        }
        const misfit = maskMisfit(mask, field.type, field.nullable);
        if (misfit) {
          ctx.report({
            ...base,
            message: `field "${field.name}" (${field.type}, classified "${field.classification}"): ${misfit}`,
            fix: `Map "${field.classification}" to a mask that fits ${field.type} fields, or classify the field differently.`,
          });
        }
      }
    }
  },
};
