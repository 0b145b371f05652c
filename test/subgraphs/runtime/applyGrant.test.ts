import type { PolicyFile } from '../../../policies/index.js';
import type { ProductShape } from '../../../schema/index.js';
import { DEFAULT_LIMITS } from '../../../subgraphs/runtime/graphql/translateArgs.js';
import { applyGrant, conditionColumns, rowCondition } from '../../../subgraphs/runtime/read/applyGrant.js';
import { translateAggregate, translateByKey, translateConnection, translateList, translateReverse, type ReadContext } from '../../../subgraphs/runtime/read/translateRead.js';
import { reverseShapes } from '../../../schema/index.js';
import { accessOf, accessTo, forbidden } from '../../support/grants.js';
import { CALLERS, loadSampleMesh, type SampleMesh } from '../../support/sampleMesh.js';

const HASH_KEY = 'a-hash-key-of-at-least-32-bytes!!';
let sample: SampleMesh;
let policy: PolicyFile;
let customer: ProductShape;
let order: ProductShape;
const rc = (shape: ProductShape): ReadContext => ({ shape, reverse: [], limits: DEFAULT_LIMITS });

beforeAll(async () => {
  sample = await loadSampleMesh();
  policy = sample.policy;
  customer = sample.shape('customer-profiles');
  order = sample.shape('orders-enriched');
});

const analyst = () => accessOf(policy, CALLERS.analyst, sample.shapes);
const partner = () => accessOf(policy, CALLERS.partner, sample.shapes);
const masksOf = (columns: readonly { as: string; mask?: unknown }[]): Record<string, unknown> => Object.fromEntries(columns.map((c) => [c.as, c.mask ?? null]));
const COUNTRIES = { kind: 'in', column: { name: 'shipping_country', type: 'string' }, negated: false, values: ['DE', 'FR'] } as const;

describe('without access control', () => {
  it('reads every selected column as it is, with the caller filter alone', () => {
    const read = translateList(rc(customer), { where: { country: { eq: 'DE' } } }, ['email']);
    const granted = applyGrant(read, null, customer, HASH_KEY);
    expect(granted.columns).toEqual(read.columns);
    expect(granted.where).toEqual({ kind: 'compare', column: { name: 'country', type: 'string' }, op: 'eq', value: 'DE' });
  });

  it('matches every row when the caller does not filter', () => {
    expect(applyGrant(translateList(rc(customer), {}, []), null, customer, HASH_KEY).where).toEqual({ kind: 'and', items: [] });
  });
});

describe('the grant of a product', () => {
  it('refuses a product the access context does not grant', () => {
    expect(forbidden(() => applyGrant(translateList(rc(customer), {}, []), accessTo({}), customer, HASH_KEY))).toBe('You may not read the data product "customer-profiles".');
    expect(forbidden(() => applyGrant(translateList(rc(customer), {}, []), partner(), customer, HASH_KEY))).toBe('You may not read the data product "customer-profiles".');
  });

  it("reads an analyst's PII through its masks, and the rest as it is", () => {
    const granted = applyGrant(translateList(rc(customer), {}, ['fullName', 'email', 'phone', 'birthDate', 'country']), analyst(), customer, HASH_KEY);
    expect(masksOf(granted.columns)).toEqual({
      customerId: null,
      fullName: { name: 'redact' },
      email: { name: 'email' },
      phone: { name: 'last4' },
      birthDate: { name: 'year' },
      country: null,
    });
  });

  it('gives the hash mask the key, and no other mask', () => {
    const log = sample.shape('access-log');
    const steward = accessOf(policy, CALLERS.steward, sample.shapes);
    expect(masksOf(applyGrant(translateList(rc(log), {}, ['subject', 'seq']), steward, log, HASH_KEY).columns)).toEqual({
      eventId: null,
      seq: null,
      subject: { name: 'hash', key: HASH_KEY },
    });
  });

  it('reads an owner its own PII in the clear', () => {
    const owner = accessOf(policy, CALLERS.customersOwner, sample.shapes);
    expect(masksOf(applyGrant(translateList(rc(customer), {}, ['email']), owner, customer, HASH_KEY).columns)).toEqual({ customerId: null, email: null });
  });

  it('refuses selecting a denied column', () => {
    const access = accessTo({ 'customer-profiles': { masks: {}, denied: ['email'], rows: null } });
    expect(forbidden(() => applyGrant(translateList(rc(customer), {}, ['email']), access, customer, HASH_KEY))).toBe('You may not read Customer.email.');
    expect(applyGrant(translateList(rc(customer), {}, ['country']), access, customer, HASH_KEY).columns).toHaveLength(2);
  });
});

