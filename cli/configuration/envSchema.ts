/**
 * The configuration's variables: every setting as the environment names it (MESHGATE_*), with its
 * type, bounds and default. The Config object keeps these names; meshgate.yaml's keys map onto them
 * (fileKeys.ts), so this schema is the one place a setting's constraint is written.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (where package.json is). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A TCP port (0: any free one). */
export const port = z.coerce.number().int().min(0).max(65_535);

/** Every variable, validated together. */
export const envSchema = z.object({
  MESHGATE_HOST: z.string().min(1).default('127.0.0.1'),
  MESHGATE_GATEWAY_PORT: port.default(4000),
  MESHGATE_DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'data')),
  MESHGATE_SUBGRAPHS_DIR: z.string().min(1).default(path.join(REPO_ROOT, 'subgraphs')),
  MESHGATE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  MESHGATE_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  MESHGATE_DUCKDB_MEMORY: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as "2GB"')
    .default('2GB'),
  // The serving database: one thread per query costs the least CPU on every bench shape, and the pool's connections run queries side by side (BENCHMARKS.md, "DuckDB levers").
  MESHGATE_DUCKDB_THREADS: z.coerce.number().int().min(1).max(256).default(1),
  // A build's own DuckDB (one batch job at a time): two threads, as before the serving database went to one.
  MESHGATE_BUILD_THREADS: z.coerce.number().int().min(1).max(256).default(2),
  MESHGATE_RESULT_CACHE: z.enum(['on', 'off']).default('on'),
  MESHGATE_RESULT_CACHE_MB: z.coerce.number().int().min(1).max(65_536).default(64),
  MESHGATE_INFLIGHT_MERGE: z.enum(['on', 'off']).default('on'),
  MESHGATE_TRANSPORT: z.enum(['in-process', 'http']).default('in-process'),
  NODE_ENV: z.string().optional(),
  MESHGATE_STATE_DIR: z.string().min(1).default(path.join(REPO_ROOT, '.meshgate')),
  MESHGATE_POLICY_FILE: z
    .string()
    .min(1)
    .default(path.join(REPO_ROOT, 'policies', 'access.yaml')),
  MESHGATE_AUTH_MODE: z.enum(['dev', 'jwks', 'hmac']).optional(),
  MESHGATE_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  MESHGATE_JWKS_FILE: z.string().min(1).optional(),
  MESHGATE_JWT_ISSUER: z.string().min(1).optional(),
  MESHGATE_JWT_AUDIENCE: z.string().min(1).optional(),
  MESHGATE_JWT_ALGORITHMS: z
    .string()
    .regex(/^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$/, 'a comma-separated list such as "RS256,ES256"')
    .default('RS256,ES256'),
  MESHGATE_JWT_SECRET: z.string().min(32, 'at least 32 bytes').optional(),
  MESHGATE_JWT_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(30),
  MESHGATE_CONTEXT_SECRET: z.string().min(32, 'at least 32 bytes').optional(),
  MESHGATE_MASK_HASH_KEY: z.string().min(32, 'at least 32 bytes').optional(),
  MESHGATE_ACCESS: z.enum(['on', 'off']).default('on'),
  MESHGATE_ACCESS_LOG: z.enum(['on', 'off']).default('on'),
  MESHGATE_ACCESS_LOG_DIR: z.string().min(1).optional(),
  MESHGATE_ACCESS_LOG_ROTATE_MS: z.coerce.number().int().min(100).max(86_400_000).default(10_000),
  // HTTP serving (gateway and subgraphs alike; issue 13).
  MESHGATE_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  MESHGATE_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  MESHGATE_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  MESHGATE_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(1_024),
  MESHGATE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  // Origins a browser app may call the gateway from (comma-separated, e.g. "https://app.example.com"); none by default.
  MESHGATE_CORS_ORIGINS: z.string().optional(),
  // The circuit breaker per subgraph: opens after this many consecutive failed calls, probes again (half-open) after the reset time.
  MESHGATE_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  MESHGATE_BREAKER_RESET_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  // Metrics on a port of their own (then /metrics leaves the data port), or behind a bearer token.
  MESHGATE_METRICS_PORT: port.optional(),
  MESHGATE_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  MESHGATE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  MESHGATE_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  // OpenTelemetry tracing, off unless an OTLP/HTTP endpoint is given (e.g. http://collector:4318).
  MESHGATE_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  // Watch the declarations and swap in changed ones (validated first; a broken one is refused and the previous keeps serving).
  MESHGATE_RELOAD: z.enum(['on', 'off']).default('on'),
  // This gateway's name among its replicas: each replica writes its own access-log chain under it.
  MESHGATE_INSTANCE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-"')
    // The chains live beside the inbox in the log directory (gateway/accessLog/chainDir.ts).
    .refine((name) => name !== 'inbox', '"inbox" is the name of the access log\'s inbox folder')
    .optional(),
  // How long a fetched JWKS is used before it is fetched again, the least time between two fetches for an unknown kid, and how long one fetch may take.
  MESHGATE_JWKS_CACHE_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  MESHGATE_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  MESHGATE_JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  // The standard OpenTelemetry variable, used when MESHGATE_OTLP_ENDPOINT is not set.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

/** The variables as validated. */
export type EnvConfig = z.infer<typeof envSchema>;

/** The variable names, as the schema declares them. */
export type EnvName = keyof EnvConfig;

/** The secrets: never printed, and each may also be read from a file named by `<NAME>_FILE`. */
export const SECRET_VARS: readonly EnvName[] = ['MESHGATE_CONTEXT_SECRET', 'MESHGATE_MASK_HASH_KEY', 'MESHGATE_JWT_SECRET', 'MESHGATE_METRICS_TOKEN'];
