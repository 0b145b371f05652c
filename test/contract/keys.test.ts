/** Keys of a contract: one, several (in declared order), or none with a declared order; composite references in both readers; the governance rule over them. */
import { contractFromAvro } from '../../schema/contract/fromAvro.js';
import { contractFromOdcs } from '../../schema/contract/fromOdcs.js';
import { finishContract, type ContractDraft } from '../../schema/contract/finishContract.js';
import { toOdcs } from '../../schema/contract/toOdcs.js';
import { validateOdcs } from '../../schema/odcs/index.js';
import type { FieldContract } from '../../schema/index.js';
import { checkMesh, contract, descriptor, property, type FixtureProduct } from '../governance/meshFixture.js';

const field = (name: string, over: Partial<FieldContract> = {}): FieldContract => ({
  name,
  type: 'string',
  nullable: false,
  key: false,
  classification: 'none',
  purposes: [],
  ...over,
});
const draft = (fields: FieldContract[], over: Partial<ContractDraft> = {}): ContractDraft => ({
  typeName: 'ShipmentEvent',
  version: '1.0.0',
  fields,
  compatibility: 'BACKWARD',
  purposes: [],
  quality: [],
  ...over,
});
const messages = (r: { errors?: readonly { path: string; message: string }[] }): string[] => (r.errors ?? []).map((e) => `${e.path}: ${e.message}`);

describe('finishContract', () => {
  it('keeps one key, several keys in field order, or none with a declared order', () => {
    expect(finishContract('c', draft([field('a', { key: true }), field('b')])).value?.keys).toEqual(['a']);
    expect(finishContract('c', draft([field('b', { key: true }), field('a', { key: true, type: 'integer' })])).value?.keys).toEqual(['b', 'a']);
    const keyless = finishContract('c', draft([field('event_ts', { type: 'timestamp' }), field('status')], { order: ['event_ts'] }));
    expect(keyless.value).toMatchObject({ keys: [], order: ['event_ts'] });
  });

  it('takes the key order a reader gives (ODCS primaryKeyPosition)', () => {
    expect(finishContract('c', draft([field('b', { key: true }), field('a', { key: true })], { keys: ['a', 'b'] })).value?.keys).toEqual(['a', 'b']);
  });

  it('asks a keyless product for its order, saying how to declare it', () => {
    expect(messages(finishContract('c', draft([field('a')])))).toEqual([
      'order: a product without a key field must declare the order of its rows, so its pages are stable: add a record-level "order": ["event_ts", "event_id"] (ODCS: a customProperty "order"), or mark its key field(s) "key": true (ODCS: primaryKey)',
    ]);
  });

  it('refuses an order naming unknown, unorderable or repeated columns, and an order on a keyed product', () => {
    expect(messages(finishContract('c', draft([field('a'), field('tags', { type: 'list' })], { order: ['nope', 'tags', 'a', 'a'] })))).toEqual([
      'order[0]: "nope" is not a field of the contract: name one of its fields',
      'order[1]: "tags" is a list and cannot order rows: order by a scalar field',
      'order[3]: "a" is named twice: name it once',
    ]);
    expect(messages(finishContract('c', draft([field('a', { key: true })], { order: ['a'] })))).toEqual([
      'order: only a keyless product declares an order (a keyed product is ordered by its key): remove "order"',
    ]);
  });

  it('refuses a composite key column of a type that cannot match by value, and a nullable key column', () => {
    expect(messages(finishContract('c', draft([field('a', { key: true }), field('x', { key: true, type: 'double' }), field('n', { key: true, nullable: true })])))).toEqual([
      'fields[1].type: a column of a composite key must be one of string, integer, bigint, date, uuid, not double: drop "x" from the key',
      'fields[2]: a key field cannot be nullable: make it required, or drop it from the key',
    ]);
  });

  it('checks composite references against its own columns', () => {
    const r = finishContract(
      'c',
      draft([field('a', { key: true }), field('order_id')], { references: [{ product: 'order-lines', columns: ['order_id', 'nope'], fields: ['order_id'] }] }),
    );
    expect(messages(r)).toEqual([
      'references[0].columns[1]: "nope" is not a field of the contract: name one of its fields',
      'references[0].fields: names 1 target column(s) for 2 column(s): name one target key column per column, or leave "fields" out to mean the target\'s key',
    ]);
  });
});

