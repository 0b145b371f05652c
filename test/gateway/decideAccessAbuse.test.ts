/**
 * Misuse of the gateway's decision: every disguise of a filter, sort, grouping or aggregate on a
 * field the caller reads masked or not at all must still be FORBIDDEN, naming that field; a
 * caller's own filter never changes the rows the decision grants.
 */
import type { GraphQLSchema } from 'graphql';
import { ProductIndex } from '../../gateway/access/ProductIndex.js';
import { checkPolicies, type PolicyFile, type Principal } from '../../policies/index.js';
import type { ProductShape } from '../../schema/index.js';
import { decide, refusalOf, type Outcome } from '../support/decide.js';
import { CALLERS, loadSampleMesh, sampleApiSchema } from '../support/sampleMesh.js';

let schema: GraphQLSchema;
let index: ProductIndex;
let policy: PolicyFile;
let shapes: readonly ProductShape[];

beforeAll(async () => {
  const sample = await loadSampleMesh();
  schema = sampleApiSchema(sample.mesh);
  index = new ProductIndex(sample.shapes);
  policy = sample.policy;
  shapes = sample.shapes;
});

const run = (who: Principal, query: string, variables?: Record<string, unknown>, p: PolicyFile = policy): Outcome => decide(schema, index, p, who, query, variables);
const analyst = (query: string, variables?: Record<string, unknown>): string => refusalOf(run(CALLERS.analyst, query, variables));

describe('an analyst disguising a filter on a masked field', () => {
  it('is refused for a filter inside not', () => {
    expect(analyst('{ customers(where: { not: { birthDate: { lt: "1980-01-01" } } }) { customerId } }')).toBe('customer-profiles.birth_date');
  });

  it('is refused for a filter deep inside and, or and not', () => {
    expect(analyst('{ customers(where: { and: [{ country: { eq: "DE" } }, { or: [{ not: { not: { and: [{ phone: { like: "+49%" } }] } } }] }] }) { customerId } }')).toBe(
      'customer-profiles.phone',
    );
  });

  it('is refused for a filter in an and given as one object instead of a list', () => {
    expect(analyst('{ customers(where: { and: { email: { ilike: "%@x.io" } } }) { customerId } }')).toBe('customer-profiles.email');
  });

  it('is refused for a filter inside a fragment, under an alias', () => {
    expect(analyst('{ ...Q } fragment Q on Query { harmless: customers(where: { fullName: { eq: "Ada" } }) { country } }')).toBe('customer-profiles.full_name');
  });

  it('is refused for a filter that only isNull tests', () => {
    expect(analyst('{ customers(where: { phone: { isNull: true } }) { customerId } }')).toBe('customer-profiles.phone');
  });

  it("is refused for a filter inside a reverse list's where", () => {
    expect(analyst('{ orders { orderId payments(where: { cardNumber: { like: "4%" } }) { amount } } }')).toBe('payments.card_number');
  });

  it('is refused for a filter passed as a variable, or as its default', () => {
    expect(analyst('query($w: CustomerWhere) { customers(where: $w) { customerId } }', { w: { not: { email: { eq: 'a@x.io' } } } })).toBe('customer-profiles.email');
    expect(analyst('query($w: CustomerWhere = { birthDate: { gte: "1990-01-01" } }) { customers(where: $w) { customerId } }')).toBe('customer-profiles.birth_date');
  });

  it('is refused for a filter under a directive that lets it run', () => {
    expect(analyst('query($on: Boolean!) { customers(where: { email: { eq: "a@x.io" } }) @include(if: $on) @skip(if: false) { customerId } }', { on: true })).toBe(
      'customer-profiles.email',
    );
  });

  it('is refused for a filter on a connection that selects only its count', () => {
    expect(analyst('{ customersConnection(where: { birthDate: { lt: "1970-01-01" } }) { totalCount } }')).toBe('customer-profiles.birth_date');
  });

  it('is refused for a filter on an aggregate that selects only its count', () => {
    expect(analyst('{ customersAggregate(where: { email: { like: "a%" } }) { count } }')).toBe('customer-profiles.email');
  });
});

