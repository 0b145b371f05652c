/** References between products resolve: to a product of the mesh, to its key, with the key's type. */
import type { DataProduct } from '../../../schema/index.js';
import type { GovernanceRule, RuleContext } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

function checkFieldTypes(ctx: RuleContext, product: DataProduct): void {
  for (const field of product.contract.fields) {
    const ref = field.references;
    const target = ref && ctx.product(ref.product);
    const key = target?.contract.fields.find((f) => f.name === ref?.field && f.key);
    if (!ref || !key || key.type === field.type) continue;
    ctx.report({
      product: product.name,
      field: field.name,
      file: ctx.relative(product.descriptorFile),
      message: `field "${field.name}" is ${field.type}, but the key it references (${ref.product}.${ref.field}) is ${key.type}`,
      fix: `Declare ${field.name} as ${key.type}, like the key of "${ref.product}".`,
    });
  }
}

function checkInputs(ctx: RuleContext, product: DataProduct): void {
  for (const input of product.inputs.filter((i) => i.type === 'data-product')) {
    const base = { product: product.name, file: ctx.relative(product.descriptorFile) };
    const target = ctx.product(input.source);
    if (!target) {
      const left = input.domain && ctx.mesh.excluded.includes(input.domain) ? ` (its domain "${input.domain}" is left out of the mesh: see its own findings)` : '';
      ctx.report({
        ...base,
        message: `input "${input.source}" is not a product of the mesh${left}`,
        fix: `Name an existing product as input (or declare "${input.source}" with another type if it is not a data product).`,
      });
    } else if (input.domain !== undefined && input.domain !== target.domain) {
      ctx.report({
        ...base,
        message: `input "${input.source}" is said to come from domain "${input.domain}", but it belongs to "${target.domain}"`,
        fix: `Write domain: ${target.domain} for the input "${input.source}".`,
      });
    }
  }
}

/** `references-resolve`: field references name a product of the mesh and its key (of the same type); data-product inputs name a product of the mesh. */
export const ReferencesResolveRule: GovernanceRule = {
  id: 'references-resolve',
  description: 'References resolve to existing products and their keys.',
  // The loader checks field references across the mesh; its findings come here, the rest is checked below.
  claims: (p) => p.source === 'descriptor' && /^fields\.[^.]+\.references$/.test(p.path),
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, 'Reference the key of an existing product as "<product>.<key column>", e.g. customer-profiles.customer_id.');
    for (const product of ctx.products) {
      checkFieldTypes(ctx, product);
      checkInputs(ctx, product);
    }
  },
};
