/** Where /metrics is served and to whom: open in dev, behind the metrics token, on a port of its own (then not on the data port), never openly in production. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readConfig } from '../../cli/config.js';
import { dataPortMetricsAccess, serveMetricsPort } from '../../cli/mesh/processMetrics.js';
import { startGateway, type MetricsAccess, type RunningGateway } from '../../gateway/index.js';
import { startCustomersSubgraph, type TestSubgraph } from './testSubgraphs.js';

const TOKEN = 'metrics-token-0123456789';
let customers: TestSubgraph;
const gateways: RunningGateway[] = [];

async function gatewayWith(metricsAccess: MetricsAccess): Promise<RunningGateway> {
  const g = await startGateway({ services: [customers], port: 0, log: () => undefined, metricsAccess });
  gateways.push(g);
  return g;
}
const metricsOf = (g: RunningGateway, headers: Record<string, string> = {}): Promise<Response> => fetch(new URL('/metrics', g.url), { headers });

beforeAll(async () => {
  customers = await startCustomersSubgraph();
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await customers?.stop();
});

describe('the data port /metrics', () => {
  it('is open by default, with the process metrics', async () => {
    const res = await metricsOf(await gatewayWith({ kind: 'open' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^process_cpu_seconds_total /m);
  });

  it('behind the metrics token refuses a caller without it or with another', async () => {
    const g = await gatewayWith({ kind: 'token', token: TOKEN });
    expect((await metricsOf(g)).status).toBe(401);
    expect((await metricsOf(g, { authorization: 'Bearer not-the-metrics-token' })).status).toBe(401);
    const ok = await metricsOf(g, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE meshgate_http_requests_total counter');
  });

  it('is not found when the metrics are served elsewhere or not at all', async () => {
    const res = await metricsOf(await gatewayWith({ kind: 'off', reason: 'the metrics are served on their own port (MESHGATE_METRICS_PORT)' }));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('MESHGATE_METRICS_PORT');
  });
});

describe('the metrics configuration', () => {
  const access = (env: Record<string, string>): MetricsAccess => dataPortMetricsAccess(readConfig(env), () => undefined);

  it('serves the metrics openly in dev, behind the token when one is set, and not on the data port with a port of their own', () => {
    expect(access({}).kind).toBe('open');
    expect(access({ MESHGATE_METRICS_TOKEN: TOKEN })).toEqual({ kind: 'token', token: TOKEN });
    expect(access({ MESHGATE_METRICS_PORT: '9464', MESHGATE_METRICS_TOKEN: TOKEN }).kind).toBe('off');
  });

  it('never serves them openly on the data port in production, and says so', () => {
    const warned: string[] = [];
    const config = readConfig({ NODE_ENV: 'production', MESHGATE_ACCESS_LOG: 'on' });
    expect(dataPortMetricsAccess(config, (line) => warned.push(line)).kind).toBe('off');
    expect(warned.join('\n')).toMatch(/MESHGATE_METRICS_PORT.*MESHGATE_METRICS_TOKEN/);
    expect(dataPortMetricsAccess(readConfig({ NODE_ENV: 'production', MESHGATE_METRICS_TOKEN: TOKEN }), () => undefined).kind).toBe('token');
  });

  it('serves a metrics port of its own behind the token too', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const close = await serveMetricsPort(readConfig({ MESHGATE_METRICS_TOKEN: TOKEN }), port, async () => 'meshgate_x 1\n');
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await ok.text()).toBe('meshgate_x 1\n');
    } finally {
      await close();
    }
  });
});
