/**
 * Composite keys and keyless products through a real mesh over HTTP: a fulfillment domain with
 * order lines keyed by (order_id, line_number) (an ODCS contract, key order by primaryKeyPosition)
 * and picker shifts keyed by (picker_email, shift_date), and a logistics domain with keyless
 * shipment events that reference order lines by both columns. The data is written by plain DuckDB
 * statements here, and every expected answer is computed in TypeScript from those rows.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../cli/config.js';
import { loadMesh, type DataProduct } from '../../schema/index.js';
import { testContracts } from '../../subgraphs/runtime/contracts/index.js';
import { publishInPlace } from '../support/publishInPlace.js';
import { copyOfSeededData, startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

interface Line {
  order_id: string;
  line_number: number;
  sku: string;
  quantity: number;
  warehouse: string;
}
interface Event {
  event_ts: string;
  order_id: string;
  line_number: number;
  status: string;
  carrier: string;
}
interface Shift {
  picker_email: string;
  shift_date: string;
  hours: number;
}

// 30 orders of 1 to 3 lines; events on most lines (some lines none, a few events on lines that do not exist); shifts per picker and day.
const LINES: Line[] = [];
for (let o = 1; o <= 30; o++)
  for (let l = 1; l <= (o % 3) + 1; l++)
    LINES.push({ order_id: `O-${String(o).padStart(3, '0')}`, line_number: l, sku: `SKU-${(o * 7 + l) % 11}`, quantity: ((o + l) % 5) + 1, warehouse: o % 2 ? 'DE' : 'FR' });
const STATUSES = ['picked', 'packed', 'shipped', 'delivered'];
const EVENTS: Event[] = [];
LINES.forEach((line, i) => {
  // Few distinct timestamps, so rows tie on the declared order and only the tiebreak keeps pages apart.
  for (let e = 0; e < i % 4; e++)
    EVENTS.push({
      event_ts: `2026-11-0${1 + ((i + e) % 3)} 10:00:00`,
      order_id: line.order_id,
      line_number: line.line_number,
      status: STATUSES[e]!,
      carrier: i % 2 ? 'dhl' : 'ups',
    });
});
EVENTS.push({ event_ts: '2026-11-02 10:00:00', order_id: 'O-999', line_number: 1, status: 'picked', carrier: 'dhl' });
EVENTS.push({ event_ts: '2026-11-02 10:00:00', order_id: 'O-001', line_number: 9, status: 'picked', carrier: 'dhl' });
const SHIFTS: Shift[] = ['ana@example.com', 'ben@example.com'].flatMap((picker_email, p) =>
  ['2026-11-01', '2026-11-02', '2026-11-03'].map((shift_date, d) => ({ picker_email, shift_date, hours: 4 + p + d })),
);

const sqlText = (v: string | number): string => (typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);
/** A COPY of literal rows to Parquet, each column cast to its type. */
function copyRows(rows: readonly object[], types: Record<string, string>, file: string): string {
  const cols = Object.keys(types);
  const values = rows.map((r) => `(${cols.map((c) => `CAST(${sqlText((r as Record<string, string | number>)[c]!)} AS ${types[c]})`).join(', ')})`).join(',\n');
  return `COPY (SELECT * FROM (VALUES ${values}) AS t(${cols.join(', ')})) TO '${file}' (FORMAT parquet)`;
}
const LINE_TYPES = { order_id: 'VARCHAR', line_number: 'INTEGER', sku: 'VARCHAR', quantity: 'INTEGER', warehouse: 'VARCHAR' };

async function duck(statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  for (const s of statements) await c.run(s);
  c.closeSync();
  instance.closeSync();
}

const descriptor = (name: string, domain: string, schema: string): Record<string, unknown> => ({
  name,
  domain,
  owner: `${domain}-team@company.com`,
  outputs: [{ name: `${name}-v1`, format: 'parquet', location: `${domain}/${name}/`, schema }],
  sla: { freshness: '1h', completeness: '99.5%' },
});

