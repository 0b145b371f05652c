/**
 * Every query shape a product gets (list, by key, connection, aggregate) over HTTP through the
 * gateway, checked against answers computed in JavaScript from the Parquet rows.
 */
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';
import { referenceRows, type ReferenceRows, type Row, type Table, type Value } from '../support/referenceRows.js';
import { avgOf, expectedPage, extremeOf, filterRows, groupRows, keysOf, sortRows, sumOf, type Group, type Where } from '../support/expectedRows.js';
import { dataOf, enumOf, fetchList, fetchPage, walkOffsets } from '../support/productQueries.js';

let mesh: TestMesh;
let ref: ReferenceRows;

beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
});
afterAll(() => mesh?.close());

describe('list queries', () => {
  it('returns the rows a where, orderBy, limit and offset select, every field equal to the stored row', async () => {
    const args = { where: { status: { in: ['delivered', 'shipped'] }, channel: { neq: 'store' } }, orderBy: [{ totalAmount: 'DESC' as const }], limit: 25, offset: 40 };
    const rows = await fetchList(mesh, ref.orders, args);
    expect(rows).toHaveLength(25);
    expect(rows).toEqual(expectedPage(ref.orders, args));
  });

  it('returns the first 100 rows in key order when no argument is given', async () => {
    const r = dataOf(await mesh.query<{ orders: Row[] }>('{ orders { orderId } }'));
    expect(keysOf(ref.orders, r.orders)).toEqual(keysOf(ref.orders, sortRows(ref.orders, ref.orders.rows).slice(0, 100)));
  });

  it('returns an empty list for limit 0 and for an offset past the last row', async () => {
    expect(await fetchList(mesh, ref.payments, { limit: 0 })).toEqual([]);
    expect(await fetchList(mesh, ref.payments, { offset: ref.payments.rows.length })).toEqual([]);
  });

  it('returns only the rows left after the offset on the last page', async () => {
    const rows = await fetchList(mesh, ref.customers, { limit: 50, offset: ref.customers.rows.length - 7 }, ['customerId']);
    expect(keysOf(ref.customers, rows)).toEqual(keysOf(ref.customers, sortRows(ref.customers, ref.customers.rows).slice(-7)));
  });
});

