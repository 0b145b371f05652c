/**
 * The caches, tried from outside through the real gateway with real tokens: a repeated query costs
 * no SQL; a version published a moment ago is what the very next request reads; callers whose
 * grants differ (masked against unmasked, row-filtered against not, one row policy against another)
 * never see each other's cached or merged results, in either order and when they ask at once.
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { readManifest, writeManifest } from '../../schema/index.js';
import { servedFiles } from '../support/referenceRows.js';
import { copyOfSeededData, startTestMesh, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
let dataRoot: string;
let analyst: Record<string, string>;
let partnerDe: Record<string, string>;
let partnerFr: Record<string, string>;

beforeAll(async () => {
  dataRoot = await copyOfSeededData();
  mesh = await startTestMesh({ dataRoot });
  const bearer = async (claims: Parameters<TestMesh['token']>[0]) => ({ authorization: `Bearer ${await mesh.token(claims)}` });
  analyst = await bearer({ roles: ['analyst'] });
  partnerDe = await bearer({ sub: 'partner-de', roles: ['partner'], countries: ['DE'] });
  partnerFr = await bearer({ sub: 'partner-fr', roles: ['partner'], countries: ['FR'] });
});
afterAll(() => mesh?.close());

const CUSTOMERS = '{ customers(limit: 5, orderBy: [{ customerId: ASC }]) { customerId email fullName } }';
type Customers = { customers: { customerId: string; email: string; fullName: string }[] };
const ORDERS = '{ orders(limit: 50, orderBy: [{ orderId: ASC }]) { orderId shippingCountry } ordersAggregate { count } }';
type Orders = { orders: { orderId: string; shippingCountry: string }[]; ordersAggregate: { count: number }[] };

async function data<T>(query: string, headers?: Record<string, string>): Promise<T> {
  const r = await mesh.query<T>(query, undefined, headers);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

/** SQL statements the mesh ran during `fn`. */
async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
  const before = mesh.statements();
  await fn();
  return mesh.statements() - before;
}

