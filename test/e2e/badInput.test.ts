/**
 * Misuse over HTTP: every bad input gets a GraphQL error with extensions.code BAD_USER_INPUT and a
 * message that names what was wrong; no stack trace, SQL, file path or internal address reaches the
 * client; hostile strings stay literal values; and the server keeps serving afterwards.
 */
import { OWNER_ROLES, startTestMesh, type TestMesh } from '../support/startTestMesh.js';
import { referenceRows, type ReferenceRows, type Row } from '../support/referenceRows.js';
import { filterRows, keysOf, likeRegExp, sortRows } from '../support/expectedRows.js';
import { dataOf, fetchList } from '../support/productQueries.js';

let mesh: TestMesh;
let ref: ReferenceRows;

beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
});
afterAll(() => mesh?.close());

/** What must never appear in a response body. */
const LEAK = /SELECT|read_parquet|\/tmp\/|\/work\/|127\.0\.0\.1|localhost|ECONNREFUSED|at .*\.ts:\d+|stack/i;

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

/** Sends a bad request and asserts what the client sees: BAD_USER_INPUT, a message naming `names`, no leak. */
async function expectRefused(query: string, variables: Record<string, unknown> | undefined, names: RegExp): Promise<void> {
  const r = await mesh.query(query, variables);
  expect(r.text).not.toMatch(LEAK);
  expect(r.status).toBeLessThan(500);
  const error = r.errors?.[0];
  expect({ code: error?.extensions?.['code'], message: error?.message }).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(names) });
  expect(error!.message).toMatch(/^\S+( \S+){3,}/);
  expect(error!.message.length).toBeLessThan(400);
}

type Case = readonly [string, string, RegExp];
type VarCase = readonly [string, string, Record<string, unknown>, RegExp];

describe('GraphQL validation and parse errors', () => {
  it.each<Case>([
    ['an unknown top-level field', '{ nope }', /nope/],
    ['an unknown product', '{ widgets { widgetId } }', /widgets/],
    ['an unknown field of a product', '{ orders { orderId nope } }', /nope/],
    ['a string where limit wants an Int', '{ orders(limit: "x") { orderId } }', /Int/],
    ['a filter on an unknown column', '{ orders(where: { nope: { eq: "x" } }) { orderId } }', /nope/],
    ['gt on a String field', '{ orders(where: { channel: { gt: "a" } }) { orderId } }', /gt/],
    ['a string where an enum value is wanted', '{ orders(where: { status: { eq: "paid" } }) { orderId } }', /OrderStatus/],
    ['a value the enum does not have', '{ orders(where: { status: { eq: lost } }) { orderId } }', /lost/],
    ['like on an Int field', '{ orders(where: { itemCount: { like: "1%" } }) { orderId } }', /like/],
    ['a list where eq wants one value', '{ orders(where: { channel: { eq: ["a", "b"] } }) { orderId } }', /String/],
    ['an unknown sort direction', '{ orders(orderBy: [{ status: UP }]) { orderId } }', /UP/],
    ['a by-key look-up without its key', '{ order { orderId } }', /orderId/],
    ['a syntax error', '{ orders(limit: 1 { orderId } }', /Syntax Error/],
    ['an unterminated string', '{ orders(where: { status: { eq: "abc } }) { orderId } }', /Unterminated string/],
    ['trailing garbage', '{ orders { orderId } } garbage', /garbage/],
    ['a cut-off document', '{', /Syntax Error/],
    ['an empty document', '', /query/],
    ['an argument given twice', '{ orders(limit: 1, limit: 2) { orderId } }', /limit/],
  ])('refuses %s', async (_name, query, names) => {
    await expectRefused(query, undefined, names);
  });

  it.each<VarCase>([
    ['a string variable where limit wants an Int', 'query($l: Int) { orders(limit: $l) { orderId } }', { l: 'x' }, /\$l/],
    ['a where variable on an unknown column', 'query($w: OrderWhere) { orders(where: $w) { orderId } }', { w: { nope: { eq: 'x' } } }, /nope/],
    ['a where variable with like on an Int field', 'query($w: OrderWhere) { orders(where: $w) { orderId } }', { w: { itemCount: { like: '1%' } } }, /like/],
    ['a where variable with gt on a String field', 'query($w: OrderWhere) { orders(where: $w) { orderId } }', { w: { status: { gt: 'a' } } }, /gt/],
    ['an unknown groupBy field', 'query($g: [OrderField!]) { ordersAggregate(groupBy: $g) { count } }', { g: ['NOPE'] }, /NOPE/],
  ])('refuses %s', async (_name, query, variables, names) => {
    await expectRefused(query, variables, names);
  });
});

