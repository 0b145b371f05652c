/**
 * The GraphQL route: reads the body (size limit, no batching, no compression), authenticates the
 * caller, runs the operation through Apollo Server, and, when an access log is configured,
 * records the request durably BEFORE the reply leaves. If the entry cannot be written, the reply
 * is replaced by a 503: no data is served that the log does not show (fail closed).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer } from '@apollo/server';
import type { ErrorCode } from '../../schema/index.js';
import { AuthenticationError } from '../auth/createVerifier.js';
import { bearerChallenge, type AuthFailure } from '../auth/bearerChallenge.js';
import type { Principal, RequestContext } from '../context.js';
import { readBody } from './readBody.js';

/** What the GraphQL route needs besides the request itself. */
export interface GraphQLRoute {
  readonly apollo: ApolloServer<RequestContext>;
  readonly maxBodyBytes: number;
  /** Verifies the caller's bearer token; absent when access control is off. */
  readonly authenticate?: (token: string) => Promise<Principal>;
  /** Records the request in the access log; resolves once it is durable, rejects if it cannot be written. */
  readonly record?: (ctx: RequestContext, httpStatus: number, errorCode?: ErrorCode) => Promise<void>;
  readonly log: (line: string) => void;
}

/** A reply, built before anything is written. */
interface Reply {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | AsyncIterable<string>;
  /** The error code of a reply made before Apollo ran. */
  readonly errorCode?: ErrorCode;
}

// The auth scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;
const JSON_TYPE = ['content-type', 'application/json; charset=utf-8'] as const;
/** An Authorization header that presents a bearer token, well-formed or not. */
const PRESENTS_BEARER = /^Bearer\s+\S/i;

function errorReply(status: number, code: ErrorCode, message: string, extra: readonly (readonly [string, string])[] = []): Reply {
  return { status, headers: [JSON_TYPE, ...extra], body: JSON.stringify({ errors: [{ message, extensions: { code } }] }), errorCode: code };
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

const isJson = (contentType: string | undefined): boolean => contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);

async function parseBody(req: IncomingMessage, maxBodyBytes: number): Promise<{ body: unknown } | { refused: Reply }> {
  const encoding = req.headers['content-encoding'];
  // Decompressing would let a small upload expand past the size limit.
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return { refused: errorReply(415, 'BAD_USER_INPUT', 'Compressed request bodies are not accepted') };
  const read = await readBody(req, maxBodyBytes);
  if (read.kind === 'tooLarge') return { refused: errorReply(413, 'BAD_USER_INPUT', `The request body is larger than ${maxBodyBytes} bytes`, [['connection', 'close']]) };
  const text = read.body.toString('utf8');
  // Other content types go to Apollo as text: it refuses them (and CSRF-prone simple requests) itself.
  if (!isJson(req.headers['content-type'])) return { body: text };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { refused: errorReply(400, 'BAD_USER_INPUT', 'The request body is not valid JSON') };
  }
  if (Array.isArray(body)) return { refused: errorReply(400, 'BAD_USER_INPUT', 'Batched operations are not supported: send one operation per request') };
  return { body };
}

/** Sets `ctx.principal` from the bearer token, or returns the 401 reply (missing, expired or invalid token). */
async function authenticate(req: IncomingMessage, ctx: RequestContext, route: GraphQLRoute): Promise<Reply | undefined> {
  if (!route.authenticate) return undefined;
  const header = req.headers.authorization?.trim();
  const m = header ? BEARER.exec(header) : null;
  let failure: AuthFailure;
  let reason: string;
  if (m) {
    try {
      ctx.principal = await route.authenticate(m[1]!);
      return undefined;
    } catch (error) {
      reason = (error as Error).message;
      failure = error instanceof AuthenticationError ? error.refusal : { kind: 'invalid' };
    }
  } else if (header && PRESENTS_BEARER.test(header)) {
    reason = 'the Authorization header is not "Bearer <JWT>"';
    failure = { kind: 'invalid' };
  } else {
    // No header, or another scheme (Basic...): the client presented no bearer token at all.
    reason = header ? 'the Authorization scheme is not Bearer' : 'no Authorization header';
    failure = { kind: 'missing' };
  }
  route.log(`request ${ctx.requestId}: unauthenticated: ${reason}`);
  const { error, wwwAuthenticate } = bearerChallenge(failure);
  return errorReply(401, error.code, error.message, [['www-authenticate', wwwAuthenticate]]);
}

/** Runs the operation through Apollo Server with the request's context. */
async function execute(req: IncomingMessage, ctx: RequestContext, search: string, body: unknown, route: GraphQLRoute): Promise<Reply> {
  const response = await route.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers: toHeaderMap(req), search, body },
    context: async () => ctx,
  });
  return { status: response.status ?? 200, headers: [...response.headers], body: response.body.kind === 'complete' ? response.body.string : response.body.asyncIterator };
}

/** Records the reply (fail closed) and writes it; returns the status sent. */
async function finish(res: ServerResponse, ctx: RequestContext, route: GraphQLRoute, reply: Reply): Promise<number> {
  let sent = reply;
  if (route.record) {
    try {
      await route.record(ctx, reply.status, reply.errorCode);
    } catch {
      sent = errorReply(503, 'PRODUCT_UNAVAILABLE', 'The access log cannot be written, so no data is served until it can; try again later.', [['retry-after', '5']]);
    }
  }
  // Replies made before Apollo ran carry their code here; the summary log line and the error metrics read it.
  if (sent.errorCode) ctx.audit.errorCodes = [sent.errorCode];
  for (const [name, value] of sent.headers) res.setHeader(name, value);
  res.statusCode = sent.status;
  if (typeof sent.body === 'string') {
    res.end(sent.body);
  } else {
    for await (const chunk of sent.body) res.write(chunk);
    res.end();
  }
  return sent.status;
}

/** Runs one GraphQL-over-HTTP request and returns the status sent. */
export async function handleGraphQL(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, search: string, route: GraphQLRoute): Promise<number> {
  let body: unknown;
  if ((req.method ?? 'GET').toUpperCase() === 'POST') {
    const parsed = await parseBody(req, route.maxBodyBytes);
    if ('refused' in parsed) return finish(res, ctx, route, parsed.refused);
    body = parsed.body;
  }
  const refused = await authenticate(req, ctx, route);
  if (refused) return finish(res, ctx, route, refused);
  return finish(res, ctx, route, await execute(req, ctx, search, body, route));
}
