/**
 * The access decision for one caller and one product: which rules grant it, which fields are
 * masked or denied, and which rows are visible. Rules only grant (their union is what the caller
 * gets); `denyFields` and missing grants take away, and nothing is unmasked unless a rule says so.
 */
import type { Classification, DataProduct } from '../../schema/index.js';
import { classifiedParts } from '../masks/masks.js';
import type { AccessRule, PolicyFile, RowFilterSpec } from './policySchema.js';
import type { FieldMask, Principal, ProductDecision, RowPredicate, RowValue } from './Decision.js';

/** Whether a rule applies to this caller for this product. */
function applies(rule: AccessRule, principal: Principal, product: DataProduct): boolean {
  const roleMatch = rule.roles.some((r) => principal.roles.includes(r.replaceAll('{domain}', product.domain)));
  const scopeMatch = !rule.scopes || rule.scopes.some((s) => principal.scopes.includes(s));
  const purposeMatch = !rule.purposes || (principal.purpose !== undefined && rule.purposes.includes(principal.purpose));
  const productMatch = (rule.products.includes('*') || rule.products.includes(product.name)) && !rule.exceptProducts.includes(product.name);
  return roleMatch && scopeMatch && purposeMatch && productMatch;
}

/** Whether a rule unmasks a value of `classification` in a field with these contract purposes. */
function unmasks(rule: AccessRule, principal: Principal, purposes: readonly string[], classification: Classification): boolean {
  if (rule.unmask === 'all') return true;
  if (rule.unmask === 'contract-purposes') return principal.purpose !== undefined && purposes.includes(principal.purpose);
  return rule.unmask?.includes(classification) ?? false;
}

/** Fills a rule's row filter with the caller's claims; a missing or ill-typed claim matches no row. */
export function resolveRows(spec: RowFilterSpec, claims: Readonly<Record<string, unknown>>): RowPredicate {
  const none: RowPredicate = { or: [] };
  const parts: RowPredicate[] = [];
  for (const [column, filter] of Object.entries(spec)) {
    if (filter === undefined) continue;
    if (Array.isArray(filter)) {
      const items = filter.map((f) => resolveRows(f, claims));
      parts.push(column === 'or' ? { or: items } : { and: items });
      continue;
    }
    for (const [op, raw] of Object.entries(filter)) {
      if (raw === undefined) continue;
      const value = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? claims[(raw as { claim: string }).claim] : raw;
      if (op === 'isNull') parts.push({ column, op, value: value as boolean });
      else if (op === 'in' || op === 'nin') {
        if (!Array.isArray(value) || !value.every(isRowValue)) return none;
        parts.push({ column, op, value });
      } else {
        if (!isRowValue(value)) return none;
        parts.push({ column, op: op as 'eq', value });
      }
    }
  }
  return parts.length === 1 ? parts[0]! : { and: parts };
}

const isRowValue = (v: unknown): v is RowValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Decides what `principal` may read of `product` under `policy`. */
export function evaluateAccess(policy: PolicyFile, principal: Principal, product: DataProduct, policyFile = 'policies/access.yaml'): ProductDecision {
  const matching = policy.rules.filter((r) => applies(r, principal, product));
  if (matching.length === 0) return { product: product.name, allowed: false, grantedBy: [], masks: {}, denied: {}, rows: { or: [] }, rowRules: [] };
  const masks: Record<string, FieldMask> = {};
  const denied: Record<string, string> = {};
  for (const field of product.contract.fields) {
    const denier = matching.find((r) => r.denyFields.includes(field.name));
    if (denier) denied[field.name] = `denied by rule "${denier.id}"`;
    else if (!matching.some((r) => !r.fields || r.fields.includes(field.name))) denied[field.name] = 'not granted by any rule';
    else {
      // The field's own classification (a list's applies to each element), then each struct member's: masks by path (`address.street`).
      for (const part of classifiedParts(field)) {
        if (matching.some((r) => unmasks(r, principal, field.purposes, part.classification))) continue;
        const mask = policy.masks[part.classification];
        if (mask) masks[part.path] = { mask, reason: `classification "${part.classification}" → mask "${mask}" (masks of ${policyFile})` };
        // A member without a mask cannot be hidden on its own: the whole field is denied (fail closed).
        else denied[field.name] = `classification "${part.classification}" has no mask in ${policyFile}`;
      }
    }
  }
  const unfiltered = matching.some((r) => !r.rows);
  const rowRules = matching.filter((r) => r.rows);
  const aggregable = [...new Set(matching.flatMap((r) => r.aggregate ?? []))];
  return {
    product: product.name,
    allowed: true,
    grantedBy: matching.map((r) => r.id),
    masks,
    denied,
    rows: unfiltered ? null : rowRules.length === 1 ? resolveRows(rowRules[0]!.rows!, principal.claims) : { or: rowRules.map((r) => resolveRows(r.rows!, principal.claims)) },
    rowRules: unfiltered ? [] : rowRules.map((r) => r.id),
    ...(aggregable.length && { aggregable }),
  };
}
