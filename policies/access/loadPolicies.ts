/**
 * Loads the access-policy file and checks it against the mesh it governs: every product and
 * column a rule names exists, every PII classification in use has a mask, and every mask fits the
 * fields it would apply to. A policy with problems is refused whole (fail closed).
 */
import { formatProblem, type DataProduct, type DeclarationProblem, type Result } from '../../schema/index.js';
import { readStructured, zodProblems } from '../../schema/index.js';

import { classifiedParts, maskMisfit } from '../masks/masks.js';
import { policySchema, type PolicyFile, type RowFilterSpec } from './policySchema.js';

function columnsOf(spec: RowFilterSpec): string[] {
  return Object.entries(spec).flatMap(([k, v]) => (Array.isArray(v) ? v.flatMap(columnsOf) : [k]));
}

/** What is wrong with a policy (refused) and what is only worth saying (a grant of a product not served now). */
export interface PolicyCheck {
  readonly errors: DeclarationProblem[];
  readonly warnings: DeclarationProblem[];
}

/** Checks a validated policy against the products served now. */
export function checkPolicies(file: string, policy: PolicyFile, products: readonly DataProduct[]): PolicyCheck {
  const problems: DeclarationProblem[] = [];
  const warnings: DeclarationProblem[] = [];
  const byName = new Map(products.map((p) => [p.name, p]));
  policy.rules.forEach((rule, i) => {
    // A grant of a product that is not served grants nothing (its domain may be left out for now).
    for (const name of rule.products.filter((p) => p !== '*'))
      if (!byName.has(name)) warnings.push({ file, path: `rules[${i}].products`, message: `no product "${name}" is served, so this grants nothing` });
    const targets = rule.products.includes('*') ? products : rule.products.map((n) => byName.get(n)).filter((p): p is DataProduct => !!p);
    if (targets.length === 0) return;
    // A misspelt column would silently deny nothing or filter nothing: refused.
    const columns = [...(rule.fields ?? []), ...rule.denyFields, ...(rule.rows ? columnsOf(rule.rows) : [])];
    for (const c of new Set(columns)) {
      if (!targets.some((p) => p.contract.fields.some((f) => f.name === c))) problems.push({ file, path: `rules[${i}]`, message: `no granted product has a column "${c}"` });
    }
    // A misspelt name in `aggregate` would silently lift nothing.
    for (const name of new Set(rule.aggregate ?? [])) {
      if (!targets.some((p) => p.contract.fields.some((f) => f.name === name) || p.contract.measures.some((m) => m.name === name)))
        problems.push({
          file,
          path: `rules[${i}].aggregate`,
          message: `no granted product has a column or measure "${name}": name a column or a measure of the contract, in snake_case`,
        });
    }
  });
  for (const p of products) {
    // Every classified value: a field, a list's elements, a struct's members (masked member by member).
    for (const part of p.contract.fields.flatMap(classifiedParts)) {
      const mask = policy.masks[part.classification];
      if (!mask) problems.push({ file, path: 'masks', message: `expected a mask for classification "${part.classification}" (used by ${p.name}.${part.path})` });
      else {
        const misfit = maskMisfit(mask, part.type, part.nullable);
        if (misfit)
          problems.push({ file, path: `masks.${part.classification}`, message: `${misfit} (${p.name}.${part.path} is ${part.nullable ? 'a nullable' : 'a'} ${part.type})` });
      }
    }
  }
  return { errors: problems, warnings };
}

/** Loads and checks the policy file; warnings go to `warn`. */
export async function loadPolicies(file: string, products: readonly DataProduct[], warn: (p: DeclarationProblem) => void = () => undefined): Promise<Result<PolicyFile>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  const parsed = policySchema.safeParse(raw.value);
  if (!parsed.success) return { errors: zodProblems(file, parsed.error) };
  const { errors, warnings } = checkPolicies(file, parsed.data, products);
  warnings.forEach(warn);
  return errors.length ? { errors } : { value: parsed.data };
}

/** One line per problem, for a refusal message. */
export const describeProblems = (problems: readonly DeclarationProblem[]): string => problems.map(formatProblem).join('\n');
