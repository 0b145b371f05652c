/** Purposes of use come from the one list the mesh agreed on, so access policies can rely on them. */
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `known-purposes`: every purpose a contract names (for the product or a field) is in governance.yaml's `purposes`. */
export const KnownPurposesRule: GovernanceRule = {
  id: 'known-purposes',
  description: 'Allowed purposes are drawn from the known list.',
  claims: (p) => p.source === 'contract' && /(^|\.)purposes(\[\d+\])?$/.test(p.path),
  check(ctx) {
    const known = ctx.config.purposes;
    const fix = (purpose: string) => `Use one of the known purposes (${known.join(', ')}), or agree on "${purpose}" in policies/governance.yaml first.`;
    for (const p of ctx.claimed) reportProblem(ctx, p, fix('it'));
    for (const product of ctx.products) {
      const base = { product: product.name, file: ctx.relative(product.descriptorFile) };
      for (const purpose of product.contract.purposes.filter((x) => !known.includes(x))) {
        ctx.report({ ...base, message: `purpose "${purpose}" is not a known purpose of use`, fix: fix(purpose) });
      }
      for (const field of product.contract.fields) {
        for (const purpose of field.purposes.filter((x) => !known.includes(x))) {
          ctx.report({ ...base, field: field.name, message: `field "${field.name}" allows purpose "${purpose}", which is not a known purpose of use`, fix: fix(purpose) });
        }
      }
    }
  },
};