const ORDER_LINES_ODCS = {
  apiVersion: 'v3.0.2',
  kind: 'DataContract',
  version: '1.0.0',
  customProperties: [
    { property: 'purposes', value: ['analytics'] },
    { property: 'graphqlField', value: 'orderLines' },
  ],
  schema: [
    {
      name: 'OrderLine',
      properties: [
        // Listed second-key-first: the key's order comes from primaryKeyPosition, not from the listing.
        { name: 'line_number', logicalType: 'integer', physicalType: 'INTEGER', required: true, primaryKey: true, primaryKeyPosition: 2, classification: 'none' },
        { name: 'order_id', logicalType: 'string', physicalType: 'VARCHAR', required: true, primaryKey: true, primaryKeyPosition: 1, classification: 'none' },
        { name: 'sku', logicalType: 'string', physicalType: 'VARCHAR', required: true, classification: 'none' },
        { name: 'quantity', logicalType: 'integer', physicalType: 'INTEGER', required: true, classification: 'none' },
        { name: 'warehouse', logicalType: 'string', physicalType: 'VARCHAR', required: true, classification: 'none' },
      ],
    },
  ],
};

const SHIFTS_AVSC = {
  type: 'record',
  name: 'PickerShift',
  graphqlField: 'pickerShifts',
  fields: [
    { name: 'picker_email', type: 'string', key: true, classification: 'email' },
    { name: 'shift_date', type: { type: 'int', logicalType: 'date' }, key: true, classification: 'none' },
    { name: 'hours', type: 'int', classification: 'none' },
  ],
};

const EVENTS_AVSC = {
  type: 'record',
  name: 'ShipmentEvent',
  graphqlField: 'shipmentEvents',
  order: ['event_ts'],
  references: [{ product: 'order-lines', columns: ['order_id', 'line_number'] }],
  fields: [
    { name: 'event_ts', type: { type: 'long', logicalType: 'timestamp-micros' }, classification: 'none' },
    { name: 'order_id', type: 'string', classification: 'none' },
    { name: 'line_number', type: 'int', classification: 'none' },
    { name: 'status', type: 'string', classification: 'none' },
    { name: 'carrier', type: 'string', classification: 'none' },
  ],
};

const EXTRA_RULES = `
  - id: keys-test-partners-read-their-warehouses-lines
    description: Partners read only the order lines of the warehouses in their token.
    roles: [partner]
    products: [order-lines]
    rows:
      warehouse: { in: { claim: countries } }
`;

let mesh: TestMesh;
let products: Map<string, DataProduct>;
const logs: string[] = [];
let owner: Record<string, string>;
let analyst: Record<string, string>;

beforeAll(async () => {
  const subgraphsDir = await mkdtemp(path.join(tmpdir(), 'meshgate-keys-'));
  // The sample's own order-lines and shipment-events make way for this test's products of the same names (in other domains).
  const own = /commerce\/(order-lines|shipment-events)/;
  await cp(path.join(REPO_ROOT, 'subgraphs'), subgraphsDir, { recursive: true, filter: (src) => !src.includes('runtime') && !own.test(src) });
  await mkdir(path.join(subgraphsDir, 'fulfillment/schemas'), { recursive: true });
  await mkdir(path.join(subgraphsDir, 'logistics/schemas'), { recursive: true });
  await writeFile(path.join(subgraphsDir, 'fulfillment/order-lines.data-product.yaml'), stringify(descriptor('order-lines', 'fulfillment', 'schemas/order-lines.odcs.yaml')));
  await writeFile(path.join(subgraphsDir, 'fulfillment/schemas/order-lines.odcs.yaml'), stringify(ORDER_LINES_ODCS));
  await writeFile(path.join(subgraphsDir, 'fulfillment/picker-shifts.data-product.yaml'), stringify(descriptor('picker-shifts', 'fulfillment', 'schemas/picker-shifts.avsc')));
  await writeFile(path.join(subgraphsDir, 'fulfillment/schemas/picker-shifts.avsc'), JSON.stringify(SHIFTS_AVSC));
  await writeFile(path.join(subgraphsDir, 'logistics/data-product.yaml'), stringify(descriptor('shipment-events', 'logistics', 'schemas/shipment-events.avsc')));
  await writeFile(path.join(subgraphsDir, 'logistics/schemas/shipment-events.avsc'), JSON.stringify(EVENTS_AVSC));
  const dataRoot = await copyOfSeededData();
  const loaded = await loadMesh(subgraphsDir, { dataRoot });
  expect(loaded.problems).toEqual([]);
  products = new Map(loaded.domains.flatMap((d) => d.products).map((p) => [p.name, p]));
  const dir = (name: string): string => products.get(name)!.storeDir;
  for (const name of ['order-lines', 'picker-shifts', 'shipment-events']) await mkdir(dir(name), { recursive: true });
  await duck([
    copyRows(LINES, LINE_TYPES, path.join(dir('order-lines'), 'part-0.parquet')),
    copyRows(SHIFTS, { picker_email: 'VARCHAR', shift_date: 'DATE', hours: 'INTEGER' }, path.join(dir('picker-shifts'), 'part-0.parquet')),
    copyRows(
      EVENTS,
      { event_ts: 'TIMESTAMP', order_id: 'VARCHAR', line_number: 'INTEGER', status: 'VARCHAR', carrier: 'VARCHAR' },
      path.join(dir('shipment-events'), 'part-0.parquet'),
    ),
  ]);
  for (const name of ['order-lines', 'picker-shifts', 'shipment-events']) await publishInPlace(products.get(name)!);
  const policy = (await readFile(path.join(REPO_ROOT, 'policies/access.yaml'), 'utf8')) + EXTRA_RULES;
  mesh = await startTestMesh({ subgraphsDir, dataRoot, policy, buildTimers: false, log: (l) => logs.push(l) });
  owner = { authorization: `Bearer ${await mesh.token({ roles: ['fulfillment-owner', 'logistics-owner'] })}` };
  analyst = { authorization: `Bearer ${await mesh.token({ roles: ['analyst'] })}` };
}, 120_000);
afterAll(() => mesh?.close());

