/** `meshgate subgraph --domain NAME`: serves one domain's subgraph alone (one process per domain, as in docker-compose). */
import { loggerFromConfig, logTo } from '../logger.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { untilSignal } from '../untilSignal.js';
import { loadSecurity } from '../security.js';
import { databaseMetrics, loadServedMesh, openDatabase, openStatementRunner, startDomainJobs, startDomainSubgraph, statementRunnerMetrics } from '../mesh/index.js';
import { createProcessMetrics, serveMetricsPort } from '../mesh/processMetrics.js';
import { startTracing } from '../tracing.js';

const help = `Usage: meshgate subgraph --domain NAME

Serves one domain's subgraph from its declarations under MESHGATE_SUBGRAPHS_DIR and its Parquet
outputs under MESHGATE_DATA_DIR, on MESHGATE_HOST and MESHGATE_<DOMAIN>_PORT (see meshgate up --help).
With MESHGATE_<DOMAIN>_METRICS_PORT (else MESHGATE_METRICS_PORT) set, also serves its Prometheus
metrics on GET /metrics at that port (process and runtime, per-product SQL time and rows, DuckDB
time, the result cache), behind MESHGATE_METRICS_TOKEN when that is set. With MESHGATE_OTLP_ENDPOINT
set, traces its requests and their SQL reads to that OTLP/HTTP collector.`;

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
    const sg = await startDomainSubgraph(config, { domain, mesh, db, runner, security, port: config.subgraphPorts[domain] ?? 4005, log, telemetry });
    log(`subgraph ${domain} listening on ${sg.url}`);
    const ownPort = process.env[`MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_METRICS_PORT`];
    const metricsPort = ownPort === undefined ? config.MESHGATE_METRICS_PORT : portNumber(ownPort);
    const render = async (): Promise<string> => (await metrics.registry.metrics()) + databaseMetrics(db) + statementRunnerMetrics(runner);
    const stopMetrics = metricsPort === undefined ? undefined : await serveMetricsPort(config, metricsPort, render);
    if (metricsPort !== undefined) log(`subgraph ${domain}: metrics on http://${config.MESHGATE_HOST}:${metricsPort}/metrics`);
    await untilSignal();
    await stopMetrics?.();
    await stopJobs();
    await sg.close();
    db.close();
    await tracing?.shutdown();
    return 0;
  },
};
