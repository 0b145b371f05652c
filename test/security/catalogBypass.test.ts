/**
 * Attempts to get around the access policies through the catalog: hidden entries reached by a
 * fragment, an alias or a direct subgraph call; a denied field through a sample or a profile; a
 * masked field's values through its profile; the access log's readers through usage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
        'version: 1\nmasks: { name: redact, email: email, phone: last4, date-of-birth: year, pan: last4, person-id: hash, address: redact }\nrules:\n  - { id: analysts-without-phones, roles: [analyst], products: ["*"], exceptProducts: [access-log], denyFields: [phone] }\n',
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

test('a profile computed for one caller is never served to another with other fields in the clear', async () => {
  // The owner of every domain profiles first (every field clear), then the analyst (PII masked): the analyst's figures are their own.
  expect((await mesh.query('{ dataProduct(name: "customer-profiles") { profile { rows } } }')).errors).toBeUndefined();
  type Profile = { dataProduct: { profile: { columns: { field: string; min: string | null; max: string | null; distinctCount: number | null }[] } } };
  const r = await mesh.query<Profile>('{ dataProduct(name: "customer-profiles") { profile { columns { field min max distinctCount } } } }', undefined, analyst);
  const col = (f: string) => r.data!.dataProduct.profile.columns.find((c) => c.field === f)!;
  const agg = await mesh.query<{ customersAggregate: { min: { signupAt: string }; max: { signupAt: string } }[] }>(
    '{ customersAggregate { min { signupAt } max { signupAt } } }',
    undefined,
    analyst,
  );
  const groups = await mesh.query<{ customersAggregate: unknown[] }>('{ customersAggregate(groupBy: [COUNTRY]) { count } }', undefined, analyst);
  expect(col('signupAt')).toMatchObject({ min: agg.data!.customersAggregate[0]!.min.signupAt, max: agg.data!.customersAggregate[0]!.max.signupAt });
  expect(col('country').distinctCount).toBe(groups.data!.customersAggregate.length);
  expect(col('segment').distinctCount).toBe(3);
  expect(col('birthDate')).toEqual({ field: 'birthDate', min: null, max: null, distinctCount: null });
});

test('a caller with a row policy gets no figure of the whole version: rows, completeness, finding messages', async () => {
  const partner = bearer(await mesh.token({ roles: ['partner'], countries: ['DE'] }));
  const q = '{ dataProduct(name: "orders-enriched") { currentVersion { rows } versions { rows findings { message } } slaStatus { completeness ok } profile { rows } } }';
  type Live = {
    dataProduct: {
      currentVersion: { rows: number | null };
      versions: { rows: number | null }[];
      slaStatus: { completeness: number | null; ok: boolean };
      profile: { rows: number };
    };
  };
  const theirs = (await mesh.query<Live>(q, undefined, partner)).data!.dataProduct;
  expect(theirs.currentVersion.rows).toBeNull();
  expect(theirs.versions.every((v) => v.rows === null)).toBe(true);
  expect(theirs.slaStatus).toEqual({ completeness: null, ok: true });
  const all = (await mesh.query<Live>(q, undefined, analyst)).data!.dataProduct;
  expect(all.currentVersion.rows).toBe(5000);
  expect(theirs.profile.rows).toBeLessThan(all.profile.rows);
});

test('a catalog field in an operation widens nothing for its other fields: the data grants stay apart', async () => {
  const key = (await meshSecrets()).contextKey;
  const open: ProductGrant = { masks: {}, denied: [], rows: null };
  // A context as a catalog request carries it: the catalog grants every readable product, the data grants none.
  const context = await signAccessContext(key, { requestId: 'r', sub: 'eve', products: {}, catalog: { 'customer-profiles': open } });
  const url = mesh.running.subgraphs.get('customers')!.url;
  const r = await postGraphQL(url, { query: '{ customers(limit: 1) { customerId email } }' }, { [ACCESS_CONTEXT_HEADER]: context });
  expect(errorCodes(r)).toEqual(['FORBIDDEN']);
  expect(r.text).not.toMatch(/@example\./);
});

test('a search text longer than 200 characters is BAD_USER_INPUT, as is a limit out of bounds; a null limit is the default', async () => {
  const long = await mesh.query('query($s: String) { dataProducts(search: $s) { name } }', { s: 'x'.repeat(201) }, analyst);
  expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
  const nullLimit = await mesh.query<{ dataProduct: { sample: { rows: unknown[] } } }>('{ dataProduct(name: "payments") { sample(limit: null) { rows } } }', undefined, analyst);
  expect(nullLimit.data!.dataProduct.sample.rows).toHaveLength(5);
});

test('a product with no version to serve leaves the rest of the catalog whole, and no answer names a file', async () => {
  const { copyOfSeededData } = await import('../support/startTestMesh.js');
  const root = await copyOfSeededData();
  const file = path.join(root, 'payments', 'payments', '_manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { files: string[] };
  manifest.files = manifest.files.map((f) => f.replace(/[^/]+$/, 'gone.parquet'));
  await writeFile(file, JSON.stringify(manifest));
  const broken = await startTestMesh({ dataRoot: root });
  try {
    const h = bearer(await broken.token({ roles: ['analyst'] }));
    const r = await broken.query<{ dataProducts: { name: string; sample: unknown; profile: unknown; slaStatus: { ok: boolean } }[] }>(
      '{ dataProducts { name sample(limit: 1) { rows } profile { rows } slaStatus { ok } } }',
      undefined,
      h,
    );
    expect(r.errors).toBeUndefined();
    const payments = r.data!.dataProducts.find((p) => p.name === 'payments')!;
    expect(payments).toMatchObject({ sample: null, profile: null });
    expect(r.data!.dataProducts.find((p) => p.name === 'customer-profiles')!.sample).not.toBeNull();
    const data = await broken.query('{ payments(limit: 1) { paymentId } }', undefined, h);
    expect(errorCodes(data)).toEqual(['PRODUCT_UNAVAILABLE']);
    expect(data.text).not.toMatch(/\/tmp\/|gone\.parquet|\/work\//);
  } finally {
    await broken.close();
  }
}, 120_000);
