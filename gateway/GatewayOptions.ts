import type { Tracer } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import type { Principal, RequestContext } from './context.js';
import type { MetricsAccess } from './http/metricsRoute.js';
import type { AccessControl } from './access/accessPlugin.js';
import type { AccessLog } from './accessLog/AccessLog.js';
import type { GraphiQLGuide } from './graphiql/GraphiQLGuide.js';
import type { SubgraphTransport } from './transport/SubgraphTransport.js';
import type { Log } from '../schema/index.js';

/** Access control: who the caller is (a token verifier) and what they may read (the policy). */
export interface GatewayAccess extends AccessControl {
  /** Verifies a bearer token into a principal; throws when it is not valid. */
  readonly authenticate: (token: string) => Promise<Principal>;
}

/** One domain subgraph the gateway composes and calls: its name, where it listens, and its federation SDL. */
export interface SubgraphService {
  /** The domain's name, the only thing about a subgraph a client may ever see in an error. */
  readonly name: string;
  /** Where it listens (its first replica when `urls` is given). */
  readonly url: string;
  /** Every replica's URL; calls are balanced over them (default: `url` alone). */
  readonly urls?: readonly string[];
  /** The subgraph's federation 2 SDL. */
  readonly typeDefs: string;
  /** How the gateway reaches it: HTTP to `url` unless the composition root hands another transport (the embedded mesh's in-process one). */
  readonly transport?: SubgraphTransport;
}

/** What `startGateway` needs: the subgraphs to compose plus optional limits and hooks. */
export interface GatewayOptions {
  readonly services: readonly SubgraphService[];
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on; default 4000, 0 picks a free one. */
  readonly port?: number;
  /** How long a subgraph call may take before the client gets PRODUCT_UNAVAILABLE; default 10 000 ms. */
  readonly subgraphTimeoutMs?: number;
  /** Largest request body accepted; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Where messages go; default one line each to stderr. */
  readonly log?: Log;
  /** Authentication and access policies; without it the gateway is open (benchmarks and toy setups only). */
  readonly access?: GatewayAccess;
  /** The access log every GraphQL request is recorded in, durably, before its reply is sent. */
  readonly accessLog?: AccessLog;
  /** Metrics of the gateway's owner to serve on /metrics beside its own (Prometheus text). */
  readonly extraMetrics?: () => string;
  /** What the GraphiQL page offers besides the editor (examples, dev tokens); without it the page only says how to send a token. */
  readonly graphiql?: GraphiQLGuide;
  /** Merge identical subgraph calls in flight whose requests hold the same grant; default true. */
  readonly mergeInFlight?: boolean;
  /** Extra headers for every subgraph call of a request. */
  readonly headersForSubgraph?: (ctx: RequestContext) => Record<string, string>;
  /** Origins a browser app may call the gateway from (`https://app.example.com`, or `*` for any); none by default: no CORS. */
  readonly corsOrigins?: readonly string[];
  /** How long a client may take to send its headers; default 10 000 ms. */
  readonly headersTimeoutMs?: number;
  /** How long a client may take to send its whole request; default 30 000 ms. */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open; default 5 000 ms. */
  readonly keepAliveTimeoutMs?: number;
  /** The most connections open at once; those beyond are closed as they arrive. Default 1 024. */
  readonly maxConnections?: number;
  /** How long `close()` lets in-flight requests finish before it cuts their connections; default 5 000 ms. */
  readonly shutdownGraceMs?: number;
  /** Consecutive calls without a reply that open a replica's circuit breaker; default 5. */
  readonly breakerFailures?: number;
  /** How long an open breaker waits before it lets one probe through; default 10 000 ms. */
  readonly breakerResetMs?: number;
  /** How often an outage is summarised in the log; default 10 000 ms. */
  readonly outageLogIntervalMs?: number;
  /** Domains whose declarations are broken and which the gateway does not serve: readiness reports them. */
  readonly leftOut?: readonly string[];
  /** The process's metrics registry (the embedded mesh serves one for every part); default: the gateway's own, with the process and runtime metrics. */
  readonly metricsRegistry?: Registry;
  /** Who may read /metrics on the data port; default open (dev). */
  readonly metricsAccess?: MetricsAccess;
  /** Traces requests and subgraph calls (OpenTelemetry); absent: tracing is off and costs nothing. */
  readonly tracer?: Tracer;
}

/** What a re-composition is given: the subgraphs as now declared, and the access index built from the same declarations. */
export interface Recomposition {
  readonly services: readonly SubgraphService[];
  /** The product index of the new declarations (when access control is on). */
  readonly index?: GatewayAccess['index'];
  /** Domains now left out (broken declarations), for readiness. */
  readonly leftOut?: readonly string[];
  /** Problems the owner found in the new declarations before composing (a broken contract, a policy that no longer fits): the re-composition is refused with them. */
  readonly problems?: readonly string[];
}

/** A gateway that is listening: its addresses and the way to stop it. */
export interface RunningGateway {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  /** `http://host:port/graphql`. */
  readonly graphqlUrl: string;
  /**
   * Composes the subgraphs anew and, when they compose, swaps the supergraph, the GraphiQL schema and
   * the access index in (requests in flight finish on the previous one); when they do not, nothing
   * changes and the problems are returned (and logged, and readiness reports the refusal).
   */
  recompose(next: Recomposition): Promise<{ readonly errors?: readonly string[] }>;
  /** The gateway's metrics (with the owner's extra ones) in the Prometheus text format, for a metrics port of their own. */
  metrics(): Promise<string>;
  /** Stops accepting connections, answers every later request with `Connection: close`, lets in-flight ones finish (within the shutdown grace) and releases the port. */
  close(): Promise<void>;
}
