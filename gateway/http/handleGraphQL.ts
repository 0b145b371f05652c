import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer } from '@apollo/server';
import type { Principal, RequestContext } from '../context.js';
import { readBody } from './readBody.js';
import { sendGraphQLError } from './sendJson.js';

/** What the GraphQL route needs besides the request itself. */
export interface GraphQLRoute {
  readonly apollo: ApolloServer<RequestContext>;
  readonly maxBodyBytes: number;
  /** Verifies the caller's bearer token; absent when access control is off. */
  readonly authenticate?: (token: string) => Promise<Principal>;
  readonly log: (line: string) => void;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

/** Sets `ctx.principal` from the bearer token, or answers 401 and returns its status. */
async function authenticate(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, route: GraphQLRoute): Promise<number | undefined> {
  if (!route.authenticate) return undefined;
  const header = req.headers.authorization;
  const m = header ? BEARER.exec(header.trim()) : null;
  try {
    if (!m) throw new Error(header ? 'the Authorization header is not "Bearer <JWT>"' : 'no Authorization header');
    ctx.principal = await route.authenticate(m[1]!);
    return undefined;
  } catch (error) {
    route.log(`request ${ctx.requestId}: unauthenticated: ${(error as Error).message}`);
    res.setHeader('www-authenticate', 'Bearer realm="meshgate"');
    return sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'A valid bearer token is required: send "Authorization: Bearer <JWT>".');
  }
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);
}

type ParsedBody = { readonly body: unknown } | { readonly refused: number };

async function parseBody(req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<ParsedBody> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    // Decompressing would let a small upload expand past the size limit.
    return { refused: sendGraphQLError(res, 415, 'BAD_USER_INPUT', 'Compressed request bodies are not accepted') };
  }
  const read = await readBody(req, maxBodyBytes);
  if (read.kind === 'tooLarge') {
    res.setHeader('connection', 'close');
    return { refused: sendGraphQLError(res, 413, 'BAD_USER_INPUT', `The request body is larger than ${maxBodyBytes} bytes`) };
  }
  const text = read.body.toString('utf8');
  // Other content types go to Apollo as text: it refuses them (and CSRF-prone simple requests) itself.
  if (!isJson(req.headers['content-type'])) return { body: text };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { refused: sendGraphQLError(res, 400, 'BAD_USER_INPUT', 'The request body is not valid JSON') };
  }
  if (Array.isArray(body)) {
    return { refused: sendGraphQLError(res, 400, 'BAD_USER_INPUT', 'Batched operations are not supported: send one operation per request') };
  }
  return { body };
}

/** Runs one GraphQL-over-HTTP request through Apollo Server with the request's context and returns the status sent. */
export async function handleGraphQL(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, search: string, route: GraphQLRoute): Promise<number> {
  const method = (req.method ?? 'GET').toUpperCase();
  let body: unknown;
  if (method === 'POST') {
    const parsed = await parseBody(req, res, route.maxBodyBytes);
    if ('refused' in parsed) return parsed.refused;
    body = parsed.body;
  }
  const refused = await authenticate(req, res, ctx, route);
  if (refused !== undefined) return refused;
  const response = await route.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers: toHeaderMap(req), search, body },
    context: async () => ctx,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
  } else {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
  return res.statusCode;
}
