import { databaseMetrics, serveMetrics } from '../../cli/mesh/databaseMetrics.js';

describe('databaseMetrics', () => {
  it('renders the statements and the DuckDB seconds as Prometheus counters', () => {
    const text = databaseMetrics({ statements: 12, seconds: 0.25 });
    expect(text).toContain('# TYPE meshgate_duckdb_statements_total counter\nmeshgate_duckdb_statements_total 12\n');
    expect(text).toContain('# TYPE meshgate_duckdb_seconds_total counter\nmeshgate_duckdb_seconds_total 0.25\n');
  });
});

describe('serveMetrics', () => {
  it('serves the counters on GET /metrics only', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const close = await serveMetrics('127.0.0.1', port, () => 'meshgate_duckdb_seconds_total 1\n');
    try {
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('meshgate_duckdb_seconds_total 1\n');
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      await close();
    }
  });
});
