/**
 * Misuse of the gateway itself: operations too deep, too aliased, too long or too costly are
 * refused with QUERY_TOO_COMPLEX before planning; bodies are bounded, batches refused; the schema is
 * shown only to authenticated callers and never suggested; and no error tells a client about SQL,
 * files, stacks or the subgraphs' addresses.
 */
import { Lexer, Source, TokenKind } from 'graphql';
import { bearer, errorCodes, LEAK, postGraphQL } from '../support/postGraphQL.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
let url: string;
let analyst: Record<string, string>;
beforeAll(async () => {
  mesh = await startTestMesh();
  url = mesh.running.gateway.graphqlUrl;
  analyst = bearer(await mesh.token({ roles: ['analyst'] }));
});
afterAll(() => mesh?.close());

/** Every error response a test saw, checked at the end for leaks. */
const errorResponses: GraphQLResponse<unknown>[] = [];
async function send(body: Parameters<typeof postGraphQL>[1], headers: Record<string, string> = analyst): Promise<GraphQLResponse> {
  const r = await postGraphQL(url, body, headers);
  if (r.status !== 200 || r.errors) errorResponses.push(r);
  return r;
}

/** A query `depth` fields deep: customers → orders → customer → orders → ..., one row per level. */
function nested(depth: number): string {
  // Level 1 and odd levels read a Customer, even levels an Order; the leaf is a key of the level above.
  let inner = (depth - 1) % 2 === 1 ? 'customerId' : 'orderId';
  for (let level = depth - 1; level >= 1; level--) {
    const field = level === 1 ? 'customers(limit: 1)' : level % 2 === 0 ? 'orders(limit: 1)' : 'customer';
    inner = `${field} { ${inner} }`;
  }
  return `{ ${inner} }`;
}

/** How many tokens graphql-js counts against its limit (every token but the end of the document). */
function tokenCount(doc: string): number {
  const lexer = new Lexer(new Source(doc));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

const tooComplex = (r: GraphQLResponse) => ({ status: r.status, codes: errorCodes(r), data: r.data ?? undefined });

describe('operation limits', () => {
  it('answers a 12-deep query and refuses a 13-deep one with QUERY_TOO_COMPLEX', async () => {
    expect((await send({ query: nested(12) })).errors).toBeUndefined();
    for (const depth of [13, 40]) expect(tooComplex(await send({ query: nested(depth) }))).toEqual({ status: 400, codes: ['QUERY_TOO_COMPLEX'], data: undefined });
  });

  it('answers 15 aliases and refuses 16 with QUERY_TOO_COMPLEX', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: customers(limit: 1) { customerId }`).join(' ')} }`;
    expect((await send({ query: aliases(15) })).errors).toBeUndefined();
    expect(tooComplex(await send({ query: aliases(16) }))).toEqual({ status: 400, codes: ['QUERY_TOO_COMPLEX'], data: undefined });
  });

  it('answers a 2,000-token document and refuses a 2,001-token one with QUERY_TOO_COMPLEX', async () => {
    // Distinct tokens (values in two IN lists): graphql-js aborts validation of thousands of repeated fields on its own.
    const doc = (tokens: number) => {
      const values = Array.from({ length: tokens - 31 }, (_, i) => `"v${i}"`);
      const half = Math.ceil(values.length / 2);
      return `{ customers(limit: 1, where: { country: { in: [${values.slice(0, half).join(' ')}] }, city: { in: [${values.slice(half).join(' ')}] } }) { customerId } }`;
    };
    expect([tokenCount(doc(2_000)), tokenCount(doc(2_001))]).toEqual([2_000, 2_001]);
    expect((await send({ query: doc(2_000) })).errors).toBeUndefined();
    expect(tooComplex(await send({ query: doc(2_001) }))).toEqual({ status: 400, codes: ['QUERY_TOO_COMPLEX'], data: undefined });
  });

  it.each([
    ['nested lists of 1,000 rows each', '{ customers(limit: 1000) { orders(limit: 1000) { payments(limit: 1000) { paymentId } } } }', undefined],
    ['a connection of 1,000 edges with 1,000 orders each', '{ customersConnection(first: 1000) { edges { node { orders(limit: 1000) { orderId } } } } }', undefined],
    ['page sizes given as variables', 'query($l: Int) { customers(limit: $l) { orders(limit: $l) { orderId } } }', { l: 1000 }],
    ['page sizes given as variable defaults', 'query($l: Int = 1000) { customers(limit: $l) { orders(limit: $l) { orderId } } }', undefined],
    ['lists multiplied through fragments', 'query { customers(limit: 1000) { ...O } } fragment O on Customer { orders(limit: 1000) { orderId } }', undefined],
  ])('refuses a very costly query (%s) with QUERY_TOO_COMPLEX before reading anything', async (_name, query, variables) => {
    const before = mesh.statements();
    expect(tooComplex(await send({ query, ...(variables && { variables }) }))).toEqual({ status: 400, codes: ['QUERY_TOO_COMPLEX'], data: undefined });
    expect(mesh.statements()).toBe(before);
  });
});

