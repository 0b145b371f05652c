/**
 * Paging through a whole product: connection cursors and limit/offset pages return every row
 * exactly once, in the requested order, checked against the Parquet rows.
 */
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';
import { referenceRows, type ReferenceRows } from '../support/referenceRows.js';
import { filterRows, keysOf, sortRows, type OrderBy, type Where } from '../support/expectedRows.js';
import { fetchPage, walkConnection, walkOffsets } from '../support/productQueries.js';

let mesh: TestMesh;
let ref: ReferenceRows;

beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
});
afterAll(() => mesh?.close());

const where: Where = { status: { in: ['delivered', 'shipped', 'returned'] }, totalAmount: { gte: 20 } };
const orderBy: OrderBy = [{ channel: 'ASC' }, { status: 'DESC' }];

/** Keys that occur more than once. */
const duplicates = (keys: readonly string[]): string[] => keys.filter((k, i) => keys.indexOf(k) !== i);

describe('connection cursors', () => {
  it('returns every order exactly once across pages of 333', async () => {
    const { rows, pages } = await walkConnection(mesh, ref.orders, { first: 333 }, ['orderId']);
    const keys = keysOf(ref.orders, rows);
    expect(pages).toHaveLength(Math.ceil(ref.orders.rows.length / 333));
    expect(duplicates(keys)).toEqual([]);
    expect(new Set(keys)).toEqual(new Set(keysOf(ref.orders, ref.orders.rows)));
    expect(keys).toEqual(keysOf(ref.orders, sortRows(ref.orders, ref.orders.rows)));
  });

  it('fills every page but the last, keeps totalCount steady and gives the last page no next page', async () => {
    const { pages } = await walkConnection(mesh, ref.orders, { first: 333 }, ['orderId']);
    expect(pages.slice(0, -1).every((p) => p.edges.length === 333 && p.pageInfo.hasNextPage)).toBe(true);
    expect(pages.at(-1)!.edges).toHaveLength(ref.orders.rows.length % 333);
    expect(pages.at(-1)!.pageInfo.hasNextPage).toBe(false);
    expect(new Set(pages.map((p) => p.totalCount))).toEqual(new Set([ref.orders.rows.length]));
  });

  it('returns every filtered order exactly once, in order, when sorted on non-unique columns', async () => {
    const expected = sortRows(ref.orders, filterRows(ref.orders, where), orderBy);
    const { rows, pages } = await walkConnection(mesh, ref.orders, { where, orderBy, first: 333 }, ['orderId']);
    expect(pages.length).toBeGreaterThan(3);
    expect(duplicates(keysOf(ref.orders, rows))).toEqual([]);
    expect(keysOf(ref.orders, rows)).toEqual(keysOf(ref.orders, expected));
    expect(pages[0]!.totalCount).toBe(expected.length);
  });

  it('pages through a nullable sort column without losing or repeating the null rows', async () => {
    const byDiscount: OrderBy = [{ discountAmount: 'DESC' }];
    const { rows } = await walkConnection(mesh, ref.orders, { orderBy: byDiscount, first: 333 }, ['orderId']);
    expect(keysOf(ref.orders, rows)).toEqual(keysOf(ref.orders, sortRows(ref.orders, ref.orders.rows, byDiscount)));
  });

  it('resumes after any edge cursor, not only the endCursor', async () => {
    const first = await fetchPage(mesh, ref.orders, { where, orderBy, first: 50 }, ['orderId']);
    const resumed = await fetchPage(mesh, ref.orders, { where, orderBy, first: 30, after: first.edges[19]!.cursor }, ['orderId']);
    const expected = sortRows(ref.orders, filterRows(ref.orders, where), orderBy).slice(20, 50);
    expect(
      keysOf(
        ref.orders,
        resumed.edges.map((e) => e.node),
      ),
    ).toEqual(keysOf(ref.orders, expected));
    expect(resumed.edges.map((e) => e.cursor)).toEqual(first.edges.slice(20, 50).map((e) => e.cursor));
  });

  it('returns an empty last page after the endCursor of the last row', async () => {
    const all = await fetchPage(mesh, ref.customers, { first: 1000 }, ['customerId']);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const after = await fetchPage(mesh, ref.customers, { first: 10, after: all.pageInfo.endCursor }, ['customerId']);
    expect(after.edges).toEqual([]);
    expect(after.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(after.totalCount).toBe(ref.customers.rows.length);
  });

  it('returns every payment exactly once in pages of 100', async () => {
    const { rows, pages } = await walkConnection(mesh, ref.payments, { first: 100 }, ['paymentId']);
    expect(pages).toHaveLength(ref.payments.rows.length / 100);
    expect(keysOf(ref.payments, rows)).toEqual(keysOf(ref.payments, sortRows(ref.payments, ref.payments.rows)));
  });
});

describe('offset pages', () => {
  it('returns every order exactly once across limit/offset pages of 333', async () => {
    const { rows, pages } = await walkOffsets(mesh, ref.orders, { limit: 333 }, ['orderId']);
    expect(pages).toBe(Math.ceil(ref.orders.rows.length / 333));
    expect(duplicates(keysOf(ref.orders, rows))).toEqual([]);
    expect(keysOf(ref.orders, rows)).toEqual(keysOf(ref.orders, sortRows(ref.orders, ref.orders.rows)));
  });

  it('returns every filtered order exactly once, in order, when sorted on non-unique columns', async () => {
    const { rows } = await walkOffsets(mesh, ref.orders, { where, orderBy, limit: 333 }, ['orderId']);
    expect(keysOf(ref.orders, rows)).toEqual(keysOf(ref.orders, sortRows(ref.orders, filterRows(ref.orders, where), orderBy)));
  });

  it('agrees with connection pages on the same filter and order', async () => {
    const byOffset = await walkOffsets(mesh, ref.customers, { orderBy: [{ segment: 'ASC' }, { birthDate: 'DESC' }], limit: 77 }, ['customerId']);
    const byCursor = await walkConnection(mesh, ref.customers, { orderBy: [{ segment: 'ASC' }, { birthDate: 'DESC' }], first: 77 }, ['customerId']);
    expect(byOffset.rows).toEqual(byCursor.rows);
    expect(byOffset.rows).toHaveLength(ref.customers.rows.length);
  });
});