async function ask<T>(query: string, headers: Record<string, string> = owner): Promise<GraphQLResponse<T>> {
  return mesh.query<T>(query, undefined, headers);
}
async function data<T>(query: string, headers: Record<string, string> = owner): Promise<T> {
  const r = await ask<T>(query, headers);
  expect(r.errors).toBeUndefined();
  return r.data!;
}
/** How many statements the mesh's DuckDB runs for one query, and its data. */
async function counted<T>(query: string): Promise<{ delta: number; data: T }> {
  const before = mesh.statements();
  const d = await data<T>(query);
  return { delta: mesh.statements() - before, data: d };
}

const lineOf = (orderId: string, lineNumber: number): Line | undefined => LINES.find((l) => l.order_id === orderId && l.line_number === lineNumber);
const eventsOf = (l: Line): Event[] => EVENTS.filter((e) => e.order_id === l.order_id && e.line_number === l.line_number);
const tsOf = (ts: string): string => `${ts.replace(' ', 'T')}.000000Z`;

describe('a composite key', () => {
  it('is the entity key and the look-up takes every key field, each with its own type', async () => {
    const r = await data<{ __type: { fields: { name: string; args: { name: string; type: { kind: string; ofType: { name: string } } }[] }[] } }>(
      '{ __type(name: "Query") { fields { name args { name type { kind ofType { name } } } } } }',
    );
    const lookUp = r.__type.fields.find((f) => f.name === 'orderLine')!;
    expect(lookUp.args.map((a) => [a.name, a.type.kind, a.type.ofType.name])).toEqual([
      ['orderId', 'NON_NULL', 'ID'],
      ['lineNumber', 'NON_NULL', 'Int'],
    ]);
    const shift = r.__type.fields.find((f) => f.name === 'pickerShift')!;
    expect(shift.args.map((a) => [a.name, a.type.ofType.name])).toEqual([
      ['pickerEmail', 'ID'],
      ['shiftDate', 'Date'],
    ]);
  });

  it('looks a row up by every key field', async () => {
    const line = LINES[7]!;
    const r = await data<{ orderLine: Record<string, unknown> | null; missing: unknown }>(
      `{ orderLine(orderId: "${line.order_id}", lineNumber: ${line.line_number}) { orderId lineNumber sku quantity warehouse } missing: orderLine(orderId: "${line.order_id}", lineNumber: 99) { sku } }`,
    );
    expect(r.orderLine).toEqual({ orderId: line.order_id, lineNumber: line.line_number, sku: line.sku, quantity: line.quantity, warehouse: line.warehouse });
    expect(r.missing).toBeNull();
    const shift = SHIFTS[4]!;
    const s = await data<{ pickerShift: unknown }>(`{ pickerShift(pickerEmail: "${shift.picker_email}", shiftDate: "${shift.shift_date}") { pickerEmail shiftDate hours } }`);
    expect(s.pickerShift).toEqual({ pickerEmail: shift.picker_email, shiftDate: shift.shift_date, hours: shift.hours });
  });

  it('refuses a look-up missing one key field in GraphQL validation', async () => {
    const r = await ask('{ orderLine(orderId: "O-001") { sku } }');
    // Validation refuses it before any subgraph runs: the gateway answers client mistakes as BAD_USER_INPUT.
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toBe('Field "orderLine" argument "lineNumber" of type "Int!" is required, but it was not provided.');
  });

  it('batches look-ups by composite key into one statement, each answer its own row', async () => {
    const picks = LINES.slice(3, 15);
    const query = `{ ${picks.map((l, i) => `l${i}: orderLine(orderId: "${l.order_id}", lineNumber: ${l.line_number}) { sku quantity }`).join(' ')} }`;
    const { delta, data: d } = await counted<Record<string, { sku: string; quantity: number }>>(query);
    expect(delta).toBe(1);
    picks.forEach((l, i) => expect(d[`l${i}`]).toEqual({ sku: l.sku, quantity: l.quantity }));
  });
});

