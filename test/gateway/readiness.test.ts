import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { RequestContext } from '../../gateway/index.js';
import type { GraphiQLPage } from '../../gateway/graphiql.js';
import { createRequestHandler } from '../../gateway/http/createRequestHandler.js';
import { GatewayMetrics } from '../../gateway/metrics.js';

describe('the gateway before its supergraph is loaded', () => {
  const notUsed = {} as unknown as ApolloServer<RequestContext>;
  const page: GraphiQLPage = { html: Buffer.from(''), serve: () => 200 };
  const recorded: { requestId: string; status: number; code: string | undefined }[] = [];
  const server = createServer(
    createRequestHandler({
      apollo: notUsed,
      graphiql: page,
      metrics: new GatewayMetrics(),
      log: () => undefined,
      maxBodyBytes: 1024,
      isReady: () => false,
      isServing: () => false,
      isDraining: () => false,
      record: async (ctx, status, code) => void recorded.push({ requestId: ctx.requestId, status, code }),
    }),
  );
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is live but not ready', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('answers GraphQL requests with 503 PRODUCT_UNAVAILABLE', async () => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PRODUCT_UNAVAILABLE');
  });

  it('records each 503 it answers in the access log, once', async () => {
    recorded.length = 0;
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(recorded).toEqual([{ requestId: res.headers.get('x-request-id'), status: 503, code: 'PRODUCT_UNAVAILABLE' }]);
  });
});
