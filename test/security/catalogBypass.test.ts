/**
 * Attempts to get around the access policies through the catalog: hidden entries reached by a
 * fragment, an alias or a direct subgraph call; a denied field through a sample or a profile; a
 * masked field's values through its profile; the access log's readers through usage.
 */
import { ACCESS_CONTEXT_HEADER, signAccessContext, type ProductGrant } from '../../policies/index.js';
import { meshSecrets } from '../support/meshSecrets.js';
import { bearer, errorCodes, postGraphQL } from '../support/postGraphQL.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
let analyst: Record<string, string>;
beforeAll(async () => {
  mesh = await startTestMesh();
  analyst = bearer(await mesh.token({ sub: 'eve', roles: ['analyst'] }));
}, 120_000);
afterAll(() => mesh?.close());

test('a hidden entry stays hidden behind fragments, aliases and the lineage', async () => {
  const r = await mesh.query(
    `{ all: dataProducts { name ... on GovernanceDataProduct { sample { rows } profile { rows } } }
       log: dataProduct(name: "access-log") { name sample { rows } }
       searched: dataProducts(search: "audit access log subject") { name }
       lineage { nodes { id name } } }`,
    undefined,
    analyst,
  );
  expect(r.errors).toBeUndefined();
  expect(r.text).not.toMatch(/access-log|AccessEvent|gateway-access-events/);
  expect(r.data).toMatchObject({ log: null, searched: [] });
});

test('a subgraph refuses the live facts of a product its signed context does not grant', async () => {
  const key = (await meshSecrets()).contextKey;
  const open: ProductGrant = { masks: {}, denied: [], rows: null };
  const context = await signAccessContext(key, { requestId: 'r', sub: 'eve', products: { 'orders-enriched': open } });
  const url = mesh.running.subgraphs.get('customers')!.url;
  const r = await postGraphQL(
    url,
    {
      query:
        '{ _entities(representations: [{ __typename: "CustomersDataProduct", name: "customer-profiles" }]) { ... on CustomersDataProduct { sample { rows } profile { rows } slaStatus { ok } versions { version } } } }',
    },
    { [ACCESS_CONTEXT_HEADER]: context },
  );
  expect(errorCodes(r).length).toBeGreaterThan(0);
  expect(new Set(errorCodes(r))).toEqual(new Set(['FORBIDDEN']));
  expect(r.text).not.toMatch(/@example\./);
  // Without a context at all: 401, as for any subgraph call.
  const bare = await postGraphQL(url, {
    query: '{ _entities(representations: [{ __typename: "CustomersDataProduct", name: "customer-profiles" }]) { ... on CustomersDataProduct { sample { rows } } } }',
  });
  expect(bare.status).toBe(401);
});

test("a masked field's values do not leak through the profile, the sample or the field list", async () => {
  const r = await mesh.query<{
    dataProduct: {
      profile: { columns: { field: string; min: string | null; max: string | null; distinctCount: number | null }[] };
      sample: { fields: string[]; rows: (string | null)[][] };
    };
  }>('{ dataProduct(name: "customer-profiles") { profile { columns { field min max distinctCount } } sample(limit: 20) { fields rows } } }', undefined, analyst);
  const columns = r.data!.dataProduct.profile.columns;
  for (const f of ['fullName', 'email', 'phone', 'birthDate']) expect(columns.find((c) => c.field === f)).toEqual({ field: f, min: null, max: null, distinctCount: null });
  const { fields, rows } = r.data!.dataProduct.sample;
  for (const row of rows) {
    expect(row[fields.indexOf('fullName')]).toBe('***');
    expect(row[fields.indexOf('email')] ?? 'x***@y').toMatch(/^.\*\*\*@/);
    expect(row[fields.indexOf('birthDate')] ?? '1900-01-01').toMatch(/-01-01$/);
  }
});

describe('a policy that denies a field', () => {
  let denying: TestMesh;
  let headers: Record<string, string>;
  beforeAll(async () => {
    denying = await startTestMesh({
      policy:
        'version: 1\nmasks: { name: redact, email: email, phone: last4, date-of-birth: year, pan: last4, person-id: hash }\nrules:\n  - { id: analysts-without-phones, roles: [analyst], products: ["*"], exceptProducts: [access-log], denyFields: [phone] }\n',
    });
    headers = bearer(await denying.token({ roles: ['analyst'] }));
  }, 120_000);
  afterAll(() => denying?.close());

  test('the field is listed as denied, left out of the sample and withheld from the profile', async () => {
    const r = await denying.query<{
      dataProduct: {
        fields: { name: string; access: string }[];
        sample: { fields: string[]; rows: unknown[][] };
        profile: { columns: { field: string; withheld: string | null; nullShare: number | null }[] };
      };
    }>(
      '{ dataProduct(name: "customer-profiles") { fields { name access } sample(limit: 5) { fields rows } profile { columns { field withheld nullShare } } } }',
      undefined,
      headers,
    );
    expect(r.errors).toBeUndefined();
    const d = r.data!.dataProduct;
    expect(d.fields.find((f) => f.name === 'phone')!.access).toBe('DENIED');
    expect(d.sample.fields).not.toContain('phone');
    expect(d.sample.rows[0]).toHaveLength(d.sample.fields.length);
    expect(d.profile.columns.find((c) => c.field === 'phone')).toEqual({ field: 'phone', withheld: 'you may not read this field', nullShare: null });
    const phones = (await mesh.query<{ customers: { phone: string | null }[] }>('{ customers(limit: 1000) { phone } }'))
      .data!.customers.map((c) => c.phone)
      .filter(Boolean) as string[];
    expect(phones.length).toBeGreaterThan(100);
    for (const phone of phones) expect(r.text).not.toContain(phone.slice(-6));
  });
});

test('usage names readers only to callers who may read the access log', async () => {
  const r = await mesh.query<{ dataProduct: { usage: { last30Days: { topConsumers: unknown; topOperations: unknown } } } }>(
    '{ dataProduct(name: "payments") { usage { last30Days { topConsumers { name } topOperations { name } } } } }',
    undefined,
    analyst,
  );
  expect(r.data!.dataProduct.usage.last30Days).toEqual({ topConsumers: null, topOperations: null });
});
