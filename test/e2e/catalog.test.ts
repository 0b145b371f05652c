/**
 * The catalog in the graph, against the real sample mesh over HTTP with real signed tokens: search
 * ranking and filters, what each caller sees (entries, field masks, samples, profiles: an analyst
 * never meets a raw email anywhere in the catalog), SLA status measured now (stale when the data is
 * older than its SLA), lineage across domains with its column edges, and usage counted from the
 * access-log entries the test itself produced.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  mesh = await startTestMesh();
  tokens.analyst = await mesh.token({ sub: 'ann.analyst', roles: ['analyst'] });
  tokens.steward = await mesh.token({ sub: 'sam.steward', roles: ['steward'] });
  tokens.owner = await mesh.token({ sub: 'cora.customers', roles: ['customers-owner'] });
  tokens.app = await mesh.token({ sub: 'fulfilment-app', roles: ['app'], purpose: 'fulfillment' });
  tokens.partner = await mesh.token({ sub: 'pat.partner', roles: ['partner'], countries: ['DE', 'FR'] });
}, 120_000);
afterAll(async () => {
  await mesh?.running.close();
});

/** Queries as one of the test's callers and fails on any GraphQL error. */
async function as<T = Record<string, unknown>>(who: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const r: GraphQLResponse<T> = await mesh.query<T>(query, variables, { authorization: `Bearer ${tokens[who]}` });
  if (r.errors?.length || r.status !== 200) throw new Error(`${who}: ${r.status} ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

type Named = { dataProducts: { name: string }[] };
const names = (d: Named): string[] => d.dataProducts.map((p) => p.name);

describe('search', () => {
  test('ranks a field name match first, and finds every product by its own name, tag, owner or prefix', async () => {
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "email") { name } }'))[0]).toBe('customer-profiles');
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "orders") { name } }'))[0]).toBe('orders-enriched');
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "paym") { name } }'))[0]).toBe('payments');
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "settlements") { name } }'))).toEqual(['payments']);
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "golden record") { name } }'))).toEqual(['customer-profiles']);
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "commerce-data-team") { name } }'))[0]).toBe('orders-enriched');
  });

  test('every word must match; a search that matches nothing is an empty list', async () => {
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "email settlements") { name } }'))).toEqual([]);
    expect(names(await as<Named>('analyst', '{ dataProducts(search: "zzzqqq") { name } }'))).toEqual([]);
  });

  test('filters by domain, owner, tag and PII, and lists by domain and name without a search', async () => {
    expect(names(await as<Named>('analyst', '{ dataProducts { name } }'))).toEqual(['order-lines', 'orders-enriched', 'shipment-events', 'customer-profiles', 'payments']);
    expect(names(await as<Named>('analyst', '{ dataProducts(domain: "payments") { name } }'))).toEqual(['payments']);
    expect(names(await as<Named>('analyst', '{ dataProducts(owner: "customers-data-team@company.com") { name } }'))).toEqual(['customer-profiles']);
    expect(names(await as<Named>('analyst', '{ dataProducts(tag: "revenue") { name } }'))).toEqual(['orders-enriched']);
    // order-lines holds personal data in a struct member (ship_to.postal_code), shipment-events in a list of emails.
    expect(names(await as<Named>('analyst', '{ dataProducts(pii: false) { name } }'))).toEqual(['orders-enriched']);
    expect(names(await as<Named>('analyst', '{ dataProducts(pii: true, search: "card") { name } }'))).toEqual(['payments']);
  });
});

describe('what each caller sees', () => {
  test("entries are of the products the caller may read: the access log is a steward's only", async () => {
    expect(names(await as<Named>('analyst', '{ dataProducts { name } }'))).not.toContain('access-log');
    expect(await as('analyst', '{ dataProduct(name: "access-log") { name } }')).toEqual({ dataProduct: null });
    expect(names(await as<Named>('steward', '{ dataProducts { name } }'))).toContain('access-log');
    expect(names(await as<Named>('partner', '{ dataProducts { name } }'))).toEqual(['orders-enriched']);
    const r = await mesh.query('{ lineage(product: "access-log") { nodes { id } } }', {}, { authorization: `Bearer ${tokens.analyst}` });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toBe('There is no data product "access-log" you may read.');
  });

  const FIELDS = '{ dataProduct(name: "customer-profiles") { fields { name classification pii access mask } } }';
  type Fields = { dataProduct: { fields: { name: string; classification: string; pii: boolean; access: string; mask: string | null }[] } };
  const field = (d: Fields, name: string) => d.dataProduct.fields.find((f) => f.name === name)!;

  test('each field says the mask this caller gets', async () => {
    const analyst = await as<Fields>('analyst', FIELDS);
    expect(field(analyst, 'email')).toEqual({ name: 'email', classification: 'email', pii: true, access: 'MASKED', mask: 'email' });
    expect(field(analyst, 'phone')).toMatchObject({ access: 'MASKED', mask: 'last4' });
    expect(field(analyst, 'country')).toMatchObject({ pii: false, access: 'CLEAR', mask: null });
    expect(field(await as<Fields>('owner', FIELDS), 'email')).toMatchObject({ access: 'CLEAR', mask: null });
    const app = await as<Fields>('app', FIELDS);
    expect(field(app, 'email')).toMatchObject({ access: 'CLEAR' });
    expect(field(app, 'fullName')).toMatchObject({ access: 'MASKED', mask: 'redact' });
  });

  test('an analyst never sees a raw email anywhere in the catalog', async () => {
    const raw = (await as<{ customers: { email: string | null }[] }>('owner', '{ customers(limit: 1000) { email } }')).customers.map((c) => c.email).filter(Boolean) as string[];
    expect(raw.length).toBeGreaterThan(100);
    const everything = await mesh.query(
      `{ dataProducts { name fields { name access mask } profile { rows columns { field nullShare distinctCount min max withheld } } sample(limit: 20) { fields rows }
         currentVersion { findings { message } } versions { findings { message } } lineage { nodes { name } } usage { last30Days { topConsumers { name } } } }
         lineage { nodes { name } columns { fromColumn toColumn } } }`,
      {},
      { authorization: `Bearer ${tokens.analyst}` },
    );
    expect(everything.errors).toBeUndefined();
    for (const email of raw) expect(everything.text).not.toContain(email);
    expect(everything.text).toMatch(/\w\*\*\*@example\.\w+/);
    // The masked fields' profile is withheld: distinct counts and extremes would reveal them.
    const profile = (
      everything.data as { dataProducts: { name: string; profile: { columns: { field: string; distinctCount: number | null; withheld: string | null }[] } }[] }
    ).dataProducts.find((p) => p.name === 'customer-profiles')!.profile;
    expect(profile.columns.find((c) => c.field === 'email')).toMatchObject({ distinctCount: null, withheld: 'you read this field masked' });
    expect(profile.columns.find((c) => c.field === 'segment')).toMatchObject({ distinctCount: 3, withheld: null });
  });

  test("a sample is read as a query reads it: masked, and inside the caller's row policy", async () => {
    type Sample = { dataProduct: { sample: { fields: string[]; rows: (string | null)[][] }; profile: { rows: number } } };
    const q = '{ dataProduct(name: "orders-enriched") { sample(limit: 20) { fields rows } profile { rows } } }';
    const partner = await as<Sample>('partner', q);
    const country = partner.dataProduct.sample.fields.indexOf('shippingCountry');
    expect(partner.dataProduct.sample.rows.length).toBe(20);
    expect(new Set(partner.dataProduct.sample.rows.map((r) => r[country]))).toEqual(new Set(['DE', 'FR']));
    const theirs = await as<{ ordersAggregate: { count: number }[] }>('partner', '{ ordersAggregate { count } }');
    expect(partner.dataProduct.profile.rows).toBe(theirs.ordersAggregate[0]!.count);
    const all = await as<Sample>('analyst', q);
    expect(all.dataProduct.profile.rows).toBeGreaterThan(partner.dataProduct.profile.rows);

    const customers = await as<Sample>('analyst', '{ dataProduct(name: "customer-profiles") { sample(limit: 5) { fields rows } profile { rows } } }');
    const listed = await as<{ customers: Record<string, string | null>[] }>('analyst', `{ customers(limit: 5) { ${customers.dataProduct.sample.fields.join(' ')} } }`);
    expect(customers.dataProduct.sample.rows).toEqual(listed.customers.map((c) => customers.dataProduct.sample.fields.map((f) => (c[f] === null ? null : String(c[f])))));
  });

  test('a sample or versions of a product beyond limits is BAD_USER_INPUT', async () => {
    for (const q of ['{ dataProduct(name: "payments") { sample(limit: 21) { rows } } }', '{ dataProduct(name: "payments") { versions(limit: -1) { version } } }']) {
      const r = await mesh.query(q, {}, { authorization: `Bearer ${tokens.analyst}` });
      expect(r.status).toBe(200);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('live facts', () => {
  test('the served version, its contract tests, its SLA measured now', async () => {
    type Live = {
      dataProduct: {
        slaStatus: { ok: boolean; fresh: boolean; completeness: number; testsPassed: boolean; problems: string[] };
        currentVersion: { version: string; serving: boolean; testsFailed: number; testsPassed: number; rows: number };
        versions: { version: string; status: string }[];
      };
    };
    const d = (
      await as<Live>(
        'analyst',
        '{ dataProduct(name: "payments") { slaStatus { ok fresh completeness testsPassed problems } currentVersion { version serving testsFailed testsPassed rows } versions { version status } } }',
      )
    ).dataProduct;
    expect(d.slaStatus).toEqual({ ok: true, fresh: true, completeness: 1, testsPassed: true, problems: [] });
    expect(d.currentVersion).toMatchObject({ serving: true, testsFailed: 0, rows: 5000 });
    expect(d.currentVersion.testsPassed).toBeGreaterThan(5);
    expect(d.versions[0]).toEqual({ version: d.currentVersion.version, status: 'PUBLISHED' });
  });

  test('lineage across domains, with column edges from the transforms', async () => {
    type Graph = {
      lineage: {
        nodes: { id: string; kind: string }[];
        edges: { from: string; to: string; kind: string }[];
        columns: { from: string; fromColumn: string; to: string; toColumn: string; kind: string }[];
      };
    };
    const g = (await as<Graph>('analyst', '{ lineage { nodes { id kind } edges { from to kind } columns { from fromColumn to toColumn kind } } }')).lineage;
    expect(g.nodes.map((n) => n.id).sort()).toEqual(
      [
        'product:customer-profiles',
        'product:order-lines',
        'product:orders-enriched',
        'product:payments',
        'product:shipment-events',
        'source:commerce/orders-db',
        'source:customers/crm-accounts',
        'source:payments/psp-settlements',
      ].sort(),
    );
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { from: 'source:customers/crm-accounts', to: 'product:customer-profiles', kind: 'INPUT' },
        { from: 'product:customer-profiles', to: 'product:orders-enriched', kind: 'INPUT' },
        { from: 'source:commerce/orders-db', to: 'product:orders-enriched', kind: 'INPUT' },
        { from: 'product:orders-enriched', to: 'product:payments', kind: 'INPUT' },
        { from: 'product:customer-profiles', to: 'product:orders-enriched', kind: 'REFERENCE' },
        { from: 'product:order-lines', to: 'product:shipment-events', kind: 'INPUT' },
        // A composite reference is an edge like a one-column one.
        { from: 'product:order-lines', to: 'product:shipment-events', kind: 'REFERENCE' },
      ]),
    );
    expect(g.columns).toEqual(
      expect.arrayContaining([
        { from: 'source:customers/crm-accounts', fromColumn: 'email', to: 'product:customer-profiles', toColumn: 'email', kind: 'transform' },
        { from: 'product:orders-enriched', fromColumn: 'order_id', to: 'product:payments', toColumn: 'order_id', kind: 'transform' },
      ]),
    );
    const steward = (await as<Graph>('steward', '{ lineage { nodes { id kind } } }')).lineage;
    expect(steward.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['product:access-log', 'source:governance/gateway-access-events']));
    const one = (
      await as<{ dataProduct: { lineage: Graph['lineage'] } }>(
        'analyst',
        '{ dataProduct(name: "customer-profiles") { lineage { nodes { id kind } edges { from to kind } columns { from fromColumn to toColumn kind } } } }',
      )
    ).dataProduct.lineage;
    expect(one.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['source:customers/crm-accounts', 'product:orders-enriched', 'product:payments']));
  });
});

test('SLA status turns stale when the served data is older than its SLA', async () => {
  const stale = await startTestMesh({
    dataRoot: await (async () => {
      const { copyOfSeededData } = await import('../support/startTestMesh.js');
      const root = await copyOfSeededData();
      const file = path.join(root, 'commerce', 'orders-enriched', '_manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as { dataAsOf: string };
      manifest.dataAsOf = new Date(Date.now() - 3 * 3_600_000).toISOString();
      await writeFile(file, JSON.stringify(manifest));
      return root;
    })(),
    // At start `up` rebuilds a product older than its schedule's interval: this test looks at the stale data before any rebuild.
    buildTimers: false,
  });
  try {
    const token = await stale.token({ roles: ['analyst'] });
    const r = await stale.query<{
      dataProducts: { name: string; slaStatus: { ok: boolean; fresh: boolean; ageSeconds: number; freshnessTargetSeconds: number; problems: string[] } }[];
    }>('{ dataProducts { name slaStatus { ok fresh ageSeconds freshnessTargetSeconds problems } } }', {}, { authorization: `Bearer ${token}` });
    const by = new Map(r.data!.dataProducts.map((p) => [p.name, p.slaStatus]));
    expect(by.get('orders-enriched')).toMatchObject({ ok: false, fresh: false, freshnessTargetSeconds: 3600, problems: ['its data is 3 h old; the SLA promises at most 60 min'] });
    expect(by.get('orders-enriched')!.ageSeconds).toBeGreaterThanOrEqual(3 * 3600);
    expect(by.get('customer-profiles')).toMatchObject({ ok: true, fresh: true });
  } finally {
    await stale.running.close();
  }
}, 120_000);

test('usage counts the access-log entries of the reads the test made', async () => {
  const own = await startTestMesh({ env: { MESHGATE_ACCESS_LOG_ROTATE_MS: '200' } });
  try {
    const ann = await own.token({ sub: 'ann.usage', roles: ['analyst'] });
    const bob = await own.token({ sub: 'bob.usage', roles: ['analyst'] });
    const pat = await own.token({ sub: 'pat.usage', roles: ['partner'], countries: ['DE'] });
    const steward = await own.token({ sub: 'sam.usage', roles: ['steward'] });
    const read = (t: string, name: string) => own.query(`query ${name} { payments(limit: 1) { paymentId } }`, {}, { authorization: `Bearer ${t}` });
    for (const [t, name] of [
      [ann, 'Reconcile'],
      [ann, 'Reconcile'],
      [bob, 'Audit'],
    ] as const)
      expect((await read(t, name)).errors).toBeUndefined();
    expect((await read(pat, 'Sneak')).status).toBe(403);
    // An application reads payments under its client name: a consumer in the lineage, for those who may read the log.
    expect(
      (await own.query('{ payments(limit: 1) { paymentId } }', {}, { authorization: `Bearer ${steward}`, 'apollographql-client-name': 'treasury-app' })).errors,
    ).toBeUndefined();
    // Only the product whose data is asked for is read: the other entry of the same operation is not.
    const narrow = await own.query(
      '{ a: dataProduct(name: "orders-enriched") { name } b: dataProduct(name: "customer-profiles") { profile { rows } } }',
      {},
      {
        authorization: `Bearer ${ann}`,
        'x-request-id': 'catalog-narrow-1',
      },
    );
    expect(narrow.errors).toBeUndefined();
    // Browsing reads data too: a sample is an access-log entry like a query, with its masks.
    const sampled = await own.query(
      '{ dataProduct(name: "customer-profiles") { sample(limit: 3) { rows } } }',
      {},
      { authorization: `Bearer ${ann}`, 'x-request-id': 'catalog-sample-1' },
    );
    expect(sampled.errors).toBeUndefined();
    type Usage = {
      dataProduct: {
        usage: {
          last7Days: {
            queries: number;
            refused: number;
            consumers: number;
            topConsumers: { name: string; count: number }[] | null;
            topOperations: { name: string; count: number }[] | null;
          };
          last30Days: { queries: number };
        };
      };
    };
    const q =
      '{ dataProduct(name: "payments") { usage { last7Days { queries refused consumers topConsumers { name count } topOperations { name count } } last30Days { queries } } } }';
    let usage: Usage['dataProduct']['usage'] | undefined;
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
      usage = (await own.query<Usage>(q, {}, { authorization: `Bearer ${steward}` })).data?.dataProduct.usage;
      if (usage && usage.last7Days.queries + usage.last7Days.refused >= 5) break;
    }
    expect(usage?.last7Days).toMatchObject({ queries: 4, refused: 1, consumers: 3 });
    expect(usage?.last30Days.queries).toBe(4);
    // A steward sees who read it most, the subject hashed as the access log's policy masks it for them, and the operations by name.
    expect(usage?.last7Days.topConsumers?.map((c) => c.count)).toEqual([2, 1, 1]);
    expect(JSON.stringify(usage?.last7Days.topConsumers)).not.toMatch(/ann|bob|sam/);
    expect(usage?.last7Days.topOperations).toEqual([
      { name: 'Reconcile', count: 2 },
      { name: 'Audit', count: 1 },
    ]);
    type Graph = { lineage: { nodes: { id: string }[]; edges: { from: string; to: string; kind: string }[] } };
    const lineageQ = '{ lineage { nodes { id } edges { from to kind } } }';
    const stewardGraph = (await own.query<Graph>(lineageQ, {}, { authorization: `Bearer ${steward}` })).data!.lineage;
    expect(stewardGraph.edges).toContainEqual({ from: 'product:payments', to: 'consumer:treasury-app', kind: 'READS' });
    const analystGraph = (await own.query<Graph>(lineageQ, {}, { authorization: `Bearer ${ann}` })).data!.lineage;
    expect(analystGraph.nodes.filter((n) => n.id.startsWith('consumer:'))).toEqual([]);
    /** The access-log entry of the request the client named `clientRequestId`, once compaction has made it part of the product. */
    const entryOf = async (clientRequestId: string, fields: string): Promise<Record<string, string>[]> => {
      for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
        const logged = await own.query<{ accessLog: Record<string, string>[] }>(
          `query($id: String!) { accessLog(where: { clientRequestId: { eq: $id } }) { ${fields} } }`,
          { id: clientRequestId },
          { authorization: `Bearer ${steward}` },
        );
        if (logged.data?.accessLog.length) return logged.data.accessLog;
      }
      return [];
    };
    const entry = await entryOf('catalog-sample-1', 'products fieldsRead masksApplied rowsReturned decision');
    expect(entry).toEqual([expect.objectContaining({ products: 'customer-profiles', decision: 'mask', rowsReturned: 'customer-profiles=3' })]);
    expect(entry[0]!.fieldsRead).toContain('customer-profiles.email');
    expect(entry[0]!.masksApplied).toContain('customer-profiles.email=email');
    const narrowed = await entryOf('catalog-narrow-1', 'products');
    expect(narrowed).toEqual([{ products: 'customer-profiles' }]);
    // An analyst sees the counts, not who or what.
    const analyst = (await own.query<Usage>(q, {}, { authorization: `Bearer ${ann}` })).data!.dataProduct.usage.last7Days;
    expect(analyst).toMatchObject({ queries: 4, refused: 1, consumers: 3, topConsumers: null, topOperations: null });
  } finally {
    await own.running.close();
  }
}, 120_000);
