/**
 * The benchmark's shapes: the GraphQL a client sends, what the subgraph is sent directly, and the
 * floor, i.e. the very statements the runtime runs for that request, built with the runtime's own
 * SQL builder (the statement-count pass checks that the floor's statements equal the runtime's),
 * with the floor's rows as the subgraph answers them (the same-data check compares the two).
 * Beside them, operations sent to the gateways only: the masked-PII page, the two dashboards (one
 * fixed document each) and the catalog's own queries.
 *
 * Variables rotate through large shuffled sets, and each target of a run starts at its own place in
 * them and goes on from run to run, so no target is measured on answers another one (or its own
 * previous round) left in a subgraph's result cache.
 */
import { LIST_QUERY, PRODUCT_QUERY } from '../gateway/catalog/catalogQueries.js';
import type { ProductShape } from '../schema/index.js';
import { DEFAULT_LIMITS, type Row } from '../subgraphs/runtime/index.js';
import { allOf, buildAggregate, buildKeyLookup, buildReverseList, buildSelect, type Column, type Condition, type Selected, type SqlQuery } from '../subgraphs/runtime/sql/index.js';

/** Values rotated through from request to request (each list shuffled once, with a fixed seed). */
export interface BenchInputs {
  /** Every customer key, shuffled. */
  readonly customerIds: readonly string[];
  /** Offsets and lower bounds of the filtered page of 20. */
  readonly pages: readonly { readonly offset: number; readonly min: number }[];
  /** Lower bounds of the grouped aggregate's filter. */
  readonly aggregateMins: readonly number[];
  /** Offsets of pages of 50 orders (the join). */
  readonly orderOffsets: readonly number[];
  /** Offsets of pages of 50 customers (masked PII). */
  readonly customerOffsets: readonly number[];
}

/** What a floor needs: the products' shapes and current tables, and a way to run one statement. */
export interface FloorSql {
  shape(typeName: string): ProductShape;
  table(typeName: string): Promise<string>;
  run(q: SqlQuery): Promise<Row[]>;
}

/** An operation sent to the gateways. */
export interface GatewayScenario {
  readonly id: string;
  readonly title: string;
  /** The operation sent to the gateway. */
  readonly query: string;
  /** The i-th request's variables (undefined: a fixed document). */
  variables(i: number, inputs: BenchInputs): Record<string, unknown> | undefined;
  /** How many different requests `variables` rotates through (1 for a fixed document). */
  space(inputs: BenchInputs): number;
}

/** A shape that is also sent straight to its subgraph and run as SQL alone (the floor). */
export interface Scenario extends GatewayScenario {
  /** The subgraph that answers the direct variant, and the operation it is sent. */
  readonly direct: { readonly domain: string; readonly query: string; readonly footnote?: string };
  /** Runs the statements the runtime runs for the i-th request, in order, and resolves to the rows of each. */
  floor(i: number, inputs: BenchInputs, sql: FloorSql): Promise<Row[][]>;
  /** The direct operation's `data` as the floor's rows give it, for the same-data check. */
  floorData(rows: readonly Row[][]): unknown;
}

const pick = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length]!;

function column(shape: ProductShape, name: string): Column {
  const f = shape.fieldNamed(name);
  if (!f) throw new Error(`bench: ${shape.typeName} has no field "${name}"`);
  return { name: f.field.name, type: f.field.type };
}

/** The columns the runtime reads for a selection: the key plus the selected fields, in contract order. */
function selected(shape: ProductShape, names: readonly string[]): Selected[] {
  const wanted = new Set([...shape.keys.map((k) => k.name), ...names]);
  return shape.fields.filter((f) => wanted.has(f.name)).map((f) => ({ column: { name: f.field.name, type: f.field.type }, as: f.name }));
}

const keyOf = (shape: ProductShape): Column => column(shape, shape.keys[0]!.name);
/** The runtime's condition when the caller gives no filter and no row policy applies. */
const noFilter: Condition = allOf();

/** Only the named fields of a row, in that order. */
const only = (row: Row, names: readonly string[]): Row => Object.fromEntries(names.map((n) => [n, row[n] ?? null]));

