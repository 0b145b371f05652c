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
import { AuthenticationError, KeySetUnavailableError } from '../auth/createVerifier.js';
import { bearerChallenge, type AuthFailure } from '../auth/bearerChallenge.js';
import type { Principal, RequestContext } from '../context.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './jsonDepth.js';
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

/** A reply made before Apollo runs (a refusal, the gateway not ready), as the route records and sends it. */
export function errorReply(status: number, code: ErrorCode, message: string, extra: readonly (readonly [string, string])[] = []): Reply {
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
  if (read.kind === 'incomplete') return { refused: errorReply(400, 'BAD_USER_INPUT', 'The request body was not received in full', [['connection', 'close']]) };
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
  const { variables, extensions } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const tooDeep = tooDeepRefusal(variables, extensions);
  return tooDeep ? { refused: tooDeep } : { body };
}

/** The refusal of variables (or extensions) nested deeper than anything is walked: before Apollo, graphql-js or the planner recurse into them. */
function tooDeepRefusal(...values: unknown[]): Reply | undefined {
  if (!values.some((v) => nestsDeeperThan(v, MAX_JSON_DEPTH))) return undefined;
  return errorReply(400, 'QUERY_TOO_COMPLEX', `The variables nest more than ${MAX_JSON_DEPTH} levels of lists and objects deep; flatten the filter or split the operation.`);
}

/** The same check for a GET's `variables` and `extensions` parameters (Apollo parses them; one that is not JSON is its refusal to make). */
function refuseDeepQueryParams(search: string): Reply | undefined {
  const params = new URLSearchParams(search);
  const parsed = ['variables', 'extensions'].map((name) => {
    const text = params.get(name);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  });
  return tooDeepRefusal(...parsed);
}

/** Sets `ctx.principal` from the bearer token, or returns the 401 reply (missing, expired or invalid token) or the 503 one (the key set cannot be fetched, so no token can be judged). */
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
      if (error instanceof KeySetUnavailableError) {
        route.log(`request ${ctx.requestId}: cannot authenticate: ${error.message}`);
        return errorReply(503, 'PRODUCT_UNAVAILABLE', "The gateway cannot check tokens right now (its identity provider's keys cannot be fetched); try again later.", [
          ['retry-after', '5'],
        ]);
      }
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

/**
 * Records the reply (fail closed) and writes it; returns the status sent. Every reply of the
 * GraphQL route passes here exactly once, so every one has its access-log entry.
 */
export async function finish(res: ServerResponse, ctx: RequestContext, route: Pick<GraphQLRoute, 'record' | 'log'>, reply: Reply): Promise<number> {
  logRefusal(ctx, route.log, reply);
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
  for (const [name, value] of sent.headers) {
    // CORS set `Vary: Origin` already; Apollo's own Vary is added to it, not put in its place.
    const vary = name.toLowerCase() === 'vary' ? res.getHeader('vary') : undefined;
    res.setHeader(name, vary === undefined ? value : `${String(vary)}, ${value}`);
  }
  res.statusCode = sent.status;
  if (typeof sent.body === 'string') {
    res.end(sent.body);
  } else {
    for await (const chunk of sent.body) res.write(chunk);
    res.end();
  }
  return sent.status;
}

/** A client's mistake (4xx) is logged with what the client was told, so an operator sees it; a 401 is logged with its reason where it is decided. */
function logRefusal(ctx: RequestContext, log: (line: string) => void, reply: Reply): void {
  if (reply.status < 400 || reply.status >= 500 || reply.status === 401) return;
  let first: { message?: unknown; extensions?: { code?: unknown } } | undefined;
  if (typeof reply.body === 'string') {
    try {
      first = (JSON.parse(reply.body) as { errors?: (typeof first)[] }).errors?.[0];
    } catch {
      first = undefined;
    }
  }
  const code = reply.errorCode ?? first?.extensions?.code ?? ctx.audit.errorCodes[0] ?? '-';
  log(`request ${ctx.requestId}: refused with ${reply.status} ${String(code)}: ${typeof first?.message === 'string' ? first.message : '-'}`);
}

/** The reply to one GraphQL-over-HTTP request, built before anything is written. */
async function reply(req: IncomingMessage, ctx: RequestContext, search: string, route: GraphQLRoute): Promise<Reply> {
  let body: unknown;
  if ((req.method ?? 'GET').toUpperCase() === 'POST') {
    const parsed = await parseBody(req, route.maxBodyBytes);
    if ('refused' in parsed) return parsed.refused;
    body = parsed.body;
  } else {
    const tooDeep = refuseDeepQueryParams(search);
    if (tooDeep) return tooDeep;
  }
  const refused = await authenticate(req, ctx, route);
  if (refused) return refused;
  return execute(req, ctx, search, body, route);
}

/** Runs one GraphQL-over-HTTP request and returns the status sent; a failure inside is a recorded 500 like any other reply. */
export async function handleGraphQL(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, search: string, route: GraphQLRoute): Promise<number> {
  let built: Reply;
  try {
    built = await reply(req, ctx, search, route);
  } catch (error) {
    route.log(`request ${ctx.requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    built = errorReply(500, 'INTERNAL_SERVER_ERROR', `Internal server error (request id ${ctx.requestId})`);
  }
  return finish(res, ctx, route, built);
}
