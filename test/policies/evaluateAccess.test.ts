import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { evaluateAccess, loadPolicies, type PolicyFile, type Principal } from '../../policies/index.js';
import { loadMesh, type DataProduct } from '../../schema/index.js';

let products: DataProduct[];
let policy: PolicyFile;
const product = (name: string): DataProduct => products.find((p) => p.name === name)!;
const who = (roles: string[], extra: Partial<Principal> = {}): Principal => ({ sub: 'u', roles, scopes: [], claims: {}, ...extra });
const masks = (d: ReturnType<typeof evaluateAccess>): Record<string, string> => Object.fromEntries(Object.entries(d.masks).map(([c, m]) => [c, m.mask]));

beforeAll(async () => {
  const mesh = await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: '/data' });
  products = mesh.domains.flatMap((d) => d.products);
  const r = await loadPolicies(path.join(REPO_ROOT, 'policies/access.yaml'), products);
  policy = r.value!;
});

describe('the sample policies', () => {
  it('mask every PII field for an analyst', () => {
    const d = evaluateAccess(policy, who(['analyst']), product('customer-profiles'));
    expect(d.allowed).toBe(true);
    expect(masks(d)).toEqual({ full_name: 'redact', email: 'email', phone: 'last4', birth_date: 'year' });
    expect(masks(evaluateAccess(policy, who(['analyst']), product('payments')))).toEqual({ card_number: 'last4' });
  });

  it("unmask a domain's own products for its owners only", () => {
    expect(masks(evaluateAccess(policy, who(['customers-owner']), product('customer-profiles')))).toEqual({});
    expect(masks(evaluateAccess(policy, who(['customers-owner']), product('payments')))).toEqual({ card_number: 'last4' });
    expect(masks(evaluateAccess(policy, who(['payments-owner']), product('payments')))).toEqual({});
  });

  it('unmask email and phone for the fulfillment purpose because the contract allows it', () => {
    const d = evaluateAccess(policy, who(['app'], { purpose: 'fulfillment' }), product('customer-profiles'));
    expect(masks(d)).toEqual({ full_name: 'redact', birth_date: 'year' });
    expect(d.grantedBy).toEqual(['fulfillment-apps']);
  });

  it('grant an app nothing without the fulfillment purpose', () => {
    expect(evaluateAccess(policy, who(['app']), product('customer-profiles')).allowed).toBe(false);
    expect(evaluateAccess(policy, who(['app'], { purpose: 'marketing' }), product('orders-enriched')).allowed).toBe(false);
  });

  it("restrict a partner to its countries' orders and nothing else", () => {
    const d = evaluateAccess(policy, who(['partner'], { claims: { countries: ['DE', 'FR'] } }), product('orders-enriched'));
    expect(d.rows).toEqual({ column: 'shipping_country', op: 'in', value: ['DE', 'FR'] });
    expect(d.rowRules).toEqual(['partners-read-their-countries-orders']);
    expect(evaluateAccess(policy, who(['partner']), product('customer-profiles')).allowed).toBe(false);
  });

  it('give a partner without a countries claim no rows at all', () => {
    expect(evaluateAccess(policy, who(['partner']), product('orders-enriched')).rows).toEqual({ or: [] });
    expect(evaluateAccess(policy, who(['partner'], { claims: { countries: 'DE' } }), product('orders-enriched')).rows).toEqual({ or: [] });
  });

  it('grant nothing to a caller without a known role', () => {
    expect(evaluateAccess(policy, who([]), product('orders-enriched')).allowed).toBe(false);
    expect(evaluateAccess(policy, who(['Analyst']), product('orders-enriched')).allowed).toBe(false);
  });
});

describe('rule semantics', () => {
  const base: PolicyFile = { version: 1, masks: { email: 'email', name: 'redact', phone: 'last4', 'date-of-birth': 'year', pan: 'last4' }, rules: [] };
  const rule = (r: Partial<PolicyFile['rules'][number]>): PolicyFile['rules'][number] => ({ id: 'r', roles: ['x'], products: ['*'], exceptProducts: [], denyFields: [], ...r });

  it('lets denyFields win over any grant', () => {
    const p = { ...base, rules: [rule({ id: 'all', unmask: 'all' }), rule({ id: 'no-email', denyFields: ['email'] })] };
    const d = evaluateAccess(p, who(['x']), product('customer-profiles'));
    expect(d.denied).toEqual({ email: 'denied by rule "no-email"' });
    expect(d.masks).toEqual({});
  });

  it('denies the fields no rule grants when rules list fields', () => {
    const p = { ...base, rules: [rule({ fields: ['customer_id', 'country'] })] };
    const d = evaluateAccess(p, who(['x']), product('customer-profiles'));
    expect(Object.keys(d.denied).sort()).toEqual(['birth_date', 'city', 'email', 'full_name', 'lifetime_value', 'marketing_opt_in', 'phone', 'segment', 'signup_at']);
  });

  it('gives every row when any granting rule has no row filter (rules only grant)', () => {
    const p = { ...base, rules: [rule({ id: 'some', rows: { country: { eq: 'DE' } } }), rule({ id: 'all' })] };
    expect(evaluateAccess(p, who(['x']), product('customer-profiles')).rows).toBeNull();
  });

  it('ORs the row filters of several granting rules', () => {
    const p = { ...base, rules: [rule({ id: 'de', rows: { country: { eq: 'DE' } } }), rule({ id: 'vip', rows: { segment: { eq: 'vip' } } })] };
    expect(evaluateAccess(p, who(['x']), product('customer-profiles')).rows).toEqual({
      or: [
        { column: 'country', op: 'eq', value: 'DE' },
        { column: 'segment', op: 'eq', value: 'vip' },
      ],
    });
  });

  it('denies a PII field whose classification has no mask (fail closed)', () => {
    const p = { ...base, masks: {}, rules: [rule({})] };
    expect(evaluateAccess(p, who(['x']), product('customer-profiles')).denied.email).toBe('classification "email" has no mask in policies/access.yaml');
  });
});