describe('an analyst disguising a sort, grouping or aggregate on a masked field', () => {
  it('is refused for a sort passed through a variable', () => {
    expect(analyst('query($o: [CustomerOrderBy!]) { customers(orderBy: $o) { customerId } }', { o: [{ country: 'ASC' }, { email: 'DESC' }] })).toBe('customer-profiles.email');
  });

  it('is refused for a sort passed as one object instead of a list', () => {
    expect(analyst('query($o: [CustomerOrderBy!]) { customers(orderBy: $o) { customerId } }', { o: { birthDate: 'ASC' } })).toBe('customer-profiles.birth_date');
  });

  it("is refused for a sort of a reverse list's rows", () => {
    expect(analyst('{ order(orderId: "o1") { payments(orderBy: [{ cardNumber: ASC }]) { paymentId } } }')).toBe('payments.card_number');
  });

  it('is refused for a grouping by the enum, literally or through a variable', () => {
    expect(analyst('{ customersAggregate(groupBy: BIRTH_DATE) { count } }')).toBe('customer-profiles.birth_date');
    expect(analyst('query($g: [CustomerField!]) { customersAggregate(groupBy: $g) { count } }', { g: ['COUNTRY', 'PHONE'] })).toBe('customer-profiles.phone');
  });

  it('is refused for an aggregate of a masked date, under min, max or an alias', () => {
    expect(analyst('{ customersAggregate { oldest: min { birthDate } } }')).toBe('customer-profiles.birth_date');
    expect(analyst('{ customersAggregate(groupBy: [COUNTRY]) { ...G } } fragment G on CustomerGroup { max { born: birthDate } }')).toBe('customer-profiles.birth_date');
  });
});

describe('a steward and a partner probing their limits', () => {
  it('refuses a steward sorting or grouping the access log by the hashed subject', () => {
    expect(refusalOf(run(CALLERS.steward, '{ accessLog(orderBy: [{ subject: ASC }]) { seq } }'))).toBe('access-log.subject');
    expect(refusalOf(run(CALLERS.steward, '{ accessLogAggregate(groupBy: [SUBJECT]) { count } }'))).toBe('access-log.subject');
  });

  it("keeps a partner's rows to its countries whatever its own or asks for", () => {
    const o = run(CALLERS.partner, '{ orders(where: { or: [{ shippingCountry: { eq: "US" } }, { shippingCountry: { isNull: false } }] }) { orderId } }');
    expect('granted' in o && o.granted['orders-enriched']!.rows).toEqual({ column: 'shipping_country', op: 'in', value: ['DE', 'FR'] });
  });

  it('gives a partner whose countries claim is not a list of strings no rows at all', () => {
    const o = run({ ...CALLERS.partner, claims: { countries: [{ eq: 'US' }] } }, '{ orders { orderId } }');
    expect('granted' in o && o.granted['orders-enriched']!.rows).toEqual({ or: [] });
  });

  it('refuses a partner reaching customers through an aggregate of orders it may read', () => {
    expect(refusalOf(run(CALLERS.partner, '{ ordersAggregate { count } customers { country } }'))).toBe('customer-profiles');
  });

  it('refuses a caller without a known role for the first product it touches', () => {
    expect(refusalOf(run(CALLERS.nobody, '{ orders { orderId } }'))).toBe('orders-enriched');
    expect(refusalOf(run({ ...CALLERS.nobody, roles: ['Analyst', 'analyst '] }, '{ orders { orderId } }'))).toBe('orders-enriched');
  });
});

describe('a reference column the caller may not read', () => {
  // A researcher reads orders and customers, but not which customer placed which order.
  const researchers = (): PolicyFile => ({
    ...policy,
    rules: [
      ...policy.rules,
      { id: 'researchers-read-orders-unlinked', roles: ['researcher'], products: ['orders-enriched'], exceptProducts: [], denyFields: ['customer_id'] },
      { id: 'researchers-read-customers', roles: ['researcher'], products: ['customer-profiles'], exceptProducts: [], denyFields: [] },
    ],
  });
  const researcher: Principal = { sub: 'r', roles: ['researcher'], scopes: [], claims: {} };

  it('is a policy the gateway would start with', () => {
    expect(
      checkPolicies(
        'access.yaml',
        researchers(),
        shapes.map((s) => s.product),
      ).errors,
    ).toEqual([]);
  });

  it('is refused when filtered on directly', () => {
    expect(refusalOf(run(researcher, '{ orders(where: { customerId: { eq: "c1" } }) { orderId } }', {}, researchers()))).toBe('orders-enriched.customer_id');
  });

  it("is refused when a customer's reverse list of orders looks the orders up by it", () => {
    // customer(customerId: "c1") { orders } is orders(where: { customerId: { eq: "c1" } }) by another name.
    expect(refusalOf(run(researcher, '{ customer(customerId: "c1") { orders { orderId totalAmount } } }', {}, researchers()))).toBe('orders-enriched.customer_id');
  });

  it('is refused when the reference that reads it is selected', () => {
    // The subgraph reads customer_id to resolve Order.customer, and refuses it; the gateway should refuse first.
    expect(refusalOf(run(researcher, '{ orders { orderId customer { customerId } } }', {}, researchers()))).toBe('orders-enriched.customer_id');
  });
});
