/**
 * The four benchmark shapes: the GraphQL a client sends, what the subgraph is sent directly, and
 * the floor, i.e. the very statements the runtime runs for that request, built with the runtime's
 * own SQL builder. The statement-count pass checks that the floor's statements equal the runtime's.
 * Beside them, the masked-PII read, which only the gateway is sent (as two different callers).
 */
import { LIST_QUERY, PRODUCT_QUERY } from '../gateway/catalog/catalogQueries.js';
import type { ProductShape } from '../schema/index.js';
import { DEFAULT_LIMITS, type Row } from '../subgraphs/runtime/index.js';
import { allOf, buildAggregate, buildKeyLookup, buildSelect, type Column, type Condition, type Selected, type SqlQuery } from '../subgraphs/runtime/sql/index.js';

/** Values rotated through from request to request, so no run measures one cached answer. */
export interface BenchInputs {
  /** Existing customer keys, spread over the table. */
  readonly customerIds: readonly string[];
  /** Offsets of the first pages of orders (multiples of 100). */
  readonly offsets: readonly number[];
  /** Offsets of the first pages of customers (multiples of 100). */
  readonly customerOffsets: readonly number[];
}

/** What a floor needs: the products' shapes and current tables, and a way to run one statement. */
export interface FloorSql {
  shape(typeName: string): ProductShape;
  table(typeName: string): Promise<string>;
  run(q: SqlQuery): Promise<Row[]>;
}

/** An operation sent to the gateway only. */
export interface GatewayScenario {
  readonly id: string;
  readonly title: string;
  /** The operation sent to the gateway. */
  readonly query: string;
  /** The i-th request's variables. */
  variables(i: number, inputs: BenchInputs): Record<string, unknown> | undefined;
}

