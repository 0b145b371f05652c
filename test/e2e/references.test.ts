/**
 * Cross-domain references through the gateway: entities (Order.customer, Payment.order), reverse
 * lists (Customer.orders, Order.payments) with their own where/orderBy/limit per parent, deep chains,
 * and the proof that entity look-ups and reverse lists are batched into one statement each.
 */
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';
import { referenceRows, type ReferenceRows, type Row, type Table, type Value } from '../support/referenceRows.js';
import { filterRows, keysOf, sortRows, type OrderBy, type Where } from '../support/expectedRows.js';
import { dataOf } from '../support/productQueries.js';

let mesh: TestMesh;
let ref: ReferenceRows;

beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
});
afterAll(() => mesh?.close());

const byParent = new Map<string, Map<Value, Row[]>>();

/** The rows of `table` whose `field` points at `parent`, filtered, sorted and cut as a reverse list is. */
function children(table: Table, field: string, parent: Value | undefined, args: { where?: Where; orderBy?: OrderBy; limit?: number } = {}): Row[] {
  const id = `${table.name}.${field}`;
  let index = byParent.get(id);
  if (!index) {
    index = new Map();
    for (const row of table.rows) {
      const rows = index.get(row[field] ?? null) ?? [];
      rows.push(row);
      index.set(row[field] ?? null, rows);
    }
    byParent.set(id, index);
  }
  return sortRows(table, filterRows(table, args.where, index.get(parent ?? null) ?? []), args.orderBy).slice(0, args.limit ?? 100);
}

/** Only the named fields of a row. */
const pick = (row: Row | undefined, fields: readonly string[]): Row => Object.fromEntries(fields.map((f) => [f, row?.[f] ?? null]));

/** How many statements the mesh's DuckDB runs for one query, and the query's data. */
async function countStatements<T>(query: string): Promise<{ delta: number; data: T }> {
  const before = mesh.statements();
  const data = dataOf(await mesh.query<T>(query));
  return { delta: mesh.statements() - before, data };
}

describe('entity references', () => {
  it("resolves each order's customer to the customer its customerId names", async () => {
    const r = dataOf(
      await mesh.query<{ orders: (Row & { customer: Row })[] }>(
        '{ orders(limit: 200, offset: 300) { orderId customerId customer { customerId fullName email segment signupAt } } }',
      ),
    );
    expect(r.orders).toHaveLength(200);
    for (const o of r.orders) expect(o.customer).toEqual(pick(ref.customers.byKey.get(String(o.customerId)), ['customerId', 'fullName', 'email', 'segment', 'signupAt']));
  });

  it("resolves each payment's order and that order's customer", async () => {
    const r = dataOf(
      await mesh.query<{ payments: { paymentId: string; order: Row & { customer: Row } }[] }>(
        '{ payments(limit: 150, orderBy: [{ amount: DESC }]) { paymentId order { orderId customerId totalAmount customer { customerId country } } } }',
      ),
    );
    for (const p of r.payments) {
      const order = ref.orders.byKey.get(String(ref.payments.byKey.get(p.paymentId)!.orderId))!;
      expect(p.order).toEqual({
        ...pick(order, ['orderId', 'customerId', 'totalAmount']),
        customer: pick(ref.customers.byKey.get(String(order.customerId)), ['customerId', 'country']),
      });
    }
  });

  it('resolves a reference from a look-up by key', async () => {
    const payment = ref.payments.rows[321]!;
    const r = dataOf(
      await mesh.query<{ payment: { order: { orderId: string; orderTs: string } } }>(`{ payment(paymentId: "${payment.paymentId}") { order { orderId orderTs } } }`),
    );
    expect(r.payment.order).toEqual(pick(ref.orders.byKey.get(String(payment.orderId)), ['orderId', 'orderTs']));
  });
});