describe('the row predicate', () => {
  it("becomes the read's whole where when the caller does not filter", () => {
    expect(applyGrant(translateList(rc(order), {}, []), partner(), order, HASH_KEY).where).toEqual(COUNTRIES);
  });

  it("is AND-ed around the caller's or, which stays one item inside it", () => {
    const read = translateList(rc(order), { where: { or: [{ shippingCountry: { eq: 'US' } }, { status: { eq: 'paid' } }] } }, []);
    expect(applyGrant(read, partner(), order, HASH_KEY).where).toEqual({ kind: 'and', items: [COUNTRIES, read.where] });
  });

  it('applies to every kind of read alike', () => {
    const reverse = reverseShapes(customer.product, sample.shapes)[0]!;
    const reads = [
      translateConnection(rc(order), {}, new Set(['edges']), []),
      translateByKey(rc(order), [], true),
      translateByKey(rc(order), [], false),
      translateReverse(rc(order), reverse, {}, []),
      translateAggregate(rc(order), { groupBy: ['CHANNEL'] }, { sum: ['totalAmount'] }),
    ];
    for (const read of reads) expect([read.kind, applyGrant(read, partner(), order, HASH_KEY).where]).toEqual([read.kind, COUNTRIES]);
  });

  it('translates each operator onto the column it names', () => {
    const c = (name: string, type: string) => ({ name, type });
    expect(rowCondition({ column: 'shipping_country', op: 'nin', value: ['US'] }, order)).toEqual({
      kind: 'in',
      column: c('shipping_country', 'string'),
      negated: true,
      values: ['US'],
    });
    expect(rowCondition({ column: 'discount_amount', op: 'isNull', value: false }, order)).toEqual({ kind: 'isNull', column: c('discount_amount', 'double'), isNull: false });
    expect(rowCondition({ column: 'total_amount', op: 'gte', value: 10 }, order)).toEqual({ kind: 'compare', column: c('total_amount', 'double'), op: 'gte', value: 10 });
    expect(rowCondition({ and: [{ or: [] }, { column: 'channel', op: 'eq', value: 'web' }] }, order)).toEqual({
      kind: 'and',
      items: [
        { kind: 'or', items: [] },
        { kind: 'compare', column: c('channel', 'string'), op: 'eq', value: 'web' },
      ],
    });
  });

  it('matches nothing for a column the product does not have', () => {
    expect(rowCondition({ column: 'country', op: 'eq', value: 'DE' }, order)).toEqual({ kind: 'or', items: [] });
  });
});

describe('uses that would reveal what the caller reads masked or not at all', () => {
  const refusal = (read: Parameters<typeof applyGrant>[0], access = analyst()): string => forbidden(() => applyGrant(read, access, customer, HASH_KEY));

  it('refuses filtering on a masked column', () => {
    expect(refusal(translateList(rc(customer), { where: { email: { like: 'a%' } } }, []))).toBe(
      'Filtering on Customer.email of "customer-profiles" is not allowed: you read it masked, and this would reveal its values.',
    );
  });

  it('refuses sorting by a masked column, in a list and a connection', () => {
    expect(refusal(translateList(rc(customer), { orderBy: [{ birthDate: 'ASC' }] }, []))).toBe(
      'Sorting by Customer.birthDate of "customer-profiles" is not allowed: you read it masked, and this would reveal its values.',
    );
    expect(refusal(translateConnection(rc(customer), { orderBy: [{ phone: 'DESC' }] }, new Set(['totalCount']), []))).toMatch(/^Sorting by Customer\.phone /);
  });

  it('refuses grouping by and aggregating a masked column', () => {
    expect(refusal(translateAggregate(rc(customer), { groupBy: ['FULL_NAME'] }, {}))).toBe(
      'Grouping by Customer.fullName of "customer-profiles" is not allowed: you read it masked, and this would reveal its values.',
    );
    expect(refusal(translateAggregate(rc(customer), {}, { min: ['birthDate'] }))).toBe(
      'Aggregating Customer.birthDate of "customer-profiles" is not allowed: you read it masked, and this would reveal its values.',
    );
  });

  it('refuses every such use of a denied column, saying it may not be read', () => {
    const access = accessTo({ 'customer-profiles': { masks: {}, denied: ['country'], rows: null } });
    expect(refusal(translateList(rc(customer), { where: { country: { eq: 'DE' } } }, []), access)).toBe(
      'Filtering on Customer.country of "customer-profiles" is not allowed: you may not read it.',
    );
    expect(refusal(translateList(rc(customer), { orderBy: [{ country: 'ASC' }] }, []), access)).toMatch(/^Sorting by Customer\.country .*you may not read it\.$/);
    expect(refusal(translateAggregate(rc(customer), { groupBy: ['COUNTRY'] }, {}), access)).toMatch(/^Grouping by Customer\.country /);
  });

  it('allows filtering, sorting and grouping by columns read in the clear', () => {
    const read = translateAggregate(rc(customer), { where: { country: { eq: 'DE' } }, groupBy: ['SEGMENT'] }, { sum: ['lifetimeValue'] });
    expect(applyGrant(read, analyst(), customer, HASH_KEY).where).toEqual(read.where);
  });

  it('refuses a look-up by a masked key the caller chose, but not an entity look-up by it', () => {
    const access = accessTo({ 'customer-profiles': { masks: { customer_id: 'hash' }, denied: [], rows: null } });
    expect(refusal(translateByKey(rc(customer), ['country'], true), access)).toBe(
      'Looking up by Customer.customerId of "customer-profiles" is not allowed: you read it masked, and this would reveal its values.',
    );
    const entity = applyGrant(translateByKey(rc(customer), ['country'], false), access, customer, HASH_KEY);
    expect(masksOf(entity.columns)).toEqual({ customerId: { name: 'hash', key: HASH_KEY }, country: null });
  });

  it('names every column a condition reads, through and, or and not', () => {
    const read = translateList(rc(customer), { where: { or: [{ country: { eq: 'DE' } }, { not: { and: [{ city: { eq: 'Berlin' } }, { segment: { in: ['a'] } }] } }] } }, []);
    expect(conditionColumns(read.where).map((c) => c.name)).toEqual(['country', 'city', 'segment']);
    expect(conditionColumns(undefined)).toEqual([]);
  });
});