/** The runtime's filter of a where argument: one comparison per field, AND-ed in the contract's field order (how GraphQL coerces an input object). */
function whereOf(shape: ProductShape, compares: readonly { field: string; op: 'eq' | 'gt'; value: string | number }[]): Condition {
  const items: Condition[] = compares.map((c) => ({ kind: 'compare', column: column(shape, c.field), op: c.op, value: c.value }));
  const position = (c: Condition): number => (c.kind === 'compare' ? shape.fields.indexOf(shape.fieldOfColumn(c.column.name)!) : -1);
  return allOf(...items.sort((a, b) => position(a) - position(b)));
}

const LOOKUP = 'query($id: ID!){ customer(customerId: $id){ customerId fullName email country } }';

const pointLookup: Scenario = {
  id: 'point-lookup',
  title: 'point look-up by key',
  query: LOOKUP,
  direct: { domain: 'customers', query: LOOKUP },
  variables: (i, inputs) => ({ id: pick(inputs.customerIds, i) }),
  space: (inputs) => inputs.customerIds.length,
  async floor(i, inputs, sql) {
    const c = sql.shape('Customer');
    const cols = selected(c, ['customerId', 'fullName', 'email', 'country']);
    return [await sql.run(buildKeyLookup(await sql.table('Customer'), cols, [keyOf(c)], [[pick(inputs.customerIds, i)]], noFilter))];
  },
  floorData: ([rows]) => ({ customer: rows![0] ? only(rows![0], ['customerId', 'fullName', 'email', 'country']) : null }),
};

const PAGE_FIELDS = ['orderId', 'orderTs', 'totalAmount', 'status'] as const;
const PAGE = `query($offset: Int!, $min: Float!){ orders(where:{ shippingCountry:{eq:"DE"}, totalAmount:{gt:$min} }, orderBy:[{orderTs:DESC}], limit:20, offset:$offset){ ${PAGE_FIELDS.join(' ')} } }`;

/** The page's statement: orders from DE above `min`, newest first, 20 after `offset`. */
async function pageStatement(sql: FloorSql, offset: number, min: number): Promise<SqlQuery> {
  const o = sql.shape('Order');
  const spec = {
    table: await sql.table('Order'),
    columns: selected(o, PAGE_FIELDS),
    where: whereOf(o, [
      { field: 'shippingCountry', op: 'eq', value: 'DE' },
      { field: 'totalAmount', op: 'gt', value: min },
    ]),
    orderBy: [{ column: column(o, 'orderTs'), direction: 'DESC' as const }],
    order: [keyOf(o)],
  };
  return buildSelect(spec, 20, offset);
}

const filteredPage: Scenario = {
  id: 'filtered-page',
  title: 'filtered page of 20',
  query: PAGE,
  direct: { domain: 'commerce', query: PAGE },
  variables: (i, inputs) => ({ ...pick(inputs.pages, i) }),
  space: (inputs) => inputs.pages.length,
  async floor(i, inputs, sql) {
    const { offset, min } = pick(inputs.pages, i);
    return [await sql.run(await pageStatement(sql, offset, min))];
  },
  floorData: ([rows]) => ({ orders: rows!.map((r) => only(r, PAGE_FIELDS)) }),
};

const AGGREGATE_FIELDS = '{ key{shippingCountry status} count sum{totalAmount} avg{totalAmount} }';
const AGGREGATE = `query($min: Float!){ ordersAggregate(where:{ totalAmount:{gt:$min} }, groupBy:[SHIPPING_COUNTRY, STATUS])${AGGREGATE_FIELDS} }`;

/** The aggregate's statement: count, sum and average of order totals per country and status, over orders above `min` (none: every order). */
async function aggregateStatement(sql: FloorSql, min: number | undefined): Promise<SqlQuery> {
  const o = sql.shape('Order');
  const groupBy: Selected[] = ['shippingCountry', 'status'].map((n) => ({ column: column(o, n), as: `key.${n}` }));
  const total = column(o, 'totalAmount');
  const aggregates = [
    { fn: 'sum' as const, column: total, as: 'sum.totalAmount' },
    { fn: 'avg' as const, column: total, as: 'avg.totalAmount' },
  ];
  const where = min === undefined ? noFilter : whereOf(o, [{ field: 'totalAmount', op: 'gt', value: min }]);
  return buildAggregate(await sql.table('Order'), groupBy, aggregates, where, DEFAULT_LIMITS.maxGroups);
}

