/**
 * The subgraph's `node:http` request listener: `GET /healthz` (the process is alive), `GET /readyz`
 * (it can serve its products), and GraphQL on every other path, run through the schema version
 * serving when the request arrived. Every GraphQL reply names that version's schema hash; while
 * draining, every reply closes its connection. The reply is built before anything is written.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { SCHEMA_HASH_HEADER, type ErrorCode } from '../../../schema/index.js';
import type { SubgraphContext } from '../context.js';
import type { ServedSchema } from '../servedSchema.js';
import { readBody } from './readBody.js';

/** What the listener needs, wired once by startSubgraph. */
export interface SubgraphHttpDeps {
  /** The schema version serving now. */
  readonly served: () => ServedSchema;
  /** The request's context from its headers, or a thrown refusal (401). */
  readonly contextFor: (headers: IncomingHttpHeaders, requestId: string) => Promise<SubgraphContext>;
  readonly requestIdOf: (headers: IncomingHttpHeaders) => string;
  /** `/readyz`: 200 with its body when the products can be served, 503 when not (or draining). */
  readonly readiness: () => Promise<{ readonly status: number; readonly body: unknown }>;
  readonly draining: () => boolean;
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
}

/** A reply, built before anything is written. */
interface Reply {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | AsyncIterable<string>;
}

const JSON_TYPE = ['content-type', 'application/json; charset=utf-8'] as const;
const NO_STORE = ['cache-control', 'no-store'] as const;

function errorReply(status: number, code: ErrorCode, message: string): Reply {
  return { status, headers: [JSON_TYPE], body: JSON.stringify({ errors: [{ message, extensions: { code } }] }) };
}

function toHeaderMap(headers: IncomingHttpHeaders): HeaderMap {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(', ') : value);
  return map;
}

/** The body as Apollo expects it: parsed JSON for a JSON request, the text otherwise (Apollo refuses other types itself). */
async function parseBody(req: IncomingMessage, maxBodyBytes: number): Promise<{ body: unknown } | { refused: Reply }> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return { refused: errorReply(415, 'BAD_USER_INPUT', 'Compressed request bodies are not accepted') };
  const read = await readBody(req, maxBodyBytes);
  if (read.kind === 'tooLarge')
    return { refused: { ...errorReply(413, 'BAD_USER_INPUT', `The request body is larger than ${maxBodyBytes} bytes`), headers: [JSON_TYPE, ['connection', 'close']] } };
  const text = read.body.toString('utf8');
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return { body: text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { refused: errorReply(400, 'BAD_USER_INPUT', 'The request body is not valid JSON') };
  }
}

async function graphql(req: IncomingMessage, requestId: string, search: string, deps: SubgraphHttpDeps): Promise<Reply> {
  let body: unknown;
  if (req.method === 'POST') {
    const parsed = await parseBody(req, deps.maxBodyBytes);
    if ('refused' in parsed) return parsed.refused;
    body = parsed.body;
  }
  const served = deps.served();
  return served.use(async () => {
    const response = await served.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers: toHeaderMap(req.headers), search, body },
      context: () => deps.contextFor(req.headers, requestId),
    });
    // A chunked (incremental) body is read to its end here, so the version stays held until then.
    const text = response.body.kind === 'complete' ? response.body.string : await collect(response.body.asyncIterator);
    return { status: response.status ?? 200, headers: [...response.headers, [SCHEMA_HASH_HEADER, served.schemaHash]], body: text };
  });
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

async function probe(req: IncomingMessage, deps: SubgraphHttpDeps, path: string): Promise<Reply> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...errorReply(405, 'BAD_USER_INPUT', 'Only GET is allowed here'), headers: [JSON_TYPE, ['allow', 'GET, HEAD']] };
  if (path === '/healthz') return { status: 200, headers: [JSON_TYPE, NO_STORE], body: JSON.stringify({ status: 'alive' }) };
  const { status, body } = await deps.readiness();
  return { status, headers: [JSON_TYPE, NO_STORE], body: JSON.stringify(body) };
}

async function write(req: IncomingMessage, res: ServerResponse, reply: Reply, draining: boolean): Promise<void> {
  for (const [name, value] of reply.headers) res.setHeader(name, value);
  // Read at the moment of writing, so a request in flight when the drain began closes its connection too.
  if (draining) res.setHeader('connection', 'close');
  res.statusCode = reply.status;
  if (req.method === 'HEAD') return void res.end();
  if (typeof reply.body === 'string') return void res.end(reply.body);
  for await (const chunk of reply.body) res.write(chunk);
  res.end();
}

/** The listener of a subgraph's HTTP server. */
export function handleSubgraphHttp(deps: SubgraphHttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = deps.requestIdOf(req.headers);
    res.setHeader('x-request-id', requestId);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const work = path === '/healthz' || path === '/readyz' ? probe(req, deps, path) : graphql(req, requestId, q === -1 ? '' : rawUrl.slice(q + 1), deps);
    work
      .then((reply) => write(req, res, reply, deps.draining()))
      .catch((error: unknown) => {
        deps.log(`request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (res.headersSent) return void res.destroy();
        return write(req, res, errorReply(500, 'INTERNAL_SERVER_ERROR', `Internal server error (request id ${requestId})`), deps.draining());
      })
      .catch(() => res.destroy());
  };
}
