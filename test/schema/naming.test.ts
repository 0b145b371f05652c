/** Names keep their word boundaries, and plurals come from the pluralize library, irregular ones included. */
import { contractFromAvro } from '../../schema/contract/fromAvro.js';
import { contractFromOdcs } from '../../schema/contract/fromOdcs.js';
import { productShape } from '../../schema/graphql/productShape.js';
import { camelCase, listFieldName, pascalCase, plural, singular, words } from '../../schema/naming.js';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { loadMesh, meshShapes, type DataProduct } from '../../schema/index.js';

describe('word boundaries', () => {
  it.each([
    ['ShipmentEvent', ['Shipment', 'Event'], 'shipmentEvent', 'ShipmentEvent'],
    ['shipment_event', ['shipment', 'event'], 'shipmentEvent', 'ShipmentEvent'],
    ['customer-profiles', ['customer', 'profiles'], 'customerProfiles', 'CustomerProfiles'],
    ['total_amount', ['total', 'amount'], 'totalAmount', 'TotalAmount'],
    ['IPAddress', ['IP', 'Address'], 'ipAddress', 'IpAddress'],
    ['ORDER_ID', ['ORDER', 'ID'], 'orderId', 'OrderId'],
    ['address_2', ['address', '2'], 'address2', 'Address2'],
    ['b2b_flag', ['b2b', 'flag'], 'b2bFlag', 'B2bFlag'],
    ['line2_text', ['line2', 'text'], 'line2Text', 'Line2Text'],
  ])('%s', (name, expectedWords, camel, pascal) => {
    expect(words(name)).toEqual(expectedWords);
    expect(camelCase(name)).toBe(camel);
    expect(pascalCase(name)).toBe(pascal);
  });
});

describe('plurals', () => {
  it.each([
    ['Order', 'Orders'],
    ['ShipmentEvent', 'ShipmentEvents'],
    ['Person', 'People'],
    ['BillingPerson', 'BillingPeople'],
    ['Analysis', 'Analyses'],
    ['Category', 'Categories'],
    ['Address', 'Addresses'],
    ['Status', 'Statuses'],
  ])('%s → %s and back', (one, many) => {
    expect(plural(one)).toBe(many);
    expect(singular(many)).toBe(one);
  });

  it('gives a word without a plural a list field apart from its by-key field', () => {
    expect(listFieldName('CustomerData')).toBe('customerDataList');
    expect(listFieldName('Person')).toBe('people');
  });
});

const avro = (name: string, over: Record<string, unknown> = {}) => ({
  type: 'record',
  name,
  fields: [
    { name: 'event_id', type: 'string', key: true, classification: 'none' },
    { name: 'shipped_at', type: { type: 'long', logicalType: 'timestamp-micros' }, classification: 'none' },
  ],
  ...over,
});

describe('names a contract gets', () => {
  it('ShipmentEvent: list field shipmentEvents, by-key shipmentEvent, ShipmentEventWhere', () => {
    const c = contractFromAvro('shipment-events.avsc', avro('ShipmentEvent'));
    expect(c.errors).toBeUndefined();
    expect(c.value!.listField).toBe('shipmentEvents');
    const shape = productShape({ name: 'shipment-events', contract: c.value! } as unknown as DataProduct, new Map());
    expect(shape.rootFields).toEqual(expect.arrayContaining(['shipmentEvents', 'shipmentEvent', 'shipmentEventsConnection', 'shipmentEventsAggregate']));
    expect(shape.whereType).toBe('ShipmentEventWhere');
  });

  it('irregular plurals: Person → people, Analysis → analyses, Category → categories', () => {
    expect(contractFromAvro('p.avsc', avro('Person')).value!.listField).toBe('people');
    expect(contractFromAvro('a.avsc', avro('Analysis')).value!.listField).toBe('analyses');
    expect(contractFromAvro('c.avsc', avro('Category')).value!.listField).toBe('categories');
  });

  it('graphqlField still wins', () => {
    expect(contractFromAvro('p.avsc', avro('Person', { graphqlField: 'persons' })).value!.listField).toBe('persons');
  });

  it('an ODCS table named in plural snake_case becomes its singular PascalCase type', () => {
    const doc = {
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      version: '1.0.0',
      schema: [{ name: 'shipment_events', properties: [{ name: 'event_id', logicalType: 'string', primaryKey: true, classification: 'none' }] }],
    };
    const c = contractFromOdcs('s.odcs.yaml', doc);
    expect(c.value).toMatchObject({ typeName: 'ShipmentEvent', listField: 'shipmentEvents' });
  });
});

describe('the sample mesh', () => {
  it('keeps its generated root fields (some set graphqlField, orders-enriched derives "orders" from Order, the new ones keep their word boundaries)', async () => {
    const mesh = await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: '/srv/mesh-data' });
    expect(mesh.problems).toEqual([]);
    const roots = Object.fromEntries(meshShapes(mesh).map((s) => [s.product.name, s.rootFields]));
    expect(roots).toEqual({
      'access-log': ['accessLog', 'accessLogConnection', 'accessEvent', 'accessLogAggregate'],
      'access-log-v2': ['accessLogV2', 'accessLogV2Connection', 'accessEventV2', 'accessLogV2Aggregate'],
      'order-lines': ['orderLines', 'orderLinesConnection', 'orderLine', 'orderLinesAggregate'],
      // Keyless: no look-up.
      'shipment-events': ['shipmentEvents', 'shipmentEventsConnection', 'shipmentEventsAggregate'],
      'customer-profiles': ['customers', 'customersConnection', 'customer', 'customersAggregate'],
      'orders-enriched': ['orders', 'ordersConnection', 'order', 'ordersAggregate'],
      payments: ['payments', 'paymentsConnection', 'payment', 'paymentsAggregate'],
    });
  });
});