const aggregateData = ([rows]: readonly Row[][]): unknown => ({
  ordersAggregate: rows!.map((r) => ({
    key: { shippingCountry: r['key.shippingCountry'], status: r['key.status'] },
    count: r.__count,
    sum: { totalAmount: r['sum.totalAmount'] },
    avg: { totalAmount: r['avg.totalAmount'] },
  })),
});

const groupedAggregate: Scenario = {
  id: 'grouped-aggregate',
  title: 'grouped aggregate',
  query: AGGREGATE,
  direct: { domain: 'commerce', query: AGGREGATE },
  variables: (i, inputs) => ({ min: pick(inputs.aggregateMins, i) }),
  space: (inputs) => inputs.aggregateMins.length,
  async floor(i, inputs, sql) {
    return [await sql.run(await aggregateStatement(sql, pick(inputs.aggregateMins, i)))];
  },
  floorData: aggregateData,
};

const JOIN = 'query($offset: Int){ orders(limit:50, offset:$offset){ orderId totalAmount customer{ fullName country } payments{ paymentId amount method status } } }';
const JOIN_DIRECT = 'query($offset: Int){ orders(limit:50, offset:$offset){ orderId totalAmount customer{ customerId } } }';

const ordersWithCustomersAndPayments: Scenario = {
  id: 'orders-customers-payments',
  title: '50 orders with customer and payments',
  query: JOIN,
  direct: {
    domain: 'commerce',
    query: JOIN_DIRECT,
    footnote:
      'commerce subgraph only (the page of orders with each customerId, the part the gateway fetches from commerce); the join also reads the customers and payments subgraphs, which only the gateway rows and the floor include',
  },
  variables: (i, inputs) => ({ offset: pick(inputs.orderOffsets, i) }),
  space: (inputs) => inputs.orderOffsets.length,
  async floor(i, inputs, sql) {
    const o = sql.shape('Order');
    const c = sql.shape('Customer');
    const p = sql.shape('Payment');
    const spec = { table: await sql.table('Order'), columns: selected(o, ['orderId', 'totalAmount', 'customerId']), where: noFilter, orderBy: [], order: [keyOf(o)] };
    const orders = await sql.run(buildSelect(spec, 50, pick(inputs.orderOffsets, i)));
    // The runtime's DataLoaders batch the distinct keys, in the order they are first asked for.
    const customerKeys = [...new Set(orders.map((r) => String(r.customerId)))];
    const orderKeys = orders.map((r) => String(r.orderId));
    const payments = { table: await sql.table('Payment'), columns: selected(p, ['paymentId', 'amount', 'method', 'status']), where: noFilter, orderBy: [], order: [keyOf(p)] };
    return [
      orders,
      await sql.run(
        buildKeyLookup(
          await sql.table('Customer'),
          selected(c, ['fullName', 'country']),
          [keyOf(c)],
          customerKeys.map((k) => [k]),
          noFilter,
        ),
      ),
      await sql.run(
        buildReverseList(
          payments,
          [column(p, 'orderId')],
          orderKeys.map((k) => [k]),
          100,
        ),
      ),
    ];
  },
  floorData: ([orders]) => ({
    orders: orders!.map((r) => ({ orderId: r.orderId, totalAmount: r.totalAmount, customer: r.customerId === null ? null : { customerId: r.customerId } })),
  }),
};

/** Whether an operation is a shape with a floor and a direct variant. */
export const isScenario = (s: GatewayScenario | Scenario): s is Scenario => 'direct' in s && 'floor' in s;

/** Every shape with a floor and a direct variant, in the order they run and are reported; the first is the point look-up. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([pointLookup, filteredPage, groupedAggregate, ordersWithCustomersAndPayments]);

/** The point look-up by key, measured again with a fresh token per request and at one connection. */
export const POINT_LOOKUP: Scenario = pointLookup;