describe('a composite reference across subgraphs', () => {
  it("resolves each event's order line by both columns (null where no line has them)", async () => {
    const d = await data<{ shipmentEvents: { orderId: string; lineNumber: number; orderLine: { orderId: string; lineNumber: number; sku: string } | null }[] }>(
      '{ shipmentEvents(limit: 1000) { orderId lineNumber orderLine { orderId lineNumber sku } } }',
    );
    expect(d.shipmentEvents).toHaveLength(EVENTS.length);
    for (const e of d.shipmentEvents) {
      const line = lineOf(e.orderId, e.lineNumber);
      expect(e.orderLine).toEqual(line ? { orderId: line.order_id, lineNumber: line.line_number, sku: line.sku } : null);
    }
    expect(d.shipmentEvents.filter((e) => e.orderLine === null)).toHaveLength(2);
  });

  it('resolves a batch of references in exactly one statement', async () => {
    const { delta, data: d } = await counted<{ shipmentEvents: { orderLine: { quantity: number } | null }[] }>(
      '{ shipmentEvents(limit: 40, orderBy: [{ carrier: DESC }]) { orderLine { quantity } } }',
    );
    expect(d.shipmentEvents).toHaveLength(40);
    // One statement for the events, one for every order line they reference.
    expect(delta).toBe(2);
  });

  it('lists the events of each order line on the line (a reverse list by both columns), batched', async () => {
    const { delta, data: d } = await counted<{ orderLines: { orderId: string; lineNumber: number; shipmentEvents: { status: string; eventTs: string }[] }[] }>(
      '{ orderLines(limit: 1000) { orderId lineNumber shipmentEvents(orderBy: [{ status: ASC }]) { status eventTs } } }',
    );
    expect(delta).toBe(2);
    expect(d.orderLines).toHaveLength(LINES.length);
    for (const l of d.orderLines) {
      const expected = eventsOf(lineOf(l.orderId, l.lineNumber)!)
        .map((e) => ({ status: e.status, eventTs: tsOf(e.event_ts) }))
        .sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : a.eventTs < b.eventTs ? -1 : a.eventTs > b.eventTs ? 1 : 0));
      expect(l.shipmentEvents).toEqual(expected);
    }
    expect(d.orderLines.some((l) => l.shipmentEvents.length === 3)).toBe(true);
  });

  it('follows a reference there and back: event → line → its events', async () => {
    const d = await data<{ shipmentEvents: { orderId: string; lineNumber: number; orderLine: { shipmentEvents: { orderId: string; lineNumber: number }[] } | null }[] }>(
      '{ shipmentEvents(limit: 10) { orderId lineNumber orderLine { shipmentEvents { orderId lineNumber } } } }',
    );
    for (const e of d.shipmentEvents) {
      const line = lineOf(e.orderId, e.lineNumber);
      if (!line) continue;
      expect(e.orderLine!.shipmentEvents).toHaveLength(eventsOf(line).length);
      expect(e.orderLine!.shipmentEvents.every((x) => x.orderId === e.orderId && x.lineNumber === e.lineNumber)).toBe(true);
    }
  });
});

