/**
 * The subgraph transport of a deployment: POSTs JSON over `node:http` with a keep-alive agent. It
 * replaces Apollo's `fetch` path (node-fetch objects, then undici and web streams), which profiles
 * showed as about a third of the gateway's CPU per subgraph call; here a call is one request on a
 * pooled socket, its body read as one buffer and parsed once.
 */
import http from 'node:http';
import https from 'node:https';
import { SCHEMA_HASH_HEADER } from '../../schema/index.js';
import { TransportError, type SubgraphReadiness, type SubgraphReply, type SubgraphRequest, type SubgraphTransport } from './SubgraphTransport.js';

const hashOf = (res: http.IncomingMessage): { schemaHash?: string } => {
  const value = res.headers[SCHEMA_HASH_HEADER];
  return typeof value === 'string' && value !== '' ? { schemaHash: value } : {};
};

/** A transport to the subgraph at `url` (http:// or https://). */
export function httpTransport(url: string): SubgraphTransport {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`httpTransport: a subgraph URL must be http(s)://, got ${JSON.stringify(url)}`);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256, scheduling: 'lifo' });
  const send = (request: SubgraphRequest, signal: AbortSignal, retried = false): Promise<SubgraphReply> =>
    new Promise((resolve, reject) => {
      const body = Buffer.from(JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }));
      const req = client.request(
        target,
        { method: 'POST', agent, signal, headers: { ...request.headers, 'content-type': 'application/json', 'content-length': body.byteLength } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          // The connection broke mid-reply (a replica killed while answering): like a reset before it, a query may be sent again elsewhere.
          res.on('error', (error) => reject(signal.aborted ? error : new TransportError('unreachable', 'the reply was cut off', { cause: error })));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const type = res.headers['content-type'] ?? '';
            if (!/^application\/(graphql-response\+)?json/.test(type)) return resolve({ status: res.statusCode ?? 0, body: text, ...hashOf(res) });
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown, ...hashOf(res) });
            } catch (error) {
              reject(new TransportError('bad_response', 'the reply is not valid JSON', { cause: error }));
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (signal.aborted) return reject(error);
        // A pooled socket the subgraph closed just as it was reused: the request never reached it, so it is sent once more on a new one (Node's documented pattern).
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) return resolve(send(request, signal, true));
        reject(new TransportError('unreachable', `${error.code ?? error.name}: ${error.message}`, { cause: error }));
      });
      req.end(body);
    });
  const readyz = new URL('/readyz', target);
  const readiness = (signal: AbortSignal): Promise<SubgraphReadiness> =>
    new Promise((resolve, reject) => {
      const req = client.get(readyz, { agent, signal, headers: { accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            parsed = null;
          }
          const fromBody = typeof parsed === 'object' && parsed !== null ? (parsed as { schemaHash?: unknown }).schemaHash : undefined;
          resolve(typeof fromBody === 'string' ? { schemaHash: fromBody } : hashOf(res));
        });
      });
      req.on('error', reject);
    });
  return { send: (request, signal) => send(request, signal), readiness, close: () => agent.destroy() };
}