describe('look-ups by key', () => {
  it('returns the order with every field for a key that exists', async () => {
    const order = ref.orders.rows[1234]!;
    const fields = Object.keys(ref.orders.fields).join(' ');
    const r = dataOf(await mesh.query<{ order: Row }>(`query($id: ID!) { order(orderId: $id) { ${fields} } }`, { id: order.orderId }));
    expect(r.order).toEqual(order);
  });

  it('returns null, not an error, for a key that does not exist', async () => {
    const r = await mesh.query<{ order: Row | null; customer: Row | null; payment: Row | null }>(
      '{ order(orderId: "O999999999") { orderId } customer(customerId: "nobody") { customerId } payment(paymentId: "") { paymentId } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ order: null, customer: null, payment: null });
  });
});

describe('scalar round-trips', () => {
  it.each(['customers', 'orders', 'payments'] as const)('returns every %s row with every field exactly as stored', async (name) => {
    const table = ref[name];
    const { rows } = await walkOffsets(mesh, table, { limit: 1000 });
    expect(rows).toEqual(sortRows(table, table.rows));
  });

  it('serialises Date, DateTime, BigInt, Int, Float and Boolean in their documented forms', async () => {
    const r = dataOf(
      await mesh.query<{ orders: Row[]; payments: Row[]; customers: Row[] }>(
        '{ orders(limit: 5) { orderDate orderTs itemCount totalAmount } payments(limit: 5) { amountCents paidAt } customers(limit: 5) { marketingOptIn signupAt } }',
      ),
    );
    for (const o of r.orders) {
      expect(o.orderDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(o.orderTs).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(Number.isInteger(o.itemCount)).toBe(true);
      expect(typeof o.totalAmount).toBe('number');
    }
    for (const p of r.payments) {
      expect(p.amountCents).toMatch(/^\d+$/);
      expect(p.paidAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    for (const c of r.customers) expect(typeof c.marketingOptIn).toBe('boolean');
  });

  it('returns null for nullable fields that hold no value', async () => {
    const customer = ref.customers.rows.find((c) => c.phone === null)!;
    const undated = ref.customers.rows.find((c) => c.birthDate === null)!;
    const order = ref.orders.rows.find((o) => o.discountAmount === null)!;
    const payment = ref.payments.rows.find((p) => p.cardNumber === null)!;
    const r = dataOf(
      await mesh.query<Record<string, Row>>(
        'query($c: ID!, $u: ID!, $o: ID!, $p: ID!) { c: customer(customerId: $c) { phone } u: customer(customerId: $u) { birthDate } o: order(orderId: $o) { discountAmount } p: payment(paymentId: $p) { cardNumber } }',
        { c: customer.customerId, u: undated.customerId, o: order.orderId, p: payment.paymentId },
      ),
    );
    expect(r).toEqual({ c: { phone: null }, u: { birthDate: null }, o: { discountAmount: null }, p: { cardNumber: null } });
  });
});

describe('connections', () => {
  const where: Where = { status: { eq: 'delivered' }, itemCount: { gte: 3 } };

  it('reports the totalCount of the filtered rows, over all pages', async () => {
    const page = await fetchPage(mesh, ref.orders, { where, first: 10 });
    expect(page.totalCount).toBe(filterRows(ref.orders, where).length);
  });

  it('returns a cursor and a node per edge, and the last edge cursor as endCursor', async () => {
    const orderBy = [{ orderDate: 'DESC' as const }];
    const page = await fetchPage(mesh, ref.orders, { where, orderBy, first: 10 });
    expect(page.edges.map((e) => e.node)).toEqual(sortRows(ref.orders, filterRows(ref.orders, where), orderBy).slice(0, 10));
    expect(new Set(page.edges.map((e) => e.cursor)).size).toBe(10);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[9]!.cursor });
  });

  it('says there is no next page when the page holds the last row', async () => {
    const small: Where = { customerId: { eq: ref.customers.rows[0]!.customerId } };
    const expected = filterRows(ref.orders, small);
    const page = await fetchPage(mesh, ref.orders, { where: small, first: expected.length }, ['orderId']);
    expect(
      keysOf(
        ref.orders,
        page.edges.map((e) => e.node),
      ),
    ).toEqual(keysOf(ref.orders, expected));
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('answers a connection asked only for its totalCount', async () => {
    const r = dataOf(await mesh.query<{ paymentsConnection: { totalCount: number } }>('{ paymentsConnection(where: { method: { eq: "card" } }) { totalCount } }'));
    expect(r.paymentsConnection.totalCount).toBe(filterRows(ref.payments, { method: { eq: 'card' } }).length);
  });
});

const numeric = (t: Table): string[] => Object.keys(t.fields).filter((f) => ['Int', 'Float', 'BigInt'].includes(t.fields[f]!));
const ordered = (t: Table): string[] => Object.keys(t.fields).filter((f) => ['Int', 'Float', 'BigInt', 'Date', 'DateTime'].includes(t.fields[f]!));

interface ApiGroup {
  key: Record<string, Value>;
  count: number;
  sum: Record<string, number | string | null>;
  avg: Record<string, number | null>;
  min: Record<string, Value>;
  max: Record<string, Value>;
}

async function aggregate(table: Table, groupBy: readonly string[], where?: Where): Promise<ApiGroup[]> {
  const t = table.typeName;
  const nums = numeric(table).join(' ');
  const ext = ordered(table).join(' ');
  const query = `query($where: ${t}Where, $groupBy: [${t}Field!]) { ${table.name}Aggregate(where: $where, groupBy: $groupBy) {
    key { ${groupBy.length ? groupBy.join(' ') : table.key} } count sum { ${nums} } avg { ${nums} } min { ${ext} } max { ${ext} } } }`;
  const r = await mesh.query<Record<string, ApiGroup[]>>(query, { where, groupBy: groupBy.map(enumOf) });
  return dataOf(r)[`${table.name}Aggregate`]!;
}

function expectGroups(table: Table, actual: readonly ApiGroup[], expected: readonly Group[], groupBy: readonly string[]): void {
  expect(actual.map((g) => g.key)).toEqual(expected.map((g) => (groupBy.length ? g.key : { [table.key]: null })));
  expected.forEach((group, i) => {
    const got = actual[i]!;
    expect(got.count).toBe(group.rows.length);
    for (const f of numeric(table)) {
      const sum = sumOf(table, group.rows, f);
      const avg = avgOf(group.rows, f);
      if (typeof sum === 'number') expect(got.sum[f]).toBeCloseTo(sum, 4);
      else expect(got.sum[f]).toBe(sum);
      if (avg === null) expect(got.avg[f]).toBeNull();
      else expect(got.avg[f]).toBeCloseTo(avg, 6);
    }
    for (const f of ordered(table)) {
      expect(got.min[f]).toEqual(extremeOf(table, group.rows, f, 'min'));
      expect(got.max[f]).toEqual(extremeOf(table, group.rows, f, 'max'));
    }
  });
}

describe('aggregates', () => {
  it('returns one group over every row when there is no groupBy', async () => {
    expectGroups(ref.orders, await aggregate(ref.orders, []), [{ key: {}, rows: ref.orders.rows }], []);
  });

  it('returns one group with count 0 and null aggregates when no row matches', async () => {
    const [group, ...rest] = await aggregate(ref.orders, [], { channel: { eq: 'no such channel' } });
    expect(rest).toEqual([]);
    expect(group).toMatchObject({ count: 0, sum: { totalAmount: null }, avg: { itemCount: null }, min: { orderTs: null }, max: { discountAmount: null } });
  });

  it('returns no group when grouping over no rows', async () => {
    expect(await aggregate(ref.orders, ['status'], { channel: { eq: 'no such channel' } })).toEqual([]);
  });

  it('groups by one field, groups ordered by its value', async () => {
    expectGroups(ref.orders, await aggregate(ref.orders, ['status']), groupRows(ref.orders, ref.orders.rows, ['status']), ['status']);
  });

  it('groups filtered rows by several fields, ordered by each key in turn', async () => {
    const where: Where = { itemCount: { lte: 4 }, shippingCountry: { in: ['DE', 'FR', 'US'] } };
    const groupBy = ['shippingCountry', 'channel', 'currency'];
    expectGroups(ref.orders, await aggregate(ref.orders, groupBy, where), groupRows(ref.orders, filterRows(ref.orders, where), groupBy), groupBy);
  });

  it('sums BigInt exactly, as a string, per group', async () => {
    const groups = await aggregate(ref.payments, ['method', 'status']);
    expectGroups(ref.payments, groups, groupRows(ref.payments, ref.payments.rows, ['method', 'status']), ['method', 'status']);
    expect(groups.every((g) => typeof g.sum.amountCents === 'string')).toBe(true);
  });

  it('groups by Boolean and Date fields, the null group last', async () => {
    const where: Where = { or: [{ birthDate: { isNull: true } }, { birthDate: { lt: '1952-01-01' } }] };
    const groupBy = ['birthDate', 'marketingOptIn'];
    const expected = groupRows(ref.customers, filterRows(ref.customers, where), groupBy);
    expect(expected.at(-1)!.key.birthDate).toBeNull();
    expectGroups(ref.customers, await aggregate(ref.customers, groupBy, where), expected, groupBy);
  });
});
