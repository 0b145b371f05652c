/** `meshgate subgraph --domain NAME`: serves one domain's subgraph alone (one process per domain, as in docker-compose). */
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { untilSignal } from '../untilSignal.js';
import { loadSecurity } from '../security.js';
import type { RunningSubgraph } from '../../subgraphs/runtime/index.js';
import {
  databaseMetrics,
  loadServedMesh,
  openDatabase,
  openStatementRunner,
  serveMetrics,
  startDomainJobs,
  startDomainSubgraph,
  statementRunnerMetrics,
  watchDeclarations,
  type DeclarationWatch,
} from '../mesh/index.js';

const help = `Usage: meshgate subgraph --domain NAME

Serves one domain's subgraph from its declarations under MESHGATE_SUBGRAPHS_DIR and its Parquet
outputs under MESHGATE_DATA_DIR, on MESHGATE_HOST and MESHGATE_<DOMAIN>_PORT (see meshgate up --help).
With MESHGATE_<DOMAIN>_METRICS_PORT set, also serves its DuckDB time as Prometheus counters on
GET /metrics at that port (meshgate_duckdb_seconds_total, meshgate_duckdb_statements_total).

GET /healthz answers 200 while the process is alive; GET /readyz 200 (JSON: status, schemaHash,
each product's version, the last reload) when every product can be served, 503 while starting,
draining or missing data. Every GraphQL reply carries x-meshgate-schema-hash. On SIGTERM it drains:
/readyz turns 503, new connections are refused, replies close their connections, and requests in
flight finish within MESHGATE_SHUTDOWN_GRACE_MS. With MESHGATE_RELOAD=on (the default) a changed
descriptor or contract is validated and swapped in; a broken one is refused and logged.`;

/** A port number from the environment, or a clear refusal. */
function portNumber(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`bad configuration: the metrics port must be a port number, got ${JSON.stringify(raw)}`);
  return n;
}

/** The `subgraph` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values } = parseOptions(args, { domain: { type: 'string' } });
    const domain = values.domain;
    if (!domain) throw new UsageError('--domain is required');
    const config = readConfig();
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const mesh = await loadServedMesh(config, log);
    if (!mesh.domains.some((d) => d.name === domain)) {
      throw new Error(`domain "${domain}" cannot be served (known and loadable: ${mesh.domains.map((d) => d.name).join(', ') || 'none'})`);
    }
    const db = await openDatabase(config);
    const security = await loadSecurity(config, mesh, log);
    const stopJobs = await startDomainJobs(config, [domain], log);
    const runner = openStatementRunner(config, db);
    let sg: RunningSubgraph | undefined;
    let stopMetrics: (() => Promise<void>) | undefined;
    let watch: DeclarationWatch | undefined;
    try {
      sg = await startDomainSubgraph(config, { domain, mesh, db, runner, security, port: config.subgraphPorts[domain] ?? 4005, log });
      log(`subgraph ${domain} listening on ${sg.url}`);
      if (config.MESHGATE_RELOAD === 'on') watch = watchDeclarations(config, [sg], mesh, log);
      const metricsPort = process.env[`MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_METRICS_PORT`];
      if (metricsPort !== undefined) {
        stopMetrics = await serveMetrics(config.MESHGATE_HOST, portNumber(metricsPort), () => databaseMetrics(db) + statementRunnerMetrics(runner));
        log(`subgraph ${domain}: metrics on http://${config.MESHGATE_HOST}:${metricsPort}/metrics`);
      }
      await untilSignal();
    } finally {
      // Also on a failed start (a port already in use): the jobs' timers and the database would keep the process alive.
      watch?.close();
      await stopMetrics?.();
      await stopJobs();
      await sg?.close();
      db.close();
    }
    return 0;
  },
};
