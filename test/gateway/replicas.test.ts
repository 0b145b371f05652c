import { startGateway, type RunningGateway } from '../../gateway/index.js';
import { FAKE_CUSTOMERS_SDL, startFakeReplica, startFrozenReplica, type FakeReplica } from './fakeSubgraph.js';
import { postGraphQL } from './testSubgraphs.js';

const QUERY = '{ customer(customerId: "c1") { name } }';
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function customers(...replicas: FakeReplica[]) {
  return { name: 'customers', url: replicas[0]!.url, urls: replicas.map((r) => r.url), typeDefs: FAKE_CUSTOMERS_SDL };
}

/** Sends `total` queries, `concurrency` at a time; calls `at(done)` after each answer; returns how many did not get the data. */
async function stream(url: string, total: number, concurrency: number, at: (done: number) => void = () => undefined): Promise<{ failed: number; errors: unknown[] }> {
  let sent = 0;
  let done = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent++;
      const res = await postGraphQL(url, QUERY);
      if (res.status !== 200 || res.body.errors || JSON.stringify(res.body.data) !== '{"customer":{"name":"Ada Lovelace"}}') errors.push(res.body);
      at(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { failed: errors.length, errors };
}

async function readyz(gateway: RunningGateway): Promise<{ status: number; body: { status: string; subgraphs: Record<string, { circuit: string; replicas: number }> } }> {
  const res = await fetch(`${gateway.url}/readyz`);
  return { status: res.status, body: (await res.json()) as never };
}

describe('subgraph replicas', () => {
  const logged: string[] = [];
  const log = (line: string): void => void logged.push(line);
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
    logged.length = 0;
  });

  async function gatewayOver(replicas: FakeReplica[], options: Partial<Parameters<typeof startGateway>[0]> = {}): Promise<RunningGateway> {
    // Merging would answer identical concurrent queries with one call: every query is its own call here.
    const gateway = await startGateway({ services: [customers(...replicas)], port: 0, log, mergeInFlight: false, ...options });
    cleanup.push(() => gateway.close(), ...replicas.map((r) => () => r.kill()));
    return gateway;
  }

  it('spreads the calls over every replica', async () => {
    const replicas = [await startFakeReplica(), await startFakeReplica(), await startFakeReplica()];
    const gateway = await gatewayOver(replicas);
    const { failed } = await stream(gateway.graphqlUrl, 60, 4);
    expect(failed).toBe(0);
    for (const r of replicas) expect(r.calls).toBeGreaterThan(5);
  });

  it('loses no client request when a replica is killed mid-load: calls that got no reply are sent to another replica', async () => {
    const a = await startFakeReplica({ delayMs: 5 });
    const b = await startFakeReplica({ delayMs: 5 });
    const gateway = await gatewayOver([a, b], { breakerFailures: 3 });
    const { failed, errors } = await stream(gateway.graphqlUrl, 400, 16, (done) => {
      if (done === 100) void a.kill();
    });
    expect(errors).toEqual([]);
    expect(failed).toBe(0);
    expect(b.calls).toBeGreaterThan(200);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/meshgate_subgraph_retries_total\{subgraph="customers"\} [1-9]/);
    expect(metrics).toContain('meshgate_subgraph_replica_circuit_open{subgraph="customers",replica="0"} 1');
    expect(metrics).toContain('meshgate_subgraph_circuit_open{subgraph="customers"} 0');
    const ready = await readyz(gateway);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.subgraphs['customers']).toEqual(expect.objectContaining({ replicas: 2, circuit: 'partly open' }));
    expect(JSON.stringify(ready.body)).not.toMatch(/127\.0\.0\.1|http:/);
  });

  it('gives a legitimately slow query the whole time limit: the hedge to another replica does not cut the first one off', async () => {
    const a = await startFakeReplica({ delayMs: 300 });
    const b = await startFakeReplica({ delayMs: 300 });
    const gateway = await gatewayOver([a, b], { subgraphTimeoutMs: 450, breakerFailures: 1 });
    const { failed, errors } = await stream(gateway.graphqlUrl, 6, 1);
    expect(errors).toEqual([]);
    expect(failed).toBe(0);
    // Neither replica's breaker opened: an attempt called off early says nothing about its replica.
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).not.toMatch(/meshgate_subgraph_replica_circuit_open\{[^}]*\} 1/);
  });

  it('answers every request in time when one replica accepts connections and never answers: the retry goes to the other', async () => {
    const frozen = await startFrozenReplica();
    const healthy = await startFakeReplica();
    const gateway = await gatewayOver([frozen, healthy], { subgraphTimeoutMs: 400, breakerFailures: 2, breakerResetMs: 60_000 });
    // One client at a time, so the frozen replica gets its turns whatever the machine's speed (with two, the healthy one could answer all 20 while one call waits on the frozen one).
    expect((await stream(gateway.graphqlUrl, 20, 1)).failed).toBe(0);
    expect(logged.some((l) => l.includes('the circuit of replica 0 opened (1 of 2 replicas open)'))).toBe(true);
    // Its breaker open, the frozen replica gets no call any more.
    const connections = frozen.connections;
    expect((await stream(gateway.graphqlUrl, 20, 2)).failed).toBe(0);
    expect(frozen.connections).toBe(connections);
  });
});

