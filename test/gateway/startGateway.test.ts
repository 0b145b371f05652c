import { gunzipSync } from 'node:zlib';
import { rawHttp } from '../support/rawHttp.js';
import { startGateway } from '../../gateway/index.js';
import type { RunningGateway } from '../../gateway/index.js';
import { postGraphQL, startCommerceSubgraph, startCustomersSubgraph } from './testSubgraphs.js';
import type { TestSubgraph } from './testSubgraphs.js';

/** A GET with node:http, so the test sees the bytes on the wire (fetch would decompress them). */
const rawGet = (url: string, headers: Record<string, string>) => rawHttp(url, new URL(url).pathname, headers);

describe('the gateway', () => {
  let customers: TestSubgraph;
  let commerce: TestSubgraph;
  let gateway: RunningGateway;
  const logged: string[] = [];

  beforeAll(async () => {
    customers = await startCustomersSubgraph();
    commerce = await startCommerceSubgraph();
    gateway = await startGateway({
      services: [customers, commerce],
      port: 0,
      log: (line) => logged.push(line),
      headersForSubgraph: (ctx) => ({ 'x-test-client': `${ctx.clientName ?? '-'}/${ctx.clientVersion ?? '-'}` }),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([customers?.stop(), commerce?.stop()]);
  });

  it('listens on an ephemeral port and reports its addresses', () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway.graphqlUrl).toBe(`${gateway.url}/graphql`);
  });

  it('answers a federated query that joins orders to their customers across two subgraphs', async () => {
    const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId customer { customerId name } } }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        orders: [
          { orderId: 'o1', customer: { customerId: 'c1', name: 'Ada Lovelace' } },
          { orderId: 'o2', customer: { customerId: 'c2', name: 'Grace Hopper' } },
        ],
      },
    });
  });

  it('passes a subgraph error with code BAD_USER_INPUT to the client with the same code and message', async () => {
    const res = await postGraphQL(gateway.graphqlUrl, '{ customerByEmail(email: "nope") { name } }');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.message).toBe('"nope" is not an email address');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it("assigns its own request id, sends it to every subgraph, and echoes the caller's beside it", async () => {
    customers.receivedHeaders.length = 0;
    commerce.receivedHeaders.length = 0;
    const res = await postGraphQL(gateway.graphqlUrl, '{ orders { customer { name } } }', { 'x-request-id': 'req-42.abc' });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.headers.get('x-client-request-id')).toBe('req-42.abc');
    expect(commerce.receivedHeaders.map((h) => h['x-request-id'])).toEqual([id]);
    expect(customers.receivedHeaders.map((h) => h['x-request-id'])).toEqual([id]);
  });

  it('generates a request id when the caller sends none', async () => {
    const res = await postGraphQL(gateway.graphqlUrl, '{ __typename }');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('hands the client name and version to the subgraph header hook through the request context', async () => {
    customers.receivedHeaders.length = 0;
    await postGraphQL(gateway.graphqlUrl, '{ customer(customerId: "c1") { name } }', {
      'apollographql-client-name': 'notebook',
      'apollographql-client-version': '1.2',
    });
    expect(customers.receivedHeaders[0]?.['x-test-client']).toBe('notebook/1.2');
  });

  it('does not ask subgraphs for inline traces', async () => {
    customers.receivedHeaders.length = 0;
    await postGraphQL(gateway.graphqlUrl, '{ customer(customerId: "c1") { name } }');
    expect(customers.receivedHeaders[0]?.['apollo-federation-include-trace']).toBeUndefined();
  });

  it('serves introspection for now', async () => {
    const res = await postGraphQL(gateway.graphqlUrl, '{ __schema { queryType { name } } }');
    expect(res.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('serves an offline GraphiQL page on GET /graphql that loads nothing from a CDN', async () => {
    const res = await rawGet(gateway.graphqlUrl, { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    const html = res.body.toString('utf8');
    expect(html).toContain('GraphiQL');
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s/i);
  });

  it('serves the GraphiQL page gzip-compressed with an ETag and Cache-Control when the client accepts gzip', async () => {
    const plain = await rawGet(gateway.graphqlUrl, { accept: 'text/html' });
    const zipped = await rawGet(gateway.graphqlUrl, { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBeDefined();
    expect(zipped.headers['etag']).toMatch(/^".+"$/);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it('answers 304 when the client already holds the current GraphiQL page', async () => {
    const first = await rawGet(gateway.graphqlUrl, { accept: 'text/html', 'accept-encoding': 'gzip' });
    const again = await rawGet(gateway.graphqlUrl, { accept: 'text/html', 'accept-encoding': 'gzip', 'if-none-match': String(first.headers['etag']) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('reports liveness and readiness', async () => {
    const healthz = await fetch(`${gateway.url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.text()).toBe('ok');
    const readyz = await fetch(`${gateway.url}/readyz`);
    expect(readyz.status).toBe(200);
  });

  it('exposes Prometheus metrics with request counts by status class and a duration histogram', async () => {
    await postGraphQL(gateway.graphqlUrl, '{ __typename }');
    const res = await fetch(`${gateway.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^meshgate_http_requests_total\{route="graphql",status_class="2xx"\} \d+$/m);
    expect(text).toContain('# TYPE meshgate_http_request_duration_seconds histogram');
    // prom-client writes `le` before the other labels; Prometheus reads labels in any order.
    expect(text).toMatch(/^meshgate_http_request_duration_seconds_bucket\{le="\+Inf",route="graphql"\} \d+$/m);
    expect(text).toMatch(/^meshgate_http_request_duration_seconds_count\{route="graphql"\} \d+$/m);
  });

  it('answers an unknown path with 404 JSON', async () => {
    const res = await fetch(`${gateway.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