describe('the result cache', () => {
  it('answers a repeated query without running SQL, with the same data', async () => {
    const first = await data<Customers>(CUSTOMERS);
    expect(await statementsOf(async () => expect(await data<Customers>(CUSTOMERS)).toEqual(first))).toBe(0);
    const metrics = await (await fetch(`${mesh.running.gateway.url}/metrics`)).text();
    expect(Number(/meshgate_result_cache_requests_total\{outcome="hit"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^meshgate_result_cache_bytes \d+$/m);
  });

  it('never hands an unmasked cached result to a masked caller, nor the other way round', async () => {
    const owner = await data<Customers>(CUSTOMERS);
    const seen = await data<Customers>(CUSTOMERS, analyst);
    expect(seen.customers.map((c) => c.customerId)).toEqual(owner.customers.map((c) => c.customerId));
    for (const [i, c] of seen.customers.entries()) expect(c.email).not.toBe(owner.customers[i]!.email);
    expect(seen.customers.some((c) => owner.customers.some((o) => o.email === c.email))).toBe(false);
    // Cached both ways now: each caller keeps getting their own.
    expect(await data<Customers>(CUSTOMERS)).toEqual(owner);
    expect(await data<Customers>(CUSTOMERS, analyst)).toEqual(seen);
  });

  it('never hands one row policy’s cached result to another caller, or to one without a row policy', async () => {
    const all = await data<Orders>(ORDERS);
    const de = await data<Orders>(ORDERS, partnerDe);
    const fr = await data<Orders>(ORDERS, partnerFr);
    expect(new Set(all.orders.map((o) => o.shippingCountry)).size).toBeGreaterThan(2);
    expect(de.orders.length).toBeGreaterThan(0);
    expect(fr.orders.length).toBeGreaterThan(0);
    expect(de.orders.every((o) => o.shippingCountry === 'DE')).toBe(true);
    expect(fr.orders.every((o) => o.shippingCountry === 'FR')).toBe(true);
    expect(de.ordersAggregate[0]!.count + fr.ordersAggregate[0]!.count).toBeLessThan(all.ordersAggregate[0]!.count);
    // Again, in the other order, from the cache.
    expect(await data<Orders>(ORDERS, partnerFr)).toEqual(fr);
    expect(await data<Orders>(ORDERS, partnerDe)).toEqual(de);
    expect(await data<Orders>(ORDERS)).toEqual(all);
  });

  it('merges identical requests in flight only within a grant: sixteen callers at once each get their own answer', async () => {
    const query = '{ orders(limit: 20, offset: 40, orderBy: [{ orderId: ASC }]) { orderId shippingCountry } }';
    type Page = { orders: { orderId: string; shippingCountry: string }[] };
    const callers = [undefined, partnerDe, partnerFr, analyst];
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => data<Page>(query, callers[i % 4])));
    answers.forEach((a, i) => {
      const who = i % 4;
      if (who === 1) expect(a.orders.every((o) => o.shippingCountry === 'DE')).toBe(true);
      if (who === 2) expect(a.orders.every((o) => o.shippingCountry === 'FR')).toBe(true);
      expect(a).toEqual(answers[who]);
    });
    expect(new Set(answers[0]!.orders.map((o) => o.shippingCountry)).size).toBeGreaterThan(1);
  });

  it('serves a version published a moment ago on the very next request, not a cached answer of the old one', async () => {
    const count = '{ customersAggregate { count } customers(limit: 3, orderBy: [{ customerId: ASC }]) { customerId } }';
    type Count = { customersAggregate: { count: number }[]; customers: { customerId: string }[] };
    const store = path.join(dataRoot, 'customers/customer-profiles');
    const read = await readManifest(store);
    if (read.kind !== 'ok') throw new Error('no manifest');
    // The next version's files, written beside the served one before the swap, as a publish does.
    const version = `${read.manifest.version}-next`;
    await mkdir(path.join(store, 'versions', version), { recursive: true });
    const files = (await servedFiles(store)).map((f) => `'${f}'`).join(', ');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (SELECT * FROM read_parquet([${files}]) ORDER BY customer_id DESC LIMIT 4) TO '${path.join(store, 'versions', version, 'part.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    instance.closeSync();
    const before = await data<Count>(count);
    expect(await statementsOf(async () => expect(await data<Count>(count)).toEqual(before))).toBe(0);
    // The swap publishing ends with (write beside, fsync, rename), then at once the next request.
    await writeManifest(store, { ...read.manifest, version, rows: 4, files: [`versions/${version}/part.parquet`] });
    const after = await data<Count>(count);
    expect(after.customersAggregate[0]!.count).toBe(4);
    expect(after.customers[0]!.customerId > before.customers[0]!.customerId).toBe(true);
  });
});

describe('over HTTP, with the result cache and merging off (the path a deployment takes)', () => {
  let http: TestMesh;
  beforeAll(async () => {
    http = await startTestMesh({ env: { MESHGATE_TRANSPORT: 'http', MESHGATE_RESULT_CACHE: 'off', MESHGATE_INFLIGHT_MERGE: 'off' } });
  });
  afterAll(() => http?.close());

  it('answers exactly what the embedded, cached mesh answers, to each caller', async () => {
    const same = async (query: string, headers?: Record<string, string>): Promise<void> => {
      const [a, b] = [await mesh.query(query, undefined, headers), await http.query(query, undefined, headers)];
      // The same data, or the same refusal (a partner may not read payments).
      expect({ status: b.status, data: b.data, errors: b.errors }).toEqual({ status: a.status, data: a.data, errors: a.errors });
      if (headers !== partnerDe) expect(b.errors).toBeUndefined();
    };
    for (const headers of [undefined, analyst, partnerDe]) {
      // (Not customers: a test above published a new version of them into the first mesh's data.)
      await same('{ payments(limit: 5, offset: 20, orderBy: [{ paymentId: ASC }]) { paymentId cardNumber amountCents } }', headers);
      await same('{ orders(limit: 30, offset: 60, orderBy: [{ orderId: ASC }]) { orderId shippingCountry customer { customerId } } }', headers);
    }
    // The HTTP mesh ran its own statements: the same request again runs them again.
    const before = http.statements();
    await http.query('{ orders(limit: 30, offset: 60, orderBy: [{ orderId: ASC }]) { orderId shippingCountry customer { customerId } } }');
    expect(http.statements()).toBe(before + 1);
  });
});
