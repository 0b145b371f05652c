import { buildSubgraphSdl, generatedTypeNames, productShape, reverseShapes, type DataProduct, type FieldContract, type ProductShape } from '../../schema/index.js';
import { loadSampleMesh, type SampleMesh } from '../support/sampleMesh.js';

let sample: SampleMesh;
let order: ProductShape;
let customer: ProductShape;

beforeAll(async () => {
  sample = await loadSampleMesh();
  order = sample.shape('orders-enriched');
  customer = sample.shape('customer-profiles');
});

/** A hand-made product: just enough of a descriptor for its shape. */
function product(name: string, typeName: string, listField: string, fields: Partial<FieldContract>[]): DataProduct {
  const full = fields.map((f): FieldContract => ({ name: 'x', type: 'string', nullable: false, key: false, classification: 'none', purposes: [], ...f }));
  return {
    name,
    domain: 'd',
    owner: 'o@example.com',
    tags: [],
    version: '1.0.0',
    status: 'active',
    inputs: [],
    outputs: [],
    sla: { declared: {} },
    contract: {
      typeName,
      listField,
      version: '1.0.0',
      fields: full,
      keys: full.filter((f) => f.key).map((f) => f.name),
      compatibility: 'BACKWARD',
      purposes: [],
      quality: [],
      order: [],
      references: [],
      measures: [],
    },
    descriptorFile: `${name}/data-product.yaml`,
    storeDir: `/data/${name}`,
    retention: { keep: 5 },
    schedule: 'manual',
    gate: {},
  };
}

const people = product('people', 'Person', 'people', [{ name: 'person_id', key: true }]);
const shipments = product('shipments', 'Shipment', 'shipments', [
  { name: 'shipment_id', key: true },
  { name: 'sender_id', references: { product: 'people', field: 'person_id' } },
  { name: 'recipient_id', references: { product: 'people', field: 'person_id' } },
]);
const notes = product('notes', 'Note', 'notes', [
  { name: 'note_id', key: true },
  { name: 'author_id', references: { product: 'people', field: 'person_id' } },
]);
const served = new Map([people, shipments, notes].map((p) => [p.name, p]));

describe('the names of a product shape', () => {
  it('names every type of Order after its object type', () => {
    expect(order.types).toEqual({
      object: 'Order',
      where: 'OrderWhere',
      orderBy: 'OrderOrderBy',
      fieldEnum: 'OrderField',
      connection: 'OrderConnection',
      edge: 'OrderEdge',
      group: 'OrderGroup',
      groupKey: 'OrderGroupKey',
      aggregates: { sum: 'OrderSums', avg: 'OrderAverages', min: 'OrderExtremes', max: 'OrderExtremes' },
      distinct: 'OrderDistinctCounts',
      quantiles: 'OrderQuantiles',
      timeField: 'OrderTimeField',
      bucket: 'OrderTimeBucket',
      having: 'OrderHaving',
      havingNumbers: 'OrderHavingNumbers',
      havingDistinct: 'OrderHavingDistinctCounts',
      groupOrderBy: 'OrderGroupOrderBy',
      numbersOrderBy: 'OrderNumbersOrderBy',
      distinctOrderBy: 'OrderDistinctCountsOrderBy',
    });
    expect([order.whereType, order.orderByType, order.fieldEnum]).toEqual(['OrderWhere', 'OrderOrderBy', 'OrderField']);
  });

  it('names every type of Customer after its object type', () => {
    expect(customer.types.connection).toBe('CustomerConnection');
    expect(customer.types.edge).toBe('CustomerEdge');
    expect(customer.types.group).toBe('CustomerGroup');
    expect(customer.types.groupKey).toBe('CustomerGroupKey');
    expect(customer.types.aggregates).toEqual({ sum: 'CustomerSums', avg: 'CustomerAverages', min: 'CustomerExtremes', max: 'CustomerExtremes' });
  });

  it('gives a product four root fields: list, connection, by key and aggregate', () => {
    expect(order.rootFields).toEqual(['orders', 'ordersConnection', 'order', 'ordersAggregate']);
    expect(customer.rootFields).toEqual(['customers', 'customersConnection', 'customer', 'customersAggregate']);
    expect(sample.shape('access-log').rootFields).toEqual(['accessLog', 'accessLogConnection', 'accessEvent', 'accessLogAggregate']);
    expect([order.listField, order.connectionField, order.byKeyField, order.aggregateField]).toEqual(order.rootFields);
  });

  it('lists every generated type name of a product once, the shared Extremes included', () => {
    expect(generatedTypeNames(order).sort()).toEqual(
      [
        'Order',
        'OrderAverages',
        'OrderConnection',
        'OrderEdge',
        'OrderExtremes',
        'OrderField',
        'OrderGroup',
        'OrderGroupKey',
        'OrderOrderBy',
        'OrderSums',
        'OrderWhere',
        'OrderDistinctCounts',
        'OrderQuantiles',
        'OrderTimeField',
        'OrderTimeBucket',
        'OrderHaving',
        'OrderHavingNumbers',
        'OrderHavingDistinctCounts',
        'OrderGroupOrderBy',
        'OrderNumbersOrderBy',
        'OrderDistinctCountsOrderBy',
      ].sort(),
    );
  });
});

