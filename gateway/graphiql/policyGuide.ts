/**
 * The access policy as the GraphiQL page tells it: who may read what (one entry per rule that
 * grants people), and the roles and purposes a dev token may be minted with. The domains' own
 * builds read as `service:<domain>` principals; those rules and roles are left out, so a dev token
 * cannot impersonate a build.
 */
import type { AccessRule, PolicyFile, RowFilterSpec } from '../../policies/index.js';

const SERVICE = /^service:/;
const DOMAIN = '{domain}';

const grantsPeople = (rule: AccessRule): boolean => rule.roles.some((r) => !SERVICE.test(r));

/** The roles people can hold under `policy`, `{domain}` expanded to each of `domains`, in the policy's order. */
export function offeredRoles(policy: PolicyFile, domains: readonly string[]): string[] {
  const roles = new Set<string>();
  for (const role of policy.rules.flatMap((r) => r.roles)) {
    if (SERVICE.test(role)) continue;
    for (const r of role.includes(DOMAIN) ? domains.map((d) => role.replaceAll(DOMAIN, d)) : [role]) roles.add(r);
  }
  return [...roles];
}

/** The purposes the rules that grant people name. */
export function offeredPurposes(policy: PolicyFile): string[] {
  return [...new Set(policy.rules.filter(grantsPeople).flatMap((r) => r.purposes ?? []))];
}

/** The claims a row filter reads, e.g. `countries`. */
function claimsOf(filter: RowFilterSpec): string[] {
  return Object.values(filter).flatMap((v) => {
    if (Array.isArray(v)) return v.flatMap(claimsOf);
    return Object.values(v ?? {}).flatMap((operand) => (operand !== null && typeof operand === 'object' && 'claim' in operand ? [operand.claim] : []));
  });
}

function unmaskedPart(rule: AccessRule): string {
  if (rule.unmask === 'all') return 'unmasked';
  if (rule.unmask === 'contract-purposes') return 'PII unmasked where its contract allows the purpose, masked elsewhere';
  if (rule.unmask) return `${rule.unmask.join(', ')} unmasked, other PII masked`;
  return 'PII masked';
}

/** What one rule grants, in a line: who, which products (and rows), masked or not. */
function describeRule(rule: AccessRule): string {
  const who = rule.roles
    .filter((r) => !SERVICE.test(r))
    .map((r) => r.replaceAll(DOMAIN, '<domain>'))
    .join(', ');
  const purpose = rule.purposes ? ` with purpose ${rule.purposes.join(' or ')}` : '';
  const scope = rule.scopes ? ` and scope ${rule.scopes.join(' or ')}` : '';
  const ownDomain = rule.roles.some((r) => r.includes(DOMAIN));
  const products = rule.products.includes('*') ? (ownDomain ? "every product of the role's own domain" : 'every product') : rule.products.join(', ');
  const except = rule.exceptProducts.length ? ` but ${rule.exceptProducts.join(', ')}` : '';
  const fields = rule.fields ? ` (fields ${rule.fields.join(', ')} only)` : '';
  const claims = rule.rows ? [...new Set(claimsOf(rule.rows))] : [];
  const rows = rule.rows ? (claims.length ? `, only the rows your token's ${claims.join(', ')} allow` : ', only some rows') : '';
  return `${who}${purpose}${scope}: ${products}${except}${fields}${rows}; ${unmaskedPart(rule)}.`;
}

/** Who may read what under `policy`: one entry per rule that grants people, with the rule's own description. */
export function describeRules(policy: PolicyFile): { readonly grant: string; readonly description?: string }[] {
  return policy.rules.filter(grantsPeople).map((r) => ({ grant: describeRule(r), ...(r.description && { description: r.description }) }));
}