describe('reverse lists', () => {
  it("lists each customer's orders with the where, orderBy and limit given, at most limit per customer", async () => {
    const where: Where = { status: { in: ['returned', 'cancelled'] }, channel: { neq: 'store' } };
    const orderBy: OrderBy = [{ totalAmount: 'DESC' }];
    const r = dataOf(
      await mesh.query<{ customers: { customerId: string; orders: Row[] }[] }>(
        'query($where: OrderWhere, $orderBy: [OrderOrderBy!]) { customers(limit: 60, offset: 10) { customerId orders(where: $where, orderBy: $orderBy, limit: 3) { orderId totalAmount status } } }',
        { where, orderBy },
      ),
    );
    const lengths = new Set<number>();
    for (const c of r.customers) {
      expect(c.orders).toEqual(children(ref.orders, 'customerId', c.customerId, { where, orderBy, limit: 3 }).map((o) => pick(o, ['orderId', 'totalAmount', 'status'])));
      lengths.add(c.orders.length);
    }
    expect(lengths.has(3) && [...lengths].some((n) => n < 3)).toBe(true);
  });

  it("lists a customer's orders in key order, up to 100, when no argument is given", async () => {
    const r = dataOf(await mesh.query<{ customers: { customerId: string; orders: Row[] }[] }>('{ customers(limit: 25) { customerId orders { orderId } } }'));
    for (const c of r.customers) expect(keysOf(ref.orders, c.orders)).toEqual(keysOf(ref.orders, children(ref.orders, 'customerId', c.customerId)));
  });

  it("lists an order's payments, newest first, from the payments domain, none when it has none", async () => {
    const r = dataOf(
      await mesh.query<{ orders: { orderId: string; payments: Row[] }[] }>(
        '{ orders(limit: 300) { orderId payments(orderBy: [{ paidAt: DESC }]) { paymentId paidAt amountCents } } }',
      ),
    );
    for (const o of r.orders) {
      const expected = children(ref.payments, 'orderId', o.orderId, { orderBy: [{ paidAt: 'DESC' }] });
      expect(o.payments).toEqual(expected.map((p) => pick(p, ['paymentId', 'paidAt', 'amountCents'])));
    }
    expect(r.orders.some((o) => o.payments.length === 0) && r.orders.some((o) => o.payments.length > 1)).toBe(true);
  });

  it('returns every order of the busiest customer looked up by key', async () => {
    const count = (c: Row): number => children(ref.orders, 'customerId', c.customerId, { limit: 1000 }).length;
    const busiest = ref.customers.rows.reduce((best, c) => (count(c) > count(best) ? c : best));
    expect(count(busiest)).toBeGreaterThan(50);
    const r = dataOf(await mesh.query<{ customer: { orders: Row[] } }>(`{ customer(customerId: "${busiest.customerId}") { orders(limit: 1000) { orderId } } }`));
    expect(keysOf(ref.orders, r.customer.orders)).toEqual(keysOf(ref.orders, children(ref.orders, 'customerId', busiest.customerId, { limit: 1000 })));
  });
});

describe('deep chains', () => {
  it('follows payment → order → customer → orders → payments', async () => {
    const r = dataOf(
      await mesh.query<{ payments: { paymentId: string; order: { orderId: string; customer: { customerId: string; orders: { orderId: string; payments: Row[] }[] } } }[] }>(
        '{ payments(limit: 30, offset: 900) { paymentId order { orderId customer { customerId orders(limit: 2, orderBy: [{ orderTs: DESC }]) { orderId payments(limit: 1) { paymentId amountCents } } } } } }',
      ),
    );
    expect(r.payments).toHaveLength(30);
    for (const p of r.payments) {
      const order = ref.orders.byKey.get(String(ref.payments.byKey.get(p.paymentId)!.orderId))!;
      expect(p.order.orderId).toBe(order.orderId);
      expect(p.order.customer.customerId).toBe(order.customerId);
      const latest = children(ref.orders, 'customerId', order.customerId, { orderBy: [{ orderTs: 'DESC' }], limit: 2 });
      expect(p.order.customer.orders).toEqual(
        latest.map((o) => ({ orderId: o.orderId, payments: children(ref.payments, 'orderId', o.orderId, { limit: 1 }).map((x) => pick(x, ['paymentId', 'amountCents'])) })),
      );
    }
  });
});

describe('batching', () => {
  it('resolves the customers of 100 orders with one customer statement, not 100', async () => {
    const { delta, data } = await countStatements<{ orders: { customer: { fullName: string } }[] }>('{ orders(limit: 100) { orderId customer { fullName } } }');
    expect(data.orders).toHaveLength(100);
    expect(delta).toBe(2);
  });

  it('lists the orders of 50 customers with one reverse-list statement, not 50', async () => {
    const { delta, data } = await countStatements<{ customers: { orders: Row[] }[] }>('{ customers(limit: 50) { orders(limit: 3) { orderId } } }');
    expect(data.customers).toHaveLength(50);
    expect(delta).toBe(2);
  });

  it('issues one statement per level of a chain across three domains', async () => {
    const { delta } = await countStatements('{ payments(limit: 200) { order { orderId customer { fullName } payments { paymentId } } } }');
    expect(delta).toBe(4);
  });

  it('needs no statement for a reference when only its key is asked for', async () => {
    // Another page than the tests above read, so the result cache cannot answer its one statement.
    const { delta } = await countStatements('{ orders(limit: 100, offset: 500) { orderId customer { customerId } } }');
    expect(delta).toBe(1);
  });
});
