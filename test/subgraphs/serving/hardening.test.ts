/** A real subgraph's HTTP hardening from the configuration: timeouts that fire when configured, the connection cap, the drain. */
import { rawHttp } from '../../support/rawHttp.js';
import { graphqlPost, RawConnection } from './rawConnection.js';
import { startRealSubgraph, type RealSubgraph } from './realSubgraph.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('timeouts and the connection cap', () => {
  let customers: RealSubgraph;
  beforeAll(async () => {
    customers = await startRealSubgraph('customers', {
      MESHGATE_HEADERS_TIMEOUT_MS: '1000',
      MESHGATE_REQUEST_TIMEOUT_MS: '2000',
      MESHGATE_MAX_CONNECTIONS: '3',
    });
  }, 180_000);
  afterAll(() => customers?.close());

  it('closes a connection whose headers trickle in, near the configured 1 s and not at Node’s 30 s check', async () => {
    const conn = await RawConnection.open(customers.sg.url);
    const started = Date.now();
    conn.write('POST / HTTP/1.1\r\nhost: localhost\r\n');
    for (let i = 0; i < 40 && conn.closedAt === undefined; i++) {
      conn.write(`x-trickle-${i}: ${i}\r\n`);
      await sleep(200);
    }
    const closedAt = await conn.closed();
    expect(closedAt - started).toBeLessThan(5_000);
    conn.destroy();
  }, 20_000);

  it('closes a request whose body trickles in, near the configured 2 s request timeout', async () => {
    const conn = await RawConnection.open(customers.sg.url);
    const started = Date.now();
    const { head, body } = graphqlPost('{ __typename }', await customers.gatewayHeaders());
    conn.write(head);
    for (let i = 0; i < body.length - 1 && conn.closedAt === undefined; i++) {
      conn.write(body[i]!);
      await sleep(200);
    }
    const closedAt = await conn.closed();
    expect(closedAt - started).toBeLessThan(6_000);
    conn.destroy();
  }, 20_000);

  it('closes connections past MESHGATE_MAX_CONNECTIONS at once, and serves the ones it holds', async () => {
    const held = await Promise.all([0, 1, 2].map(() => RawConnection.open(customers.sg.url)));
    const headers = await customers.gatewayHeaders();
    for (const conn of held) {
      const { head, body } = graphqlPost('{ __typename }', headers);
      conn.write(head + body);
      expect((await conn.reply()).status).toBe(200);
    }
    const extra = await RawConnection.open(customers.sg.url);
    const { head, body } = graphqlPost('{ __typename }', headers);
    extra.write(head + body);
    await extra.closed();
    await expect(extra.reply()).rejects.toThrow('closed');
    held[0]!.write(head + body);
    expect((await held[0]!.reply()).status).toBe(200);
    held.forEach((c) => c.destroy());
    await sleep(100);
    expect((await rawHttp(customers.sg.url, '/healthz')).status).toBe(200);
  }, 20_000);
});

describe('draining', () => {
  let customers: RealSubgraph;
  beforeAll(async () => {
    customers = await startRealSubgraph('customers', { MESHGATE_SHUTDOWN_GRACE_MS: '4000' });
  }, 180_000);
  afterAll(() => customers?.close());

  it('finishes the request in flight and closes every keep-alive connection after its next reply, not ready meanwhile', async () => {
    const headers = await customers.gatewayHeaders();
    const busy = await RawConnection.open(customers.sg.url);
    const idle = await RawConnection.open(customers.sg.url);
    const warm = graphqlPost('{ __typename }', headers);
    idle.write(warm.head + warm.body);
    const first = await idle.reply();
    expect(first.status).toBe(200);
    expect(first.headers.connection).toBe('keep-alive');
    // A request in flight: its head is in, its body not yet.
    const inFlight = graphqlPost('{ customers(limit: 1) { customerId } }', headers);
    busy.write(inFlight.head);
    await sleep(100);
    const closed = customers.sg.close();
    idle.write('GET /readyz HTTP/1.1\r\nhost: localhost\r\n\r\n');
    const ready = await idle.reply();
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'draining' });
    expect(ready.headers.connection).toBe('close');
    busy.write(inFlight.body);
    const answer = await busy.reply();
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    expect((JSON.parse(answer.body) as { data: { customers: unknown[] } }).data.customers).toHaveLength(1);
    await closed;
    await expect(RawConnection.open(customers.sg.url)).rejects.toThrow('ECONNREFUSED');
  }, 20_000);
});
