/** Every field says whether it is personal data: an unclassified field could leak PII unmasked. */
import { CLASSIFICATIONS } from '../../../schema/index.js';
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

const PII = CLASSIFICATIONS.filter((c) => c !== 'none').join(', ');

/**
 * `fields-classified`: every contract field carries a classification. The loader already refuses an
 * unclassified field (and leaves its domain out); this rule reports that refusal under its name.
 */
export const FieldsClassifiedRule: GovernanceRule = {
  id: 'fields-classified',
  description: 'Every field is classified: "none", or the PII class that decides its mask.',
  claims: (p) => p.source === 'contract' && /(^|\.)classification$/.test(p.path),
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, `Classify ${p.field ?? 'the field'}: "none" if it is not personal data, else its PII class (${PII}).`);
    for (const product of ctx.products) {
      for (const field of product.contract.fields) {
        if ((CLASSIFICATIONS as readonly string[]).includes(field.classification)) continue;
        ctx.report({
          product: product.name,
          field: field.name,
          file: ctx.relative(product.descriptorFile),
          message: `field "${field.name}" has no valid classification`,
          fix: `Classify ${field.name}: "none" if it is not personal data, else its PII class (${PII}).`,
        });
      }
    }
  },
};
