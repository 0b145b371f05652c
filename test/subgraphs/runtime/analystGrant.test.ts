/**
 * Analysts' aggregates under both halves of enforcement: the subgraph refuses on its own what the
 * gateway would (a caller who went around it), a grant's `aggregable` list lifts only aggregating,
 * and the gateway's analysis records a column both aggregated and grouped by as grouped, so the
 * policy's lift never hides a grouping.
 */
import type { AccessContext, PolicyFile } from '../../../policies/index.js';
import { productShape, productsByName, type ProductShape } from '../../../schema/index.js';
import { ProductIndex } from '../../../gateway/access/ProductIndex.js';
import { DEFAULT_LIMITS } from '../../../subgraphs/runtime/graphql/translateArgs.js';
import { applyGrant } from '../../../subgraphs/runtime/read/applyGrant.js';
import { translateAggregate, type AnalystSelection, type ReadArgs, type ReadContext } from '../../../subgraphs/runtime/read/translateRead.js';
import { accessOf, accessTo, forbidden } from '../../support/grants.js';
import { decide, refusalOf } from '../../support/decide.js';
import { CALLERS, loadSampleMesh, sampleApiSchema, type SampleMesh } from '../../support/sampleMesh.js';

const HASH_KEY = 'a-hash-key-of-at-least-32-bytes!!';
let sample: SampleMesh;
let policy: PolicyFile;
/** customer-profiles with two measures over PII: one on email, one filtering on birth_date. */
let customer: ProductShape;
let order: ProductShape;

beforeAll(async () => {
  sample = await loadSampleMesh();
  policy = sample.policy;
  order = sample.shape('orders-enriched');
  const c = sample.shape('customer-profiles').product;
  const product = {
    ...c,
    contract: {
      ...c.contract,
      measures: [
        { name: 'distinct_emails', description: 'Distinct e-mails.', aggregate: 'countDistinct' as const, column: 'email' },
        { name: 'born_before_1970', description: 'Born before 1970.', aggregate: 'count' as const, filter: { column: 'birth_date', op: 'lt' as const, value: '1970-01-01' } },
      ],
    },
  };
  customer = productShape(product, productsByName(sample.mesh));
});

const rc = (shape: ProductShape): ReadContext => ({ shape, reverse: [], limits: DEFAULT_LIMITS });
const analyst = (): AccessContext => accessOf(policy, CALLERS.analyst, sample.shapes);
/** The analyst's grant on customers, with `aggregable` as a policy rule's `aggregate` list would set it. */
const lifted = (aggregable: string[]): AccessContext => {
  const a = analyst();
  return accessTo({ ...a.products, 'customer-profiles': { ...a.products['customer-profiles']!, aggregable } });
};
const read = (args: ReadArgs, more: AnalystSelection = {}, byFunction = {}) => translateAggregate(rc(customer), args, byFunction, more);
const refusal = (args: ReadArgs, more: AnalystSelection, access: AccessContext, byFunction = {}): string =>
  forbidden(() => applyGrant(read(args, more, byFunction), access, customer, HASH_KEY));

