/**
 * Misuse of row filters: a partner reads only the orders shipped to the countries of its token.
 * The filter is AND-ed around whatever the caller asks (`or`, `not`), and holds for lists,
 * connections, by-key look-ups, aggregates, entity look-ups and reverse lists alike; a missing or
 * malformed claim grants no row; and values that look like SQL stay values, in filters and in claims.
 */
import { signAccessContext, ACCESS_CONTEXT_HEADER, type RowPredicate } from '../../policies/index.js';
import { devClaims, meshSecrets, signWithDevKey } from '../support/meshSecrets.js';
import { bearer, errorCodes, postGraphQL } from '../support/postGraphQL.js';
import { dataOf } from '../support/productQueries.js';
import { referenceRows, type ReferenceRows, type Row } from '../support/referenceRows.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

const INJECTION = "DE' OR '1'='1";

let mesh: TestMesh;
let ref: ReferenceRows;
let partner: Record<string, string>;
let de: Row[];
beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
  partner = bearer(await mesh.token({ roles: ['partner'], countries: ['DE'] }));
  de = ref.orders.rows.filter((o) => o.shippingCountry === 'DE');
});
afterAll(() => mesh?.close());

const ids = (rows: readonly Row[]): string[] => rows.map((r) => String(r.orderId)).sort();
const orders = async (where: unknown, headers = partner, on = mesh): Promise<Row[]> =>
  dataOf(await on.query<{ orders: Row[] }>('query($w: OrderWhere) { orders(where: $w, limit: 1000) { orderId shippingCountry } }', { w: where }, headers)).orders;
const forbidden = (r: GraphQLResponse<unknown>) => ({ status: r.status, codes: errorCodes(r), data: r.data });

describe('a partner with countries [DE]', () => {
  it.each<[string, unknown, (o: Row) => boolean]>([
    ['an or of other countries', { or: [{ shippingCountry: { eq: 'FR' } }, { shippingCountry: { in: ['US', 'GB'] } }] }, () => false],
    ['an or that matches every row', { or: [{ shippingCountry: { eq: 'DE' } }, { shippingCountry: { neq: 'DE' } }, { shippingCountry: { isNull: true } }] }, () => true],
    ['an or of another field', { or: [{ orderId: { isNull: false } }, { status: { eq: 'paid' } }] }, () => true],
    ['an or given as one object', { or: { shippingCountry: { nin: ['DE'] } } }, () => false],
    ['a not of its own country', { not: { shippingCountry: { eq: 'DE' } } }, () => false],
    ['a not of a list holding its country', { not: { shippingCountry: { in: ['DE'] } } }, () => false],
    ['a double not of another country', { not: { not: { shippingCountry: { eq: 'FR' } } } }, () => false],
    ['a not of another status', { not: { status: { eq: 'paid' } } }, (o) => o.status !== 'paid'],
  ])('cannot widen its rows with %s', async (_name, where, keep) => {
    expect(ids(await orders(where))).toEqual(ids(de.filter(keep)));
  });

  it('gets null for a by-key look-up of an order shipped elsewhere, and the order for one shipped to DE', async () => {
    const elsewhere = ref.orders.rows.find((o) => o.shippingCountry !== 'DE')!;
    const q = 'query($a: ID!, $b: ID!) { a: order(orderId: $a) { orderId } b: order(orderId: $b) { orderId shippingCountry } }';
    expect(dataOf(await mesh.query(q, { a: elsewhere.orderId, b: de[0]!.orderId }, partner))).toEqual({ a: null, b: { orderId: de[0]!.orderId, shippingCountry: 'DE' } });
  });

  it('counts and pages only DE rows in ordersConnection, even asking for every country', async () => {
    const q =
      'query($after: String) { ordersConnection(first: 400, after: $after, where: { or: [{ shippingCountry: { neq: "DE" } }, { shippingCountry: { eq: "DE" } }] }) { totalCount pageInfo { hasNextPage endCursor } edges { node { orderId } } } }';
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Row }[] };
    const pages: Page[] = [];
    for (let after: string | null = null; pages.length === 0 || pages.at(-1)!.pageInfo.hasNextPage; after = pages.at(-1)!.pageInfo.endCursor) {
      pages.push(dataOf(await mesh.query<{ ordersConnection: Page }>(q, { after }, partner)).ordersConnection);
    }
    expect(pages.map((p) => p.totalCount)).toEqual(pages.map(() => de.length));
    expect(ids(pages.flatMap((p) => p.edges.map((e) => e.node)))).toEqual(ids(de));
  });

  it('aggregates and groups only DE rows in ordersAggregate', async () => {
    const r = dataOf(
      await mesh.query<{ all: unknown[]; byCountry: unknown[] }>(
        '{ all: ordersAggregate(where: { not: { shippingCountry: { eq: "XX" } } }) { count sum { totalAmount } max { orderDate } min { orderDate } } byCountry: ordersAggregate(groupBy: [SHIPPING_COUNTRY]) { key { shippingCountry } count } }',
        undefined,
        partner,
      ),
    );
    const dates = de.map((o) => String(o.orderDate)).sort();
    const sum = de.reduce((s, o) => s + Number(o.totalAmount), 0);
    expect(r.all).toEqual([{ count: de.length, sum: { totalAmount: expect.closeTo(sum, 2) }, min: { orderDate: dates[0] }, max: { orderDate: dates.at(-1) } }]);
    expect(r.byCountry).toEqual([{ key: { shippingCountry: 'DE' }, count: de.length }]);
  });

  it.each([
    ['payments { order }', '{ payments(limit: 5) { order { orderId shippingCountry } } }'],
    ['customers { orders }', '{ customers(limit: 5) { orders { orderId } } }'],
    ['order { customer }', `{ order(orderId: "O000000012") { customer { customerId } } }`],
    ['order { payments }', `{ order(orderId: "O000000012") { payments { paymentId } } }`],
  ])('cannot reach orders or their neighbours through %s: FORBIDDEN, no data', async (_name, query) => {
    expect(forbidden(await mesh.query(query, undefined, partner))).toEqual({ status: 403, codes: ['FORBIDDEN'], data: undefined });
  });
});

