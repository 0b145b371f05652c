import type { GraphQLSchema } from 'graphql';
import { ProductIndex } from '../../gateway/access/ProductIndex.js';
import { plainUsage, usageOf } from '../support/operationUsage.js';
import { loadSampleMesh, sampleApiSchema } from '../support/sampleMesh.js';

let schema: GraphQLSchema;
let index: ProductIndex;

beforeAll(async () => {
  const sample = await loadSampleMesh();
  schema = sampleApiSchema(sample.mesh);
  index = new ProductIndex(sample.shapes);
});

const usage = (query: string, variables?: Record<string, unknown>): ReturnType<typeof plainUsage> => plainUsage(usageOf(schema, index, query, variables));

describe('the columns an operation selects', () => {
  it('finds the selected columns of each product, through references, which look their target up by the referencing column', () => {
    expect(usage('{ orders(limit: 5) { orderId totalAmount customer { email country } } }')).toEqual({
      'orders-enriched': { selected: ['order_id', 'total_amount'], revealed: { customer_id: 'lookup' } },
      'customer-profiles': { selected: ['country', 'email'], revealed: {} },
    });
  });

  it("finds the columns of a connection's nodes", () => {
    expect(usage('{ paymentsConnection(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { paymentId cardNumber } } } }')).toEqual({
      payments: { selected: ['card_number', 'payment_id'], revealed: {} },
    });
  });

  it('counts a product as read when only its totalCount or group count is selected', () => {
    expect(usage('{ ordersConnection { totalCount } }')).toEqual({ 'orders-enriched': { selected: [], revealed: {} } });
    expect(usage('{ accessLogAggregate { count } }')).toEqual({ 'access-log': { selected: [], revealed: {} } });
  });

  it('finds the columns selected under aliases', () => {
    expect(usage('{ a: customers { who: fullName } b: customers { mail: email } }')).toEqual({
      'customer-profiles': { selected: ['email', 'full_name'], revealed: {} },
    });
  });

  it('finds the columns selected in fragments and inline fragments', () => {
    expect(usage('{ customers { ...Contact ... on Customer { city } } } fragment Contact on Customer { email phone }')).toEqual({
      'customer-profiles': { selected: ['city', 'email', 'phone'], revealed: {} },
    });
  });

  it('reads nothing of a product for an operation that selects only __typename', () => {
    expect(usage('{ __typename }')).toEqual({});
  });
});

