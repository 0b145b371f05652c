/**
 * Slow clients and too many of them, against a real gateway on loopback: headers or a body
 * trickled past the configured timeouts get the connection closed near the configured time (not at
 * Node's 30 s check interval), and connections beyond the cap are refused as they arrive. The
 * bounds are loose on purpose: each asserts the order of magnitude, never a speed.
 */
import { connect, type Socket } from 'node:net';
import { startGateway, type RunningGateway } from '../../gateway/index.js';
import { startCommerceSubgraph, startCustomersSubgraph, type TestSubgraph } from './testSubgraphs.js';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 1_500;
const MAX_CONNECTIONS = 4;

let customers: TestSubgraph;
let commerce: TestSubgraph;
let gateway: RunningGateway;
beforeAll(async () => {
  [customers, commerce] = await Promise.all([startCustomersSubgraph(), startCommerceSubgraph()]);
  gateway = await startGateway({
    services: [customers, commerce],
    port: 0,
    log: () => undefined,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    maxConnections: MAX_CONNECTIONS,
  });
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all([customers?.stop(), commerce?.stop()]);
});

const address = (): { host: string; port: number } => {
  const u = new URL(gateway.url);
  return { host: u.hostname, port: Number(u.port) };
};

/** Opens a socket, then writes `chunks` one every `everyMs` until the server closes it; resolves with how long it stayed open and what came back. */
function trickle(first: string, next: string, everyMs: number): Promise<{ openMs: number; reply: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(address());
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (reply += d));
    socket.on('error', () => undefined);
    socket.once('connect', () => socket.write(first));
    const timer = setInterval(() => socket.writable && socket.write(next), everyMs);
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ openMs: Date.now() - started, reply });
    });
  });
}

describe('a slow client', () => {
  it('that trickles its headers is cut off near the headers timeout', async () => {
    const { openMs } = await trickle('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n', 200);
    expect(openMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS * 0.9);
    expect(openMs).toBeLessThan(HEADERS_TIMEOUT_MS * 4);
  });

  it('that trickles its body is cut off near the request timeout', async () => {
    const head = 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"query":"';
    const { openMs, reply } = await trickle(head, ' ', 200);
    expect(openMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS * 0.9);
    expect(openMs).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('that is quick is served as usual', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});

describe('the connection cap', () => {
  it('refuses connections beyond it, and serves again once they close', async () => {
    const open = (): Promise<Socket> =>
      new Promise((resolve) => {
        const s = connect(address(), () => resolve(s));
        s.on('error', () => undefined);
      });
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, open));
    const extra = await open();
    // The server closes it at once, answering nothing, even to a complete request.
    const answer = await new Promise<string>((resolve) => {
      let got = '';
      extra.setEncoding('utf8');
      extra.on('data', (d: string) => (got += d));
      extra.once('close', () => resolve(got));
      extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    expect(answer).toBe('');
    for (const s of held) s.destroy();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await fetch(`${gateway.url}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).toMatch(/^meshgate_http_connections_refused_total [1-9]/m);
  });
});
