/** Outputs are published only in formats every domain can read without meshgate. */
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `interoperable-format`: every output's `format` is one of governance.yaml's `formats`. */
export const InteroperableFormatRule: GovernanceRule = {
  id: 'interoperable-format',
  description: 'Outputs use interoperable formats only.',
  claims: (p) => p.source === 'descriptor' && (/^outputs\[\d+\]\.format$/.test(p.path) || (p.path === 'outputs' && /format/.test(p.message))),
  check(ctx) {
    const formats = ctx.config.formats;
    const fix = `Publish the output as ${formats.join(' or ')}.`;
    for (const p of ctx.claimed) reportProblem(ctx, p, fix);
    for (const product of ctx.products) {
      for (const output of product.outputs) {
        if (formats.includes(output.format.toLowerCase())) continue;
        ctx.report({
          product: product.name,
          file: ctx.relative(product.descriptorFile),
          message: `output "${output.name}" is published as "${output.format}", which is not an interoperable format (${formats.join(', ')})`,
          fix,
        });
      }
    }
  },
};
