/**
 * HTTP at the gateway's door, on a real mesh with access control and the access log on: a browser
 * app's CORS preflight is answered before authentication, only for configured origins; every reply
 * of /graphql (success, refusal before Apollo, a body cut short) is one access-log entry, found by
 * the client's request id beside the server's own; variables nested too deep are QUERY_TOO_COMPLEX
 * with nothing internal in the reply.
 */
import { request } from 'node:http';
import path from 'node:path';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const APP = 'https://app.example.com';

let mesh: TestMesh;
const logged: string[] = [];
beforeAll(async () => {
  mesh = await startTestMesh({ env: { MESHGATE_CORS_ORIGINS: `${APP}, http://localhost:5173` }, log: (l) => logged.push(l) });
}, 120_000);
afterAll(() => mesh?.close());

const url = (): string => mesh.running.gateway.graphqlUrl;
const preflight = (origin: string): Promise<Response> =>
  fetch(url(), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-request-id' } });

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and its permissions, without a token', async () => {
    const res = await preflight(APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')?.split(', ')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight', 'apollographql-client-name']),
    );
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives an origin that is not configured no CORS header at all', async () => {
    const res = await preflight('https://evil.example.com');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    const actual = await fetch(url(), { method: 'POST', headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('puts the CORS headers on actual replies, a 401 and a 200 alike, and lets the app read the request id', async () => {
    const token = await mesh.token({ roles: ['analyst'] });
    for (const authorization of [undefined, `Bearer ${token}`]) {
      const res = await fetch(url(), {
        method: 'POST',
        headers: { origin: APP, 'content-type': 'application/json', ...(authorization && { authorization }) },
        body: JSON.stringify({ query: '{ orders(limit: 1) { orderId } }' }),
      });
      expect(res.status).toBe(authorization ? 200 : 401);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/\bx-request-id\b/);
      expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
    }
  });
});

/** Nested `and` filters, `depth` levels of objects and lists. */
const nestedWhere = (levels: number): Record<string, unknown> => {
  let where: Record<string, unknown> = { orderId: { eq: 'x' } };
  for (let i = 0; i < levels; i++) where = { and: [where] };
  return where;
};

const NESTED_QUERY = 'query($w: OrderWhere) { orders(limit: 1, where: $w) { orderId } }';

describe('deeply nested variables', () => {
  it.each([250, 100_000])('refuses a where nested %i deep with QUERY_TOO_COMPLEX and nothing internal', async (levels) => {
    const token = await mesh.token({ roles: ['analyst'] });
    // Written as text: JSON.stringify itself overflows the stack on such a value.
    const w = `${'{"and":['.repeat(levels)}{"orderId":{"eq":"x"}}${']}'.repeat(levels)}`;
    const res = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: `{"query":${JSON.stringify(NESTED_QUERY)},"variables":{"w":${w}}}`,
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(text).not.toMatch(/call stack|RangeError|graphql|at \w+ \(/i);
  });

  it('refuses a huge nested JSON value in a GET too', async () => {
    const token = await mesh.token({ roles: ['analyst'] });
    const variables = encodeURIComponent(JSON.stringify({ w: nestedWhere(200) }));
    const res = await fetch(`${url()}?query=${encodeURIComponent('{ __typename }')}&variables=${variables}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('still runs a filter nested a few levels, as people write them', async () => {
    const r = await mesh.query(NESTED_QUERY, { w: nestedWhere(8) });
    expect(r.errors).toBeUndefined();
  });
});

/** Sends a POST whose body is cut short: the headers promise more bytes than are sent before the socket closes. */
function truncatedPost(id: string): Promise<void> {
  const { hostname, port } = new URL(url());
  return new Promise((resolve) => {
    const req = request({ hostname, port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000', 'x-request-id': id } });
    req.on('error', () => resolve());
    req.write('{"query":"{ __typ');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 200);
  });
}

describe('the access log', () => {
  it('records every reply of /graphql exactly once, with the server id and the client id beside it', async () => {
    const token = await mesh.token({ roles: ['analyst'] });
    const post = (id: string, init: { body?: string; headers?: Record<string, string>; path?: string } = {}): Promise<Response> =>
      fetch(new URL(init.path ?? '/graphql', url()), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': id, ...init.headers },
        body: init.body ?? '{"query":"{ orders(limit: 1) { orderId } }"}',
      });
    const sent: Record<string, Response> = {
      'rec-ok': await post('rec-ok'),
      'rec-401': await post('rec-401', { headers: { authorization: '' } }),
      'rec-bad-json': await post('rec-bad-json', { body: '{' }),
      'rec-413': await post('rec-413', { body: JSON.stringify({ query: `{ __typename }`, variables: { x: 'a'.repeat(2 * 1024 * 1024) } }) }),
      'rec-404': await post('rec-404', { path: '/graphql/nope' }),
      'rec-deep': await post('rec-deep', { body: JSON.stringify({ query: '{ __typename }', variables: { w: nestedWhere(100) } }) }),
      'rec-mutation': await post('rec-mutation', { body: '{"query":"mutation { x }"}' }),
    };
    await truncatedPost('rec-cut');
    const statusOf = Object.fromEntries(Object.entries(sent).map(([id, res]) => [id, res.status]));
    expect(statusOf).toEqual({ 'rec-ok': 200, 'rec-401': 401, 'rec-bad-json': 400, 'rec-413': 413, 'rec-404': 404, 'rec-deep': 400, 'rec-mutation': 400 });
    // The entry of the cut request is written once the gateway has seen the socket close.
    let ours: { client: string; id: string; status: number }[] = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const { entries } = await readAccessLog({ dataRoot: mesh.dataRoot, rawDir: path.join(mesh.dataRoot, 'governance', 'access-log-raw') });
      ours = entries.filter((e) => e.client_request_id?.startsWith('rec-')).map((e) => ({ client: e.client_request_id!, id: e.request_id, status: e.http_status }));
      if (ours.some((e) => e.client === 'rec-cut')) break;
    }
    expect(Object.fromEntries(ours.map((e) => [e.client, e.status]))).toEqual({ ...statusOf, 'rec-cut': 400 });
    expect(ours).toHaveLength(Object.keys(statusOf).length + 1);
    for (const e of ours) if (sent[e.client]) expect(e.id).toBe(sent[e.client]!.headers.get('x-request-id'));
    expect(new Set(ours.map((e) => e.id)).size).toBe(ours.length);
  });

  it('logs a mutation refused as a client mistake with its request id', async () => {
    logged.length = 0;
    const r = await mesh.query('mutation { x }');
    expect(r.status).toBe(400);
    expect(logged.some((l) => /request [0-9a-f-]{36}.*BAD_USER_INPUT.*no mutations/.test(l))).toBe(true);
  });
});