describe('malformed request bodies', () => {
  it.each([
    ['a body that is not JSON', '{not json', /JSON/],
    ['a batch of operations', '[]', /[Bb]atch/],
    ['a query that is not a string', '{"query": 5}', /string/],
    ['variables that are not an object', '{"query": "{ orders { orderId } }", "variables": "x"}', /variables/],
  ])('refuses %s from an authenticated caller', async (_name, body, names) => {
    const authorization = `Bearer ${await mesh.token({ roles: OWNER_ROLES })}`;
    const res = await fetch(mesh.running.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
    const text = await res.text();
    expect(text).not.toMatch(LEAK);
    expect(res.status).toBe(400);
    const error = (JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]!;
    expect(error).toEqual({ message: expect.stringMatching(names), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('page sizes and offsets', () => {
  it.each<Case>([
    ['a negative limit', '{ orders(limit: -1) { orderId } }', /"limit".*-1/],
    ['a limit over 1000', '{ orders(limit: 5000) { orderId } }', /"limit".*5000/],
    ['a negative offset', '{ orders(offset: -1) { orderId } }', /"offset".*-1/],
    ['a huge first', '{ ordersConnection(first: 100000) { totalCount } }', /"first".*100000/],
    ['a negative first', '{ ordersConnection(first: -1) { totalCount } }', /"first".*-1/],
    ['a reverse-list limit over 1000', '{ customers(limit: 2) { orders(limit: 5000) { orderId } } }', /"limit".*5000/],
  ])('refuses %s rather than cutting the page', async (_name, query, names) => {
    await expectRefused(query, undefined, names);
  });
});

describe('cursors', () => {
  it.each([
    ['garbage', 'garbage'],
    ['base64 of plain text', base64url('hello world')],
    ['base64 of JSON', Buffer.from('{"offset":10}').toString('base64')],
    ['a negative offset', base64url('mg1:-1')],
    ['an offset too large to be real', base64url(`mg1:${'9'.repeat(20)}`)],
    ['an overlong string', 'x'.repeat(5000)],
    ['an empty string', ''],
  ])('refuses a malformed cursor: %s', async (_name, after) => {
    await expectRefused('query($a: String) { ordersConnection(after: $a) { totalCount } }', { a: after }, /cursor/i);
  });
});

describe('filter values', () => {
  it.each<VarCase>([
    ['an impossible Date', 'query($d: Date) { orders(where: { orderDate: { eq: $d } }) { orderId } }', { d: '2026-02-30' }, /Date/],
    ['a DateTime that is not ISO 8601', 'query($t: DateTime) { orders(where: { orderTs: { gte: $t } }) { orderId } }', { t: 'yesterday' }, /DateTime/],
    ['a BigInt past 64 bits', 'query($b: BigInt) { payments(where: { amountCents: { eq: $b } }) { paymentId } }', { b: '99999999999999999999' }, /BigInt/],
    ['a BigInt in exponent form', 'query($b: BigInt) { payments(where: { amountCents: { gt: $b } }) { paymentId } }', { b: '1e3' }, /BigInt/],
    ['an Int past 32 bits', 'query($i: Int) { orders(where: { itemCount: { eq: $i } }) { orderId } }', { i: 99_999_999_999 }, /Int/],
    ['a null comparison', 'query($w: OrderWhere) { orders(where: $w) { orderId } }', { w: { status: { eq: null } } }, /isNull/],
    ['an orderBy item naming two fields', 'query($o: [OrderOrderBy!]) { orders(orderBy: $o) { orderId } }', { o: [{ status: 'ASC', channel: 'DESC' }] }, /orderBy/],
    [
      'an in list of more than 1000 values',
      'query($w: OrderWhere) { orders(where: $w) { orderId } }',
      { w: { orderId: { in: Array.from({ length: 1001 }, (_, i) => `O${i}`) } } },
      /1000/,
    ],
    ['a filter value over 4096 characters', 'query($w: CustomerWhere) { customers(where: $w) { customerId } }', { w: { fullName: { like: `%${'a'.repeat(5000)}%` } } }, /4096/],
  ])('refuses %s', async (_name, query, variables, names) => {
    await expectRefused(query, variables, names);
  });

  it.each(['and', 'or', 'not'])('refuses %s nested more than 16 levels deep', async (op) => {
    let where: Record<string, unknown> = { status: { eq: 'paid' } };
    for (let i = 0; i < 17; i++) where = op === 'not' ? { not: where } : { [op]: [where] };
    await expectRefused('query($w: OrderWhere) { orders(where: $w) { orderId } }', { w: where }, /16/);
  });

  it('accepts an in list of exactly 1000 values and 16 levels of nesting', async () => {
    let where: Record<string, unknown> = { orderId: { in: keysOf(ref.orders, ref.orders.rows.slice(0, 1000)) } };
    for (let i = 0; i < 16; i++) where = { and: [where] };
    expect(await fetchList(mesh, ref.orders, { where, limit: 1000 }, ['orderId'])).toHaveLength(1000);
  });
});

describe('hostile strings', () => {
  const HOSTILE = ["'", '"', '%', '_', '\\', '\u0000', 'a\u0000b', "' OR 1=1 --", '"; DROP TABLE x; --', "%' OR '1'='1", '\'); DROP TABLE "orders"; --', '${x}'];

  it.each(HOSTILE)('matches no row with eq %j, as a variable and as a literal', async (value) => {
    const vars = await mesh.query(
      'query($s: String, $id: ID!) { customers(where: { fullName: { eq: $s } }) { customerId } orders(where: { orderId: { eq: $id } }) { orderId } order(orderId: $id) { orderId } }',
      { s: value, id: value },
    );
    expect(vars.errors).toBeUndefined();
    expect(vars.data).toEqual({ customers: [], orders: [], order: null });
    const literal = await mesh.query(`{ customers(where: { fullName: { eq: ${JSON.stringify(value)} } }) { customerId } }`);
    expect(literal.errors).toBeUndefined();
    expect(literal.data).toEqual({ customers: [] });
  });

  it('finds exactly the customers whose name holds a quote, by eq and by like', async () => {
    const name = ref.customers.rows.find((c) => String(c.fullName).includes("'"))!.fullName;
    const byEq = await fetchList(mesh, ref.customers, { where: { fullName: { eq: name } } }, ['customerId']);
    expect(keysOf(ref.customers, byEq)).toEqual(keysOf(ref.customers, filterRows(ref.customers, { fullName: { eq: name } })));
    const byLike = await fetchList(mesh, ref.customers, { where: { fullName: { like: "%O'%" } }, limit: 1000 }, ['customerId', 'fullName']);
    expect(byLike.length).toBeGreaterThan(1);
    expect(byLike.every((c: Row) => String(c.fullName).includes("O'"))).toBe(true);
    expect(byLike).toHaveLength(ref.customers.rows.filter((c) => String(c.fullName).includes("O'")).length);
  });

  it('treats an escaped % or _ in a LIKE pattern as the character itself', async () => {
    const underscore = await fetchList(mesh, ref.payments, { where: { method: { like: '%\\_%' } }, limit: 1000 }, ['method']);
    expect(new Set(underscore.map((p) => p.method))).toEqual(new Set(['bank_transfer']));
    expect(underscore).toHaveLength(ref.payments.rows.filter((p) => likeRegExp('%\\_%').test(String(p.method))).length);
    expect(await fetchList(mesh, ref.customers, { where: { email: { like: '%\\%%' } } }, ['customerId'])).toEqual([]);
    expect(await fetchList(mesh, ref.customers, { where: { email: { like: '%\\_%' } } }, ['customerId'])).toEqual([]);
    expect(await fetchList(mesh, ref.customers, { where: { email: { like: '%_%' } }, limit: 1000 }, ['customerId'])).toHaveLength(ref.customers.rows.length);
  });
});

describe('after the bad requests', () => {
  it('keeps serving, with every table intact', async () => {
    const bad = Array.from({ length: 20 }, (_, i) => mesh.query(`{ orders(limit: ${-i - 1}) { orderId } }`));
    expect((await Promise.all(bad)).every((r) => r.errors?.[0]?.extensions?.['code'] === 'BAD_USER_INPUT')).toBe(true);
    const r = dataOf(
      await mesh.query<Record<string, { totalCount: number }>>('{ o: ordersConnection { totalCount } c: customersConnection { totalCount } p: paymentsConnection { totalCount } }'),
    );
    expect(r).toEqual({ o: { totalCount: ref.orders.rows.length }, c: { totalCount: ref.customers.rows.length }, p: { totalCount: ref.payments.rows.length } });
    const first = await fetchList(mesh, ref.orders, { limit: 3 });
    expect(first).toEqual(sortRows(ref.orders, ref.orders.rows).slice(0, 3));
  });
});
