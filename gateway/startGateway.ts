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
import { validateGatewayOptions } from './validateGatewayOptions.js';
import { accessPlugin } from './access/accessPlugin.js';
import { auditPlugin } from './accessLog/auditPlugin.js';
import { recordAccess } from './accessLog/recordAccess.js';
import { Upstreams } from './upstream/Upstreams.js';
import { liveGraphiQL, liveIndex, recomposer } from './recompose.js';

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

/** Composes the subgraphs in-process, then serves GraphQL, the offline GraphiQL page (and its dev tokens in dev mode), the catalog page, health and metrics over `node:http`. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const settings = validateGatewayOptions(options);
  const composed = composeSupergraph(settings.services);
  if (composed.errors) throw new CompositionError(composed.errors);

  const { log } = settings;
  const metrics = new GatewayMetrics();
  const upstreams = new Upstreams(settings, metrics);
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

  let ready = false;
  const server = createServer(
    createRequestHandler({
      apollo,
      graphiql: graphiql.page,
      catalog,
      metrics,
      log,
      maxBodyBytes: settings.maxBodyBytes,
      isReady: () => ready,
      readiness: () => upstreams.health.report(),
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
    upstreams.close();
    throw error;
  }
  ready = true;
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
    close: () =>
      (closing ??= (async () => {
        ready = false;
        await closeServer(server);
        await apollo.stop();
        upstreams.close();
      })()),
  };
}
