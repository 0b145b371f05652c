/** References between products resolve: to a product of the mesh, to its key, with the key's type. */
import { referencedFields, type DataProduct } from '../../../schema/index.js';
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

/** A contract's composite references: to a product of the mesh with a key, one column per key column, of the key's types. */
function checkCompositeReferences(ctx: RuleContext, product: DataProduct): void {
  product.contract.references.forEach((ref, i) => {
    const report = (message: string, fix: string): void =>
      ctx.report({ product: product.name, file: ctx.relative(product.descriptorFile), message: `references[${i}]: ${message}`, fix });
    const target = ctx.product(ref.product);
    if (!target) return report(`"${ref.product}" is not a product of the mesh`, 'Name an existing product with a composite key, e.g. "order-lines".');
    const keys = target.contract.keys;
    if (keys.length === 0) return report(`"${ref.product}" has no key, so nothing can reference it`, `Drop the reference, or give "${ref.product}" a key.`);
    const fields = referencedFields(ref, target.contract);
    if (fields.join(',') !== keys.join(','))
      return report(
        `names ${fields.join(', ')} of "${ref.product}", whose key is ${keys.join(', ')}`,
        `Name one column per key column of "${ref.product}", in its key order: "columns": [${keys.map(() => '...').join(', ')}] for ${keys.join(', ')}.`,
      );
    if (ref.columns.length !== keys.length)
      return report(
        `has ${ref.columns.length} column(s) for the ${keys.length} key column(s) of "${ref.product}" (${keys.join(', ')})`,
        `Name one column per key column of "${ref.product}", in its key order.`,
      );
    ref.columns.forEach((column, c) => {
      const own = product.contract.fields.find((f) => f.name === column);
      const key = target.contract.fields.find((f) => f.name === keys[c]);
      if (own && key && own.type !== key.type)
        ctx.report({
          product: product.name,
          field: column,
          file: ctx.relative(product.descriptorFile),
          message: `references[${i}]: field "${column}" is ${own.type}, but the key column it references (${ref.product}.${key.name}) is ${key.type}`,
          fix: `Declare ${column} as ${key.type}, like ${key.name} of "${ref.product}".`,
        });
    });
  });
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

/** `references-resolve`: field and composite references name a product of the mesh and its key (of the same types); data-product inputs name a product of the mesh. */
export const ReferencesResolveRule: GovernanceRule = {
  id: 'references-resolve',
  description: 'References resolve to existing products and their keys.',
  // The loader checks field references across the mesh; its findings come here, the rest is checked below.
  claims: (p) => p.source === 'descriptor' && /^fields\.[^.]+\.references$/.test(p.path),
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, 'Reference the key of an existing product as "<product>.<key column>", e.g. customer-profiles.customer_id.');
    for (const product of ctx.products) {
      checkFieldTypes(ctx, product);
      checkCompositeReferences(ctx, product);
      checkInputs(ctx, product);
    }
  },
};
