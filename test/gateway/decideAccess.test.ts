import type { GraphQLSchema } from 'graphql';
import { AccessRefusal, decideAccess } from '../../gateway/access/decideAccess.js';
import { ProductIndex } from '../../gateway/access/ProductIndex.js';
import type { PolicyFile, Principal } from '../../policies/index.js';
import { decide, refusalOf, type Outcome } from '../support/decide.js';
import { usageOf } from '../support/operationUsage.js';
import { CALLERS, loadSampleMesh, POLICY_FILE, sampleApiSchema } from '../support/sampleMesh.js';

let schema: GraphQLSchema;
let index: ProductIndex;
let policy: PolicyFile;

beforeAll(async () => {
  const sample = await loadSampleMesh();
  schema = sampleApiSchema(sample.mesh);
  index = new ProductIndex(sample.shapes);
  policy = sample.policy;
});

const run = (who: Principal, query: string, variables?: Record<string, unknown>, p: PolicyFile = policy): Outcome => decide(schema, index, p, who, query, variables);
const CUSTOMER_PII = { full_name: 'redact', email: 'email', phone: 'last4', birth_date: 'year' };

describe('an analyst', () => {
  it('reads customers with every PII field masked', () => {
    expect(run(CALLERS.analyst, '{ customers { customerId fullName email phone birthDate } }')).toEqual({
      granted: { 'customer-profiles': { masks: CUSTOMER_PII, denied: [], rows: null } },
    });
  });

  it('filters, sorts and groups by fields it reads in the clear', () => {
    const q = '{ customers(where: { country: { eq: "DE" } }, orderBy: [{ signupAt: DESC }]) { email } customersAggregate(groupBy: [SEGMENT]) { count sum { lifetimeValue } } }';
    expect(refusalOf(run(CALLERS.analyst, q))).toBe('granted');
  });

  it('gets a decision for exactly the products the operation touches', () => {
    const o = run(CALLERS.analyst, '{ orders { orderId customer { country } payments { amount } } }');
    expect(Object.keys('granted' in o ? o.granted : {}).sort()).toEqual(['customer-profiles', 'orders-enriched', 'payments']);
  });

  it('may not read the access log, even only its count', () => {
    expect(run(CALLERS.analyst, '{ accessLogConnection { totalCount } }')).toEqual({
      refused: 'access-log',
      code: 'FORBIDDEN',
      message: 'You may not read the data product "access-log": no access rule grants it to your roles.',
    });
  });

  it('may not filter on a field it reads masked, and is told why', () => {
    expect(run(CALLERS.analyst, '{ customers(where: { email: { like: "a%" } }) { customerId } }')).toEqual({
      refused: 'customer-profiles.email',
      code: 'FORBIDDEN',
      message: 'Filtering on Customer.email of "customer-profiles" is not allowed: you read it masked, and this would reveal its values.',
    });
  });

  it('may not sort, group or aggregate by a field it reads masked', () => {
    expect(refusalOf(run(CALLERS.analyst, '{ customers(orderBy: [{ birthDate: ASC }]) { customerId } }'))).toBe('customer-profiles.birth_date');
    expect(refusalOf(run(CALLERS.analyst, '{ customersAggregate(groupBy: [FULL_NAME]) { count } }'))).toBe('customer-profiles.full_name');
    expect(refusalOf(run(CALLERS.analyst, '{ customersAggregate { min { birthDate } } }'))).toBe('customer-profiles.birth_date');
    expect(refusalOf(run(CALLERS.analyst, '{ paymentsConnection(orderBy: [{ cardNumber: DESC }]) { totalCount } }'))).toBe('payments.card_number');
  });
});

describe('a steward', () => {
  it('reads the access log with the subject hashed', () => {
    expect(run(CALLERS.steward, '{ accessLog { seq subject decision } }')).toEqual({ granted: { 'access-log': { masks: { subject: 'hash' }, denied: [], rows: null } } });
  });

  it('may not filter the access log by the hashed subject', () => {
    expect(refusalOf(run(CALLERS.steward, '{ accessLog(where: { subject: { eq: "ana" } }) { seq } }'))).toBe('access-log.subject');
  });
});

describe("a domain's owner", () => {
  it('reads, filters and sorts its own PII in the clear', () => {
    expect(run(CALLERS.customersOwner, '{ customers(where: { email: { like: "a%" } }, orderBy: [{ birthDate: ASC }]) { fullName email } }')).toEqual({
      granted: { 'customer-profiles': { masks: {}, denied: [], rows: null } },
    });
  });

  it("reads another domain's PII masked, and may not filter on it", () => {
    expect(run(CALLERS.customersOwner, '{ payments { cardNumber } }')).toEqual({ granted: { payments: { masks: { card_number: 'last4' }, denied: [], rows: null } } });
    expect(refusalOf(run(CALLERS.customersOwner, '{ payments(where: { cardNumber: { isNull: false } }) { paymentId } }'))).toBe('payments.card_number');
  });
});

