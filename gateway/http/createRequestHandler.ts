import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CATALOG_PATH, type CatalogPage } from '../catalog/catalogPage.js';
import type { Log } from '../../schema/index.js';
import { createRequestContext } from '../context.js';
import type { RequestContext } from '../context.js';
import type { GraphiQLPage } from '../graphiql.js';
import { DEV_TOKEN_PATH } from '../graphiql/graphiqlContent.js';
import type { DevTokenIssuer } from '../graphiql/GraphiQLGuide.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Tracer } from '@opentelemetry/api';
import { endRequestSpan, logRequestSummary, startRequestSpan } from '../telemetry.js';
import { serveMetricsRoute, type MetricsAccess } from './metricsRoute.js';
import { handleDevToken } from './handleDevToken.js';
import type { Cors } from './cors.js';
import { errorReply, finish, handleGraphQL } from './handleGraphQL.js';
import type { GraphQLRoute } from './handleGraphQL.js';
import { sendGraphQLError } from './sendJson.js';

/** Everything the gateway's HTTP routes need, wired once at start. */
export interface RequestHandlerDeps extends GraphQLRoute {
  readonly graphiql: GraphiQLPage;
  /** The catalog web page; without it `/catalog` is not found. */
  readonly catalog?: CatalogPage;
  readonly metrics: GatewayMetrics;
  /** Who may read /metrics on this port (see http/metricsRoute.ts); default open. */
  readonly metricsAccess?: MetricsAccess;
  /** Traces requests when set (off by default: then no OpenTelemetry code runs per request). */
  readonly tracer?: Tracer;
  /** Whether the gateway takes new work (for /readyz): started and not shutting down. */
  readonly isReady: () => boolean;
  /** Whether GraphQL can be served: started (and, while shutting down, still serving the requests that reach it). */
  readonly isServing: () => boolean;
  /** Whether the gateway is shutting down: every reply then says `Connection: close`, so keep-alive clients go elsewhere. */
  readonly isDraining: () => boolean;
  /** CORS for the configured origins; without it no CORS header is sent and OPTIONS is not special. */
  readonly cors?: Cors;
  /** What a ready gateway says in its /readyz body (JSON: "ready" or "degraded", per subgraph); without it the body is plain "ready". */
  readonly readiness?: () => { readonly status: string };
  readonly log: Log;
  /** Dev tokens on POST /dev/token (dev mode only; without them the route does not exist), and the host the gateway listens on. */
  readonly devTokens?: { readonly issuer: DevTokenIssuer; readonly host: string };
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): number {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendGraphQLError(res, 405, 'BAD_USER_INPUT', 'Only GET is allowed here');
  }
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
  return status;
}

/** Sends a GET or HEAD for `/` on to the catalog page. */
function redirectToCatalog(res: ServerResponse): number {
  const body = `See ${CATALOG_PATH}`;
  res.writeHead(302, { location: CATALOG_PATH, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
  return 302;
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
}

/** Which route answered (a small fixed set, used as a metrics label) and the status it sent. */
interface Outcome {
  route: string;
  status: number;
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, deps: RequestHandlerDeps, out: Outcome): Promise<void> {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const search = q === -1 ? '' : rawUrl.slice(q);
  switch (path) {
    case '/graphql':
      if (wantsHtml(req)) {
        out.route = 'graphiql';
        out.status = deps.graphiql.serve(req, res);
        return;
      }
      out.route = 'graphql';
      out.status = deps.isServing()
        ? await handleGraphQL(req, res, ctx, search, deps)
        : await finish(res, ctx, deps, errorReply(503, 'PRODUCT_UNAVAILABLE', 'The gateway is not ready; try again shortly.', [['retry-after', '1']]));
      return;
    case DEV_TOKEN_PATH:
      out.route = 'dev-token';
      out.status = deps.devTokens
        ? await handleDevToken(req, res, { ...deps.devTokens, log: deps.log })
        : sendGraphQLError(
            res,
            404,
            'BAD_USER_INPUT',
            'Not found: dev tokens are issued only by a gateway in dev mode (never with NODE_ENV=production); get a token from your identity provider',
          );
      return;
    case '/healthz':
      out.route = 'healthz';
      out.status = sendText(req, res, 200, 'ok');
      return;
    case '/readyz':
      out.route = 'readyz';
      // Degraded (a circuit open, a schema mismatch) is still 200: the gateway serves; the body says what is wrong.
      out.status = !deps.isReady()
        ? sendText(req, res, 503, 'not ready')
        : deps.readiness
          ? sendText(req, res, 200, `${JSON.stringify(deps.readiness())}\n`, 'application/json; charset=utf-8')
          : sendText(req, res, 200, 'ready');
      return;
    case '/metrics':
      out.route = 'metrics';
      out.status = await serveMetricsRoute(req, res, deps.metrics, deps.metricsAccess ?? { kind: 'open' });
      return;
    case '/':
      if (deps.catalog && (req.method === 'GET' || req.method === 'HEAD')) {
        out.route = 'catalog';
        out.status = redirectToCatalog(res);
        return;
      }
      break;
    default:
      if (path.startsWith('/graphql/')) {
        // A GraphQL request sent to a wrong path under /graphql is still a GraphQL request: recorded like every other.
        out.route = 'graphql';
        out.status = await finish(res, ctx, deps, errorReply(404, 'BAD_USER_INPUT', 'Not found: GraphQL is served at /graphql'));
        return;
      }
      if (deps.catalog && (path === CATALOG_PATH || path.startsWith(`${CATALOG_PATH}/`))) {
        out.route = 'catalog';
        out.status = deps.catalog.serve(req, res, path);
        return;
      }
  }
  out.status = sendGraphQLError(res, 404, 'BAD_USER_INPUT', `Not found: GraphQL is served at /graphql${deps.catalog ? `, the catalog at ${CATALOG_PATH}` : ''}`);
}

/**
 * The gateway's `node:http` request listener: answers a CORS preflight before anything else (it
 * carries no token), builds the request context, routes, answers failures with JSON, counts every
 * request. The reply names the server's request id (`x-request-id`) and echoes the client's own
 * (`x-client-request-id`) when it sent a safe one.
 */
export function createRequestHandler(deps: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    if (deps.isDraining()) res.setHeader('connection', 'close');
    if (deps.cors?.isPreflight(req)) {
      const status = deps.cors.preflight(req, res);
      deps.metrics.observeRequest('preflight', status, (performance.now() - started) / 1000);
      return;
    }
    deps.cors?.decorate(req, res);
    const ctx = createRequestContext(req.headers);
    res.setHeader('x-request-id', ctx.requestId);
    if (ctx.clientRequestId !== undefined) res.setHeader('x-client-request-id', ctx.clientRequestId);
    const outcome: Outcome = { route: 'other', status: 500 };
    const span = startRequestSpan(deps.tracer, req, ctx);
    route(req, res, ctx, deps, outcome)
      .catch((error: unknown) => {
        deps.log(`request ${ctx.requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, { level: 'error', requestId: ctx.requestId });
        outcome.status = 500;
        if (res.headersSent) res.destroy();
        else sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', `Internal server error (request id ${ctx.requestId})`);
      })
      .finally(() => {
        const seconds = (performance.now() - started) / 1000;
        deps.metrics.observeRequest(outcome.route, outcome.status, seconds);
        endRequestSpan(span, ctx, outcome.status);
        if (outcome.route !== 'graphql') return;
        deps.metrics.observeErrors(ctx.audit.errorCodes);
        logRequestSummary(deps.log, ctx, outcome.status, seconds);
      });
  };
}