describe('a keyless product', () => {
  it('has a list, a connection and an aggregate, but no look-up and no entity', async () => {
    const r = await data<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Query") { fields { name } } }');
    const names = r.__type.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['shipmentEvents', 'shipmentEventsConnection', 'shipmentEventsAggregate']));
    expect(names).not.toContain('shipmentEvent');
    const entities = await ask('{ _entities(representations: [{ __typename: "ShipmentEvent" }]) { __typename } }');
    expect(entities.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([[[]], [[{ status: 'ASC' }]], [[{ carrier: 'DESC' }, { status: 'ASC' }]]])('pages through every row exactly once, the same way twice (orderBy %j)', async (orderBy) => {
    const walk = async (): Promise<Event[]> => {
      const rows: Event[] = [];
      let after: string | null = null;
      const order = JSON.stringify(orderBy).replace(/"(\w+)":"(\w+)"/g, '$1: $2');
      for (let page = 0; page < 50; page++) {
        const d: { shipmentEventsConnection: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Record<string, unknown> }[] } } =
          await data(
            `{ shipmentEventsConnection(first: 7, orderBy: ${order}${after ? `, after: "${after}"` : ''}) { totalCount pageInfo { hasNextPage endCursor } edges { node { eventTs orderId lineNumber status carrier } } } }`,
          );
        const c = d.shipmentEventsConnection;
        expect(c.totalCount).toBe(EVENTS.length);
        rows.push(
          ...c.edges.map(({ node: n }) => ({
            event_ts: String(n.eventTs),
            order_id: String(n.orderId),
            line_number: Number(n.lineNumber),
            status: String(n.status),
            carrier: String(n.carrier),
          })),
        );
        if (!c.pageInfo.hasNextPage) break;
        after = c.pageInfo.endCursor;
      }
      return rows;
    };
    const first = await walk();
    const text = (e: Event): string => JSON.stringify([tsOf(e.event_ts), e.order_id, e.line_number, e.status, e.carrier]);
    const asServed = (e: Event): string => JSON.stringify([e.event_ts, e.order_id, e.line_number, e.status, e.carrier]);
    expect(first.map(asServed).sort()).toEqual(EVENTS.map(text).sort());
    expect(new Set(first.map(asServed)).size).toBe(EVENTS.length);
    // The caller's order first, then the declared order (event_ts).
    const sortKey = (e: Event): string[] => [...orderBy.flatMap((o) => Object.entries(o).map(([f, dir]) => (dir === 'DESC' ? '~' : '') + String(e[f as keyof Event]))), e.event_ts];
    for (let i = 1; i < first.length; i++) {
      const [a, b] = [sortKey(first[i - 1]!), sortKey(first[i]!)];
      const cmp = a.findIndex((x, j) => x !== b[j]);
      if (cmp < 0) continue;
      const desc = a[cmp]!.startsWith('~');
      expect(desc ? a[cmp]! >= b[cmp]! : a[cmp]! <= b[cmp]!).toBe(true);
    }
    expect((await walk()).map(asServed)).toEqual(first.map(asServed));
  });

  it('aggregates like any product', async () => {
    const d = await data<{ shipmentEventsAggregate: { key: { status: string }; count: number }[] }>('{ shipmentEventsAggregate(groupBy: [STATUS]) { key { status } count } }');
    const expected = new Map<string, number>();
    for (const e of EVENTS) expected.set(e.status, (expected.get(e.status) ?? 0) + 1);
    expect(Object.fromEntries(d.shipmentEventsAggregate.map((g) => [g.key.status, g.count]))).toEqual(Object.fromEntries(expected));
  });
});

