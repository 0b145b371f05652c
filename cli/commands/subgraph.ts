/** `meshgate subgraph --domain NAME`: serves one domain's subgraph alone (one process per domain, as in docker-compose). */
import { loggerFromConfig, logTo } from '../logger.js';
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
  startDomainJobs,
  startDomainSubgraph,
  statementRunnerMetrics,
  watchDeclarations,
  type DeclarationWatch,
} from '../mesh/index.js';
import { createProcessMetrics, serveMetricsPort } from '../mesh/processMetrics.js';
import { startTracing } from '../tracing.js';

const help = `Usage: meshgate subgraph --domain NAME

Serves one domain's subgraph from its declarations under MESHGATE_SUBGRAPHS_DIR and its Parquet
outputs under MESHGATE_DATA_DIR, on MESHGATE_HOST and MESHGATE_<DOMAIN>_PORT (see meshgate up --help).
With MESHGATE_<DOMAIN>_METRICS_PORT (else MESHGATE_METRICS_PORT) set, also serves its Prometheus
metrics on GET /metrics at that port (process and runtime, per-product SQL time and rows, DuckDB
time, the result cache), behind MESHGATE_METRICS_TOKEN when that is set. With MESHGATE_OTLP_ENDPOINT
set, traces its requests and their SQL reads to that OTLP/HTTP collector.

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
    const log = logTo(loggerFromConfig(config));
    const mesh = await loadServedMesh(config, log);
    if (!mesh.domains.some((d) => d.name === domain)) {
      throw new Error(`domain "${domain}" cannot be served (known and loadable: ${mesh.domains.map((d) => d.name).join(', ') || 'none'})`);
    }
    const db = await openDatabase(config);
    const security = await loadSecurity(config, mesh, log);
    const stopJobs = await startDomainJobs(config, [domain], log);
    const runner = openStatementRunner(config, db);
    const metrics = createProcessMetrics();
    const tracing = await startTracing(config, `meshgate-subgraph-${domain}`);
    const telemetry = { metrics: metrics.subgraphs, ...(tracing && { tracer: tracing.tracer }) };
    let sg: RunningSubgraph | undefined;
    let stopMetrics: (() => Promise<void>) | undefined;
    let watch: DeclarationWatch | undefined;
    try {
      sg = await startDomainSubgraph(config, { domain, mesh, db, runner, security, port: config.subgraphPorts[domain] ?? 4005, log, telemetry });
      log(`subgraph ${domain} listening on ${sg.url}`);
      if (config.MESHGATE_RELOAD === 'on') watch = watchDeclarations(config, [sg], mesh, log);
      const ownPort = process.env[`MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_METRICS_PORT`];
      const metricsPort = ownPort === undefined ? config.MESHGATE_METRICS_PORT : portNumber(ownPort);
      if (metricsPort !== undefined) {
        const render = async (): Promise<string> => (await metrics.registry.metrics()) + databaseMetrics(db) + statementRunnerMetrics(runner);
        stopMetrics = await serveMetricsPort(config, metricsPort, render);
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
      await tracing?.shutdown();
    }
    return 0;
  },
};
