/**
 * Misuse of the subgraphs and of the access-context header: a subgraph answers only requests that
 * carry a context the gateway signed in the last minute (401 otherwise, its schema included), enforces
 * that context itself (another product is FORBIDDEN, masks apply), and the gateway never trusts an
 * `x-meshgate-context` a client sends, forged or genuine.
 */
import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { ACCESS_CONTEXT_HEADER, contextKey, signAccessContext, type ProductGrant } from '../../policies/index.js';
import { maskRow } from '../support/expectedMasks.js';
import { meshSecrets } from '../support/meshSecrets.js';
import { bearer, errorCodes, postGraphQL } from '../support/postGraphQL.js';
import { dataOf } from '../support/productQueries.js';
import { referenceRows, type ReferenceRows, type Row } from '../support/referenceRows.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const PRODUCTS = ['customer-profiles', 'orders-enriched', 'payments'] as const;
const OPEN: ProductGrant = { masks: {}, denied: [], rows: null };
/** Everything, unmasked, every row: what a forger would grant itself. */
const ALL_OPEN = Object.fromEntries(PRODUCTS.map((p) => [p, OPEN]));

const SUBGRAPHS = [
  ['customers', 'customer-profiles', '{ customers(limit: 3) { customerId email } }'],
  ['commerce', 'orders-enriched', '{ orders(limit: 3) { orderId shippingCountry } }'],
  ['payments', 'payments', '{ payments(limit: 3) { paymentId cardNumber } }'],
] as const;

let mesh: TestMesh;
let ref: ReferenceRows;
let key: Uint8Array;
beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
  key = (await meshSecrets()).contextKey;
});
afterAll(() => mesh?.close());

const now = (): number => Math.floor(Date.now() / 1000);
const urlOf = (domain: string): string => mesh.running.subgraphs.get(domain)!.url;

