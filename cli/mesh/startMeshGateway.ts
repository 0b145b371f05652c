/** Starts the gateway over a mesh's domains, with the configured host, port, timeouts, connection cap, shutdown grace, CORS origins, subgraph timeout and circuit breakers; re-composes it when the declarations change. */
import { buildSubgraphSdl, meshShapes, type Log, type Mesh } from '../../schema/index.js';
import { startGateway, type AccessLog, type GatewayAccess, type GraphiQLGuide, type RunningGateway, type SubgraphService, type SubgraphTransport } from '../../gateway/index.js';
import type { Config } from '../config.js';
import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { dataPortMetricsAccess, serveMetricsPort } from './processMetrics.js';

/** Where a domain's subgraph answers: one URL, or every replica's. */
export type SubgraphUrls = (domain: string) => string | readonly string[];

/** What the gateway is started with, besides the configuration. */
export interface MeshGatewayOptions {
  readonly mesh: Mesh;
  /** Where each domain's subgraph answers (its replicas, when several). */
  readonly urlOf: SubgraphUrls;
  /** How the gateway reaches a domain when not over HTTP to its URL (the embedded mesh's in-process transport). */
  readonly transportOf?: (domain: string) => SubgraphTransport | undefined;
  /** Default MESHGATE_GATEWAY_PORT; 0 picks a free one. */
  readonly port?: number;
  /** Access control; undefined when it is off. */
  readonly access: GatewayAccess | undefined;
  /** Undefined when the access log is off. */
  readonly accessLog: AccessLog | undefined;
  readonly log: Log;
  /** Metrics to serve beside the gateway's own. */
  readonly extraMetrics?: () => string;
  /** What the GraphiQL page offers (see graphiqlGuide in cli/security.ts). */
  readonly graphiql?: GraphiQLGuide;
  /** The process's metrics registry (cli/mesh/processMetrics.ts); default the gateway's own. */
  readonly metricsRegistry?: Registry;
  /** Traces requests when tracing is on (cli/tracing.ts). */
  readonly tracer?: Tracer;
}

/**
 * Each domain as the gateway composes it. The SDL comes from the declarations, the way each subgraph
 * derives its own, so the gateway never asks a subgraph for its schema (each reply's schema hash
 * tells it when the two differ).
 */
export function gatewayServices(mesh: Mesh, urlOf: SubgraphUrls, transportOf: MeshGatewayOptions['transportOf']): SubgraphService[] {
  const shapes = meshShapes(mesh);
  return mesh.domains.map((d) => {
    const transport = transportOf?.(d.name);
    const given = urlOf(d.name);
    const urls = typeof given === 'string' ? [given] : [...given];
    return { name: d.name, url: urls[0] ?? '', urls, typeDefs: buildSubgraphSdl(d.name, shapes), ...(transport && { transport }) };
  });
}

/** MESHGATE_CORS_ORIGINS as a list: comma-separated, blanks around each ignored (startGateway checks each is an origin). */
const corsOrigins = (value: string): string[] =>
  value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');

/** Composes every domain of `mesh` and serves the graph on MESHGATE_HOST, and its metrics where the configuration says (cli/mesh/processMetrics.ts). */
export async function startMeshGateway(config: Config, options: MeshGatewayOptions): Promise<RunningGateway> {
  const { mesh, urlOf, access, accessLog, log } = options;
  const gateway = await startGateway({
    services: gatewayServices(mesh, urlOf, options.transportOf),
    mergeInFlight: config.MESHGATE_INFLIGHT_MERGE === 'on',
    host: config.MESHGATE_HOST,
    port: options.port ?? config.MESHGATE_GATEWAY_PORT,
    subgraphTimeoutMs: config.MESHGATE_SUBGRAPH_TIMEOUT_MS,
    headersTimeoutMs: config.MESHGATE_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.MESHGATE_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.MESHGATE_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.MESHGATE_MAX_CONNECTIONS,
    shutdownGraceMs: config.MESHGATE_SHUTDOWN_GRACE_MS,
    ...(config.MESHGATE_CORS_ORIGINS && { corsOrigins: corsOrigins(config.MESHGATE_CORS_ORIGINS) }),
    breakerFailures: config.MESHGATE_BREAKER_FAILURES,
    breakerResetMs: config.MESHGATE_BREAKER_RESET_MS,
    leftOut: mesh.excluded,
    log,
    metricsAccess: dataPortMetricsAccess(config, log),
    ...(options.metricsRegistry && { metricsRegistry: options.metricsRegistry }),
    ...(options.tracer && { tracer: options.tracer }),
    ...(access && { access }),
    ...(accessLog && { accessLog }),
    ...(options.extraMetrics && { extraMetrics: options.extraMetrics }),
    ...(options.graphiql && { graphiql: options.graphiql }),
  });
  const port = config.MESHGATE_METRICS_PORT;
  if (port === undefined) return gateway;
  let stopMetrics: () => Promise<void>;
  try {
    stopMetrics = await serveMetricsPort(config, port, () => gateway.metrics());
  } catch (error) {
    await gateway.close();
    throw error;
  }
  log(`meshgate gateway: metrics on http://${config.MESHGATE_HOST}:${port}/metrics`);
  return { ...gateway, close: async () => void (await Promise.all([gateway.close(), stopMetrics()])) };
}
