import { startGateway } from '../../gateway/index.js';
import type { GatewayOptions, RunningGateway } from '../../gateway/index.js';
import { postGraphQL, startCommerceSubgraph, startCustomersSubgraph } from './testSubgraphs.js';
import type { TestSubgraph } from './testSubgraphs.js';

type ErrorBody = { errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown };

async function send(url: string, init: RequestInit): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as ErrorBody };
}

describe('the gateway under misuse', () => {
  let customers: TestSubgraph;
  let commerce: TestSubgraph;
  let gateway: RunningGateway;
  let small: RunningGateway;

  beforeAll(async () => {
    customers = await startCustomersSubgraph();
    commerce = await startCommerceSubgraph();
    const quiet = { log: () => undefined, port: 0 } as const;
    gateway = await startGateway({ services: [customers, commerce], ...quiet });
    small = await startGateway({
      services: [customers, commerce],
      ...quiet,
      maxBodyBytes: 10_000,
      headersForSubgraph: () => ({ 'x-meshgate-context': 'set-by-the-gateway' }),
    });
  });

  afterAll(async () => {
    await Promise.all([gateway?.close(), small?.close()]);
    await Promise.all([customers?.stop(), commerce?.stop()]);
  });

  it('refuses a body over the default 1 MiB limit with 413 and a BAD_USER_INPUT error', async () => {
    const query = `{ __typename } # ${'x'.repeat(2 * 1024 * 1024)}`;
    const res = await send(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect(res.status).toBe(413);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses a streamed body without Content-Length once it passes the limit', async () => {
    const chunk = new TextEncoder().encode(`{"query":"{ __typename }","pad":"${'y'.repeat(4_000)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await send(small.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('refuses a batched (array) body with 400', async () => {
    const body = JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    const res = await send(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/batch/i);
    expect(res.body.data).toBeUndefined();
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await send(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('refuses a compressed request body rather than inflating it', async () => {
    const res = await send(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: new Uint8Array([0x1f, 0x8b, 0x08, 0x00]),
    });
    expect(res.status).toBe(415);
  });

  it('refuses a simple cross-site POST (text/plain) before executing it', async () => {
    customers.receivedHeaders.length = 0;
    const res = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ customer(customerId: "c1") { name } }' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('Ada');
    expect(customers.receivedHeaders).toHaveLength(0);
  });

  it('refuses a GET query without a preflight header (CSRF prevention)', async () => {
    const res = await fetch(`${gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
  });

  it('never forwards a client-sent x-meshgate-* header to a subgraph', async () => {
    customers.receivedHeaders.length = 0;
    commerce.receivedHeaders.length = 0;
    await postGraphQL(gateway.graphqlUrl, '{ orders { customer { name } } }', {
      'x-meshgate-context': 'forged',
      'x-meshgate-decision': 'allow-all',
      authorization: 'Bearer not-for-subgraphs',
      cookie: 'session=1',
    });
    const received = [...customers.receivedHeaders, ...commerce.receivedHeaders];
    expect(received).toHaveLength(2);
    for (const headers of received) {
      expect(Object.keys(headers).filter((name) => name.startsWith('x-meshgate-'))).toEqual([]);
      expect(headers['authorization']).toBeUndefined();
      expect(headers['cookie']).toBeUndefined();
    }
  });

  it("sends the hook's x-meshgate-context, not the client's forged one", async () => {
    commerce.receivedHeaders.length = 0;
    await postGraphQL(small.graphqlUrl, '{ orders { orderId } }', { 'x-meshgate-context': 'forged' });
    expect(commerce.receivedHeaders.map((h) => h['x-meshgate-context'])).toEqual(['set-by-the-gateway']);
  });

  it('replaces an unsafe x-request-id with a fresh one', async () => {
    commerce.receivedHeaders.length = 0;
    const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId } }', { 'x-request-id': `<script>${'a'.repeat(100)}` });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-client-request-id')).toBeNull();
    expect(commerce.receivedHeaders[0]?.['x-request-id']).toBe(id);
  });

  it('does not suggest field names for a misspelt field', async () => {
    const res = await postGraphQL(gateway.graphqlUrl, '{ custmer(customerId: "c1") { name } }');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/did you mean/i);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('answers a malformed query without a stack trace', async () => {
    const res = await postGraphQL(gateway.graphqlUrl, '{ orders { ');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/stacktrace|\.js:\d+/);
  });

  it.each<[string, Partial<GatewayOptions>, RegExp]>([
    ['no services', { services: [] }, /services must be a non-empty array/],
    [
      'a duplicated service name',
      {
        services: [
          { name: 'a', url: 'http://x/graphql', typeDefs: 'type Query { a: Int }' },
          { name: 'a', url: 'http://y/graphql', typeDefs: 'type Query { b: Int }' },
        ],
      },
      /"a" is used twice/,
    ],
    ['a non-http url', { services: [{ name: 'a', url: 'file:///etc/passwd', typeDefs: 'type Query { a: Int }' }] }, /services\[0\]\.url must be an http\(s\) URL/],
    ['a negative port', { port: -1 }, /port must be an integer from 0 to 65535, got -1/],
    ['a zero timeout', { subgraphTimeoutMs: 0 }, /subgraphTimeoutMs must be an integer/],
    ['a fractional body limit', { maxBodyBytes: 1.5 }, /maxBodyBytes must be an integer/],
    ['GraphiQL examples that are not examples', { graphiql: { examples: [{ title: 'x' }] } as unknown as GatewayOptions['graphiql'] }, /graphiql\.examples must be a list of/],
    [
      'a dev-token issuer without a mint function',
      { graphiql: { examples: [], devTokens: { roles: ['analyst'], purposes: [] } } as unknown as GatewayOptions['graphiql'] },
      /graphiql\.devTokens must have roles and purposes/,
    ],
  ])('refuses options with %s, naming the option', async (_case, bad, message) => {
    const options = { services: [{ name: 'a', url: 'http://127.0.0.1:1/graphql', typeDefs: 'type Query { a: Int }' }], log: () => undefined, ...bad } as GatewayOptions;
    await expect(startGateway(options)).rejects.toThrow(TypeError);
    await expect(startGateway(options)).rejects.toThrow(message);
  });
});
