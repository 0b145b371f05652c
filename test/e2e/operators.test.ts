/**
 * Every filter operator on every filter type, nested and/or/not with SQL's NULL semantics, sort
 * directions with null placement, and DateTime filters in other time zones, each checked against
 * the rows JavaScript selects from the Parquet files.
 */
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';
import { referenceRows, type ReferenceRows, type Row, type Table, type TableName } from '../support/referenceRows.js';
import { filterRows, inZone, keysOf, sortRows, utcInstant, type Direction, type OrderBy, type Where } from '../support/expectedRows.js';
import { fetchPage, walkConnection } from '../support/productQueries.js';

let mesh: TestMesh;
let ref: ReferenceRows;

beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
});
afterAll(() => mesh?.close());

/** Asserts the API selects exactly the rows JavaScript selects (count, and keys of the first page); returns them. */
async function expectSelects(table: Table, where: Where, orderBy?: OrderBy): Promise<Row[]> {
  const expected = sortRows(table, filterRows(table, where), orderBy);
  const page = await fetchPage(mesh, table, { where, ...(orderBy && { orderBy }), first: 1000 }, [table.key]);
  expect(page.totalCount).toBe(expected.length);
  expect(
    keysOf(
      table,
      page.edges.map((e) => e.node),
    ),
  ).toEqual(keysOf(table, expected.slice(0, 1000)));
  return expected;
}

/** A value of `field` taken from the n-th row that has one. */
const valueOf = (table: Table, field: string, n = 0): unknown => table.rows.filter((r) => r[field] !== null)[n]![field];

type Case = readonly [string, TableName, (r: ReferenceRows) => Where];