const AVRO = {
  type: 'record',
  name: 'ShipmentEvent',
  order: ['event_ts'],
  references: [{ product: 'order-lines', columns: ['order_id', 'line_number'] }],
  fields: [
    { name: 'event_ts', type: { type: 'long', logicalType: 'timestamp-micros' }, classification: 'none' },
    { name: 'order_id', type: 'string', classification: 'none' },
    { name: 'line_number', type: 'int', classification: 'none' },
  ],
};

describe('the Avro reader', () => {
  it('reads a record-level order and composite references, fields defaulting to the target key', () => {
    const c = contractFromAvro('e.avsc', AVRO).value!;
    expect(c.keys).toEqual([]);
    expect(c.order).toEqual(['event_ts']);
    expect(c.references).toEqual([{ product: 'order-lines', columns: ['order_id', 'line_number'], fields: [] }]);
  });

  it('reads several key fields in field order', () => {
    const c = contractFromAvro('l.avsc', {
      type: 'record',
      name: 'OrderLine',
      fields: [
        { name: 'order_id', type: 'string', key: true, classification: 'none' },
        { name: 'line_number', type: 'int', key: true, classification: 'none' },
      ],
    }).value!;
    expect(c.keys).toEqual(['order_id', 'line_number']);
  });

  it('refuses a one-column composite reference, pointing at the field attribute', () => {
    const r = contractFromAvro('e.avsc', { ...AVRO, references: [{ product: 'order-lines', columns: ['order_id'] }] });
    expect(messages(r)).toEqual(['references[0].columns: at least two columns (a one-column reference is written on its field: "references": "<product>.<column>")']);
  });
});

const odcs = (properties: Record<string, unknown>[], custom: Record<string, unknown>[] = []): Record<string, unknown> => ({
  apiVersion: 'v3.0.2',
  kind: 'DataContract',
  version: '1.0.0',
  customProperties: custom,
  schema: [{ name: 'OrderLine', properties }],
});
const LINE_PROPS = [
  { name: 'line_number', logicalType: 'integer', physicalType: 'INTEGER', required: true, primaryKey: true, primaryKeyPosition: 2, classification: 'none' },
  { name: 'order_id', logicalType: 'string', physicalType: 'VARCHAR', required: true, primaryKey: true, primaryKeyPosition: 1, classification: 'none' },
  { name: 'sku', logicalType: 'string', physicalType: 'VARCHAR', required: true, classification: 'none' },
];

describe('the ODCS reader', () => {
  it('orders a composite key by primaryKeyPosition', () => {
    expect(contractFromOdcs('l.odcs.yaml', odcs(LINE_PROPS)).value?.keys).toEqual(['order_id', 'line_number']);
  });

  it('asks for every position of a composite key, distinct and in range', () => {
    const [a, b] = LINE_PROPS as unknown as [Record<string, unknown>, Record<string, unknown>];
    expect(messages(contractFromOdcs('l.odcs.yaml', odcs([{ ...a, primaryKeyPosition: undefined }, b])))).toEqual([
      'schema[0].properties[0].primaryKeyPosition: a composite key needs the position of each key property: add primaryKeyPosition: 1..2',
    ]);
    expect(messages(contractFromOdcs('l.odcs.yaml', odcs([{ ...a, primaryKeyPosition: 1 }, b])))).toEqual([
      'schema[0].properties[0].primaryKeyPosition: expected a distinct position from 1 to 2, got 1',
      'schema[0].properties[1].primaryKeyPosition: expected a distinct position from 1 to 2, got 1',
    ]);
  });

  it('reads order and composite references as contract-level customProperties', () => {
    const props = [
      { name: 'event_ts', logicalType: 'timestamp', physicalType: 'TIMESTAMP', required: true, classification: 'none' },
      { name: 'order_id', logicalType: 'string', physicalType: 'VARCHAR', required: true, classification: 'none' },
      { name: 'line_number', logicalType: 'integer', physicalType: 'INTEGER', required: true, classification: 'none' },
    ];
    const custom = [
      { property: 'order', value: ['event_ts'] },
      { property: 'references', value: [{ product: 'order-lines', columns: ['order_id', 'line_number'], fields: ['order_id', 'line_number'], as: 'line' }] },
    ];
    const c = contractFromOdcs('e.odcs.yaml', odcs(props, custom)).value!;
    expect(c).toMatchObject({
      keys: [],
      order: ['event_ts'],
      references: [{ product: 'order-lines', columns: ['order_id', 'line_number'], fields: ['order_id', 'line_number'], as: 'line' }],
    });
  });

  it('writes a composite key, an order and composite references back so they read the same', () => {
    const lines = contractFromOdcs('l.odcs.yaml', odcs(LINE_PROPS)).value!;
    const events = contractFromAvro('e.avsc', AVRO).value!;
    for (const c of [lines, events]) {
      const doc = toOdcs({ name: 'p', domain: 'd', owner: 'o@x.io', status: 'active', contract: c } as never);
      // Still a document the official ODCS v3.0.2 schema accepts.
      expect(validateOdcs('p.odcs.yaml', doc)).toEqual([]);
      const back = contractFromOdcs('p.odcs.yaml', doc).value!;
      expect([back.keys, back.order, back.references]).toEqual([c.keys, c.order, c.references]);
    }
  });
});

