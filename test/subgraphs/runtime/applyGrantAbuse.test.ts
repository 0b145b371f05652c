/**
 * Misuse of the subgraph's half of enforcement, as a caller who went around the gateway's analysis
 * would try it: widening the row predicate, hiding a revealing use deep in a filter, reaching a
 * denied column through a reference or a reverse list. Each must fail closed.
 */
import type { PolicyFile } from '../../../policies/index.js';
import { reverseShapes, type ProductShape, type ReverseShape } from '../../../schema/index.js';
import { DEFAULT_LIMITS } from '../../../subgraphs/runtime/graphql/translateArgs.js';
import { applyGrant } from '../../../subgraphs/runtime/read/applyGrant.js';
import { buildRead } from '../../../subgraphs/runtime/read/buildRead.js';
import { translateAggregate, translateByKey, translateConnection, translateList, translateReverse, type ReadContext } from '../../../subgraphs/runtime/read/translateRead.js';
import { compileCondition, Params } from '../../../subgraphs/runtime/sql/index.js';
import { accessOf, accessTo, forbidden } from '../../support/grants.js';
import { CALLERS, loadSampleMesh, type SampleMesh } from '../../support/sampleMesh.js';

const HASH_KEY = 'a-hash-key-of-at-least-32-bytes!!';
let sample: SampleMesh;
let policy: PolicyFile;
let customer: ProductShape;
let order: ProductShape;
let ordersOfCustomer: ReverseShape;
const rc = (shape: ProductShape): ReadContext => ({ shape, reverse: [], limits: DEFAULT_LIMITS });

beforeAll(async () => {
  sample = await loadSampleMesh();
  policy = sample.policy;
  customer = sample.shape('customer-profiles');
  order = sample.shape('orders-enriched');
  ordersOfCustomer = reverseShapes(customer.product, sample.shapes)[0]!;
});

const analyst = () => accessOf(policy, CALLERS.analyst, sample.shapes);
const partner = () => accessOf(policy, CALLERS.partner, sample.shapes);
const sql = (where: Parameters<typeof compileCondition>[0]): { text: string; values: unknown[] } => {
  const p = new Params();
  return { text: compileCondition(where, p), values: p.values };
};

describe('a partner trying to widen its rows', () => {
  it('cannot widen the row predicate with an or of its own: the or stays inside the AND', () => {
    const read = translateList(rc(order), { where: { or: [{ shippingCountry: { eq: 'US' } }, { shippingCountry: { isNull: false } }] } }, []);
    expect(sql(applyGrant(read, partner(), order, HASH_KEY).where)).toEqual({
      text: '(("shipping_country" IN ($1::VARCHAR, $2::VARCHAR)) AND (("shipping_country" = $3::VARCHAR) OR ("shipping_country" IS NOT NULL)))',
      values: ['DE', 'FR', 'US'],
    });
  });

  it('cannot escape the row predicate with a not of its own', () => {
    const read = translateList(rc(order), { where: { not: { shippingCountry: { in: ['DE', 'FR'] } } } }, []);
    const where = applyGrant(read, partner(), order, HASH_KEY).where;
    expect(where).toEqual({ kind: 'and', items: [{ kind: 'in', column: { name: 'shipping_country', type: 'string' }, negated: false, values: ['DE', 'FR'] }, read.where] });
  });

  it('gets no rows at all without a countries claim, whatever it filters', () => {
    const access = accessOf(policy, { ...CALLERS.partner, claims: {} }, sample.shapes);
    const read = translateList(rc(order), { where: { or: [{ status: { isNull: true } }, { status: { isNull: false } }] } }, []);
    expect(sql(applyGrant(read, access, order, HASH_KEY).where).text).toBe('(FALSE AND (("status" IS NULL) OR ("status" IS NOT NULL)))');
  });

  it('gets no rows from a row predicate on a column the product does not have, even AND-ed with one it has', () => {
    const access = accessTo({
      'orders-enriched': {
        masks: {},
        denied: [],
        rows: {
          and: [
            { column: 'no_such_column', op: 'eq', value: 'x' },
            { column: 'channel', op: 'eq', value: 'web' },
          ],
        },
      },
    });
    expect(sql(applyGrant(translateList(rc(order), {}, []), access, order, HASH_KEY).where).text).toBe('(FALSE AND ("channel" = $1::VARCHAR))');
  });

  it('keeps the row predicate in the count of a connection and in an aggregate', () => {
    const connection = applyGrant(translateConnection(rc(order), {}, new Set(['totalCount']), []), partner(), order, HASH_KEY);
    const count = buildRead(connection, { table: 't', keys: [{ name: 'order_id', type: 'string' }], order: [{ name: 'order_id', type: 'string' }], maxGroups: 10 }).count!;
    expect(count).toEqual({ text: 'SELECT count(*)::BIGINT AS "count" FROM "t" WHERE ("shipping_country" IN ($1::VARCHAR, $2::VARCHAR))', values: ['DE', 'FR'] });
    const aggregate = applyGrant(translateAggregate(rc(order), { groupBy: ['SHIPPING_COUNTRY'] }, {}), partner(), order, HASH_KEY);
    expect(buildRead(aggregate, { table: 't', keys: [{ name: 'order_id', type: 'string' }], order: [{ name: 'order_id', type: 'string' }], maxGroups: 10 }).rows!.values).toEqual([
      'DE',
      'FR',
      11,
    ]);
  });
});

