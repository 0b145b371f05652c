/** Starts one domain's subgraph with the configured host and the secrets access control shares. */
import type { Log, Mesh } from '../../schema/index.js';
import { startSubgraph, type Database, type Limits, type RunningSubgraph, type StatementRunner, type SubgraphTelemetry } from '../../subgraphs/runtime/index.js';
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

/** Starts `domain`'s subgraph on MESHGATE_HOST, verifying access contexts and hashing masks with the mesh's keys. */
export function startDomainSubgraph(config: Config, options: DomainSubgraphOptions): Promise<RunningSubgraph> {
  const { domain, mesh, db, runner, security, port, log, limits } = options;
  return startSubgraph({
    domain,
    mesh,
    db,
    runner,
    host: config.MESHGATE_HOST,
    port,
    log,
    contextKey: subgraphContextKey(security),
    hashKey: security.hashKey,
    ...(limits && { limits }),
    ...(options.telemetry && { telemetry: options.telemetry }),
  });
}