const linesProduct = (): FixtureProduct => ({
  domain: 'fulfillment',
  descriptor: descriptor('order-lines', 'fulfillment'),
  contract: odcs(LINE_PROPS, [{ property: 'purposes', value: ['analytics'] }]),
});
const eventsProduct = (references: unknown, props: Record<string, unknown>[] = []): FixtureProduct => ({
  domain: 'logistics',
  descriptor: descriptor('shipment-events', 'logistics'),
  contract: contract(
    'ShipmentEvent',
    [
      property('event_ts', { logicalType: 'timestamp', physicalType: 'TIMESTAMP' }),
      property('order_id'),
      property('line_number', { logicalType: 'integer', physicalType: 'INTEGER' }),
      property('line_text'),
      ...props,
    ],
    {
      customProperties: [
        { property: 'purposes', value: ['analytics'] },
        { property: 'order', value: ['event_ts'] },
        { property: 'references', value: references },
      ],
    },
  ),
});
const referenceFindings = async (products: FixtureProduct[]): Promise<string[]> =>
  (await checkMesh(products)).filter((f) => f.rule === 'references-resolve').map((f) => `${f.product}: ${f.message} | ${f.fix}`);

describe('the references-resolve rule over composite references', () => {
  it('accepts a reference naming the target key, in order, with its types', async () => {
    expect(await referenceFindings([linesProduct(), eventsProduct([{ product: 'order-lines', columns: ['order_id', 'line_number'] }])])).toEqual([]);
  });

  it('reports an unknown target, a keyless target, a wrong column count, and a type that differs from the key', async () => {
    expect(await referenceFindings([linesProduct(), eventsProduct([{ product: 'order-linez', columns: ['order_id', 'line_number'] }])])).toEqual([
      'shipment-events: references[0]: "order-linez" is not a product of the mesh | Name an existing product with a composite key, e.g. "order-lines".',
    ]);
    expect(await referenceFindings([linesProduct(), eventsProduct([{ product: 'shipment-events', columns: ['order_id', 'line_number'] }])])).toEqual([
      'shipment-events: references[0]: "shipment-events" has no key, so nothing can reference it | Drop the reference, or give "shipment-events" a key.',
    ]);
    expect(await referenceFindings([linesProduct(), eventsProduct([{ product: 'order-lines', columns: ['order_id', 'line_number', 'line_text'] }])])).toEqual([
      'shipment-events: references[0]: has 3 column(s) for the 2 key column(s) of "order-lines" (order_id, line_number) | Name one column per key column of "order-lines", in its key order.',
    ]);
    expect(await referenceFindings([linesProduct(), eventsProduct([{ product: 'order-lines', columns: ['order_id', 'line_text'] }])])).toEqual([
      'shipment-events: references[0]: field "line_text" is string, but the key column it references (order-lines.line_number) is integer | Declare line_text as integer, like line_number of "order-lines".',
    ]);
  });

  it('reports a one-column reference to a composite key, saying how to reference it', async () => {
    const single = eventsProduct([], [property('line_ref', { customProperties: [{ property: 'references', value: 'order-lines.order_id' }] })]);
    const found = await referenceFindings([linesProduct(), single]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('"order-lines" has a composite key (order_id, line_number), which one column cannot reference: declare a record-level "references"');
  });
});
