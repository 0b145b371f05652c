/** Every product has an owner that can be reached: whoever finds a problem knows whom to tell. */
import type { GovernanceRule } from '../GovernanceRule.js';
import type { OwnerKind } from '../governanceConfigSchema.js';
import { reportProblem } from '../reportProblem.js';

const KINDS: Readonly<Record<OwnerKind, { readonly test: RegExp; readonly what: string; readonly example: string }>> = {
  email: { test: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, what: 'an email address', example: 'commerce-data-team@company.com' },
  'team-handle': { test: /^@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)?$/i, what: 'a @team handle', example: '@commerce-data' },
};

/** `product-has-owner`: the descriptor's `owner` is an email address or a @team handle (as governance.yaml allows). */
export const ProductHasOwnerRule: GovernanceRule = {
  id: 'product-has-owner',
  description: 'Every product has an owner that can be reached: an email address or a @team handle.',
  claims: (p) => p.source === 'descriptor' && p.path === 'owner',
  check(ctx) {
    const kinds = ctx.config.owners.map((k) => KINDS[k]);
    const what = kinds.map((k) => k.what).join(' or ');
    const fix = `Set owner to the owning team's ${kinds.map((k) => `${k.what.replace(/^an? /, '')} (e.g. ${k.example})`).join(' or ')}.`;
    for (const p of ctx.claimed) reportProblem(ctx, p, fix, `no owner: expected ${what}`);
    for (const product of ctx.products) {
      if (kinds.some((k) => k.test.test(product.owner))) continue;
      ctx.report({ product: product.name, file: ctx.relative(product.descriptorFile), message: `owner "${product.owner}" cannot be reached: expected ${what}`, fix });
    }
  },
};