describe('the fields of a product shape', () => {
  it('gives each column a camelCase name, a GraphQL type, a filter and a groupBy enum value', () => {
    const amount = order.fieldOfColumn('total_amount')!;
    expect({ name: amount.name, type: amount.type, filter: amount.filter, enumValue: amount.enumValue, numeric: amount.numeric, ordered: amount.ordered }).toEqual({
      name: 'totalAmount',
      type: 'Float',
      filter: 'FloatFilter',
      enumValue: 'TOTAL_AMOUNT',
      numeric: true,
      ordered: true,
    });
    const placed = order.fieldOfColumn('order_ts')!;
    expect([placed.type, placed.numeric, placed.ordered]).toEqual(['DateTime', false, true]);
    expect(customer.fieldOfColumn('marketing_opt_in')!.type).toBe('Boolean');
  });

  it('types the key as ID, neither numeric nor ordered', () => {
    const [key] = order.keys;
    expect(order.keys.map((k) => k.name)).toEqual(['orderId']);
    expect([key!.type, key!.filter, key!.numeric, key!.ordered]).toEqual(['ID', 'IDFilter', false, false]);
  });

  it('finds the same field by GraphQL name, by column and by enum value', () => {
    const byName = customer.fieldNamed('birthDate');
    expect(byName?.field.name).toBe('birth_date');
    expect(customer.fieldOfColumn('birth_date')).toBe(byName);
    expect(customer.fieldOfEnum('BIRTH_DATE')).toBe(byName);
  });

  it('finds nothing for a name of another convention or another product', () => {
    expect(customer.fieldNamed('birth_date')).toBeUndefined();
    expect(customer.fieldOfColumn('birthDate')).toBeUndefined();
    expect(customer.fieldOfEnum('birthDate')).toBeUndefined();
    expect(customer.fieldNamed('totalAmount')).toBeUndefined();
  });

  it('resolves customer_id of an order to the customer reference', () => {
    const ref = order.referenceNamed('customer')!;
    expect(ref.from.map((f) => f.field.name)).toEqual(['customer_id']);
    expect(ref.target.name).toBe('customer-profiles');
    expect(order.referenceNamed('customerId')).toBeUndefined();
    expect(customer.references).toEqual([]);
  });

  it('labels a column as its type and field name, and an unknown column as itself', () => {
    expect(order.label('total_amount')).toBe('Order.totalAmount');
    expect(customer.label('birth_date')).toBe('Customer.birthDate');
    expect(order.label('no_such_column')).toBe('Order.no_such_column');
  });
});

describe('references and reverse lists', () => {
  it('keeps a reference to a product that is not served a plain value', () => {
    const alone = productShape(shipments, new Map([[shipments.name, shipments]]));
    expect(alone.references).toEqual([]);
    expect(alone.fieldNamed('senderId')?.type).toBe('String');
  });

  it('names a reference that clashes with a field <name>Ref', () => {
    const clash = product('parcels', 'Parcel', 'parcels', [
      { name: 'parcel_id', key: true },
      { name: 'sender' },
      { name: 'sender_id', references: { product: 'people', field: 'person_id' } },
    ]);
    const s = productShape(clash, new Map([...served, [clash.name, clash]]));
    expect(s.references.map((r) => r.name)).toEqual(['senderRef']);
    expect(s.referenceNamed('senderRef')?.from[0]?.field.name).toBe('sender_id');
  });

  it('names a reverse list after the list field when one reference points at the target', () => {
    expect(reverseShapes(order.product, sample.shapes).map((r) => [r.name, r.source.product.name, r.reference.from[0]!.field.name])).toEqual([
      ['orderLines', 'order-lines', 'order_id'],
      ['payments', 'payments', 'order_id'],
    ]);
    expect(reverseShapes(customer.product, sample.shapes).map((r) => r.name)).toEqual(['orders']);
  });

  it('names reverse lists <list>By<Reference> when a product points at the target twice', () => {
    const shapes = [...served.values()].map((p) => productShape(p, served));
    expect(reverseShapes(people, shapes).map((r) => [r.name, r.reference.from[0]!.field.name])).toEqual([
      ['shipmentsBySender', 'sender_id'],
      ['shipmentsByRecipient', 'recipient_id'],
      ['notes', 'author_id'],
    ]);
  });

  it('keeps the capitals of a reference of several words in an ambiguous reverse list name', () => {
    const invoices = product('invoices', 'Invoice', 'invoices', [
      { name: 'invoice_id', key: true },
      { name: 'billing_person_id', references: { product: 'people', field: 'person_id' } },
      { name: 'shipping_person_id', references: { product: 'people', field: 'person_id' } },
    ]);
    const all = new Map([
      [people.name, people],
      [invoices.name, invoices],
    ]);
    const shapes = [...all.values()].map((p) => productShape(p, all));
    expect(shapes[1]!.references.map((r) => r.name)).toEqual(['billingPerson', 'shippingPerson']);
    expect(reverseShapes(people, shapes).map((r) => r.name)).toEqual(['invoicesByBillingPerson', 'invoicesByShippingPerson']);
  });

  it('contributes no reverse list to a product nothing points at', () => {
    expect(reverseShapes(sample.shape('access-log').product, sample.shapes)).toEqual([]);
  });
});

