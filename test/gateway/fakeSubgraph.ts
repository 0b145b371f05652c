/**
 * Fake subgraphs on loopback for the failure tests: a replica that answers every call with a fixed
 * GraphQL reply and the schema-hash header a real subgraph sends (the subgraph side's contract:
 * `x-meshgate-schema-hash` on every reply and `GET /readyz` with a `schemaHash` field), one that
 * accepts connections and never answers, and a way to kill either at once (sockets destroyed).
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SCHEMA_HASH_HEADER, schemaHash } from '../../schema/index.js';

/** The SDL the fake customers replicas serve (and the gateway composes). */
export const FAKE_CUSTOMERS_SDL = `
  schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) { query: Query }
  type Query { customer(customerId: ID!): Customer }
  type Customer @key(fields: "customerId") { customerId: ID! name: String }
`;

/** A fake subgraph replica. */
export interface FakeReplica {
  url: string;
  port: number;
  /** Calls it answered. */
  calls: number;
  /** Connections it accepted. */
  connections: number;
  /** Stops it at once: no more connections, open ones destroyed. */
  kill(): Promise<void>;
}

function track(server: Server | TcpServer, replica: { connections: number }): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    replica.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

async function listen(server: Server | TcpServer, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** A replica answering `{ customer { name } }` for any call, reporting `hash` (default: the hash of FAKE_CUSTOMERS_SDL). */
export async function startFakeReplica(options: { port?: number; hash?: string; delayMs?: number } = {}): Promise<FakeReplica> {
  const hash = options.hash ?? schemaHash(FAKE_CUSTOMERS_SDL);
  const replica: FakeReplica = { url: '', port: 0, calls: 0, connections: 0, kill: () => Promise.resolve() };
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ready', schemaHash: hash }));
      return;
    }
    req.resume();
    req.on('end', () => {
      replica.calls++;
      const body = JSON.stringify({ data: { customer: { name: 'Ada Lovelace' } } });
      const send = (): void => void res.writeHead(200, { 'content-type': 'application/json', [SCHEMA_HASH_HEADER]: hash }).end(body);
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  });
  const sockets = track(server, replica);
  replica.port = await listen(server, options.port ?? 0);
  replica.url = `http://127.0.0.1:${replica.port}/graphql`;
  replica.kill = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return replica;
}

/** A replica that accepts connections and reads what it is sent, but never answers. */
export async function startFrozenReplica(port = 0): Promise<FakeReplica> {
  const replica: FakeReplica = { url: '', port: 0, calls: 0, connections: 0, kill: () => Promise.resolve() };
  const server = createTcpServer((socket) => {
    socket.on('data', () => undefined);
  });
  const sockets = track(server, replica);
  replica.port = await listen(server, port);
  replica.url = `http://127.0.0.1:${replica.port}/graphql`;
  replica.kill = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return replica;
}
