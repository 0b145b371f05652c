/** Starts one domain's subgraph with the configured host, HTTP settings and the secrets access control shares. */
import type { Log, Mesh } from '../../schema/index.js';
import {
  ListenError,
  startSubgraph,
  type Database,
  type HttpSettings,
  type Limits,
  type RunningSubgraph,
  type StatementRunner,
  type SubgraphTelemetry,
} from '../../subgraphs/runtime/index.js';
import type { Config } from '../config.js';
import { subgraphContextKey, type Security } from '../security.js';

/** What a domain's subgraph is started with, besides the configuration. */
export interface DomainSubgraphOptions {
  readonly domain: string;
  readonly mesh: Mesh;
  readonly db: Database;
  /** The process's statement runner (cli/mesh/openDatabase.ts), shared by its subgraphs. */
  readonly runner: StatementRunner;
  readonly security: Security;
  readonly port: number;
  readonly log: Log;
  readonly limits?: Limits;
  /** The process's subgraph metrics and the tracer, if tracing is on. */
  readonly telemetry?: SubgraphTelemetry;
}

/** The variable that sets a domain's port, e.g. MESHGATE_CUSTOMERS_PORT. */
export const portVariable = (domain: string): string => `MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_PORT`;

/** The subgraph server's timeouts, connection cap and drain grace, from the configuration. */
export function httpSettings(config: Config): HttpSettings {
  return {
    headersTimeoutMs: config.MESHGATE_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.MESHGATE_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.MESHGATE_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.MESHGATE_MAX_CONNECTIONS,
    shutdownGraceMs: config.MESHGATE_SHUTDOWN_GRACE_MS,
  };
}

/**
 * Starts `domain`'s subgraph on MESHGATE_HOST, verifying access contexts and hashing masks with the
 * mesh's keys. A port that cannot be used rejects with one sentence naming the variable to set.
 */
export async function startDomainSubgraph(config: Config, options: DomainSubgraphOptions): Promise<RunningSubgraph> {
  const { domain, mesh, db, runner, security, port, log, limits } = options;
  try {
    return await startSubgraph({
      domain,
      mesh,
      db,
      runner,
      host: config.MESHGATE_HOST,
      port,
      log,
      contextKey: subgraphContextKey(security),
      hashKey: security.hashKey,
      http: httpSettings(config),
      ...(limits && { limits }),
      ...(options.telemetry && { telemetry: options.telemetry }),
    });
  } catch (error) {
    if (error instanceof ListenError) throw new Error(`subgraph ${domain}: ${error.message} (set ${portVariable(domain)})`);
    throw error;
  }
}