describe("the subgraph's half, for a caller who went around the gateway", () => {
  it('refuses a bucket, a distinct count, a median, a percentile and a having on a masked field', () => {
    const a = analyst();
    expect(refusal({ buckets: [{ field: 'BIRTH_DATE', unit: 'YEAR' }] }, {}, a)).toMatch(
      /^Grouping by Customer\.birthDate of "customer-profiles" is not allowed: you read it masked/,
    );
    expect(refusal({}, { countDistinct: ['email'] }, a)).toMatch(/^Aggregating Customer\.email /);
    expect(refusal({}, { median: ['birthDate'] }, a)).toMatch(/^Aggregating Customer\.birthDate /);
    expect(refusal({}, { percentiles: [{ p: 0.5, fields: ['birthDate'] }] }, a)).toMatch(/^Aggregating Customer\.birthDate /);
    expect(refusal({ having: { countDistinct: { email: { gt: 1 } } } }, {}, a)).toMatch(/^Aggregating Customer\.email /);
  });

  it('refuses a measure on a masked column, and one whose filter reads a masked column, naming what to list', () => {
    expect(refusal({}, { measures: ['distinctEmails'] }, analyst())).toBe(
      'The measure Customer.distinctEmails of "customer-profiles" is not allowed: it aggregates Customer.email, and you read it masked; a policy rule\'s "aggregate" list must name "distinct_emails" for you to compute it.',
    );
    expect(refusal({}, { measures: ['bornBefore1970'] }, analyst())).toMatch(/^The measure Customer\.bornBefore1970 .* it aggregates Customer\.birthDate/);
    expect(refusal({ having: { bornBefore1970: { gt: 0 } } }, {}, analyst())).toMatch(/^The measure Customer\.bornBefore1970 /);
  });

  it('lets the aggregable list lift aggregating what it names, never grouping, bucketing or filtering by it', () => {
    const access = lifted(['email', 'birth_date', 'distinct_emails']);
    expect(() =>
      applyGrant(read({}, { countDistinct: ['email'], median: ['birthDate'], measures: ['distinctEmails', 'bornBefore1970'] }), access, customer, HASH_KEY),
    ).not.toThrow();
    expect(refusal({ groupBy: ['EMAIL'] }, { countDistinct: ['email'] }, access)).toMatch(/^Grouping by Customer\.email /);
    expect(refusal({ buckets: [{ field: 'BIRTH_DATE', unit: 'MONTH' }] }, {}, access)).toMatch(/^Grouping by Customer\.birthDate /);
    expect(refusal({ where: { birthDate: { lt: '1970-01-01' } } }, { countDistinct: ['email'] }, access)).toMatch(/^Filtering on Customer\.birthDate /);
    expect(refusal({}, { countDistinct: ['phone'] }, access)).toMatch(/^Aggregating Customer\.phone /);
  });

  it('lets a listed measure read its masked columns, but never a denied one', () => {
    expect(() => applyGrant(read({}, { measures: ['distinctEmails'] }), lifted(['distinct_emails']), customer, HASH_KEY)).not.toThrow();
    const a = lifted(['distinct_emails', 'email']);
    const denied = accessTo({ ...a.products, 'customer-profiles': { ...a.products['customer-profiles']!, denied: ['email'] } });
    expect(refusal({}, { measures: ['distinctEmails'] }, denied)).toBe(
      'The measure Customer.distinctEmails of "customer-profiles" is not allowed: it aggregates Customer.email, and you may not read it.',
    );
  });

  it('computes measures and distinct counts on clear columns for anyone granted the product', () => {
    const r = translateAggregate(rc(order), { groupBy: ['CHANNEL'] }, {}, { countDistinct: ['customerId'], measures: ['revenue', 'customers'] });
    const granted = applyGrant(r, analyst(), order, HASH_KEY);
    expect(granted.aggregates.map((x) => [x.fn, x.as, x.measure])).toEqual([
      ['countDistinct', 'countDistinct.customerId', undefined],
      ['sum', 'measure.revenue', 'revenue'],
      ['countDistinct', 'measure.customers', 'customers'],
    ]);
  });
});

describe("the gateway's analysis", () => {
  it('judges a column both aggregated and grouped by as grouped, so a lift on aggregating never hides the grouping', () => {
    const schema = sampleApiSchema(sample.mesh);
    const index = new ProductIndex(sample.shapes);
    const lifting: PolicyFile = {
      ...policy,
      rules: [...policy.rules, { id: 'lift', roles: ['analyst'], products: ['customer-profiles'], exceptProducts: [], denyFields: [], aggregate: ['email', 'birth_date'] }],
    };
    const run = (q: string): string => refusalOf(decide(schema, index, lifting, CALLERS.analyst, q));
    expect(run('{ customersAggregate { countDistinct { email } median { birthDate } } }')).toBe('granted');
    expect(run('{ customersAggregate(groupBy: [EMAIL]) { countDistinct { email } } }')).toBe('customer-profiles.email');
    expect(run('{ customersAggregate(buckets: [{ field: BIRTH_DATE, unit: YEAR }]) { median { birthDate } } }')).toBe('customer-profiles.birth_date');
    expect(run('{ customersAggregate { median { birthDate } } customers(where: { birthDate: { lt: "1970-01-01" } }) { customerId } }')).toBe('customer-profiles.birth_date');
    expect(run('{ customersAggregate(having: { countDistinct: { phone: { gt: 1 } } }) { count } }')).toBe('customer-profiles.phone');
    expect(refusalOf(decide(schema, index, policy, CALLERS.analyst, '{ customersAggregate { countDistinct { email } } }'))).toBe('customer-profiles.email');
  });
});