const CASES: Record<string, readonly Case[]> = {
  String: [
    ['eq', 'orders', () => ({ status: { eq: 'paid' } })],
    ['neq', 'orders', () => ({ status: { neq: 'delivered' } })],
    ['in', 'orders', () => ({ channel: { in: ['web', 'store', 'no such channel'] } })],
    ['in on an enum', 'orders', () => ({ status: { in: ['paid', 'placed'] } })],
    ['nin', 'orders', () => ({ status: { nin: ['delivered', 'cancelled'] } })],
    ['isNull false', 'orders', () => ({ channel: { isNull: false } })],
    ['like with % and _', 'orders', () => ({ currency: { like: 'E%' }, channel: { like: '_eb' } })],
    ['like, case-sensitive', 'customers', () => ({ or: [{ city: { like: 'ber%' } }, { city: { like: 'Ham%' } }] })],
    ['ilike', 'customers', () => ({ city: { ilike: 'BER%' } })],
    ['ilike with a quote', 'customers', () => ({ fullName: { ilike: "%o'bRIEN" } })],
    ['neq on a nullable field', 'customers', (r) => ({ phone: { neq: valueOf(r.customers, 'phone') } })],
    ['nin on a nullable field', 'customers', (r) => ({ phone: { nin: [valueOf(r.customers, 'phone'), valueOf(r.customers, 'phone', 1)] } })],
    ['isNull true', 'customers', () => ({ phone: { isNull: true } })],
    ['like on a nullable field', 'customers', () => ({ phone: { like: '+49%' } })],
    ['several operators on one field', 'payments', () => ({ method: { neq: 'card', nin: ['wallet'], like: '%a%' } })],
  ],
  ID: [
    ['eq', 'orders', (r) => ({ orderId: { eq: valueOf(r.orders, 'orderId', 77) } })],
    ['neq', 'customers', (r) => ({ customerId: { neq: valueOf(r.customers, 'customerId', 5) } })],
    ['in', 'payments', (r) => ({ paymentId: { in: [valueOf(r.payments, 'paymentId', 3), valueOf(r.payments, 'paymentId', 4000), 'P-none'] } })],
    ['nin', 'customers', (r) => ({ customerId: { nin: [valueOf(r.customers, 'customerId', 0), valueOf(r.customers, 'customerId', 499)] } })],
    ['isNull false', 'payments', () => ({ paymentId: { isNull: false } })],
  ],
  Int: [
    ['eq', 'orders', () => ({ itemCount: { eq: 3 } })],
    ['neq', 'orders', () => ({ itemCount: { neq: 1 } })],
    ['in', 'orders', () => ({ itemCount: { in: [1, 12] } })],
    ['nin', 'orders', () => ({ itemCount: { nin: [1, 2, 3] } })],
    ['gt and lt', 'orders', () => ({ itemCount: { gt: 2, lt: 6 } })],
    ['gte and lte', 'orders', () => ({ itemCount: { gte: 10, lte: 11 } })],
  ],
  Float: [
    ['eq', 'orders', (r) => ({ totalAmount: { eq: valueOf(r.orders, 'totalAmount', 10) } })],
    ['neq', 'orders', (r) => ({ totalAmount: { neq: valueOf(r.orders, 'totalAmount', 10) } })],
    ['in', 'orders', (r) => ({ totalAmount: { in: [valueOf(r.orders, 'totalAmount', 1), valueOf(r.orders, 'totalAmount', 2)] } })],
    ['nin', 'customers', () => ({ lifetimeValue: { nin: [0] } })],
    ['gt and lte', 'orders', () => ({ totalAmount: { gt: 500, lte: 750.5 } })],
    ['gte and lt', 'customers', () => ({ lifetimeValue: { gte: 100, lt: 200 } })],
    ['lt on a nullable field', 'orders', () => ({ discountAmount: { lt: 5 } })],
    ['neq on a nullable field', 'orders', (r) => ({ discountAmount: { neq: valueOf(r.orders, 'discountAmount') } })],
    ['isNull true', 'orders', () => ({ discountAmount: { isNull: true } })],
  ],
  BigInt: [
    ['eq', 'payments', (r) => ({ amountCents: { eq: valueOf(r.payments, 'amountCents', 9) } })],
    ['eq given as a number', 'payments', (r) => ({ amountCents: { eq: Number(valueOf(r.payments, 'amountCents', 9)) } })],
    ['neq', 'payments', (r) => ({ amountCents: { neq: valueOf(r.payments, 'amountCents', 9) } })],
    ['in', 'payments', (r) => ({ amountCents: { in: [valueOf(r.payments, 'amountCents', 1), valueOf(r.payments, 'amountCents', 2)] } })],
    ['nin', 'payments', (r) => ({ amountCents: { nin: [valueOf(r.payments, 'amountCents', 1)] } })],
    ['gt and lte', 'payments', () => ({ amountCents: { gt: '99999', lte: '150000' } })],
    ['gte and lt', 'payments', () => ({ amountCents: { gte: '900', lt: '10000' } })],
  ],
  Boolean: [
    ['eq true', 'customers', () => ({ marketingOptIn: { eq: true } })],
    ['neq true', 'customers', () => ({ marketingOptIn: { neq: true } })],
    ['in', 'customers', () => ({ marketingOptIn: { in: [false] } })],
    ['nin', 'customers', () => ({ marketingOptIn: { nin: [false] } })],
    ['isNull false', 'customers', () => ({ marketingOptIn: { isNull: false } })],
  ],
  Date: [
    ['eq', 'orders', (r) => ({ orderDate: { eq: valueOf(r.orders, 'orderDate', 3) } })],
    ['neq', 'orders', (r) => ({ orderDate: { neq: valueOf(r.orders, 'orderDate', 3) } })],
    ['in', 'orders', () => ({ orderDate: { in: ['2026-01-01', '2026-02-14', '2026-10-31'] } })],
    ['nin on a nullable field', 'customers', (r) => ({ birthDate: { nin: [valueOf(r.customers, 'birthDate')] } })],
    ['gt and lt', 'orders', () => ({ orderDate: { gt: '2026-03-01', lt: '2026-03-15' } })],
    ['gte and lte', 'orders', () => ({ orderDate: { gte: '2026-03-01', lte: '2026-03-15' } })],
    ['lt on a nullable field', 'customers', () => ({ birthDate: { lt: '1955-06-30' } })],
    ['isNull true', 'customers', () => ({ birthDate: { isNull: true } })],
  ],
  DateTime: [
    ['eq', 'orders', (r) => ({ orderTs: { eq: valueOf(r.orders, 'orderTs', 42) } })],
    ['neq', 'orders', (r) => ({ orderTs: { neq: valueOf(r.orders, 'orderTs', 42) } })],
    ['in', 'payments', (r) => ({ paidAt: { in: [valueOf(r.payments, 'paidAt', 1), valueOf(r.payments, 'paidAt', 2)] } })],
    ['nin', 'customers', (r) => ({ signupAt: { nin: [valueOf(r.customers, 'signupAt', 1)] } })],
    ['gt and lte', 'orders', () => ({ orderTs: { gt: '2026-05-01T00:00:00Z', lte: '2026-05-03T12:30:00.5Z' } })],
    ['gte and lt', 'customers', () => ({ signupAt: { gte: '2025-01-01T00:00:00Z', lt: '2025-03-01T00:00:00Z' } })],
  ],
};

