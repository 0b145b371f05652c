/**
 * The builds `meshgate up` runs (cli/mesh/startBuildSchedule.ts), under a clock the test moves: the
 * sample's products go stale when their freshness SLA passes and a build on schedule makes them
 * fresh again (their contract tests pass hours after seeding); a failed build leaves the previous
 * version serving, counts as failed and marks the product's freshness at risk; and two builds of
 * one product at a time are refused.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../../cli/config.js';
import { buildEnv } from '../../cli/mesh/buildEnv.js';
import { loadServedMesh } from '../../cli/mesh/loadServedMesh.js';
import { startBuildSchedule, type BuildSchedule } from '../../cli/mesh/startBuildSchedule.js';
import { loadSecurity } from '../../cli/security.js';
import { productsByName, readManifest, type DataProduct } from '../../schema/index.js';
import { testContracts } from '../../subgraphs/runtime/contracts/index.js';
import { buildProduct, type BuildEnv } from '../../subgraphs/runtime/index.js';
import { copyOfSeededData, testStateDir } from '../support/startTestMesh.js';

const HOUR = 3_600_000;
let clock = Date.now();
let dataRoot: string;
let env: BuildEnv;
let products: ReadonlyMap<string, DataProduct>;
let schedule: BuildSchedule;

beforeAll(async () => {
  dataRoot = await copyOfSeededData();
  const config = readConfig({
    MESHGATE_STATE_DIR: await testStateDir(),
    MESHGATE_DATA_DIR: dataRoot,
    MESHGATE_SUBGRAPHS_DIR: path.join(REPO_ROOT, 'subgraphs'),
    MESHGATE_DUCKDB_MEMORY: '1GB',
  });
  const mesh = await loadServedMesh(config, () => undefined);
  products = productsByName(mesh);
  env = buildEnv(
    config,
    mesh,
    await loadSecurity(config, mesh, () => undefined),
    async () => undefined,
    () => undefined,
    () => new Date(clock),
  );
  schedule = await startBuildSchedule(env, { timers: false });
});
afterAll(() => schedule?.close());

const sampleProducts = (): DataProduct[] => ['customer-profiles', 'orders-enriched', 'payments'].map((n) => products.get(n)!);
const freshness = async (): Promise<Record<string, boolean>> => {
  const report = await testContracts(sampleProducts(), { mesh: products, now: new Date(clock) });
  return Object.fromEntries(report.results.filter((r) => r.test === 'freshness').map((r) => [r.product, r.pass]));
};
const atRisk = (product: string): string | undefined => new RegExp(`meshgate_product_freshness_at_risk\\{product="${product}"\\} (\\d)`).exec(schedule.metrics())?.[1];

describe('builds on schedule keep the sample fresh', () => {
  it('lets the products go stale when their freshness SLA passes, and says so in the metrics', async () => {
    expect(await freshness()).toEqual({ 'customer-profiles': true, 'orders-enriched': true, payments: true });
    clock += 3 * HOUR;
    expect(await freshness()).toEqual({ 'customer-profiles': true, 'orders-enriched': false, payments: false });
    expect(atRisk('orders-enriched')).toBe('1');
    expect(atRisk('customer-profiles')).toBe('0');
  });

  it('makes them fresh again with a build, three hours after seeding', async () => {
    const run = await schedule.buildNow();
    expect('outcomes' in run && run.outcomes.map((o) => [o.product, o.status])).toEqual([
      ['customer-profiles', 'published'],
      ['orders-enriched', 'published'],
      ['order-lines', 'published'],
      ['payments', 'published'],
      ['shipment-events', 'published'],
    ]);
    expect(await freshness()).toEqual({ 'customer-profiles': true, 'orders-enriched': true, payments: true });
    const report = await testContracts(sampleProducts(), { mesh: products, now: new Date(clock) });
    expect(report.findings).toEqual([]);
    expect(atRisk('orders-enriched')).toBe('0');
  });

  it('keeps the previous version serving when a build fails, counts it, and marks freshness at risk', async () => {
    const payments = products.get('payments')!;
    const before = await readManifest(payments.storeDir);
    await rm(path.join(dataRoot, 'landing', 'payments'), { recursive: true });
    clock += HOUR;
    const run = await schedule.buildNow([payments]);
    expect('outcomes' in run && run.outcomes[0]).toMatchObject({
      product: 'payments',
      status: 'failed',
      message: expect.stringContaining('no jsonl file in landing/payments/psp-settlements/') as unknown as string,
    });
    expect(await readManifest(payments.storeDir)).toEqual(before);
    expect(schedule.metrics()).toContain('meshgate_builds_total{product="payments",outcome="failed"} 1');
    expect(atRisk('payments')).toBe('1');
  });

  it('refuses a second build of a product while one runs', async () => {
    const customers = products.get('customer-profiles')!;
    const [a, b] = await Promise.all([buildProduct(customers, env), buildProduct(customers, env)]);
    const outcomes = [a, b].map((o) => o.status).sort();
    expect(outcomes).toEqual(['failed', 'published']);
    const refused = [a, b].find((o) => o.status === 'failed');
    expect(refused?.status === 'failed' && refused.message).toMatch(
      /^customer-profiles: a build of it is already running \(process \d+ on ".*"\); one build of a product at a time$/,
    );
  });

  it('catches up at start on the products whose served data is older than their schedule, in the background', async () => {
    // Two hours later: orders-enriched and payments (every 15 min) are due; customer-profiles (every 6 h), built within the hour, is not.
    clock += 2 * HOUR;
    const again = await startBuildSchedule(env, { timers: true });
    try {
      const run = await again.caughtUp;
      expect(run && 'outcomes' in run && run.outcomes.map((o) => o.product).sort()).toEqual(['order-lines', 'orders-enriched', 'payments', 'shipment-events']);
      expect(await freshness()).toMatchObject({ 'orders-enriched': true });
    } finally {
      await again.close();
    }
    const off = await startBuildSchedule(env, { timers: false });
    expect(off.caughtUp).toBeUndefined();
    await off.close();
  });
});
