import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { apolloLogger } from './apolloLogger.js';
import { composeSupergraph } from './composeSupergraph.js';
import { CompositionError } from './CompositionError.js';
import { createApolloServer } from './createApolloServer.js';
import type { GatewayOptions, RunningGateway } from './GatewayOptions.js';
import { createGraphiQLPage } from './graphiql.js';
import { createCatalogPage } from './catalog/catalogPage.js';
import { graphiqlContent } from './graphiql/graphiqlContent.js';
import { createRequestHandler } from './http/createRequestHandler.js';
import { GatewayMetrics } from './metrics.js';
import { SubgraphDataSource } from './SubgraphDataSource.js';
import { subgraphCallObserver } from './telemetry.js';
import { httpTransport } from './transport/httpTransport.js';
import type { SubgraphFailureReason } from './SubgraphDataSource.js';
import { validateGatewayOptions } from './validateGatewayOptions.js';
import { accessPlugin } from './access/accessPlugin.js';
import { auditPlugin } from './accessLog/auditPlugin.js';
import { recordAccess } from './accessLog/recordAccess.js';
import { ACCESS_CONTEXT_HEADER } from '../policies/index.js';

/** How long `close()` lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 5_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function describeCause(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return String(cause);
  const { name, message, cause: inner } = cause as { name?: unknown; message?: unknown; cause?: unknown };
  const innerMessage = typeof inner === 'object' && inner !== null ? (inner as { message?: unknown }).message : undefined;
  return `${String(name)}: ${String(message)}${typeof innerMessage === 'string' ? `: ${innerMessage}` : ''}`;
}

/** Composes the subgraphs in-process, then serves GraphQL, the offline GraphiQL page (and its dev tokens in dev mode), the catalog page, health and metrics over `node:http`. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const settings = validateGatewayOptions(options);
  const composed = composeSupergraph(settings.services);
  if (composed.errors) throw new CompositionError(composed.errors);

  const { log } = settings;
  const metrics = new GatewayMetrics(options.metricsRegistry);
  const transports = new Map(settings.services.map((s) => [s.name, s.transport ?? httpTransport(s.url)]));
  const onFailure = (name: string, reason: SubgraphFailureReason, cause: unknown, ctx: { requestId: string } | null): void => {
    metrics.observeSubgraphFailure(name, reason);
    log(`subgraph "${name}" failed (${reason}) for request ${ctx?.requestId ?? '-'}: ${describeCause(cause)}`, {
      level: 'warn',
      subgraph: name,
      reason,
      ...(ctx && { requestId: ctx.requestId }),
    });
  };
  const observeCall = subgraphCallObserver(metrics, options.tracer);
  // Apollo Gateway otherwise exports OpenTelemetry metrics to Apollo's servers and probes cloud
  // metadata endpoints (GCP, AWS, Azure, Alibaba) from its constructor: meshgate never calls out.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    logger: apolloLogger(log),
    buildService: ({ name, url }) => {
      return new SubgraphDataSource({
        name,
        transport: transports.get(name) ?? httpTransport(url ?? ''),
        timeoutMs: settings.subgraphTimeoutMs,
        headersForSubgraph: settings.headersForSubgraph,
        accessContext: (ctx) => (ctx.access.token === undefined ? undefined : [ACCESS_CONTEXT_HEADER, ctx.access.token]),
        mergeInFlight: settings.mergeInFlight,
        onFailure,
        onMerged: (subgraph) => metrics.observeSubgraphMerged(subgraph),
        observeCall,
      });
    },
  });
  const access = options.access;
  const apollo = createApolloServer(gateway, apolloLogger(log), [auditPlugin(), ...(access ? [accessPlugin(access)] : [])]);
  const accessLog = options.accessLog;
  if (accessLog) metrics.accessLogStats = () => accessLog.stats;
  metrics.extra = options.extraMetrics;
  const record = accessLog && recordAccess(accessLog, metrics);
  const guide = settings.graphiql;
  const graphiql = await createGraphiQLPage(
    graphiqlContent({ endpoint: '/graphql', schema: composed.apiSchema, log, ...(guide && { guide }), ...(access && { policy: access.policy }) }),
  );
  const catalog = await createCatalogPage();

  let ready = false;
  const server = createServer(
    createRequestHandler({
      apollo,
      graphiql,
      catalog,
      metrics,
      metricsAccess: options.metricsAccess ?? { kind: 'open' },
      ...(options.tracer && { tracer: options.tracer }),
      log,
      maxBodyBytes: settings.maxBodyBytes,
      isReady: () => ready,
      ...(guide?.devTokens && { devTokens: { issuer: guide.devTokens, host: settings.host } }),
      ...(access && { authenticate: access.authenticate }),
      ...(record && { record }),
    }),
  );
  // A slow client may not hold a socket open forever while sending its headers or body.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, settings.port, settings.host);
  try {
    await apollo.start();
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  ready = true;

  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${host}:${port}`;
  log(`meshgate gateway: GraphQL at ${url}/graphql over ${settings.services.length} subgraph(s)`);
  let closing: Promise<void> | undefined;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    metrics: () => metrics.render(),
    close: () =>
      (closing ??= (async () => {
        ready = false;
        await closeServer(server);
        await apollo.stop();
        for (const t of transports.values()) t.close?.();
      })()),
  };
}
