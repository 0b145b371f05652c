import { BadUserInputError, reverseShapes, type ProductShape } from '../../../schema/index.js';
import { DEFAULT_LIMITS, encodeCursor } from '../../../subgraphs/runtime/graphql/translateArgs.js';
import {
  columnsFor,
  columnsKey,
  translateAggregate,
  translateByKey,
  translateConnection,
  translateList,
  translateReverse,
  type ReadContext,
} from '../../../subgraphs/runtime/read/translateRead.js';
import { loadSampleMesh, type SampleMesh } from '../../support/sampleMesh.js';

let sample: SampleMesh;
let orders: ReadContext;
let customers: ReadContext;

beforeAll(async () => {
  sample = await loadSampleMesh();
  orders = { shape: sample.shape('orders-enriched'), reverse: [], limits: DEFAULT_LIMITS };
  // As if one subgraph served customers and orders: Customer.orders is then a reverse list of its own type.
  const customer = sample.shape('customer-profiles');
  customers = { shape: customer, reverse: reverseShapes(customer.product, sample.shapes), limits: DEFAULT_LIMITS };
});

const col = (name: string, type: string, as: string): { column: { name: string; type: string }; as: string } => ({ column: { name, type }, as });
const ORDER_ID = col('order_id', 'string', 'orderId');
const AMOUNT = col('total_amount', 'double', 'totalAmount');
const STATUS = { name: 'status', type: 'string' } as const;

describe('the columns a selection reads', () => {
  it('always reads the key, in contract order', () => {
    expect(columnsFor(orders, ['totalAmount'])).toEqual([ORDER_ID, AMOUNT]);
    expect(columnsFor(orders, [])).toEqual([ORDER_ID]);
    expect(columnsFor(orders, ['totalAmount', 'orderId', 'status'])).toEqual([ORDER_ID, col('status', 'string', 'status'), AMOUNT]);
  });

  it('reads the column behind a reference', () => {
    expect(columnsFor(orders, ['customer'])).toEqual([ORDER_ID, col('customer_id', 'string', 'customerId')]);
    expect(columnsFor({ shape: sample.shape('payments'), reverse: [], limits: DEFAULT_LIMITS }, ['order'])).toEqual([
      col('payment_id', 'string', 'paymentId'),
      col('order_id', 'string', 'orderId'),
    ]);
  });

  it('reads no column for a reverse list, __typename or a name the product does not have', () => {
    expect(columnsFor(customers, ['orders', '__typename', 'nonsense', 'email'])).toEqual([col('customer_id', 'string', 'customerId'), col('email', 'string', 'email')]);
  });

  it('names a column set by the fields it returns', () => {
    expect(columnsKey(columnsFor(orders, ['status', 'customer']))).toBe('orderId,customerId,status');
  });
});