describe('the HTTP envelope', () => {
  it('refuses a body over 1 MiB with HTTP 413', async () => {
    const r = await send(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(1024 * 1024) }));
    expect({ status: r.status, codes: errorCodes(r) }).toEqual({ status: 413, codes: ['BAD_USER_INPUT'] });
  });

  it('refuses an array of operations (batching)', async () => {
    const r = await send(JSON.stringify([{ query: '{ customers(limit: 1) { customerId } }' }, { query: '{ orders(limit: 1) { orderId } }' }]));
    expect({ status: r.status, codes: errorCodes(r), message: r.errors?.[0]?.message }).toEqual({
      status: 400,
      codes: ['BAD_USER_INPUT'],
      message: expect.stringMatching(/batch/i),
    });
  });
});

describe('the schema', () => {
  const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

  it.each([
    ['a full introspection query', INTROSPECTION],
    ['a __type query', '{ __type(name: "Customer") { fields { name } } }'],
    ['a query of __typename only', '{ __typename }'],
  ])('is not shown to a caller without a token: %s gets HTTP 401', async (_name, query) => {
    const r = await send({ query }, {});
    expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: undefined });
    expect(r.text).not.toMatch(/Customer|customers/);
  });

  it('is not shown through GET without a token either', async () => {
    const res = await fetch(`${url}?query=${encodeURIComponent(INTROSPECTION)}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/Customer/);
  });

  it('is shown to an authenticated caller', async () => {
    const r = await send({ query: INTROSPECTION });
    const names = (r.data as { __schema: { types: { name: string }[] } }).__schema.types.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['Customer', 'Order', 'Payment', 'CustomerWhere']));
  });

  it.each([
    ['field', '{ customers(limit: 1) { emial } }', '"email"'],
    ['argument', '{ customers(limt: 1) { customerId } }', '"limit"'],
    ['root field', '{ customer_s { customerId } }', '"customers"'],
    ['input field', '{ customers(where: { emial: { eq: "x" } }) { customerId } }', '"email"'],
    ['enum value', '{ customersAggregate(groupBy: [COUNTR]) { count } }', 'COUNTRY'],
    ['type', 'query($w: CustomerWher) { customers(where: $w) { customerId } }', '"CustomerWhere"'],
  ])('never suggests the right name of a misspelt %s, even to an authenticated caller', async (_name, query, right) => {
    const r = await send({ query });
    expect({ status: r.status, codes: errorCodes(r) }).toEqual({ status: 400, codes: ['BAD_USER_INPUT'] });
    expect(r.text).not.toMatch(/did you mean/i);
    expect(r.text).not.toContain(right);
  });
});

describe('error messages', () => {
  it.each([
    ['a syntax error', { query: '{ customers( }' }],
    ['a number DuckDB cannot hold', { query: '{ payments(where: { amountCents: { gt: "99999999999999999999999" } }) { paymentId } }' }],
    ['a refused filter on a masked field', { query: '{ customers(where: { email: { like: "a%" } }) { customerId } }' }],
    ['a date that does not exist, in a variable', { query: 'query($d: Date) { orders(where: { orderDate: { eq: $d } }) { orderId } }', variables: { d: '2026-13-45' } }],
    ['a malformed cursor', { query: '{ ordersConnection(after: "bm90LWEtY3Vyc29y") { totalCount } }' }],
    ['a page larger than the cap', { query: '{ orders(limit: 100000) { orderId } }' }],
  ])('say nothing internal for %s', async (_name, body) => {
    const r = await send(body);
    expect(r.status).toBeLessThan(500);
    expect(r.errors?.length).toBeGreaterThan(0);
    expect(r.text).not.toMatch(LEAK);
  });

  it('say nothing internal when a domain is down: PRODUCT_UNAVAILABLE names the domain only', async () => {
    await mesh.running.subgraphs.get('payments')!.close();
    const r = await send({ query: '{ payments(limit: 1) { paymentId } }' });
    expect(errorCodes(r)).toEqual(['PRODUCT_UNAVAILABLE']);
    expect(r.errors![0]!.message).toMatch(/payments/);
  });

  it('leaked nothing in any error response of this file', () => {
    expect(errorResponses.length).toBeGreaterThan(20);
    expect(errorResponses.filter((r) => LEAK.test(r.text)).map((r) => r.text)).toEqual([]);
  });
});
