/**
 * Misuse of the GraphiQL page's dev-token route. A dev token reads what its roles grant, so the
 * route must not mint one for another site a developer visits while the mesh runs: not through a
 * form or a simple request (no JSON content type), not through a script (a foreign Origin, a
 * cross-site fetch, a CORS preflight), not through a DNS-rebinding name that makes a foreign page
 * same-origin. And the route never exists outside dev mode: not with another auth mode, not with
 * NODE_ENV=production, where the page offers no token control either.
 */
import { randomBytes } from 'node:crypto';
import { rawRequest, type RawResponse } from '../support/rawRequest.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const BODY = JSON.stringify({ sub: 'you', roles: ['analyst'] });

/** What a browser page of the gateway sends; each case changes one thing. */
function sameOrigin(url: string): Record<string, string> {
  return { host: new URL(url).host, origin: url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };
}

/** The status, error code and whether a token came back. */
const outcome = (r: RawResponse) => ({ status: r.status, code: r.json?.errors?.[0]?.extensions?.code, token: typeof r.json?.['token'] === 'string' });

/** The GraphiQL page of `mesh`, as a browser gets it. */
async function page(mesh: TestMesh): Promise<string> {
  return (await rawRequest(mesh.running.gateway.graphqlUrl, { method: 'GET', headers: { accept: 'text/html' } })).text;
}

describe('the dev-token route in dev mode', () => {
  let mesh: TestMesh;
  let url: string;
  let gateway: string;
  beforeAll(async () => {
    mesh = await startTestMesh();
    gateway = mesh.running.gateway.url;
    url = `${gateway}/dev/token`;
  });
  afterAll(() => mesh?.close());

  it('mints a token for the page itself (the control for every refusal below), and it reads as an analyst', async () => {
    const r = await rawRequest(url, { headers: sameOrigin(gateway), body: BODY });
    expect(outcome(r)).toEqual({ status: 200, code: undefined, token: true });
    const orders = await mesh.query<{ orders: { customer: { email: string } }[] }>(
      '{ orders(limit: 1) { customer { email } } }',
      {},
      { authorization: `Bearer ${String(r.json!['token'])}` },
    );
    expect(orders.data?.orders[0]?.customer.email).toContain('***@');
  });

  it.each([
    ['a form post (application/x-www-form-urlencoded)', 'application/x-www-form-urlencoded', 'sub=you&roles=analyst'],
    ['a multipart form', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="sub"\r\n\r\nyou\r\n--x--'],
    ['a simple text/plain request carrying JSON', 'text/plain', BODY],
    ['no content type', undefined, BODY],
  ])('refuses %s with 415 and no token', async (_name, contentType, body) => {
    const { 'content-type': _json, ...headers } = sameOrigin(gateway);
    const r = await rawRequest(url, { headers: { ...headers, ...(contentType && { 'content-type': contentType }) }, body });
    expect(outcome(r)).toEqual({ status: 415, code: 'BAD_USER_INPUT', token: false });
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a foreign Origin on the same host but another port', { origin: 'http://127.0.0.1:1' }],
    ['the opaque Origin of a sandboxed page', { origin: 'null' }],
    ['a cross-site fetch without an Origin', { origin: undefined, 'sec-fetch-site': 'cross-site' }],
    ['a same-site fetch from another port', { origin: undefined, 'sec-fetch-site': 'same-site' }],
  ])('refuses %s with 403 FORBIDDEN and no token', async (_name, change) => {
    const headers = Object.fromEntries(Object.entries({ ...sameOrigin(gateway), ...change }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const r = await rawRequest(url, { headers, body: BODY });
    expect(outcome(r)).toEqual({ status: 403, code: 'FORBIDDEN', token: false });
    expect(r.json?.errors?.[0]?.message).toBe('Dev tokens are not issued to other sites');
  });

  it('refuses a request addressed by a DNS-rebinding name, even from that same origin', async () => {
    const port = new URL(gateway).port;
    const rebound = `http://evil.example:${port}`;
    const r = await rawRequest(url, { headers: { ...sameOrigin(rebound) }, body: BODY });
    expect(outcome(r)).toEqual({ status: 403, code: 'FORBIDDEN', token: false });
    expect(r.json?.errors?.[0]?.message).toMatch(/addressed by an IP address, localhost or its configured host/);
  });

  it('answers localhost and a request without Origin (curl), which no other site can make', async () => {
    const port = new URL(gateway).port;
    expect(outcome(await rawRequest(url, { headers: sameOrigin(`http://localhost:${port}`), body: BODY })).status).toBe(200);
    expect(outcome(await rawRequest(url, { headers: { 'content-type': 'application/json' }, body: BODY })).status).toBe(200);
  });

  it('answers no CORS preflight and no GET, so no other site can read a token', async () => {
    const preflight = await rawRequest(url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(405);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const get = await rawRequest(url, { method: 'GET', headers: { host: new URL(gateway).host } });
    expect(outcome(get)).toEqual({ status: 405, code: 'BAD_USER_INPUT', token: false });
  });

  it('puts the token control on the page', async () => {
    expect(await page(mesh)).toContain('<form id="meshgate-dev-token"');
  });
});

describe('the dev-token route outside dev mode', () => {
  const secret = (): string => randomBytes(32).toString('base64url');
  const hmac = { MESHGATE_AUTH_MODE: 'hmac', MESHGATE_JWT_SECRET: secret(), MESHGATE_JWT_ISSUER: 'https://idp.example', MESHGATE_JWT_AUDIENCE: 'meshgate' };

  it.each<[string, Record<string, string>]>([
    ['with another auth mode', hmac],
    ['with NODE_ENV=production', { ...hmac, NODE_ENV: 'production', MESHGATE_CONTEXT_SECRET: secret(), MESHGATE_MASK_HASH_KEY: secret() }],
  ])('does not exist %s: 404, and the page has no token control, no examples and no policy', async (_name, env) => {
    const mesh = await startTestMesh({ env });
    try {
      const gateway = mesh.running.gateway.url;
      const r = await rawRequest(`${gateway}/dev/token`, { headers: sameOrigin(gateway), body: BODY });
      expect(outcome(r)).toEqual({ status: 404, code: 'BAD_USER_INPUT', token: false });
      expect(r.json?.errors?.[0]?.message).toMatch(/dev tokens are issued only by a gateway in dev mode/);
      const html = await page(mesh);
      // Asserted as found words, not on the page itself: a failure would print all 9 MB of it.
      const found = ['meshgate-dev-token"', 'Get dev token', 'OrdersWithCustomers', 'analyst', 'customers(', 'identity provider'].filter((w) => html.includes(w));
      expect(found).toEqual(['identity provider']);
    } finally {
      await mesh.close();
    }
  });
});