/** A page of 50 customers with every PII field: masked in SQL for an analyst, read as is by the customers' owner. */
export const MASKED_PII: GatewayScenario = Object.freeze({
  id: 'masked-pii',
  title: 'masked PII, 50 customers',
  query: 'query($offset: Int){ customers(limit: 50, offset: $offset){ customerId fullName email phone birthDate } }',
  variables: (i: number, inputs: BenchInputs) => ({ offset: pick(inputs.customerOffsets, i) }),
  space: (inputs: BenchInputs) => inputs.customerOffsets.length,
});

const fixed = { variables: () => undefined, space: () => 1 };

/** The filtered page as one fixed document (the first page, orders above 50): what a dashboard's 16 viewers all send. */
export const DASHBOARD_PAGE: GatewayScenario = Object.freeze({
  id: 'dashboard-page',
  title: 'dashboard: the page, one fixed document',
  query: `{ orders(where:{ shippingCountry:{eq:"DE"}, totalAmount:{gt:50} }, orderBy:[{orderTs:DESC}], limit:20){ ${PAGE_FIELDS.join(' ')} } }`,
  ...fixed,
});

/** The grouped aggregate as one fixed document (over every order). */
export const DASHBOARD_AGGREGATE: GatewayScenario = Object.freeze({
  id: 'dashboard-aggregate',
  title: 'dashboard: the aggregate, one fixed document',
  query: `{ ordersAggregate(groupBy:[SHIPPING_COUNTRY, STATUS])${AGGREGATE_FIELDS} }`,
  ...fixed,
});

/** The /catalog page's product list, exactly as the page asks it (every product an analyst may read, with its SLA and version). */
export const CATALOG_LIST: GatewayScenario = Object.freeze({
  id: 'catalog-list',
  title: 'catalog list, 1 connection',
  query: LIST_QUERY,
  variables: () => ({ search: null }),
  space: () => 1,
});

/** The /catalog page's product page of customer-profiles, exactly as the page asks it: fields and masks, profile, versions, lineage, usage, a masked sample. */
export const CATALOG_PRODUCT: GatewayScenario = Object.freeze({
  id: 'catalog-product',
  title: 'catalog product page, 1 connection',
  query: PRODUCT_QUERY,
  variables: () => ({ name: 'customer-profiles' }),
  space: () => 1,
});

/** The JSON body of the i-th request of a scenario, for the gateway or (direct) its subgraph. */
export function requestBody(scenario: GatewayScenario | Scenario, target: 'gateway' | 'subgraph', i: number, inputs: BenchInputs): string {
  const variables = scenario.variables(i, inputs);
  if (target === 'subgraph' && !('direct' in scenario)) throw new Error(`bench: "${scenario.title}" is sent to the gateway only`);
  const query = target === 'gateway' || !('direct' in scenario) ? scenario.query : scenario.direct.query;
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** A small deterministic generator (mulberry32), so every run of the bench rotates through the same sequences. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A shuffled copy of `items` (Fisher-Yates, with {@link seededRandom}). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The rotating inputs of a mesh with these customer keys and this many orders and customers. */
export function benchInputs(customerKeys: readonly string[], orders: number, customers: number): BenchInputs {
  const pages = Array.from({ length: 50 * 80 }, (_, k) => ({ offset: (k % 50) * 20, min: 10 + Math.floor(k / 50) }));
  // Lower bounds from 0.00 to 49.99: 5,000 different aggregates (each the same double after the JSON round trip to a gateway).
  const aggregateMins = Array.from({ length: 5_000 }, (_, k) => k / 100);
  const pagesOf50 = (rows: number, most: number): number[] => Array.from({ length: Math.max(1, Math.min(most, Math.floor(rows / 50))) }, (_, k) => k * 50);
  return {
    customerIds: shuffled(customerKeys, 1),
    pages: shuffled(pages, 2),
    aggregateMins: shuffled(aggregateMins, 3),
    orderOffsets: shuffled(pagesOf50(orders, 1_000), 4),
    customerOffsets: shuffled(pagesOf50(customers, 200), 5),
  };
}
