import { ProductIndex, type FieldRole } from '../../gateway/access/ProductIndex.js';
import { loadSampleMesh } from '../support/sampleMesh.js';

let index: ProductIndex;

beforeAll(async () => {
  index = new ProductIndex((await loadSampleMesh()).shapes);
});

/** A role as `kind product[.column]`, for readable expectations. */
function role(typeName: string, fieldName: string): string | undefined {
  const r: FieldRole | undefined = index.classify(typeName, fieldName);
  if (!r) return undefined;
  if (r.kind === 'product') return `product ${r.shape.product.name}`;
  if (r.kind === 'measure') return `measure ${r.shape.product.name}.${r.measure.measure.name}`;
  return `${r.kind} ${r.shape.product.name}.${(r.kind === 'reference' ? r.fields : [r.field]).map((f) => f.field.name).join('+')}`;
}

describe('classifying the fields of the API schema', () => {
  it('classifies an object field as the column it reads', () => {
    expect(role('Order', 'totalAmount')).toBe('column orders-enriched.total_amount');
    expect(role('Customer', 'birthDate')).toBe('column customer-profiles.birth_date');
    expect(role('Payment', 'cardNumber')).toBe('column payments.card_number');
    expect(role('AccessEvent', 'subject')).toBe('column access-log.subject');
  });

  it('classifies a group key field as the column it reads', () => {
    expect(role('CustomerGroupKey', 'email')).toBe('column customer-profiles.email');
    expect(role('OrderGroupKey', 'shippingCountry')).toBe('column orders-enriched.shipping_country');
  });

  it('classifies the fields of Sums, Averages and Extremes as aggregates of their column', () => {
    expect(role('OrderSums', 'totalAmount')).toBe('aggregate orders-enriched.total_amount');
    expect(role('OrderAverages', 'itemCount')).toBe('aggregate orders-enriched.item_count');
    expect(role('CustomerExtremes', 'birthDate')).toBe('aggregate customer-profiles.birth_date');
    expect(role('PaymentExtremes', 'paidAt')).toBe('aggregate payments.paid_at');
  });

  it('classifies each of the four root fields of a product as that product', () => {
    for (const field of ['customers', 'customersConnection', 'customer', 'customersAggregate']) expect(role('Query', field)).toBe('product customer-profiles');
    expect(role('Query', 'accessEvent')).toBe('product access-log');
  });

  it('classifies a reverse list as the product of its rows', () => {
    expect(role('Customer', 'orders')).toBe('product orders-enriched');
    expect(role('Order', 'payments')).toBe('product payments');
  });

  it('knows the reference column a reverse list looks its rows up by, and that root fields have none', () => {
    const reverse = index.classify('Customer', 'orders');
    expect(reverse?.kind === 'product' && reverse.reference?.map((f) => f.field.name)).toEqual(['customer_id']);
    const root = index.classify('Query', 'orders');
    expect(root?.kind === 'product' && root.reference).toBeUndefined();
  });

  it('knows that a reference is resolved by looking its target up with the referencing column', () => {
    expect(role('Order', 'customer')).toBe('reference orders-enriched.customer_id');
    expect(role('Payment', 'order')).toBe('reference payments.order_id');
  });

  it('reads no product data from connection, edge, group and page fields, or from __typename', () => {
    for (const [type, field] of [
      ['OrderConnection', 'edges'],
      ['OrderConnection', 'totalCount'],
      ['OrderConnection', 'pageInfo'],
      ['OrderEdge', 'node'],
      ['OrderEdge', 'cursor'],
      ['OrderGroup', 'key'],
      ['OrderGroup', 'count'],
      ['OrderGroup', 'sum'],
      ['PageInfo', 'endCursor'],
      ['Order', '__typename'],
    ] as const) {
      expect([type, field, role(type, field)]).toEqual([type, field, undefined]);
    }
  });

  it('classifies nothing for names that are not in the mesh', () => {
    expect(role('Query', 'orderz')).toBeUndefined();
    expect(role('Order', 'total_amount')).toBeUndefined();
    expect(role('Customer', 'totalAmount')).toBeUndefined();
    expect(role('Mutation', 'orders')).toBeUndefined();
    expect(role('Order.totalAmount', '')).toBeUndefined();
  });

  it('finds the shape of a product by its descriptor name only', () => {
    expect(index.shape('payments')?.typeName).toBe('Payment');
    expect(index.shape('Payment')).toBeUndefined();
  });
});