describe.each(Object.keys(CASES))('%s filters', (type) => {
  it.each(CASES[type]!)('select exactly the rows that match: %s (%s)', async (name, tableName, where) => {
    const table = ref[tableName];
    const selected = await expectSelects(table, where(ref));
    if (!/isNull false|nin|neq/.test(name)) expect(selected.length).toBeLessThan(table.rows.length);
    expect(selected.length).toBeGreaterThan(0);
  });
});

describe('NULL semantics', () => {
  it('never matches null with neq or nin', async () => {
    const phone = valueOf(ref.customers, 'phone');
    for (const where of [{ phone: { neq: phone } }, { phone: { nin: [phone] } }, { discountAmount: { neq: 0 } }]) {
      const table = 'phone' in where ? ref.customers : ref.orders;
      const field = Object.keys(where)[0]!;
      const rows = await expectSelects(table, where);
      expect(rows.some((r) => r[field] === null)).toBe(false);
    }
  });

  it('matches the rows whose field is null with not, as the complement of the inner filter', async () => {
    for (const [table, inner] of [
      [ref.customers, { phone: { like: '+49%' } }],
      [ref.orders, { discountAmount: { gt: 10 } }],
      [ref.customers, { birthDate: { neq: '1980-01-01' } }],
    ] as const) {
      const matched = await expectSelects(table, inner);
      const complement = await expectSelects(table, { not: inner });
      expect(matched.length + complement.length).toBe(table.rows.length);
      expect(new Set(keysOf(table, [...matched, ...complement])).size).toBe(table.rows.length);
      const field = Object.keys(inner)[0]!;
      expect(complement.filter((r) => r[field] === null).length).toBe(table.rows.filter((r) => r[field] === null).length);
    }
  });

  it('matches nothing with an empty in and every non-null row with an empty nin', async () => {
    expect(await expectSelects(ref.customers, { phone: { in: [] } })).toEqual([]);
    expect((await expectSelects(ref.customers, { phone: { nin: [] } })).length).toBe(ref.customers.rows.filter((r) => r.phone !== null).length);
  });
});

describe('nested and/or/not', () => {
  it.each<readonly [string, TableName, Where]>([
    ['or of two fields', 'orders', { or: [{ status: { eq: 'returned' } }, { itemCount: { gte: 12 } }] }],
    ['and inside or', 'orders', { or: [{ and: [{ channel: { eq: 'store' } }, { totalAmount: { gt: 1000 } }] }, { discountAmount: { gt: 300 } }] }],
    ['not of and', 'payments', { not: { and: [{ method: { eq: 'card' } }, { status: { eq: 'captured' } }] } }],
    ['not of or with nulls', 'customers', { not: { or: [{ phone: { like: '+33%' } }, { birthDate: { gt: '1990-01-01' } }] } }],
    ['not of not', 'customers', { not: { not: { phone: { like: '+44%' } } } }],
    [
      'fields beside and/or/not',
      'orders',
      { currency: { eq: 'EUR' }, and: [{ itemCount: { lt: 3 } }], or: [{ status: { eq: 'paid' } }, { status: { eq: 'placed' } }], not: { channel: { eq: 'app' } } },
    ],
    ['an empty and', 'customers', { and: [] }],
  ])('select exactly the rows that match: %s', async (_name, tableName, where) => {
    expect((await expectSelects(ref[tableName], where)).length).toBeGreaterThan(0);
  });

  it('matches nothing with an empty or', async () => {
    expect(await expectSelects(ref.customers, { or: [] })).toEqual([]);
  });
});