describe('the columns an operation reveals without selecting them', () => {
  it('finds a filter through and, or and not', () => {
    const q = '{ orders(where: { and: [{ status: { eq: paid } }], or: [{ channel: { eq: "web" } }, { not: { currency: { eq: "EUR" } } }] }) { orderId } }';
    expect(usage(q)['orders-enriched']!.revealed).toEqual({ channel: 'filter', currency: 'filter', status: 'filter' });
  });

  it('does not count a field set to null in a where as a filter', () => {
    expect(usage('{ customers(where: { email: null, country: { eq: "DE" } }) { customerId } }')['customer-profiles']!.revealed).toEqual({ country: 'filter' });
  });

  it('finds a sort, and leaves out a sort key set to null', () => {
    expect(usage('{ customers(orderBy: [{ signupAt: DESC }, { email: null, city: ASC }]) { customerId } }')['customer-profiles']!.revealed).toEqual({
      city: 'sort',
      signup_at: 'sort',
    });
  });

  it('finds a grouping, the aggregated columns and the group keys selected', () => {
    expect(usage('{ ordersAggregate(groupBy: [SHIPPING_COUNTRY]) { key { shippingCountry } count sum { totalAmount } avg { itemCount } max { orderDate } } }')).toEqual({
      'orders-enriched': { selected: ['shipping_country'], revealed: { item_count: 'aggregate', order_date: 'aggregate', shipping_country: 'group', total_amount: 'aggregate' } },
    });
  });

  it('finds a look-up by key', () => {
    expect(usage('{ payment(paymentId: "p1") { amount } }')).toEqual({ payments: { selected: ['amount'], revealed: { payment_id: 'lookup' } } });
  });

  it("finds what a reverse list's arguments reveal of the product of its rows", () => {
    const q = '{ customer(customerId: "c1") { fullName orders(where: { status: { eq: paid } }, orderBy: [{ orderTs: DESC }], limit: 3) { orderId payments { method } } } }';
    expect(usage(q)).toEqual({
      'customer-profiles': { selected: ['full_name'], revealed: { customer_id: 'lookup' } },
      'orders-enriched': { selected: ['order_id'], revealed: { customer_id: 'lookup', order_ts: 'sort', status: 'filter' } },
      payments: { selected: ['method'], revealed: { order_id: 'lookup' } },
    });
  });

  it('counts a reverse list as a look-up of its rows by their reference column', () => {
    expect(usage('{ customers { orders { orderId } } }')['orders-enriched']).toEqual({ selected: ['order_id'], revealed: { customer_id: 'lookup' } });
  });

  it('finds the filters, sorts and groupings of every alias', () => {
    const q = '{ a: orders(where: { status: { eq: paid } }) { orderId } b: orders(orderBy: [{ totalAmount: ASC }]) { orderId } c: ordersAggregate(groupBy: [CHANNEL]) { count } }';
    expect(usage(q)['orders-enriched']!.revealed).toEqual({ channel: 'group', status: 'filter', total_amount: 'sort' });
  });

  it('finds a filter written in a fragment', () => {
    const q = '{ ...Paid } fragment Paid on Query { orders(where: { status: { eq: paid } }) { ...Id } } fragment Id on Order { orderId }';
    expect(usage(q)).toEqual({ 'orders-enriched': { selected: ['order_id'], revealed: { status: 'filter' } } });
  });

  it('reads a single sort key or grouping given where a list is expected as a list', () => {
    expect(usage('{ customers(orderBy: { city: ASC }) { customerId } }')['customer-profiles']!.revealed).toEqual({ city: 'sort' });
    expect(usage('{ customersAggregate(groupBy: SEGMENT) { count } }')['customer-profiles']!.revealed).toEqual({ segment: 'group' });
  });
});

describe('directives and variables', () => {
  it('does not count fields or arguments under @skip(if: true)', () => {
    const q = '{ customers { customerId email @skip(if: true) } orders(where: { status: { eq: paid } }) @skip(if: true) { orderId } }';
    expect(usage(q)).toEqual({ 'customer-profiles': { selected: ['customer_id'], revealed: {} } });
  });

  it('follows @include(if: $v) through the variables', () => {
    const q = 'query($withEmail: Boolean!) { customers { customerId email @include(if: $withEmail) } }';
    expect(usage(q, { withEmail: false })['customer-profiles']!.selected).toEqual(['customer_id']);
    expect(usage(q, { withEmail: true })['customer-profiles']!.selected).toEqual(['customer_id', 'email']);
  });

  it('reads filters, sorts and groupings from variables', () => {
    const q =
      'query($w: CustomerWhere, $o: [CustomerOrderBy!], $g: [CustomerField!]) { customers(where: $w, orderBy: $o) { customerId } customersAggregate(groupBy: $g) { count } }';
    expect(usage(q, { w: { or: [{ city: { eq: 'Berlin' } }] }, o: [{ segment: 'ASC' }], g: ['COUNTRY'] })['customer-profiles']!.revealed).toEqual({
      city: 'filter',
      country: 'group',
      segment: 'sort',
    });
  });

  it('applies the defaults of variables the request leaves out', () => {
    const q = 'query($w: OrderWhere = { channel: { eq: "web" } }, $o: [OrderOrderBy!] = [{ totalAmount: DESC }]) { orders(where: $w, orderBy: $o) { orderId } }';
    expect(usage(q)['orders-enriched']!.revealed).toEqual({ channel: 'filter', total_amount: 'sort' });
    expect(usage(q, { w: null, o: null })['orders-enriched']!.revealed).toEqual({});
  });
});
