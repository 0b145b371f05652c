/** Outputs carry their major version in their name, so a breaking change is a new output served side by side. */
import type { DataProduct } from '../../../schema/index.js';
import type { GovernanceRule, RuleContext } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

const SUFFIX = /-v(\d+)$/;

function checkProduct(ctx: RuleContext, product: DataProduct): void {
  const major = product.contract.version.split('.')[0]!;
  const served = product.outputs.findIndex((o) => o.format.toLowerCase() === 'parquet');
  product.outputs.forEach((output, i) => {
    const base = { product: product.name, file: ctx.relative(product.descriptorFile) };
    const m = SUFFIX.exec(output.name);
    if (!m) {
      ctx.report({ ...base, message: `output "${output.name}" has no version suffix: expected a name ending in -v<major>`, fix: `Name the output "${product.name}-v${major}".` });
    } else if (i === served && m[1] !== major) {
      ctx.report({
        ...base,
        message: `output "${output.name}" says major version ${m[1]}, but its contract is version ${product.contract.version}`,
        fix: `Name the output "${output.name.replace(SUFFIX, `-v${major}`)}", or give the contract the major version the name says.`,
      });
    }
  });
}

/** `output-versioned`: every output's name ends in `-v<major>`, the served one with its contract's major version. */
export const VersionedOutputRule: GovernanceRule = {
  id: 'output-versioned',
  description: "Output names end with -v<major>, the served output with its contract's major version.",
  claims: (p) => p.source === 'descriptor' && /^outputs\[\d+\]\.name$/.test(p.path),
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, 'Name the output in kebab-case with its major version, like "orders-enriched-v1".');
    if (!ctx.config.naming.versionedOutputs) return;
    for (const product of ctx.products) checkProduct(ctx, product);
  },
};
