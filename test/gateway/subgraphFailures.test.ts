import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../../gateway/index.js';
import type { RunningGateway } from '../../gateway/index.js';
import { COMMERCE_SDL, postGraphQL, startCommerceSubgraph, startCustomersSubgraph } from './testSubgraphs.js';
import type { TestSubgraph } from './testSubgraphs.js';

/** A fake subgraph speaking raw HTTP, for answers a real one would not give. */
async function startRawServer(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

function expectUnavailable(res: Awaited<ReturnType<typeof postGraphQL>>, message: string): void {
  expect(res.body.errors?.map((e) => e.extensions?.['code'])).toContain('PRODUCT_UNAVAILABLE');
  expect(res.body.errors?.map((e) => e.message)).toContain(message);
  expect(res.text).not.toMatch(/https?:\/\//);
  expect(res.text).not.toMatch(/127\.0\.0\.1|localhost/);
  expect(res.text).not.toMatch(/ECONNREFUSED|ECONNRESET|fetch failed/);
  expect(res.text).not.toMatch(/stacktrace|\bat .*\.js:\d+/);
  expect(res.text).not.toContain('serviceName');
}

describe('the gateway when a subgraph fails', () => {
  const logged: string[] = [];
  const log = (line: string): void => void logged.push(line);

  it('answers PRODUCT_UNAVAILABLE naming the domain, not its address, when the subgraph is down', async () => {
    const customers = await startCustomersSubgraph();
    const commerce = await startCommerceSubgraph();
    const gateway = await startGateway({ services: [customers, commerce], port: 0, log });
    try {
      await commerce.stop();
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId } }');
      expect(res.status).toBe(200);
      expectUnavailable(res, 'The "commerce" domain is unavailable');
      expect(logged.some((line) => line.includes('subgraph "commerce" failed (unreachable)'))).toBe(true);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toContain('meshgate_subgraph_failures_total{subgraph="commerce",reason="unreachable"} 1');
    } finally {
      await gateway.close();
      await customers.stop();
    }
  });

  it('keeps the answers of healthy subgraphs when another domain is down', async () => {
    const customers = await startCustomersSubgraph();
    const commerce = await startCommerceSubgraph();
    const gateway = await startGateway({ services: [customers, commerce], port: 0, log });
    try {
      await commerce.stop();
      const res = await postGraphQL(gateway.graphqlUrl, '{ customer(customerId: "c1") { name } order(orderId: "o1") { orderId } }');
      expect(res.body.data).toEqual({ customer: { name: 'Ada Lovelace' }, order: null });
      expectUnavailable(res, 'The "commerce" domain is unavailable');
    } finally {
      await gateway.close();
      await customers.stop();
    }
  });

  describe('with a 300 ms subgraph timeout', () => {
    let customers: TestSubgraph;
    let commerce: TestSubgraph;
    let gateway: RunningGateway;

    beforeAll(async () => {
      customers = await startCustomersSubgraph();
      commerce = await startCommerceSubgraph();
      gateway = await startGateway({ services: [customers, commerce], port: 0, log, subgraphTimeoutMs: 300 });
    });

    afterAll(async () => {
      await gateway?.close();
      await Promise.all([customers?.stop(), commerce?.stop()]);
    });

    it('answers PRODUCT_UNAVAILABLE in about the timeout when a subgraph is slower', async () => {
      const started = Date.now();
      const res = await postGraphQL(gateway.graphqlUrl, '{ slowGreeting }');
      const elapsed = Date.now() - started;
      expectUnavailable(res, 'The "customers" domain did not answer in time');
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(1_200);
    });

    it('still answers fast queries in time', async () => {
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { customer { name } } }');
      expect(res.body.errors).toBeUndefined();
    });
  });

  it('answers PRODUCT_UNAVAILABLE when a subgraph accepts the connection but never answers', async () => {
    const hung = await startRawServer(() => undefined);
    const gateway = await startGateway({ services: [{ name: 'commerce', url: hung.url, typeDefs: COMMERCE_SDL }], port: 0, log, subgraphTimeoutMs: 300 });
    try {
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId } }');
      expectUnavailable(res, 'The "commerce" domain did not answer in time');
    } finally {
      await gateway.close();
      hung.server.closeAllConnections();
      hung.server.close();
    }
  });

  it("answers PRODUCT_UNAVAILABLE without the subgraph's address when it answers with an HTTP error page", async () => {
    const broken = await startRawServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1> upstream http://10.0.0.7:8080 ECONNREFUSED');
    });
    const gateway = await startGateway({ services: [{ name: 'commerce', url: broken.url, typeDefs: COMMERCE_SDL }], port: 0, log });
    try {
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId } }');
      expectUnavailable(res, 'The "commerce" domain answered with HTTP 502');
      expect(res.text).not.toContain('10.0.0.7');
    } finally {
      await gateway.close();
      broken.server.close();
    }
  });

  it('answers PRODUCT_UNAVAILABLE when a subgraph answers with something that is not JSON', async () => {
    const garbled = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": ');
    });
    const gateway = await startGateway({ services: [{ name: 'commerce', url: garbled.url, typeDefs: COMMERCE_SDL }], port: 0, log });
    try {
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId } }');
      expectUnavailable(res, 'The "commerce" domain is unavailable');
    } finally {
      await gateway.close();
      garbled.server.close();
    }
  });

  it('passes the code and message of a GraphQL error a subgraph sends with a non-2xx status', async () => {
    const refusing = await startRawServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'No access context', extensions: { code: 'FORBIDDEN' } }] }));
    });
    const gateway = await startGateway({ services: [{ name: 'commerce', url: refusing.url, typeDefs: COMMERCE_SDL }], port: 0, log });
    try {
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId } }');
      expect(res.body.errors?.[0]).toEqual(expect.objectContaining({ message: 'No access context', extensions: { code: 'FORBIDDEN' } }));
    } finally {
      await gateway.close();
      refusing.server.close();
    }
  });
});
