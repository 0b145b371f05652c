/**
 * The one table from meshgate.yaml's keys to the configuration's variables. The file is nested and
 * camelCase (`gateway: { port }`); the Config keeps the variables' names (`MESHGATE_GATEWAY_PORT`),
 * so nothing past readConfig knows the file exists. A key's type and bounds are its variable's
 * (envSchema.ts); the table only says where it sits in the file and how its YAML value becomes the
 * variable's text.
 */
import type { EnvName } from './envSchema.js';

/**
 * How a file value becomes its variable: `value` as written; `list` a YAML list (or one string)
 * joined with commas; `switch` a boolean for an `on`/`off` variable; `path` a path relative to the
 * file's folder.
 */
export type FileKeyKind = 'value' | 'list' | 'switch' | 'path';

/** One key of the file. */
export interface FileKey {
  /** Its dotted path in the file, e.g. `gateway.port`. */
  readonly key: string;
  readonly env: EnvName;
  readonly kind: FileKeyKind;
  /** One sentence for editors (the JSON Schema's description). */
  readonly doc: string;
}

const k = (key: string, env: EnvName, doc: string, kind: FileKeyKind = 'value'): FileKey => ({ key, env, kind, doc });

/** Every key of meshgate.yaml but the per-domain `subgraphs.<domain>.port` and `.url` (subgraphKeys below). */
export const FILE_KEYS: readonly FileKey[] = Object.freeze([
  k('host', 'MESHGATE_HOST', 'The address every service listens on.'),
  k('dataDir', 'MESHGATE_DATA_DIR', "The data root: the products' versions, the sample's sources (default: the repository's data/).", 'path'),
  k('subgraphsDir', 'MESHGATE_SUBGRAPHS_DIR', "The domains' declarations (default: the repository's subgraphs/).", 'path'),
  k('stateDir', 'MESHGATE_STATE_DIR', "Local state: locks, the dev keys (default: the repository's .meshgate/).", 'path'),
  k('policyFile', 'MESHGATE_POLICY_FILE', "The access policy (default: the repository's policies/access.yaml).", 'path'),
  k('access', 'MESHGATE_ACCESS', 'Enforce the access policy (false only to measure its cost).', 'switch'),
  k(
    'contextSecret',
    'MESHGATE_CONTEXT_SECRET',
    'The secret the gateway signs access contexts with (at least 32 bytes); better from MESHGATE_CONTEXT_SECRET or MESHGATE_CONTEXT_SECRET_FILE.',
  ),
  k('maskHashKey', 'MESHGATE_MASK_HASH_KEY', 'The key of the hash masks (at least 32 bytes); better from MESHGATE_MASK_HASH_KEY or MESHGATE_MASK_HASH_KEY_FILE.'),
  k('reload', 'MESHGATE_RELOAD', 'Watch the declarations and swap in changed ones.', 'switch'),
  k('gateway.port', 'MESHGATE_GATEWAY_PORT', "The gateway's port."),
  k('gateway.corsOrigins', 'MESHGATE_CORS_ORIGINS', 'Origins a browser app may call the gateway from, e.g. [https://app.example.com].', 'list'),
  k('gateway.instance', 'MESHGATE_INSTANCE', "This gateway's name among its replicas: each replica writes its own access-log chain (default: default).", 'value'),
  k('gateway.subgraphTimeoutMs', 'MESHGATE_SUBGRAPH_TIMEOUT_MS', 'How long a call to a subgraph may take.'),
  k('gateway.transport', 'MESHGATE_TRANSPORT', 'How the embedded mesh calls its subgraphs: in-process or http.'),
  k('gateway.inflightMerge', 'MESHGATE_INFLIGHT_MERGE', 'Merge identical subgraph calls in flight under the same grant.', 'switch'),
  k('auth.mode', 'MESHGATE_AUTH_MODE', 'How tokens are verified: dev (a local key), jwks or hmac.'),
  k('auth.jwksUrl', 'MESHGATE_JWKS_URL', "The identity provider's key set (https in production)."),
  k('auth.jwksFile', 'MESHGATE_JWKS_FILE', 'A key set served from a file.', 'path'),
  k('auth.jwksCacheMs', 'MESHGATE_JWKS_CACHE_MS', 'How long a fetched key set is used before it is fetched again.'),
  k('auth.jwksCooldownMs', 'MESHGATE_JWKS_COOLDOWN_MS', 'The least time between two fetches of the key set for an unknown kid.'),
  k('auth.jwksTimeoutMs', 'MESHGATE_JWKS_TIMEOUT_MS', 'How long one fetch of the key set may take.'),
  k('auth.issuer', 'MESHGATE_JWT_ISSUER', 'The iss a token must carry.'),
  k('auth.audience', 'MESHGATE_JWT_AUDIENCE', 'The aud a token must carry.'),
  k('auth.algorithms', 'MESHGATE_JWT_ALGORITHMS', 'The signing algorithms accepted, e.g. [RS256, ES256].', 'list'),
  k('auth.jwtSecret', 'MESHGATE_JWT_SECRET', 'The HMAC secret of auth.mode hmac (at least 32 bytes); better from MESHGATE_JWT_SECRET or MESHGATE_JWT_SECRET_FILE.'),
  k('auth.clockToleranceS', 'MESHGATE_JWT_CLOCK_TOLERANCE_S', 'Clock skew tolerated on exp, nbf and iat, in seconds.'),
  k('accessLog.enabled', 'MESHGATE_ACCESS_LOG', 'Write the access log (refused false in production).', 'switch'),
  k('accessLog.dir', 'MESHGATE_ACCESS_LOG_DIR', "The gateway's segments (default: <dataDir>/governance/access-log-raw).", 'path'),
  k('accessLog.rotateMs', 'MESHGATE_ACCESS_LOG_ROTATE_MS', 'A segment is closed for compaction this long after its first entry.'),
  k('duckdb.memory', 'MESHGATE_DUCKDB_MEMORY', "The serving database's memory limit, e.g. 2GB."),
  k('duckdb.threads', 'MESHGATE_DUCKDB_THREADS', 'Threads per query of the serving database.'),
  k('duckdb.buildThreads', 'MESHGATE_BUILD_THREADS', "Threads of a build's own database."),
  k('duckdb.queryTimeoutMs', 'MESHGATE_QUERY_TIMEOUT_MS', 'How long one statement may run.'),
  k('resultCache.enabled', 'MESHGATE_RESULT_CACHE', "Keep statements' rows in each subgraph.", 'switch'),
  k('resultCache.sizeMb', 'MESHGATE_RESULT_CACHE_MB', "The result cache's size per process."),
  k('http.headersTimeoutMs', 'MESHGATE_HEADERS_TIMEOUT_MS', "How long a client may take to send a request's headers."),
  k('http.requestTimeoutMs', 'MESHGATE_REQUEST_TIMEOUT_MS', 'How long a client may take to send a whole request.'),
  k('http.keepAliveTimeoutMs', 'MESHGATE_KEEP_ALIVE_TIMEOUT_MS', 'How long an idle keep-alive connection is kept.'),
  k('http.maxConnections', 'MESHGATE_MAX_CONNECTIONS', 'Connections served at once; more are refused.'),
  k('http.shutdownGraceMs', 'MESHGATE_SHUTDOWN_GRACE_MS', 'How long SIGTERM waits for requests in flight.'),
  k('breaker.failures', 'MESHGATE_BREAKER_FAILURES', "Consecutive failed calls that open a subgraph's circuit."),
  k('breaker.resetMs', 'MESHGATE_BREAKER_RESET_MS', 'How long an open circuit waits before a probe (half-open).'),
  k('metrics.port', 'MESHGATE_METRICS_PORT', 'Serve /metrics on this port of its own (then not on the data port).'),
  k('metrics.token', 'MESHGATE_METRICS_TOKEN', 'A bearer token /metrics requires (at least 16 characters); better from MESHGATE_METRICS_TOKEN or MESHGATE_METRICS_TOKEN_FILE.'),
  k('log.level', 'MESHGATE_LOG_LEVEL', 'The least severe level logged.'),
  k('log.format', 'MESHGATE_LOG_FORMAT', 'json, pretty, or auto (pretty on a terminal, JSON otherwise).'),
  k('tracing.otlpEndpoint', 'MESHGATE_OTLP_ENDPOINT', 'An OTLP/HTTP collector, e.g. http://collector:4318; tracing is off without one.'),
]);

/** The variable a domain's port or URL is read from: `MESHGATE_<DOMAIN>_PORT` (`order-events` → `ORDER_EVENTS`). */
export const domainVar = (domain: string, what: 'PORT' | 'URL'): string => `MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_${what}`;

/** A domain's name as its variables spell it, back: `ORDER_EVENTS` → `order-events`. */
export const domainOfVar = (part: string): string => part.toLowerCase().replaceAll('_', '-');