describe('the circuit breaker of a subgraph', () => {
  const logged: string[] = [];
  const log = (line: string): void => void logged.push(line);

  it('fails fast once a frozen subgraph has timed out repeatedly, then lets a probe through and closes when it answers', async () => {
    const frozen = await startFrozenReplica();
    const gateway = await startGateway({
      services: [customers(frozen)],
      port: 0,
      log,
      subgraphTimeoutMs: 300,
      breakerFailures: 2,
      breakerResetMs: 500,
    });
    let revived: FakeReplica | undefined;
    try {
      for (let i = 0; i < 2; i++) {
        const res = await postGraphQL(gateway.graphqlUrl, QUERY);
        expect(res.body.errors?.[0]?.message).toBe('The "customers" domain did not answer in time');
      }
      const connectionsWhenOpened = frozen.connections;
      const fast = await postGraphQL(gateway.graphqlUrl, QUERY);
      expect(fast.body.errors?.[0]).toEqual(
        expect.objectContaining({ message: 'The "customers" domain is unavailable (calls are paused after repeated failures)', extensions: { code: 'PRODUCT_UNAVAILABLE' } }),
      );
      expect(fast.text).not.toMatch(/127\.0\.0\.1|http:\/\//);
      // Failing fast: the open breaker sent nothing to the frozen subgraph.
      expect(frozen.connections).toBe(connectionsWhenOpened);
      expect(logged.some((l) => l.includes('subgraph "customers": circuit open'))).toBe(true);
      const open = await readyz(gateway);
      expect(open.status).toBe(200);
      expect(open.body).toEqual(expect.objectContaining({ status: 'degraded' }));
      expect(open.body.subgraphs['customers']?.circuit).toBe('open');
      expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain('meshgate_subgraph_circuit_open{subgraph="customers"} 1');

      // The subgraph comes back on the same port; after the reset time one probe goes through and closes the breaker.
      await frozen.kill();
      revived = await startFakeReplica({ port: frozen.port });
      await wait(600);
      const probe = await postGraphQL(gateway.graphqlUrl, QUERY);
      expect(probe.body).toEqual({ data: { customer: { name: 'Ada Lovelace' } } });
      expect(logged.some((l) => l.includes('subgraph "customers": the circuit of replica 0 closed again'))).toBe(true);
      expect((await readyz(gateway)).body.subgraphs['customers']?.circuit).toBe('closed');
      expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain('meshgate_subgraph_circuit_open{subgraph="customers"} 0');
    } finally {
      await gateway.close();
      await frozen.kill();
      await revived?.kill();
    }
  });

  it('opens again when the half-open probe fails', async () => {
    const frozen = await startFrozenReplica();
    const gateway = await startGateway({ services: [customers(frozen)], port: 0, log, subgraphTimeoutMs: 200, breakerFailures: 1, breakerResetMs: 300 });
    try {
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors?.[0]?.message).toBe('The "customers" domain did not answer in time');
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors?.[0]?.message).toMatch(/calls are paused/);
      await wait(350);
      // The probe: sent, and it times out again.
      const before = frozen.connections;
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors?.[0]?.message).toBe('The "customers" domain did not answer in time');
      expect(frozen.connections).toBeGreaterThanOrEqual(before);
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors?.[0]?.message).toMatch(/calls are paused/);
    } finally {
      await gateway.close();
      await frozen.kill();
    }
  });
});
