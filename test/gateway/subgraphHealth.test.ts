import { schemaHash } from '../../schema/index.js';
import { startGateway } from '../../gateway/index.js';
import { FAKE_CUSTOMERS_SDL, startFakeReplica } from './fakeSubgraph.js';
import { postGraphQL } from './testSubgraphs.js';

const QUERY = '{ customer(customerId: "c1") { name } }';
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const customers = (url: string) => ({ name: 'customers', url, typeDefs: FAKE_CUSTOMERS_SDL });

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await wait(50);
  }
  throw new Error(`never happened: ${what}`);
}

describe('a subgraph outage in the log', () => {
  it('is the first failure at once, then one summary line per interval, then a line when it recovers', async () => {
    const logged: string[] = [];
    const replica = await startFakeReplica();
    const gateway = await startGateway({
      services: [customers(replica.url)],
      port: 0,
      log: (line) => void logged.push(line),
      mergeInFlight: false,
      breakerFailures: 1_000,
      outageLogIntervalMs: 400,
    });
    let revived: Awaited<ReturnType<typeof startFakeReplica>> | undefined;
    try {
      await replica.kill();
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 50 }, () => postGraphQL(gateway.graphqlUrl, QUERY)));
      expect(answers.every((a) => a.body.errors?.[0]?.extensions?.['code'] === 'PRODUCT_UNAVAILABLE')).toBe(true);
      const summarised = (): number => logged.reduce((n, l) => n + Number(/^subgraph "customers": (\d+) calls? failed/.exec(l)?.[1] ?? 0), 0);
      await until(() => summarised() === 49, 'the summaries of the 49 calls after the first');
      const lines = logged.filter((l) => l.includes('failed'));
      expect(lines[0]).toMatch(/^subgraph "customers" failed \(unreachable\) for request /);
      const summaries = lines.slice(1);
      for (const line of summaries) expect(line).toMatch(/^subgraph "customers": \d+ calls? failed in the last 0\.4 s \(unreachable \d+\)$/);
      // 50 failed calls, the first told at once, the other 49 in a summary or two.
      // At most one summary per interval that passed (however many calls failed in it).
      expect(summaries.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 400));
      const failedLines = logged.filter((l) => l.includes('failed')).length;
      revived = await startFakeReplica({ port: replica.port });
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors).toBeUndefined();
      await until(() => logged.some((l) => l.startsWith('subgraph "customers": recovered')), 'the recovery line');
      expect(logged.filter((l) => l.includes('failed') && !l.includes('recovered'))).toHaveLength(failedLines);
    } finally {
      await gateway.close();
      await revived?.kill();
    }
  });
});

describe('the schema hash a subgraph reports', () => {
  it('is compared with the composed one at start through /readyz, before any query', async () => {
    const logged: string[] = [];
    const replica = await startFakeReplica({ hash: 'f00df00df00df00d' });
    const gateway = await startGateway({ services: [customers(replica.url)], port: 0, log: (line) => void logged.push(line) });
    try {
      const composed = schemaHash(FAKE_CUSTOMERS_SDL);
      await until(() => logged.some((l) => l.includes('serves schema')), 'the mismatch warning');
      expect(logged.filter((l) => l.includes('serves schema'))).toEqual([
        `WARNING: subgraph "customers" (replica 0) serves schema f00df00df00df00d, but the gateway composed ${composed} from its declarations: ` +
          'the gateway and the subgraph were started from different declarations; fields that differ fail until both run the same version',
      ]);
      expect(replica.calls).toBe(0);
      const ready = await fetch(`${gateway.url}/readyz`);
      // Still 200: the gateway serves; the body flags it for the platform.
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'degraded',
        subgraphs: { customers: { replicas: 1, circuit: 'closed', schema: 'mismatch', composedHash: composed, servedHashes: { '0': 'f00df00df00df00d' } } },
      });
      expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain('meshgate_subgraph_schema_mismatch{subgraph="customers"} 1');
      // Queries still go through, and the warning is not repeated for every reply.
      for (let i = 0; i < 3; i++) expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors).toBeUndefined();
      expect(logged.filter((l) => l.includes('serves schema'))).toHaveLength(1);
    } finally {
      await gateway.close();
      await replica.kill();
    }
  });

  it('is noticed in a reply when a subgraph starts serving another schema, and reported ready when it matches', async () => {
    const logged: string[] = [];
    const right = await startFakeReplica();
    const gateway = await startGateway({ services: [customers(right.url)], port: 0, log: (line) => void logged.push(line) });
    let wrong: Awaited<ReturnType<typeof startFakeReplica>> | undefined;
    try {
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors).toBeUndefined();
      expect(((await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string }).status).toBe('ready');
      // The subgraph is redeployed from other declarations on the same address.
      await right.kill();
      wrong = await startFakeReplica({ port: right.port, hash: '0123456789abcdef' });
      expect((await postGraphQL(gateway.graphqlUrl, QUERY)).body.errors).toBeUndefined();
      expect(logged.some((l) => l.includes('WARNING: subgraph "customers" (replica 0) serves schema 0123456789abcdef'))).toBe(true);
      const body = (await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string; subgraphs: Record<string, { schema: string }> };
      expect(body.status).toBe('degraded');
      expect(body.subgraphs['customers']?.schema).toBe('mismatch');
    } finally {
      await gateway.close();
      await right.kill();
      await wrong?.kill();
    }
  });
});