/** A context built by hand with the right key, so each claim can be wrong on purpose. */
function handMade(claims: JWTPayload, overrides: { iss?: string; aud?: string; iat?: number; exp?: number | null } = {}): Promise<string> {
  const jwt = new SignJWT({ rid: 'r', sub: 'forger', products: ALL_OPEN, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(overrides.iss ?? 'meshgate-gateway')
    .setAudience(overrides.aud ?? 'meshgate-subgraph')
    .setIssuedAt(overrides.iat ?? now());
  if (overrides.exp !== null) jwt.setExpirationTime(overrides.exp ?? now() + 60);
  return jwt.sign(key);
}

/** Contexts a subgraph must refuse, by what is wrong with them. */
const BAD_CONTEXTS: [string, () => Promise<string | undefined>][] = [
  ['no context', async () => undefined],
  [
    'a context signed with another secret (forged) that grants everything unmasked',
    () => signAccessContext(contextKey('another-secret-of-at-least-32-bytes!!'), { requestId: 'r', sub: 'forger', products: ALL_OPEN }),
  ],
  ['a context that expired two minutes ago, signed with the right key', () => handMade({}, { iat: now() - 180, exp: now() - 120 })],
  ['a context that expired just past the 5 s tolerance', () => handMade({}, { iat: now() - 70, exp: now() - 10 })],
  ['a context without exp', () => handMade({}, { exp: null })],
  ['a context from another issuer', () => handMade({}, { iss: 'meshgate-dev' })],
  ['a context for another audience', () => handMade({}, { aud: 'meshgate' })],
  ['a context whose products are not grants', () => handMade({ products: 'all' })],
  ['a context with a mask that does not exist', () => handMade({ products: { ...ALL_OPEN, 'customer-profiles': { masks: { email: 'none' }, denied: [], rows: null } } })],
  [
    'an unsecured context (alg none)',
    async () => new UnsecuredJWT({ rid: 'r', sub: 'forger', products: ALL_OPEN }).setIssuer('meshgate-gateway').setAudience('meshgate-subgraph').setExpirationTime('60s').encode(),
  ],
  ["a caller's own bearer token", () => mesh.token({ roles: ['customers-owner', 'commerce-owner', 'payments-owner'] })],
  ['garbage', async () => 'garbage'],
];

describe.each(SUBGRAPHS)('the %s subgraph, called directly', (domain, product, query) => {
  it.each(BAD_CONTEXTS)('refuses %s with 401 UNAUTHENTICATED and no data', async (_name, context) => {
    const value = await context();
    const r = await postGraphQL(urlOf(domain), { query }, value === undefined ? {} : { [ACCESS_CONTEXT_HEADER]: value });
    expect({ status: r.status, codes: errorCodes(r), data: r.data ?? undefined }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: undefined });
  });

  it('shows neither its SDL nor its schema without a context', async () => {
    for (const q of ['{ _service { sdl } }', '{ __schema { types { name } } }']) {
      const r = await postGraphQL(urlOf(domain), { query: q });
      expect({ status: r.status, codes: errorCodes(r) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
      expect(r.text).not.toMatch(/Customer|Order|Payment/);
    }
  });

  it('answers FORBIDDEN, with no data, to a genuine context that grants only another product', async () => {
    const others = Object.fromEntries(PRODUCTS.filter((p) => p !== product).map((p) => [p, OPEN]));
    const context = await signAccessContext(key, { requestId: 'r', sub: 's', products: others });
    const r = await postGraphQL(urlOf(domain), { query }, { [ACCESS_CONTEXT_HEADER]: context });
    expect({ codes: errorCodes(r), data: r.data }).toEqual({ codes: ['FORBIDDEN'], data: null });
  });

  it('answers a genuine context that grants its product (the control for the refusals above)', async () => {
    const context = await signAccessContext(key, { requestId: 'r', sub: 's', products: ALL_OPEN });
    const r = await postGraphQL<Record<string, Row[]>>(urlOf(domain), { query }, { [ACCESS_CONTEXT_HEADER]: context });
    expect(Object.values(dataOf(r))[0]).toHaveLength(3);
  });
});

describe.each(SUBGRAPHS)('the %s subgraph, called in process (the embedded mesh transport)', (domain, product, query) => {
  const handle = (context: string | undefined) =>
    mesh.running.subgraphs.get(domain)!.handle({ query, headers: context === undefined ? {} : { [ACCESS_CONTEXT_HEADER]: context } }) as Promise<{
      status: number;
      body: { data?: Record<string, Row[]> | null; errors?: { extensions?: { code?: string } }[] };
    }>;

  it.each(BAD_CONTEXTS)('refuses %s with 401 UNAUTHENTICATED and no data, as over HTTP', async (_name, context) => {
    const r = await handle(await context());
    expect({ status: r.status, codes: r.body.errors?.map((e) => e.extensions?.code), data: r.body.data ?? undefined }).toEqual({
      status: 401,
      codes: ['UNAUTHENTICATED'],
      data: undefined,
    });
  });

  it('answers FORBIDDEN to a genuine context that grants only another product, and answers one that grants it', async () => {
    const others = Object.fromEntries(PRODUCTS.filter((p) => p !== product).map((p) => [p, OPEN]));
    const refused = await handle(await signAccessContext(key, { requestId: 'r', sub: 's', products: others }));
    expect({ codes: refused.body.errors?.map((e) => e.extensions?.code), data: refused.body.data }).toEqual({ codes: ['FORBIDDEN'], data: null });
    const granted = await handle(await signAccessContext(key, { requestId: 'r', sub: 's', products: ALL_OPEN }));
    expect(Object.values(granted.body.data!)[0]).toHaveLength(3);
  });
});

describe('a subgraph enforcing a genuine context itself', () => {
  it('masks what the context masks and refuses filters on it', async () => {
    const grant = { ...ALL_OPEN, 'customer-profiles': { masks: { email: 'email', phone: 'last4' }, denied: ['birth_date'], rows: null } } as const;
    const context = await signAccessContext(key, { requestId: 'r', sub: 's', products: grant });
    const headers = { [ACCESS_CONTEXT_HEADER]: context };
    const r = await postGraphQL<{ customers: Row[] }>(urlOf('customers'), { query: '{ customers(limit: 100) { customerId email phone } }' }, headers);
    const rows = dataOf(r).customers;
    expect(rows).toEqual(
      rows.map((c) => {
        const m = maskRow(ref.customers.byKey.get(String(c.customerId))!, { email: 'email', phone: 'last4' });
        return { customerId: m.customerId, email: m.email, phone: m.phone };
      }),
    );
    for (const q of ['{ customers(where: { email: { like: "a%" } }) { customerId } }', '{ customers(orderBy: [{ phone: ASC }]) { customerId } }', '{ customers { birthDate } }']) {
      expect(errorCodes(await postGraphQL(urlOf('customers'), { query: q }, headers))).toEqual(['FORBIDDEN']);
    }
  });
});

describe('the gateway, given an x-meshgate-context by a client', () => {
  const customersQuery = '{ customers(limit: 200) { customerId email phone } }';
  const maskedAsAnalyst = (rows: Row[]) =>
    rows.map((c) => {
      const m = maskRow(ref.customers.byKey.get(String(c.customerId))!, { email: 'email', phone: 'last4' });
      return { customerId: m.customerId, email: m.email, phone: m.phone };
    });

  it.each([
    ['forged with another secret', () => signAccessContext(contextKey('another-secret-of-at-least-32-bytes!!'), { requestId: 'r', sub: 'forger', products: ALL_OPEN })],
    ['genuine, signed with the right key (as if copied from a real request)', () => signAccessContext(key, { requestId: 'r', sub: 'forger', products: ALL_OPEN })],
  ])('drops a context %s: an analyst still reads PII masked', async (_name, context) => {
    const value = await context();
    const analyst = bearer(await mesh.token({ roles: ['analyst'] }));
    for (const name of [ACCESS_CONTEXT_HEADER, 'X-Meshgate-Context']) {
      const rows = dataOf(await mesh.query<{ customers: Row[] }>(customersQuery, undefined, { ...analyst, [name]: value })).customers;
      expect(rows).toEqual(maskedAsAnalyst(rows));
    }
  });

  it('drops a genuine context that grants every row: a partner still reads only its countries', async () => {
    const value = await signAccessContext(key, { requestId: 'r', sub: 'forger', products: ALL_OPEN });
    const partner = bearer(await mesh.token({ roles: ['partner'], countries: ['DE'] }));
    const r = dataOf(
      await mesh.query<{ ordersAggregate: unknown[] }>('{ ordersAggregate(groupBy: [SHIPPING_COUNTRY]) { key { shippingCountry } count } }', undefined, {
        ...partner,
        [ACCESS_CONTEXT_HEADER]: value,
      }),
    );
    expect(r.ordersAggregate).toEqual([{ key: { shippingCountry: 'DE' }, count: ref.orders.rows.filter((o) => o.shippingCountry === 'DE').length }]);
  });

  it('does not accept a genuine context in place of a token: 401 without a bearer token', async () => {
    const value = await signAccessContext(key, { requestId: 'r', sub: 'forger', products: ALL_OPEN });
    const r = await postGraphQL(mesh.running.gateway.graphqlUrl, { query: customersQuery }, { [ACCESS_CONTEXT_HEADER]: value });
    expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: undefined });
  });
});
