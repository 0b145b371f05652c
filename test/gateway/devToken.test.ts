/**
 * The dev-token route of the GraphiQL page (`POST /dev/token`): it mints a token of the offered
 * roles, valid for an hour, that the gateway's dev verifier accepts; it checks every field of the
 * request and says which is wrong; and a gateway given no dev-token issuer has no such route.
 * (Requests from other sites: test/security/devTokenAbuse.test.ts.)
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { createVerifier, mintDevToken, startGateway, type DevTokenIssuer, type RunningGateway } from '../../gateway/index.js';
import { rawRequest } from '../support/rawRequest.js';
import { startCommerceSubgraph, startCustomersSubgraph, type TestSubgraph } from './testSubgraphs.js';

const ROLES = ['analyst', 'steward', 'customers-owner', 'app', 'partner'];

describe('POST /dev/token', () => {
  let customers: TestSubgraph;
  let commerce: TestSubgraph;
  let gateway: RunningGateway;
  let plain: RunningGateway;
  let devKeyDir: string;
  const logged: string[] = [];

  beforeAll(async () => {
    devKeyDir = path.join(await mkdtemp(path.join(tmpdir(), 'meshgate-devtoken-')), 'dev-keys');
    const issuer: DevTokenIssuer = { roles: ROLES, purposes: ['fulfillment'], mint: (claims) => mintDevToken(devKeyDir, claims) };
    customers = await startCustomersSubgraph();
    commerce = await startCommerceSubgraph();
    gateway = await startGateway({ services: [customers, commerce], port: 0, log: (l) => logged.push(l), graphiql: { examples: [], devTokens: issuer } });
    plain = await startGateway({ services: [customers, commerce], port: 0, log: () => undefined });
  });

  afterAll(async () => {
    await Promise.all([gateway?.close(), plain?.close()]);
    await Promise.all([customers?.stop(), commerce?.stop()]);
  });

  /** Asks `gw` for a dev token as the GraphiQL page does: same origin, JSON. */
  const ask = (body: unknown, gw: RunningGateway = gateway) =>
    rawRequest(`${gw.url}/dev/token`, {
      headers: { host: new URL(gw.url).host, origin: gw.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('mints a token of the asked sub, roles, purpose and countries that the dev verifier accepts', async () => {
    const r = await ask({ sub: 'ana', roles: ['app'], purpose: 'fulfillment', countries: ['DE', 'FR'] });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const token = String(r.json?.['token']);
    const verify = await createVerifier({ mode: 'dev', devKeyDir });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'ana', roles: ['app'], purpose: 'fulfillment', claims: expect.objectContaining({ countries: ['DE', 'FR'] }) });
    expect(r.json).toMatchObject({ tokenType: 'Bearer', sub: 'ana', roles: ['app'], purpose: 'fulfillment', countries: ['DE', 'FR'] });
    expect(logged).toContainEqual(expect.stringMatching(/dev token issued to the GraphiQL page: sub "ana", roles app, purpose fulfillment/));
  });

  it('mints tokens valid for an hour at most, and says until when', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await ask({ sub: 'you', roles: ['analyst'] });
    const claims = decodeJwt(String(r.json?.['token']));
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.exp! - before).toBeLessThanOrEqual(3601);
    expect(new Date(String(r.json?.['expiresAt'])).getTime()).toBeLessThanOrEqual(claims.exp! * 1000);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'a role the policy does not offer',
      { sub: 'you', roles: ['admin'] },
      /^Bad dev-token request: roles\[0\]: expected a role of the access policy: analyst, steward, customers-owner, app, partner$/,
    ],
    ["a domain build's service role", { sub: 'you', roles: ['service:commerce'] }, /roles\[0\]: expected a role of the access policy/],
    ['no role', { sub: 'you', roles: [] }, /roles: expected at least one role/],
    ['roles as a string', { sub: 'you', roles: 'analyst' }, /roles: /],
    ['no sub', { roles: ['analyst'] }, /sub: /],
    ['a sub with spaces and quotes', { sub: 'a "b" c', roles: ['analyst'] }, /sub: expected 1 to 64 letters, digits or _ \. @ : -/],
    ['a sub longer than 64 characters', { sub: 'x'.repeat(65), roles: ['analyst'] }, /sub: /],
    ['a purpose the policy does not name', { sub: 'you', roles: ['app'], purpose: 'marketing' }, /purpose: expected a purpose of the access policy: fulfillment/],
    ['a lowercase country', { sub: 'you', roles: ['partner'], countries: ['de'] }, /countries\[0\]: expected an ISO 3166-1 alpha-2 code/],
    ['a lifetime of its own', { sub: 'you', roles: ['analyst'], ttlS: 86_400 }, /ttlS|Unrecognized key/i],
    ['a JSON array', [{ sub: 'you', roles: ['analyst'] }], /the body: /],
  ])('refuses %s with 400 BAD_USER_INPUT naming the field', async (_name, body, message) => {
    const r = await ask(body);
    expect({ status: r.status, code: r.json?.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(r.json?.errors?.[0]?.message).toMatch(message);
    expect(r.json?.['token']).toBeUndefined();
  });

  it('refuses a body that is not JSON with 400, and one over 4 KiB with 413', async () => {
    expect((await ask('{"sub": ')).status).toBe(400);
    const big = await ask({ sub: 'you', roles: ['analyst'], padding: 'x'.repeat(5000) });
    expect({ status: big.status, code: big.json?.errors?.[0]?.extensions?.code }).toEqual({ status: 413, code: 'BAD_USER_INPUT' });
  });

  it('does not exist on a gateway given no dev-token issuer: 404 with a message that says why', async () => {
    const r = await ask({ sub: 'you', roles: ['analyst'] }, plain);
    expect({ status: r.status, code: r.json?.errors?.[0]?.extensions?.code }).toEqual({ status: 404, code: 'BAD_USER_INPUT' });
    expect(r.json?.errors?.[0]?.message).toMatch(/dev tokens are issued only by a gateway in dev mode/);
    expect(r.text).not.toMatch(/token"/);
  });
});