describe('a partner whose countries claim is missing, empty or malformed', () => {
  it.each([
    ['missing', undefined],
    ['an empty list', []],
  ])('reads no row when the claim is %s', async (_name, countries) => {
    const headers = bearer(await mesh.token({ roles: ['partner'], ...(countries && { countries }) }));
    const q = `{ orders(limit: 10) { orderId } order(orderId: "${de[0]!.orderId}") { orderId } ordersConnection { totalCount } ordersAggregate { count } }`;
    expect(dataOf(await mesh.query(q, undefined, headers))).toEqual({ orders: [], order: null, ordersConnection: { totalCount: 0 }, ordersAggregate: [{ count: 0 }] });
  });

  it.each([
    ['a string "DE" instead of a list', 'DE'],
    ['lower-case codes', ['de']],
    ['three-letter codes', ['DEU']],
    ['a SQL-looking code', [INJECTION]],
    ['a list holding a list', [['DE']]],
  ])('refuses the token (401) when the claim is %s', async (_name, countries) => {
    const r = await postGraphQL(
      mesh.running.gateway.graphqlUrl,
      { query: '{ orders(limit: 1) { orderId } }' },
      bearer(await signWithDevKey(devClaims(['partner'], { countries }))),
    );
    expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: undefined });
  });
});

