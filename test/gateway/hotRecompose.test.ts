import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { startGateway } from '../../gateway/index.js';
import { CUSTOMERS_SDL, postGraphQL, startCommerceSubgraph } from './testSubgraphs.js';

/** The customers contract after a change: one more field. */
const CUSTOMERS_V2_SDL = CUSTOMERS_SDL.replace('slowGreeting: String', 'slowGreeting: String\n    welcome: String');

/** A customers subgraph that already serves the new field (the subgraph swaps first; the gateway follows). */
async function startCustomersV2(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(CUSTOMERS_V2_SDL),
      resolvers: {
        Query: { customer: (_: unknown, { customerId }: { customerId: string }) => ({ customerId, name: 'Ada Lovelace' }), welcome: () => 'hello' },
        Customer: { __resolveReference: ({ customerId }: { customerId: string }) => ({ customerId, name: 'Ada Lovelace' }) },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

describe('hot re-composition of the gateway', () => {
  it('swaps in a changed contract under a steady stream of queries with no failed request, and answers the new field after', async () => {
    const logged: string[] = [];
    const customers = await startCustomersV2();
    const commerce = await startCommerceSubgraph();
    const v1 = { name: 'customers', url: customers.url, typeDefs: CUSTOMERS_SDL };
    const gateway = await startGateway({ services: [v1, commerce], port: 0, log: (l) => void logged.push(l) });
    try {
      expect((await postGraphQL(gateway.graphqlUrl, '{ welcome }')).body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      let stop = false;
      let answered = 0;
      const failures: unknown[] = [];
      const worker = async (): Promise<void> => {
        while (!stop) {
          const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId customer { name } } customer(customerId: "c1") { name } }');
          if (res.status !== 200 || res.body.errors) failures.push(res.body);
          answered++;
        }
      };
      const workers = Array.from({ length: 6 }, worker);
      while (answered < 30) await new Promise((resolve) => setTimeout(resolve, 10));
      const outcome = await gateway.recompose({ services: [{ ...v1, typeDefs: CUSTOMERS_V2_SDL }, commerce] });
      expect(outcome).toEqual({});
      const welcome = await postGraphQL(gateway.graphqlUrl, '{ welcome }');
      const atSwap = answered;
      while (answered < atSwap + 30) await new Promise((resolve) => setTimeout(resolve, 10));
      stop = true;
      await Promise.all(workers);
      expect(failures).toEqual([]);
      expect(welcome.body).toEqual({ data: { welcome: 'hello' } });
      expect(logged).toContain('re-composed the supergraph over 2 subgraph(s)');
      const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string };
      expect(ready.status).toBe('ready');
    } finally {
      await gateway.close();
      await Promise.all([customers.stop(), commerce.stop()]);
    }
  });

  it('refuses a change that does not compose: logged, reported by readiness, and the previous supergraph keeps serving', async () => {
    const logged: string[] = [];
    const customers = await startCustomersV2();
    const commerce = await startCommerceSubgraph();
    const v1 = { name: 'customers', url: customers.url, typeDefs: CUSTOMERS_SDL };
    const gateway = await startGateway({ services: [v1, commerce], port: 0, log: (l) => void logged.push(l) });
    try {
      // Commerce's stub of Customer now says its key is another field: the two subgraphs no longer compose.
      const broken = { ...v1, typeDefs: CUSTOMERS_SDL.replace('type Customer @key(fields: "customerId")', 'type Customer @key(fields: "nope")') };
      const outcome = await gateway.recompose({ services: [broken, commerce] });
      expect(outcome.errors?.length).toBeGreaterThan(0);
      expect(logged.some((l) => l.startsWith('re-composition refused, the previous supergraph keeps serving: '))).toBe(true);
      const res = await postGraphQL(gateway.graphqlUrl, '{ orders { orderId customer { name } } }');
      expect(res.body.errors).toBeUndefined();
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; refusedReload?: { problems: number } };
      expect(body.status).toBe('degraded');
      expect(body.refusedReload?.problems).toBe(outcome.errors?.length);
      expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain('meshgate_recompositions_total{result="refused"} 1');
      // A good change afterwards clears the refusal.
      expect(await gateway.recompose({ services: [{ ...v1, typeDefs: CUSTOMERS_V2_SDL }, commerce] })).toEqual({});
      expect(((await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string }).status).toBe('ready');
    } finally {
      await gateway.close();
      await Promise.all([customers.stop(), commerce.stop()]);
    }
  });
});
