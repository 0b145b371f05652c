import { composeSupergraph, CompositionError, startGateway } from '../../gateway/index.js';
import { COMMERCE_SDL, CUSTOMERS_SDL } from './testSubgraphs.js';

const LINK = 'schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) { query: Query }';

describe('composeSupergraph', () => {
  it('composes federation 2 subgraphs into a supergraph that joins them', () => {
    const result = composeSupergraph([
      { name: 'customers', url: 'http://127.0.0.1:4001/graphql', typeDefs: CUSTOMERS_SDL },
      { name: 'commerce', url: 'http://127.0.0.1:4002/graphql', typeDefs: COMMERCE_SDL },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toContain('join__Graph');
    expect(result.supergraphSdl).toContain('CUSTOMERS @join__graph(name: "customers", url: "http://127.0.0.1:4001/graphql")');
    expect(result.supergraphSdl).toMatch(/type Order\b/);
  });

  it('returns, not throws, the reasons two subgraphs do not compose', () => {
    const result = composeSupergraph([
      { name: 'a', url: 'http://a/graphql', typeDefs: `${LINK} type Query { a: Thing } type Thing { id: ID! }` },
      { name: 'b', url: 'http://b/graphql', typeDefs: `${LINK} type Query { b: Thing } type Thing { id: String! }` },
    ]);
    expect(result.supergraphSdl).toBeUndefined();
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.errors?.join('\n')).toMatch(/Thing/);
    for (const line of result.errors ?? []) expect(line).not.toContain('\n');
  });

  it('names the subgraph whose SDL does not parse', () => {
    const result = composeSupergraph([{ name: 'broken', url: 'http://x/graphql', typeDefs: 'type Query {' }]);
    expect(result.errors).toEqual([expect.stringMatching(/^subgraph "broken": the SDL does not parse: Syntax Error/)]);
  });

  it('makes startGateway reject with every composition error, one per line', async () => {
    const services = [
      { name: 'a', url: 'http://127.0.0.1:1/graphql', typeDefs: `${LINK} type Query { a: Thing } type Thing { id: ID! }` },
      { name: 'b', url: 'http://127.0.0.1:1/graphql', typeDefs: `${LINK} type Query { b: Thing } type Thing { id: String! }` },
    ];
    const expected = composeSupergraph(services).errors ?? [];
    const failure = await startGateway({ services, port: 0, log: () => undefined }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CompositionError);
    const error = failure as CompositionError;
    expect(error.code).toBe('ERR_COMPOSITION');
    expect(error.problems).toEqual(expected);
    expect(error.message.split('\n').slice(1)).toEqual(expected);
  });
});
