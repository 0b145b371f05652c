/** Two tiny real federation subgraphs (customers, commerce) for the gateway tests, each recording the headers it receives. */
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';

export const CUSTOMERS_SDL = `
  schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) { query: Query }
  type Query {
    customer(customerId: ID!): Customer
    customerByEmail(email: String!): Customer
    slowGreeting: String
  }
  type Customer @key(fields: "customerId") { customerId: ID! name: String }
`;

export const COMMERCE_SDL = `
  schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) { query: Query }
  type Query { orders: [Order!]! order(orderId: ID!): Order }
  type Order @key(fields: "orderId") { orderId: ID! customer: Customer }
  type Customer @key(fields: "customerId", resolvable: false) { customerId: ID! }
`;

const CUSTOMERS: Record<string, string> = { c1: 'Ada Lovelace', c2: 'Grace Hopper' };
const ORDERS = [
  { orderId: 'o1', customerId: 'c1' },
  { orderId: 'o2', customerId: 'c2' },
];

/** How long `slowGreeting` takes, well past the short timeouts the tests give the gateway. */
export const SLOW_MS = 1_500;

/** A running test subgraph: what the gateway needs to reach it, the headers it received, and how to stop it. */
export interface TestSubgraph {
  readonly name: string;
  readonly url: string;
  readonly typeDefs: string;
  readonly receivedHeaders: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

const customerResolvers: GraphQLResolverMap<unknown> = {
  Query: {
    customer: (_: unknown, { customerId }: { customerId: string }) => (CUSTOMERS[customerId] ? { customerId, name: CUSTOMERS[customerId] } : null),
    customerByEmail: (_: unknown, { email }: { email: string }) => {
      throw new GraphQLError(`"${email}" is not an email address`, { extensions: { code: 'BAD_USER_INPUT' } });
    },
    slowGreeting: () => new Promise((resolve) => setTimeout(() => resolve('hello, eventually'), SLOW_MS)),
  },
  Customer: {
    __resolveReference: ({ customerId }: { customerId: string }) => ({ customerId, name: CUSTOMERS[customerId] ?? null }),
  },
};

const commerceResolvers: GraphQLResolverMap<unknown> = {
  Query: {
    orders: () => ORDERS,
    order: (_: unknown, { orderId }: { orderId: string }) => ORDERS.find((o) => o.orderId === orderId) ?? null,
  },
  Order: {
    customer: (order: { customerId: string }) => ({ __typename: 'Customer', customerId: order.customerId }),
  },
};

async function startSubgraph(name: string, typeDefs: string, resolvers: GraphQLResolverMap<unknown>): Promise<TestSubgraph> {
  const receivedHeaders: IncomingHttpHeaders[] = [];
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      receivedHeaders.push(req.headers);
      return {};
    },
  });
  return { name, url, typeDefs, receivedHeaders, stop: () => server.stop() };
}

/** Starts the customers subgraph on a free port. */
export function startCustomersSubgraph(name = 'customers'): Promise<TestSubgraph> {
  return startSubgraph(name, CUSTOMERS_SDL, customerResolvers);
}

/** Starts the commerce subgraph on a free port. */
export function startCommerceSubgraph(name = 'commerce'): Promise<TestSubgraph> {
  return startSubgraph(name, COMMERCE_SDL, commerceResolvers);
}

/** POSTs one GraphQL operation as JSON and returns the HTTP response with its parsed body and raw text. */
export async function postGraphQL(
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}