describe('translating the reads of a product', () => {
  it('translates a list with its page, filter and sort', () => {
    expect(translateList(orders, { where: { status: { eq: 'paid' } }, orderBy: [{ totalAmount: 'DESC' }], limit: 10, offset: 20 }, ['totalAmount'])).toEqual({
      kind: 'list',
      columns: [ORDER_ID, AMOUNT],
      where: { kind: 'compare', column: STATUS, op: 'eq', value: 'paid' },
      orderBy: [{ column: AMOUNT.column, direction: 'DESC' }],
      limit: 10,
      offset: 20,
    });
  });

  it('gives a list without arguments the default page and no filter', () => {
    expect(translateList(orders, {}, [])).toEqual({ kind: 'list', columns: [ORDER_ID], where: undefined, orderBy: [], limit: 100, offset: 0 });
  });

  it('refuses a list past the page cap', () => {
    expect(() => translateList(orders, { limit: 1001 }, [])).toThrow(BadUserInputError);
    expect(() => translateList(orders, { offset: -5 }, [])).toThrow(BadUserInputError);
  });

  it('translates a connection, continuing after its cursor', () => {
    const read = translateConnection(orders, { first: 5, after: encodeCursor(9) }, new Set(['edges', 'totalCount']), ['status']);
    expect(read).toEqual({
      kind: 'connection',
      columns: [ORDER_ID, col('status', 'string', 'status')],
      where: undefined,
      orderBy: [],
      first: 5,
      offset: 10,
      page: true,
      total: true,
    });
  });

  it('asks a connection for its page only when edges or pageInfo are selected, and its count only for totalCount', () => {
    const what = (top: string[]): [boolean, boolean] => {
      const r = translateConnection(orders, {}, new Set(top), []);
      return [r.page, r.total];
    };
    expect(what(['totalCount'])).toEqual([false, true]);
    expect(what(['pageInfo'])).toEqual([true, false]);
    expect(what(['edges'])).toEqual([true, false]);
    expect(what(['__typename'])).toEqual([false, false]);
  });

  it('refuses a connection with a malformed cursor', () => {
    expect(() => translateConnection(orders, { after: 'bogus' }, new Set(['edges']), [])).toThrow('Malformed cursor');
  });

  it('translates a look-up by key, saying whether the caller chose the key', () => {
    expect(translateByKey(orders, ['status'], true)).toEqual({ kind: 'byKey', columns: [ORDER_ID, col('status', 'string', 'status')], where: undefined, byCaller: true });
    expect(translateByKey(orders, [], false).byCaller).toBe(false);
  });

  it("translates a reverse list over its rows' reference column", () => {
    const reverse = reverseShapes(sample.shape('customer-profiles').product, sample.shapes)[0]!;
    expect(translateReverse(orders, reverse, { where: { status: { eq: 'paid' } }, limit: 3 }, ['totalAmount'])).toEqual({
      kind: 'reverse',
      columns: [ORDER_ID, AMOUNT],
      where: { kind: 'compare', column: STATUS, op: 'eq', value: 'paid' },
      orderBy: [],
      references: [{ name: 'customer_id', type: 'string' }],
      limit: 3,
    });
  });
});

describe('translating an aggregate', () => {
  it('groups by the columns the enum values name, each once', () => {
    const read = translateAggregate(orders, { groupBy: ['SHIPPING_COUNTRY', 'CHANNEL', 'SHIPPING_COUNTRY'] }, {});
    expect(read).toEqual({
      kind: 'aggregate',
      where: undefined,
      aggregates: [],
      groupBy: [col('shipping_country', 'string', 'key.shippingCountry'), col('channel', 'string', 'key.channel')],
    });
  });

  it('refuses a groupBy value the product does not have', () => {
    expect(() => translateAggregate(orders, { groupBy: ['shippingCountry'] }, {})).toThrow('Unknown groupBy field "shippingCountry".');
  });

  it('computes the aggregates selected under each function, in the order sum, avg, min, max', () => {
    const read = translateAggregate(
      orders,
      { where: { status: { eq: 'paid' } } },
      { max: ['orderDate'], sum: ['totalAmount', 'itemCount'], avg: ['nonsense'], min: ['__typename'] },
    );
    expect(read.aggregates).toEqual([
      { fn: 'sum', column: AMOUNT.column, as: 'sum.totalAmount' },
      { fn: 'sum', column: { name: 'item_count', type: 'integer' }, as: 'sum.itemCount' },
      { fn: 'max', column: { name: 'order_date', type: 'date' }, as: 'max.orderDate' },
    ]);
    expect(read.where).toEqual({ kind: 'compare', column: STATUS, op: 'eq', value: 'paid' });
  });
});

describe('the shape a read is translated with', () => {
  it('reads only contract columns, whatever names the selection brings', () => {
    const shape: ProductShape = orders.shape;
    const names = new Set(shape.fields.map((f) => f.field.name));
    const read = translateList(orders, {}, ['"; DROP TABLE x; --', 'orderId', 'customer', 'payments']);
    expect(read.columns.every((c) => names.has(c.column.name))).toBe(true);
  });
});