describe('composite keys and keyless products', () => {
  const lines = product('order-lines', 'OrderLine', 'orderLines', [
    { name: 'order_id', key: true },
    { name: 'line_number', key: true, type: 'integer' },
    { name: 'quantity', type: 'integer' },
  ]);
  const base = product('shipment-events', 'ShipmentEvent', 'shipmentEvents', [
    { name: 'event_ts', type: 'timestamp' },
    { name: 'order_id' },
    { name: 'line_number', type: 'integer' },
  ]);
  const events: DataProduct = {
    ...base,
    domain: 'logistics',
    contract: { ...base.contract, order: ['event_ts'], references: [{ product: 'order-lines', columns: ['order_id', 'line_number'], fields: [] }] },
  };
  const all = new Map([lines, events].map((p) => [p.name, p]));
  const lineShape = productShape(lines, all);
  const eventShape = productShape(events, all);

  it('types a composite key as ID for its string column and its own scalar otherwise, neither numeric', () => {
    expect(lineShape.keys.map((k) => [k.name, k.type, k.numeric])).toEqual([
      ['orderId', 'ID', false],
      ['lineNumber', 'Int', false],
    ]);
    expect(lineShape.order).toEqual(lineShape.keys);
    expect(lineShape.rootFields).toEqual(['orderLines', 'orderLinesConnection', 'orderLine', 'orderLinesAggregate']);
  });

  it('gives a keyless product no look-up, and orders it by its declared order, then its other fields', () => {
    expect(eventShape.keys).toEqual([]);
    expect(eventShape.byKeyField).toBeUndefined();
    expect(eventShape.rootFields).toEqual(['shipmentEvents', 'shipmentEventsConnection', 'shipmentEventsAggregate']);
    expect(eventShape.order.map((f) => f.name)).toEqual(['eventTs', 'orderId', 'lineNumber']);
  });

  it('resolves a composite reference to the target entity, and a reverse list on the target', () => {
    const ref = eventShape.referenceNamed('orderLine')!;
    expect([ref.from.map((f) => f.name), ref.to, ref.target.name]).toEqual([['orderId', 'lineNumber'], ['order_id', 'line_number'], 'order-lines']);
    expect(reverseShapes(lines, [lineShape, eventShape]).map((r) => r.name)).toEqual(['shipmentEvents']);
  });

  it('prints the composite @key, a look-up taking every key field, the stub and no @key for a keyless type', () => {
    const own = buildSubgraphSdl('d', [lineShape, eventShape]);
    expect(own).toContain('type OrderLine @key(fields: "orderId lineNumber") {');
    expect(own).toContain('  orderLine(orderId: ID!, lineNumber: Int!): OrderLine\n');
    const other = buildSubgraphSdl('logistics', [lineShape, eventShape]);
    expect(other).toMatch(/type OrderLine @key\(fields: "orderId lineNumber"\) \{\n {2}orderId: ID!\n {2}lineNumber: Int!\n.*\n {2}shipmentEvents\(/);
    expect(other).toContain('type ShipmentEvent {');
    expect(other).toContain('  orderLine: OrderLine\n');
    expect(other).not.toMatch(/ shipmentEvent\(/);
  });

  it('resolves no reference to a keyless product, nor one naming other columns than the key', () => {
    const odd = {
      ...events,
      contract: { ...events.contract, references: [{ product: 'order-lines', columns: ['order_id', 'line_number'], fields: ['line_number', 'order_id'] }] },
    };
    expect(productShape(odd, all).references).toEqual([]);
    const toKeyless = product('notes', 'Note', 'notes', [
      { name: 'note_id', key: true },
      { name: 'event_ts', references: { product: 'shipment-events', field: 'event_ts' } },
    ]);
    expect(productShape(toKeyless, all).references).toEqual([]);
  });
});