describe('DateTime filters with a time-zone offset', () => {
  it('finds the row whose timestamp is the instant given in another zone', async () => {
    for (const n of [0, 42, 4999]) {
      const order = ref.orders.rows[n]!;
      for (const zone of ['+02:00', '-05:30', '+14:00', '+00:00']) {
        const rows = await expectSelects(ref.orders, { orderTs: { eq: inZone(String(order.orderTs), zone) } });
        expect(keysOf(ref.orders, rows)).toEqual([order.orderId]);
      }
    }
  });

  it('compares a range given with offsets as UTC instants, across a date boundary', async () => {
    const where = { orderTs: { gte: '2026-05-01T22:30:00-04:00', lt: '2026-05-03T01:15:00.250+09:00' } };
    expect(utcInstant(where.orderTs.gte)).toBe('2026-05-02T02:30:00.000000Z');
    const rows = await expectSelects(ref.orders, where);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => String(r.orderTs) >= '2026-05-02T02:30:00.000000Z' && String(r.orderTs) < '2026-05-02T16:15:00.250000Z')).toBe(true);
  });

  it('accepts a literal DateTime with an offset in the query text', async () => {
    const order = ref.orders.rows[7]!;
    const r = await mesh.query<{ orders: Row[] }>(`{ orders(where: { orderTs: { eq: "${inZone(String(order.orderTs), '+02:00')}" } }) { orderId orderTs } }`);
    expect(r.data?.orders).toEqual([{ orderId: order.orderId, orderTs: order.orderTs }]);
  });
});

describe('sorting', () => {
  const directions: readonly Direction[] = ['ASC', 'DESC', 'ASC_NULLS_FIRST', 'DESC_NULLS_LAST'];

  it.each(directions)('orders a nullable Float %s with nulls where documented, the key breaking ties', async (direction) => {
    const orderBy = [{ discountAmount: direction }];
    const { rows } = await walkConnection(mesh, ref.orders, { orderBy, first: 1000 }, ['orderId', 'discountAmount']);
    expect(rows).toEqual(sortRows(ref.orders, ref.orders.rows, orderBy).map((r) => ({ orderId: r.orderId, discountAmount: r.discountAmount })));
    const nullsFirst = direction === 'DESC' || direction === 'ASC_NULLS_FIRST';
    expect(rows[nullsFirst ? 0 : rows.length - 1]!.discountAmount).toBeNull();
  });

  it.each(directions)('orders nullable String and Date fields %s', async (direction) => {
    for (const field of ['phone', 'birthDate']) {
      await expectSelects(ref.customers, {}, [{ [field]: direction }]);
    }
  });

  it.each<readonly [TableName, OrderBy]>([
    ['orders', [{ status: 'ASC' }, { discountAmount: 'DESC' }, { orderDate: 'ASC_NULLS_FIRST' }]],
    ['orders', [{ channel: 'DESC_NULLS_LAST' }, { itemCount: 'DESC' }, { orderTs: 'ASC' }]],
    ['customers', [{ segment: 'DESC' }, { birthDate: 'ASC_NULLS_FIRST' }, { phone: 'DESC_NULLS_LAST' }]],
    ['customers', [{ marketingOptIn: 'ASC' }, { lifetimeValue: 'DESC' }]],
    ['payments', [{ amountCents: 'DESC' }]],
    ['payments', [{ paymentId: 'DESC' }]],
  ])('orders %s by several keys in turn: %j', async (tableName, orderBy) => {
    const table = ref[tableName];
    const { rows } = await walkConnection(mesh, table, { orderBy, first: 1000 }, [table.key]);
    expect(keysOf(table, rows)).toEqual(keysOf(table, sortRows(table, table.rows, orderBy)));
  });
});