/** One benchmark shape: sent to the gateway, straight to its subgraph, and run as SQL alone (the floor). */
export interface Scenario extends GatewayScenario {
  /** The subgraph that answers the direct variant, and the operation it is sent. */
  readonly direct: { readonly domain: string; readonly query: string; readonly footnote?: string };
  /** Runs the statements the runtime runs for the i-th request, in order. */
  floor(i: number, inputs: BenchInputs, sql: FloorSql): Promise<void>;
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

function column(shape: ProductShape, name: string): Column {
  const f = shape.fieldNamed(name);
  if (!f) throw new Error(`bench: ${shape.typeName} has no field "${name}"`);
  return { name: f.field.name, type: f.field.type };
}

/** The columns the runtime reads for a selection: the key plus the selected fields, in contract order. */
function selected(shape: ProductShape, names: readonly string[]): Selected[] {
  const wanted = new Set([shape.key.name, ...names]);
  return shape.fields.filter((f) => wanted.has(f.name)).map((f) => ({ column: { name: f.field.name, type: f.field.type }, as: f.name }));
}

const keyOf = (shape: ProductShape): Column => column(shape, shape.key.name);
/** The runtime's condition when the caller gives no filter and no row policy applies. */
const noFilter: Condition = allOf();

const pointLookup: Scenario = {
  id: 'point-lookup',
  title: 'point look-up by key',
  query: 'query($id: ID!){ customer(customerId: $id){ customerId fullName email country } }',
  direct: { domain: 'customers', query: 'query($id: ID!){ customer(customerId: $id){ customerId fullName email country } }' },
  variables: (i, inputs) => ({ id: pick(inputs.customerIds, i) }),
  async floor(i, inputs, sql) {
    const c = sql.shape('Customer');
    const cols = selected(c, ['customerId', 'fullName', 'email', 'country']);
    await sql.run(buildKeyLookup(await sql.table('Customer'), cols, keyOf(c), [pick(inputs.customerIds, i)], noFilter));
  },
};

const FILTERED = '{ orders(where:{ shippingCountry:{eq:"DE"}, totalAmount:{gt:50} }, orderBy:[{orderTs:DESC}], limit:100){ orderId orderTs totalAmount status } }';

const filteredPage: Scenario = {
  id: 'filtered-page',
  title: 'filtered page of 100',
  query: FILTERED,
  direct: { domain: 'commerce', query: FILTERED },
  variables: () => undefined,
  async floor(_i, _inputs, sql) {
    const o = sql.shape('Order');
    // GraphQL coerces an input object in its type's field order (the contract's), not as written.
    const compares: Condition[] = [
      { kind: 'compare', column: column(o, 'shippingCountry'), op: 'eq', value: 'DE' },
      { kind: 'compare', column: column(o, 'totalAmount'), op: 'gt', value: 50 },
    ];
    const position = (c: Condition): number => (c.kind === 'compare' ? o.fields.indexOf(o.fieldOfColumn(c.column.name)!) : -1);
    const where: Condition = { kind: 'and', items: compares.sort((a, b) => position(a) - position(b)) };
    const spec = {
      table: await sql.table('Order'),
      columns: selected(o, ['orderId', 'orderTs', 'totalAmount', 'status']),
      where,
      orderBy: [{ column: column(o, 'orderTs'), direction: 'DESC' as const }],
      key: keyOf(o),
    };
    await sql.run(buildSelect(spec, 100, 0));
  },
};

const AGGREGATE = '{ ordersAggregate(groupBy:[SHIPPING_COUNTRY, STATUS]){ key{shippingCountry status} count sum{totalAmount} avg{totalAmount} } }';

const groupedAggregate: Scenario = {
  id: 'grouped-aggregate',
  title: 'grouped aggregate',
  query: AGGREGATE,
  direct: { domain: 'commerce', query: AGGREGATE },
  variables: () => undefined,
  async floor(_i, _inputs, sql) {
    const o = sql.shape('Order');
    const groupBy: Selected[] = ['shippingCountry', 'status'].map((n) => ({ column: column(o, n), as: `key.${n}` }));
    const total = column(o, 'totalAmount');
    const aggregates = [
      { fn: 'sum' as const, column: total, as: 'sum.totalAmount' },
      { fn: 'avg' as const, column: total, as: 'avg.totalAmount' },
    ];
    await sql.run(buildAggregate(await sql.table('Order'), groupBy, aggregates, noFilter, DEFAULT_LIMITS.maxGroups));
  },
};

const ordersWithCustomers: Scenario = {
  id: 'orders-with-customers',
  title: '100 orders with customers',
  query: 'query($offset: Int){ orders(limit:100, offset:$offset){ orderId totalAmount customer{ fullName country } } }',
  direct: {
    domain: 'commerce',
    query: 'query($offset: Int){ orders(limit:100, offset:$offset){ orderId totalAmount customer{ customerId } } }',
    footnote:
      'commerce subgraph only (the orders page with each customerId, the part the gateway fetches from commerce); the join also needs the customers subgraph, which only the gateway row includes',
  },
  variables: (i, inputs) => ({ offset: pick(inputs.offsets, i) }),
  async floor(i, inputs, sql) {
    const o = sql.shape('Order');
    const c = sql.shape('Customer');
    const spec = { table: await sql.table('Order'), columns: selected(o, ['orderId', 'totalAmount', 'customerId']), where: noFilter, orderBy: [], key: keyOf(o) };
    const orders = await sql.run(buildSelect(spec, 100, pick(inputs.offsets, i)));
    // The runtime's DataLoader batches the distinct keys, in the order they are first asked for.
    const keys = [...new Set(orders.map((r) => String(r.customerId)))];
    await sql.run(buildKeyLookup(await sql.table('Customer'), selected(c, ['fullName', 'country']), keyOf(c), keys, noFilter));
  },
};

/** Every shape, in the order they run and are reported; the first is the point look-up. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([pointLookup, filteredPage, groupedAggregate, ordersWithCustomers]);

/** The point look-up by key, measured again with a fresh token per request and at one connection. */
export const POINT_LOOKUP: Scenario = pointLookup;

/** A page of customers with every PII field: masked in SQL for an analyst, read as is by the customers' owner. */
export const MASKED_PII: GatewayScenario = Object.freeze({
  id: 'masked-pii',
  title: 'masked PII, 100 customers',
  query: 'query($offset: Int){ customers(limit: 100, offset: $offset){ customerId fullName email phone birthDate } }',
  variables: (i: number, inputs: BenchInputs) => ({ offset: pick(inputs.customerOffsets, i) }),
});

/** The /catalog page's product list, exactly as the page asks it (every product an analyst may read, with its SLA and version). */
export const CATALOG_LIST: GatewayScenario = Object.freeze({
  id: 'catalog-list',
  title: 'catalog list, 1 connection',
  query: LIST_QUERY,
  variables: () => ({ search: null }),
});

/** The /catalog page's product page of customer-profiles, exactly as the page asks it: fields and masks, profile, versions, lineage, usage, a masked sample. */
export const CATALOG_PRODUCT: GatewayScenario = Object.freeze({
  id: 'catalog-product',
  title: 'catalog product page, 1 connection',
  query: PRODUCT_QUERY,
  variables: () => ({ name: 'customer-profiles' }),
});

/** The JSON body of the i-th request of a scenario, for the gateway or (direct) its subgraph. */
export function requestBody(scenario: GatewayScenario | Scenario, target: 'gateway' | 'subgraph', i: number, inputs: BenchInputs): string {
  const variables = scenario.variables(i, inputs);
  if (target === 'subgraph' && !('direct' in scenario)) throw new Error(`bench: "${scenario.title}" is sent to the gateway only`);
  const query = target === 'gateway' || !('direct' in scenario) ? scenario.query : scenario.direct.query;
  return JSON.stringify(variables ? { query, variables } : { query });
}