describe('a fulfilment app', () => {
  it('reads email and phone in the clear for the fulfillment purpose, and may filter on them', () => {
    expect(run(CALLERS.fulfillmentApp, '{ customers(where: { email: { eq: "a@x.io" } }) { fullName email phone } }')).toEqual({
      granted: { 'customer-profiles': { masks: { full_name: 'redact', birth_date: 'year' }, denied: [], rows: null } },
    });
  });

  it('may not sort by the name it reads masked', () => {
    expect(refusalOf(run(CALLERS.fulfillmentApp, '{ customers(orderBy: [{ fullName: ASC }]) { email } }'))).toBe('customer-profiles.full_name');
  });

  it('reads nothing without a purpose, and is told which purpose was refused when it has one', () => {
    expect(refusalOf(run(CALLERS.appWithoutPurpose, '{ orders { orderId } }'))).toBe('orders-enriched');
    const marketing = run({ ...CALLERS.fulfillmentApp, purpose: 'marketing' }, '{ orders { orderId } }');
    expect('message' in marketing && marketing.message).toBe(
      'You may not read the data product "orders-enriched": no access rule grants it to your roles and purpose "marketing".',
    );
  });
});

describe('a partner', () => {
  it('reads orders with the rows of its countries only', () => {
    expect(run(CALLERS.partner, '{ orders(where: { status: { eq: paid } }) { orderId shippingCountry } }')).toEqual({
      granted: { 'orders-enriched': { masks: {}, denied: [], rows: { column: 'shipping_country', op: 'in', value: ['DE', 'FR'] } } },
    });
  });

  it('may not follow an order to its customer or its payments', () => {
    expect(refusalOf(run(CALLERS.partner, '{ orders { orderId customer { country } } }'))).toBe('customer-profiles');
    expect(refusalOf(run(CALLERS.partner, '{ orders { orderId payments { amount } } }'))).toBe('payments');
  });
});

describe('denied fields', () => {
  const withContractors = (): PolicyFile => ({
    ...policy,
    rules: [
      ...policy.rules,
      { id: 'contractors-without-email', roles: ['contractor'], products: ['customer-profiles'], exceptProducts: [], denyFields: ['email'] },
      { id: 'contractors-some-order-fields', roles: ['contractor'], products: ['orders-enriched'], exceptProducts: [], denyFields: [], fields: ['order_id', 'status'] },
    ],
  });
  const contractor: Principal = { sub: 'c', roles: ['contractor'], scopes: [], claims: {} };

  it('refuses selecting a field a rule denies, naming the rule', () => {
    expect(run(contractor, '{ customers { customerId email } }', {}, withContractors())).toEqual({
      refused: 'customer-profiles.email',
      code: 'FORBIDDEN',
      message: 'You may not read Customer.email of "customer-profiles" (denied by rule "contractors-without-email").',
    });
  });

  it('refuses selecting a field no rule grants', () => {
    expect(run(contractor, '{ orders { orderId totalAmount } }', {}, withContractors())).toEqual({
      refused: 'orders-enriched.total_amount',
      code: 'FORBIDDEN',
      message: 'You may not read Order.totalAmount of "orders-enriched" (not granted by any rule).',
    });
  });

  it('refuses filtering on a denied field, with the reason', () => {
    const o = run(contractor, '{ orders(where: { channel: { eq: "web" } }) { orderId } }', {}, withContractors());
    expect(o).toEqual({
      refused: 'orders-enriched.channel',
      code: 'FORBIDDEN',
      message: 'Filtering on Order.channel of "orders-enriched" is not allowed: you may not read it (not granted by any rule).',
    });
  });

  it('grants the rest, with the denied fields listed in the decision', () => {
    const o = run(contractor, '{ customers { customerId country } orders(where: { status: { eq: paid } }) { orderId } }', {}, withContractors());
    expect(o).toEqual({
      granted: {
        'customer-profiles': { masks: { full_name: 'redact', phone: 'last4', birth_date: 'year' }, denied: ['email'], rows: null },
        'orders-enriched': {
          masks: {},
          denied: ['channel', 'currency', 'customer_id', 'discount_amount', 'item_count', 'order_date', 'order_ts', 'shipping_country', 'total_amount'],
          rows: null,
        },
      },
    });
  });
});

describe('the refusal', () => {
  it('is a FORBIDDEN error answered with HTTP status 403', () => {
    const usage = usageOf(schema, index, '{ accessLog { seq } }');
    let error: unknown;
    try {
      decideAccess(policy, POLICY_FILE, CALLERS.nobody, usage, index);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AccessRefusal);
    expect((error as AccessRefusal).extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 } });
  });
});