describe('policies on composite-key look-ups', () => {
  it('refuses to look a row up by a masked key column, and lets the owner do it', async () => {
    const shift = SHIFTS[0]!;
    const query = `{ pickerShift(pickerEmail: "${shift.picker_email}", shiftDate: "${shift.shift_date}") { hours } }`;
    const refused = await ask(query, analyst);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.text).not.toContain(`"hours":${shift.hours}`);
    expect((await data<{ pickerShift: unknown }>(query)).pickerShift).toEqual({ hours: shift.hours });
    // Neither variables, a fragment, nor asking for the key fields alone get around it.
    const viaVariables = await mesh.query(
      'query($e: ID!, $d: Date!) { pickerShift(pickerEmail: $e, shiftDate: $d) { shiftDate } }',
      { e: shift.picker_email, d: shift.shift_date },
      analyst,
    );
    expect(viaVariables.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viaFragment = await ask<{ s?: unknown }>(
      `query { ...F } fragment F on Query { s: pickerShift(pickerEmail: "${shift.picker_email}", shiftDate: "${shift.shift_date}") { __typename } }`,
      analyst,
    );
    expect(viaFragment.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(viaFragment.data?.s ?? null).toBeNull();
    // The masked key reads masked in a list, so the analyst cannot read it back to look up by either.
    const listed = await data<{ pickerShifts: { pickerEmail: string }[] }>('{ pickerShifts { pickerEmail } }', analyst);
    expect(listed.pickerShifts.map((s) => s.pickerEmail)).not.toContain(shift.picker_email);
  });

  it("applies a row policy to a composite-key look-up: a partner sees only its warehouses' lines", async () => {
    const partner = { authorization: `Bearer ${await mesh.token({ roles: ['partner'], countries: ['DE'] })}` };
    const de = LINES.find((l) => l.warehouse === 'DE')!;
    const fr = LINES.find((l) => l.warehouse === 'FR')!;
    const r = await data<{ de: { sku: string } | null; fr: { sku: string } | null }>(
      `{ de: orderLine(orderId: "${de.order_id}", lineNumber: ${de.line_number}) { sku } fr: orderLine(orderId: "${fr.order_id}", lineNumber: ${fr.line_number}) { sku } }`,
      partner,
    );
    expect(r).toEqual({ de: { sku: de.sku }, fr: null });
  });
});

describe('the catalog of composite-key and keyless products', () => {
  it('shows the root fields (no look-up for a keyless product), every key field, a profile and a sample', async () => {
    const entry = (name: string) =>
      data<{ dataProduct: { rootFields: Record<string, string | null>; fields: { column: string; key: boolean }[]; profile: { rows: number }; sample: { rows: unknown[] } } }>(
        `{ dataProduct(name: "${name}") { rootFields { list connection byKey aggregate } fields { column key } profile { rows } sample(limit: 3) { rows } } }`,
      );
    const events = (await entry('shipment-events')).dataProduct;
    expect(events.rootFields).toEqual({ list: 'shipmentEvents', connection: 'shipmentEventsConnection', byKey: null, aggregate: 'shipmentEventsAggregate' });
    expect(events.fields.filter((f) => f.key)).toEqual([]);
    expect([events.profile.rows, events.sample.rows.length]).toEqual([EVENTS.length, 3]);
    const lines = (await entry('order-lines')).dataProduct;
    expect(lines.rootFields.byKey).toBe('orderLine');
    expect(lines.fields.filter((f) => f.key).map((f) => f.column)).toEqual(['line_number', 'order_id']);
    const referencing = (
      await data<{ dataProduct: { fields: { column: string; references: string | null }[] } }>('{ dataProduct(name: "shipment-events") { fields { column references } } }')
    ).dataProduct;
    expect(referencing.fields.filter((f) => f.references).map((f) => [f.column, f.references])).toEqual([
      ['order_id', 'order-lines'],
      ['line_number', 'order-lines'],
    ]);
    expect([lines.profile.rows, lines.sample.rows.length]).toEqual([LINES.length, 3]);
  });
});

describe('the contract tests of composite keys and references', () => {
  it('find each orphaned composite reference and pass the unique composite key', async () => {
    const report = await testContracts([products.get('order-lines')!, products.get('shipment-events')!], { mesh: products, baseDir: mesh.dataRoot });
    const of = (test: string, product: string) => report.results.filter((r) => r.test === test && r.product === product);
    expect(of('key-unique', 'order-lines').map((r) => [r.field, r.pass])).toEqual([['order_id, line_number', true]]);
    const orphans = EVENTS.filter((e) => !lineOf(e.order_id, e.line_number)).length;
    expect(of('reference-integrity', 'shipment-events').map((r) => [r.field, r.actual, r.pass])).toEqual([['order_id, line_number', `${orphans} orphans`, false]]);
  });
});

describe('a version that repeats a composite key', () => {
  it('is refused, naming the key, and the version served keeps serving', async () => {
    const lines = products.get('order-lines')!;
    const line = LINES[0]!;
    await duck([copyRows([{ ...line, sku: 'SKU-TWIN' }], LINE_TYPES, path.join(lines.storeDir, 'part-1.parquet'))]);
    await publishInPlace(lines);
    const r = await data<{ orderLine: { sku: string } }>(`{ orderLine(orderId: "${line.order_id}", lineNumber: ${line.line_number}) { sku } }`);
    expect(r.orderLine.sku).toBe(line.sku);
    expect(logs.some((l) => l.includes('order-lines') && l.includes('repeat a key, e.g. (order_id, line_number)') && l.includes('still serving'))).toBe(true);
  });
});
