/** Every product's SLA meets the mesh's baselines (a product may promise more, never less). */
import type { DataProduct } from '../../../schema/index.js';
import { formatDuration, formatPercent } from '../formatDuration.js';
import type { GovernanceRule, RuleContext } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

const EXAMPLE: Readonly<Record<string, string>> = { freshness: '24h', completeness: '99%', availability: '99.9%' };

function checkProduct(ctx: RuleContext, product: DataProduct): void {
  const { required, maxFreshness, minCompleteness } = ctx.config.sla;
  const base = { product: product.name, file: ctx.relative(product.descriptorFile) };
  for (const entry of required) {
    if (product.sla.declared[entry] !== undefined) continue;
    ctx.report({
      ...base,
      message: `the SLA declares no ${entry}, which every product must`,
      fix: `Add "${entry}: ${EXAMPLE[entry]}" (or stricter) under sla: in the descriptor.`,
    });
  }
  const freshness = product.sla.freshnessMs;
  if (freshness !== undefined && freshness > maxFreshness) {
    ctx.report({
      ...base,
      message: `freshness ${String(product.sla.declared.freshness)} is looser than the mesh's baseline of ${formatDuration(maxFreshness)}`,
      fix: `Promise a freshness of ${formatDuration(maxFreshness)} or less under sla: (and refresh the output that often).`,
    });
  }
  const completeness = product.sla.completeness;
  if (completeness !== undefined && completeness < minCompleteness) {
    ctx.report({
      ...base,
      message: `completeness ${String(product.sla.declared.completeness)} is below the mesh's baseline of ${formatPercent(minCompleteness)}`,
      fix: `Promise a completeness of ${formatPercent(minCompleteness)} or more under sla: (and fill the required fields that often).`,
    });
  }
}

/** `sla-baseline`: the required SLA entries are declared, freshness is no looser and completeness no lower than governance.yaml says. */
export const SlaBaselineRule: GovernanceRule = {
  id: 'sla-baseline',
  description: 'SLAs meet the baselines: required entries declared, freshness no looser and completeness no lower than agreed.',
  claims: (p) => p.source === 'descriptor' && /^sla(\.|$)/.test(p.path),
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, 'Write the SLA entry as the message says, e.g. freshness: 24h, completeness: 99%.');
    for (const product of ctx.products) checkProduct(ctx, product);
  },
};
