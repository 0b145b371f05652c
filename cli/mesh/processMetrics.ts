/**
 * Where a process's metrics are served, decided once from the configuration. With
 * MESHGATE_METRICS_PORT they get a listener of their own and leave the data port (404 there); else,
 * with MESHGATE_METRICS_TOKEN, the data port serves them behind that bearer token; else they are
 * open on the data port in dev, and not served there in production (NODE_ENV=production): the data
 * port faces clients, and an operator who wants the metrics says where (a port, or a token) rather
 * than finding them open to anyone. The process starts either way (a warning says why /metrics is
 * missing): a gateway refusing to start over its metrics would take the data down for the sake of
 * the dashboards.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { MetricsAccess } from '../../gateway/index.js';
import type { Log } from '../../schema/index.js';
import { SubgraphMetrics } from '../../subgraphs/runtime/index.js';
import type { Config } from '../config.js';
import { serveMetrics } from './databaseMetrics.js';

/** A process's one registry (process and runtime metrics included) and the subgraphs' metrics registered in it. */
export interface ProcessMetrics {
  readonly registry: Registry;
  readonly subgraphs: SubgraphMetrics;
}

/** Makes the process's registry, with the default process and Node.js runtime metrics. */
export function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry, subgraphs: new SubgraphMetrics(registry) };
}

/** Who may read /metrics on the gateway's data port, given the configuration. */
export function dataPortMetricsAccess(config: Config, log: Log): MetricsAccess {
  if (config.MESHGATE_METRICS_PORT !== undefined) return { kind: 'off', reason: `the metrics are served on their own port (MESHGATE_METRICS_PORT)` };
  if (config.MESHGATE_METRICS_TOKEN !== undefined) return { kind: 'token', token: config.MESHGATE_METRICS_TOKEN };
  if (config.NODE_ENV === 'production') {
    log('WARNING: /metrics is not served: with NODE_ENV=production set MESHGATE_METRICS_PORT (a port of their own) or MESHGATE_METRICS_TOKEN (a bearer token)', {
      level: 'warn',
    });
    return { kind: 'off', reason: 'the metrics are not served on this port (set MESHGATE_METRICS_PORT or MESHGATE_METRICS_TOKEN)' };
  }
  return { kind: 'open' };
}

/** Serves `render` on `port` (MESHGATE_METRICS_PORT or a subgraph's own), behind the metrics token when one is set; resolves to its close function. */
export function serveMetricsPort(config: Config, port: number, render: () => string | Promise<string>): Promise<() => Promise<void>> {
  return serveMetrics(config.MESHGATE_HOST, port, render, config.MESHGATE_METRICS_TOKEN);
}