describe('SQL-looking values', () => {
  it.each([
    ['eq', { shippingCountry: { eq: INJECTION } }],
    ['in', { shippingCountry: { in: ["DE') OR ('1'='1", 'DE" OR 1=1 --'] } }],
    ['like', { shippingCountry: { like: "%' OR '1'='1" } }],
    ['a statement break', { orderId: { eq: "x'; DROP TABLE orders; --" } }],
  ])('stay literal in a filter (%s): no row matches, for a partner or an owner', async (_name, where) => {
    expect(await orders(where)).toEqual([]);
    expect(await orders(where, {})).toEqual([]);
  });

  it.each<[string, RowPredicate]>([
    ['in', { column: 'shipping_country', op: 'in', value: [INJECTION] }],
    ['eq', { column: 'shipping_country', op: 'eq', value: "x' OR 1=1 --" }],
  ])('stay literal in a row filter (%s) that reaches a subgraph in a signed context: no row matches', async (_name, rows) => {
    const { contextKey } = await meshSecrets();
    const context = await signAccessContext(contextKey, { requestId: 'r', sub: 's', products: { 'orders-enriched': { masks: {}, denied: [], rows } } });
    const r = await postGraphQL<{ orders: Row[]; ordersAggregate: { count: number }[] }>(
      mesh.running.subgraphs.get('commerce')!.url,
      { query: '{ orders(limit: 10) { orderId } ordersAggregate { count } }' },
      { [ACCESS_CONTEXT_HEADER]: context },
    );
    expect(r.data).toEqual({ orders: [], ordersAggregate: [{ count: 0 }] });
  });
});

describe('row filters through entity look-ups and reverse lists (a policy filtering orders beside readable customers and payments)', () => {
  let regional: TestMesh;
  let headers: Record<string, string>;
  beforeAll(async () => {
    regional = await startTestMesh({
      policy: [
        'version: 1',
        'masks: { name: redact, email: email, phone: last4, date-of-birth: year, pan: last4, person-id: hash, address: redact }',
        'rules:',
        '  - { id: regional-customers-and-payments, roles: [regional-analyst], products: [customer-profiles, payments] }',
        '  - { id: regional-orders, roles: [regional-analyst], products: [orders-enriched], rows: { shipping_country: { in: { claim: countries } } } }',
      ].join('\n'),
    });
    headers = bearer(await regional.token({ roles: ['regional-analyst'], countries: ['DE'] }));
  });
  afterAll(() => regional?.close());

  it('lists only DE orders under each customer (Customer.orders), even with a widening or', async () => {
    const r = dataOf(
      await regional.query<{ customers: { customerId: string; orders: Row[] }[] }>(
        '{ customers(limit: 500) { customerId orders(limit: 100, where: { or: [{ shippingCountry: { neq: "DE" } }, { orderId: { isNull: false } }] }) { orderId } } }',
        undefined,
        headers,
      ),
    );
    expect(r.customers).toHaveLength(500);
    for (const c of r.customers) expect({ c: c.customerId, orders: ids(c.orders) }).toEqual({ c: c.customerId, orders: ids(de.filter((o) => o.customerId === c.customerId)) });
  });

  it('resolves Payment.order only for DE orders, null for the others', async () => {
    const r = dataOf(
      await regional.query<{ payments: { orderId: string; order: Row | null }[] }>('{ payments(limit: 1000) { orderId order { orderId shippingCountry } } }', undefined, headers),
    );
    const deIds = new Set(de.map((o) => o.orderId));
    expect(r.payments.map((p) => p.order)).toEqual(r.payments.map((p) => (deIds.has(p.orderId) ? { orderId: p.orderId, shippingCountry: 'DE' } : null)));
    expect(r.payments.some((p) => p.order === null) && r.payments.some((p) => p.order !== null)).toBe(true);
  });

  it('explains the row filter with the rule that set it', async () => {
    const r = await regional.query('{ orders(limit: 1) { orderId } }', undefined, { ...headers, 'x-meshgate-explain': '1' });
    expect((JSON.parse(r.text) as { extensions: { meshgate: { access: Record<string, unknown> } } }).extensions.meshgate.access['orders-enriched']).toMatchObject({
      grantedBy: ['regional-orders'],
      rowRules: ['regional-orders'],
      rows: { column: 'shipping_country', op: 'in', value: ['DE'] },
    });
  });
});
