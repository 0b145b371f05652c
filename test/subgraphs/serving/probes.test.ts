/** A real subgraph's probes and the schema hash it reports, over HTTP and in process. */
import { SCHEMA_HASH_HEADER, schemaHash } from '../../../schema/index.js';
import { rawHttp } from '../../support/rawHttp.js';
import { startRealSubgraph, type RealSubgraph } from './realSubgraph.js';

let customers: RealSubgraph;

beforeAll(async () => {
  customers = await startRealSubgraph('customers');
}, 180_000);

afterAll(() => customers?.close());

describe('a subgraph served on its own HTTP server', () => {
  it('says it is alive on GET /healthz', async () => {
    const res = await rawHttp(customers.sg.url, '/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ status: 'alive' });
  });

  it('says it is ready on GET /readyz, with its schema hash and each product it serves', async () => {
    const res = await rawHttp(customers.sg.url, '/readyz');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body.toString()) as { status: string; schemaHash: string; products: Record<string, { version?: string }> };
    expect(body.status).toBe('ready');
    expect(body.schemaHash).toBe(schemaHash(customers.sg.subgraph.typeDefs));
    expect(Object.keys(body.products)).toEqual(['customer-profiles']);
    expect(body.products['customer-profiles']!.version).toMatch(/\S/);
  });

  it('refuses a POST to a probe', async () => {
    expect((await rawHttp(customers.sg.url, '/readyz', {}, 'POST')).status).toBe(405);
  });

  it('names the hash of the SDL it serves on every GraphQL reply', async () => {
    const res = await customers.post('{ customers(limit: 2) { customerId } }');
    expect(res.status).toBe(200);
    expect(res.body.data?.customers).toHaveLength(2);
    expect(res.headers.get(SCHEMA_HASH_HEADER)).toBe(schemaHash(customers.sg.subgraph.typeDefs));
  });

  it('hands the same hash to the embedded gateway with an in-process reply', async () => {
    const reply = await customers.sg.handle({ query: '{ customers(limit: 1) { customerId } }', headers: await customers.gatewayHeaders() });
    expect(reply.status).toBe(200);
    expect(reply.schemaHash).toBe(schemaHash(customers.sg.subgraph.typeDefs));
  });

  it('refuses a request that did not come through the gateway with 401, over HTTP and in process, still naming its schema', async () => {
    const res = await fetch(customers.sg.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(res.headers.get(SCHEMA_HASH_HEADER)).toBe(customers.sg.schemaHash);
    const reply = await customers.sg.handle({ query: '{ __typename }', headers: {} });
    expect(reply.status).toBe(401);
  });

  it('answers with the request id the gateway sent, and makes one when it sent none', async () => {
    const headers = { 'content-type': 'application/json', 'x-request-id': 'req-42', ...(await customers.gatewayHeaders()) };
    const res = await fetch(customers.sg.url, { method: 'POST', headers, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.headers.get('x-request-id')).toBe('req-42');
    const other = await fetch(customers.sg.url, { method: 'POST', headers: { ...headers, 'x-request-id': 'bad id with spaces' }, body: '{"query":"{ __typename }"}' });
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a body over its size limit with 413', async () => {
    const query = `{ __typename } # ${'x'.repeat(5 * 1024 * 1024)}`;
    const res = await fetch(customers.sg.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await customers.gatewayHeaders()) },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(413);
  });
});
