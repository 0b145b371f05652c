/**
 * Classifications inside a field: a list's applies to each element, a struct's members carry their
 * own. The decision masks them by path (`address.street`), the policy check demands a fitting mask
 * for each, and filtering on a masked member (or a member of a masked or denied column) is refused.
 */
import { checkPolicies, decisionVisibility, evaluateAccess, grantOf, grantVisibility, policySchema, revealingRefusal, type Principal } from '../../policies/index.js';
import type { DataProduct, FieldContract } from '../../schema/index.js';

const field = (name: string, over: Partial<FieldContract> = {}): FieldContract => ({
  name,
  type: 'string',
  nullable: false,
  key: false,
  classification: 'none',
  purposes: [],
  ...over,
});

const PRODUCT = {
  name: 'parcels',
  domain: 'parcels',
  contract: {
    typeName: 'Parcel',
    fields: [
      field('parcel_id', { key: true }),
      field('emails', { type: 'list', items: { type: 'string', nullable: false }, classification: 'email' }),
      field('address', {
        type: 'struct',
        nullable: true,
        members: [
          { name: 'street', type: 'string', nullable: false, classification: 'address' },
          { name: 'country', type: 'string', nullable: false, classification: 'none' },
        ],
      }),
      field('stops', {
        type: 'list',
        items: { type: 'struct', nullable: false, members: [{ name: 'phone', type: 'string', nullable: true, classification: 'phone' }] },
      }),
    ],
  },
} as unknown as DataProduct;

const policy = (masks: Record<string, string>, unmask?: unknown): ReturnType<typeof policySchema.parse> =>
  policySchema.parse({ version: 1, masks, rules: [{ id: 'all', roles: ['analyst'], products: ['*'], ...(unmask !== undefined && { unmask }) }] });
const analyst: Principal = { sub: 'u', roles: ['analyst'], scopes: [], claims: {} };

describe('masks inside a field', () => {
  it('masks a list element-wise under its own column, and each classified member under its path', () => {
    const d = evaluateAccess(policy({ email: 'email', address: 'redact', phone: 'last4' }), analyst, PRODUCT);
    expect(Object.fromEntries(Object.entries(d.masks).map(([k, m]) => [k, m.mask]))).toEqual({ emails: 'email', 'address.street': 'redact', 'stops.phone': 'last4' });
    expect(d.denied).toEqual({});
  });

  it('unmasks a member by its own classification', () => {
    const d = evaluateAccess(policy({ email: 'email', address: 'redact', phone: 'last4' }, ['address']), analyst, PRODUCT);
    expect(Object.keys(d.masks).sort()).toEqual(['emails', 'stops.phone']);
  });

  it('refuses filtering on a masked member, a member of a denied column, and a masked list; allows an unmasked member', () => {
    const d = evaluateAccess(policy({ email: 'email', address: 'redact', phone: 'last4' }), analyst, PRODUCT);
    const g = grantOf(d);
    for (const path of ['address.street', 'emails', 'stops.phone']) {
      expect(revealingRefusal('filter', `Parcel.${path}`, 'parcels', decisionVisibility(d, path))).toMatch(/you read it masked/);
      expect(grantVisibility(g, path).seen).toBe('masked');
    }
    expect(decisionVisibility(d, 'address.country').seen).toBe('clear');
    expect(grantVisibility({ ...g, denied: ['address'] }, 'address.country').seen).toBe('denied');
    // A mask on the whole column masks every member below it.
    expect(grantVisibility({ ...g, masks: { address: 'null' } }, 'address.country').seen).toBe('masked');
  });

  it('checks that every classified member and element has a mask that fits its type', () => {
    const problems = checkPolicies('access.yaml', policy({ email: 'email', address: 'year' }), [PRODUCT]).errors.map((p) => p.message);
    expect(problems).toEqual([
      'the "year" mask applies to date, timestamp fields, not string (parcels.address.street is a string)',
      'expected a mask for classification "phone" (used by parcels.stops.phone)',
    ]);
    expect(checkPolicies('access.yaml', policy({ email: 'email', address: 'redact', phone: 'last4' }), [PRODUCT]).errors).toEqual([]);
  });

  it('denies the whole field when a member has no mask, so a decision never serves it raw', () => {
    const d = evaluateAccess(policy({ email: 'email', address: 'redact' }), analyst, PRODUCT);
    expect(d.denied.stops).toMatch(/classification "phone" has no mask/);
  });
});
