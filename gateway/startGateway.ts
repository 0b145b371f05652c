import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { apolloLogger } from './apolloLogger.js';
import { composeSupergraph } from './composeSupergraph.js';
import { CompositionError } from './CompositionError.js';
import { createApolloServer } from './createApolloServer.js';
import type { GatewayOptions, RunningGateway } from './GatewayOptions.js';
import { createGraphiQLPage } from './graphiql.js';
import { createCatalogPage } from './catalog/catalogPage.js';
import { graphiqlContent } from './graphiql/graphiqlContent.js';
import { Cors } from './http/cors.js';
import { createRequestHandler } from './http/createRequestHandler.js';
import { GatewayMetrics } from './metrics.js';
import { subgraphCallObserver } from './telemetry.js';
import { validateGatewayOptions } from './validateGatewayOptions.js';
import { accessPlugin } from './access/accessPlugin.js';
import { auditPlugin } from './accessLog/auditPlugin.js';
import { recordAccess } from './accessLog/recordAccess.js';
import { Upstreams } from './upstream/Upstreams.js';
import { liveGraphiQL, liveIndex, recomposer } from './recompose.js';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Stops listening and resolves once every connection has ended, cutting those still open after
 * `graceMs`. It calls net.Server's close, not http.Server's: since Node 19 the latter also closes
 * idle keep-alive connections at once, racing a client that is just sending its next request on one
 * (the client sees a reset, the server never saw the request). Left open, each connection ends with
 * the `Connection: close` of its next reply, or at the keep-alive timeout. http.Server's close then
 * runs on the closed server only to stop its timeout checks.
 */
function drainServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    NetServer.prototype.close.call(server, () => {
      clearTimeout(force);
      server.close(() => undefined);
      resolve();
    });
  });
}

/** Node checks the header and request timeouts on an interval (30 s by default, so a 10 s timeout fired at ~30 s): a tenth of the shorter one, between 50 ms and 1 s. */
const checkingInterval = (headersMs: number, requestMs: number): number => Math.max(50, Math.min(1_000, Math.floor(Math.min(headersMs, requestMs) / 10)));

/** Composes the subgraphs in-process, then serves GraphQL, the offline GraphiQL page (and its dev tokens in dev mode), the catalog page, health and metrics over `node:http`. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const settings = validateGatewayOptions(options);
  const composed = composeSupergraph(settings.services);
  if (composed.errors) throw new CompositionError(composed.errors);

  const { log } = settings;
  const metrics = new GatewayMetrics(options.metricsRegistry);
  const upstreams = new Upstreams(settings, metrics, subgraphCallObserver(metrics, options.tracer));
  upstreams.update(settings.services);
  // Apollo Gateway otherwise exports OpenTelemetry metrics to Apollo's servers and probes cloud
  // metadata endpoints (GCP, AWS, Azure, Alibaba) from its constructor: meshgate never calls out.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  let swap: ((supergraphSdl: string) => void) | undefined;
  const gateway = new ApolloGateway({
    // A function rather than the SDL itself, for the `update` callback that hot re-composition swaps the supergraph with.
    supergraphSdl: ({ update }) => {
      swap = update;
      return Promise.resolve({ supergraphSdl: composed.supergraphSdl });
    },
    logger: apolloLogger(log),
    buildService: ({ name }) => upstreams.dataSource(name),
  });
  const index = options.access && liveIndex(options.access);
  const access = index?.access;
  const apollo = createApolloServer(gateway, apolloLogger(log), [auditPlugin(), ...(access ? [accessPlugin(access)] : [])]);
  const accessLog = options.accessLog;
  if (accessLog) metrics.accessLogStats = () => accessLog.stats;
  metrics.extra = options.extraMetrics;
  const record = accessLog && recordAccess(accessLog, metrics);
  const guide = settings.graphiql;
  const pageOf = (schema: typeof composed.apiSchema) =>
    createGraphiQLPage(graphiqlContent({ endpoint: '/graphql', schema, log, ...(guide && { guide }), ...(access && { policy: access.policy }) }));
  const graphiql = liveGraphiQL(await pageOf(composed.apiSchema));
  const catalog = await createCatalogPage();

  let started = false;
  let draining = false;
  /** Replies not yet sent: when shutdown begins they are told to close their connection too. */
  const pending = new Set<ServerResponse>();
  const headersTimeout = Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs);
  const server = createServer(
    { headersTimeout, requestTimeout: settings.requestTimeoutMs, connectionsCheckingInterval: checkingInterval(headersTimeout, settings.requestTimeoutMs) },
    createRequestHandler({
      apollo,
      graphiql: graphiql.page,
      catalog,
      metrics,
      metricsAccess: options.metricsAccess ?? { kind: 'open' },
      ...(options.tracer && { tracer: options.tracer }),
      log,
      maxBodyBytes: settings.maxBodyBytes,
      isReady: () => started && !draining,
      isServing: () => started,
      isDraining: () => draining,
      ...(settings.corsOrigins.length > 0 && { cors: new Cors(settings.corsOrigins) }),
      readiness: () => upstreams.health.report(),
      ...(guide?.devTokens && { devTokens: { issuer: guide.devTokens, host: settings.host } }),
      ...(access && { authenticate: access.authenticate }),
      ...(record && { record }),
    }),
  );
  // A slow client may not hold a socket open forever while sending its headers or body, nor open sockets without bound.
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.maxConnections = settings.maxConnections;
  server.on('drop', () => metrics.observeConnectionRefused());
  server.on('request', (_req, res: ServerResponse) => {
    pending.add(res);
    res.once('close', () => pending.delete(res));
  });
  await listen(server, settings.port, settings.host);
  try {
    await apollo.start();
  } catch (error) {
    await drainServer(server, 0);
    upstreams.close();
    throw error;
  }
  started = true;
  upstreams.probe();

  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  log(`meshgate gateway: GraphQL at ${url}/graphql over ${settings.services.length} subgraph(s)`);
  let closing: Promise<void> | undefined;
  const recompose = recomposer({ log, metrics, upstreams, index, graphiql, pageOf, swap: (sdl) => swap?.(sdl) }, composed.supergraphSdl);
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    recompose,
    metrics: () => metrics.render(),
    close: () =>
      (closing ??= (async () => {
        draining = true;
        for (const res of pending) if (!res.headersSent) res.setHeader('connection', 'close');
        await drainServer(server, settings.shutdownGraceMs);
        await apollo.stop();
        upstreams.close();
      })()),
  };
}
