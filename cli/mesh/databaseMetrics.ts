/**
 * The DuckDB time of a process, as Prometheus counters: on the gateway's /metrics in the one-process
 * mesh (`meshgate up`, one database for every subgraph), and on its own small listener for a
 * subgraph served alone (`meshgate subgraph`, whose port serves GraphQL only), so a benchmark can
 * tell the database's share of a request from the rest of the process's.
 */
import { createServer } from 'node:http';
import type { Database } from '../../subgraphs/runtime/index.js';
import { bearerMatches } from '../../gateway/index.js';

/** The process's DuckDB counters in the Prometheus text exposition format. */
export function databaseMetrics(db: Pick<Database, 'statements' | 'seconds'>): string {
  return [
    '# HELP meshgate_duckdb_statements_total SQL statements run on DuckDB since start.',
    '# TYPE meshgate_duckdb_statements_total counter',
    `meshgate_duckdb_statements_total ${db.statements}`,
    '# HELP meshgate_duckdb_seconds_total Time DuckDB statements took since start (run and rows decoded), summed over concurrent statements.',
    '# TYPE meshgate_duckdb_seconds_total counter',
    `meshgate_duckdb_seconds_total ${db.seconds}`,
    '',
  ].join('\n');
}

/**
 * Serves `render()` on GET /metrics at `host:port` (401 without `Authorization: Bearer <token>` when a
 * token is given), and 200 on GET /healthz (the liveness a health check asks of a process with no data
 * port, such as the pipelines); 404 elsewhere. Resolves to a function that closes it.
 */
export async function serveMetrics(host: string, port: number, render: () => string | Promise<string>, token?: string): Promise<() => Promise<void>> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    const ok = req.method === 'GET' && req.url === '/metrics';
    if (ok && token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="meshgate-metrics"' });
      res.end('the metrics need the metrics token: Authorization: Bearer <MESHGATE_METRICS_TOKEN>\n');
      return;
    }
    if (!ok) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    Promise.resolve()
      .then(render)
      .then(
        (text) => {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('the metrics could not be collected\n');
        },
      );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve()));
  return () => new Promise((resolve) => server.close(() => resolve()));
}