describe('an analyst hiding a revealing use of a masked column', () => {
  const refusal = (read: Parameters<typeof applyGrant>[0]): string => forbidden(() => applyGrant(read, analyst(), customer, HASH_KEY));

  it('is refused for a filter deep inside and, or and not', () => {
    const where = { and: [{ country: { eq: 'DE' } }, { or: [{ not: { not: { or: [{ city: { eq: 'x' } }, { birthDate: { lt: '1980-01-01' } }] } } }] }] };
    expect(refusal(translateList(rc(customer), { where }, []))).toMatch(/^Filtering on Customer\.birthDate /);
  });

  it('is refused for a filter that only asks whether the value is null', () => {
    expect(refusal(translateList(rc(customer), { where: { phone: { isNull: true } } }, []))).toMatch(/^Filtering on Customer\.phone /);
  });

  it('is refused for a filter or a sort behind a clear one', () => {
    expect(refusal(translateList(rc(customer), { orderBy: [{ country: 'ASC' }, { email: 'ASC' }] }, []))).toMatch(/^Sorting by Customer\.email /);
  });

  it('is refused for a filter on a connection that reads only its count', () => {
    expect(refusal(translateConnection(rc(customer), { where: { fullName: { eq: 'Ada' } } }, new Set(['totalCount']), []))).toMatch(/^Filtering on Customer\.fullName /);
  });

  it('is refused for a filter on an aggregate that groups by nothing masked', () => {
    expect(refusal(translateAggregate(rc(customer), { where: { email: { like: 'a%' } }, groupBy: ['COUNTRY'] }, {}))).toMatch(/^Filtering on Customer\.email /);
  });

  it('is refused for a grouping by a masked column among clear ones', () => {
    expect(refusal(translateAggregate(rc(customer), { groupBy: ['COUNTRY', 'BIRTH_DATE'] }, {}))).toMatch(/^Grouping by Customer\.birthDate /);
  });

  it('is refused for a max of a masked column next to a sum of a clear one', () => {
    expect(refusal(translateAggregate(rc(customer), {}, { sum: ['lifetimeValue'], max: ['birthDate'] }))).toMatch(/^Aggregating Customer\.birthDate /);
  });

  it("is refused for a sort of a reverse list's rows", () => {
    const payments = sample.shape('payments');
    const byOrder = reverseShapes(order.product, sample.shapes)[0]!;
    const read = translateReverse(rc(payments), byOrder, { orderBy: [{ cardNumber: 'ASC' }] }, []);
    expect(forbidden(() => applyGrant(read, analyst(), payments, HASH_KEY))).toMatch(/^Sorting by Payment\.cardNumber /);
  });
});

describe('a caller reaching a column it may not read by another way', () => {
  const unlinked = () => accessTo({ 'orders-enriched': { masks: {}, denied: ['customer_id'], rows: null }, 'customer-profiles': { masks: {}, denied: [], rows: null } });

  it('is refused when a reference would read the denied column', () => {
    expect(forbidden(() => applyGrant(translateList(rc(order), {}, ['orderId', 'customer']), unlinked(), order, HASH_KEY))).toBe('You may not read Order.customerId.');
  });

  it('is refused when a reverse list would look rows up by the denied reference column', () => {
    // Customer.orders returns, for each customer, the orders whose customer_id is theirs: the denied link itself.
    const read = translateReverse(rc(order), ordersOfCustomer, {}, ['orderId']);
    expect(forbidden(() => applyGrant(read, unlinked(), order, HASH_KEY))).toBe('Looking up by Order.customerId of "orders-enriched" is not allowed: you may not read it.');
  });

  it('is refused when a reverse list would look rows up by a reference column read masked', () => {
    const access = accessTo({ 'orders-enriched': { masks: { customer_id: 'hash' }, denied: [], rows: null } });
    const read = translateReverse(rc(order), ordersOfCustomer, {}, ['orderId']);
    expect(forbidden(() => applyGrant(read, access, order, HASH_KEY))).toMatch(/^Looking up by Order\.customerId /);
  });

  it('is refused for every row read when the key itself is denied, since every read returns the key', () => {
    const access = accessTo({ 'customer-profiles': { masks: {}, denied: ['customer_id'], rows: null } });
    for (const read of [
      translateList(rc(customer), {}, ['country']),
      translateByKey(rc(customer), ['country'], false),
      translateConnection(rc(customer), {}, new Set(['edges']), ['country']),
    ]) {
      expect([read.kind, forbidden(() => applyGrant(read, access, customer, HASH_KEY))]).toEqual([read.kind, 'You may not read Customer.customerId.']);
    }
  });

  it('is refused for a product granted under another name only', () => {
    expect(
      forbidden(() => applyGrant(translateByKey(rc(customer), [], false), accessTo({ 'customer-profiles-v2': { masks: {}, denied: [], rows: null } }), customer, HASH_KEY)),
    ).toBe('You may not read the data product "customer-profiles".');
  });
});
