/**
 * Each row of the sample policy table (README.md, "A tour for stewards"): the right caller
 * sees the right values, compared with rows read straight from the Parquet and masked by
 * test/support/expectedMasks.ts, and the explanation names the rule behind every grant, mask and row filter.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT } from '../../cli/config.js';
import { evaluateAccess, loadPolicies, MASK_NAMES, type MaskName, type PolicyFile } from '../../policies/index.js';
import type { DataProduct } from '../../schema/index.js';
import { maskExpression, Params } from '../../subgraphs/runtime/sql/index.js';
import { expectedMask, maskRow } from '../support/expectedMasks.js';
import { meshSecrets } from '../support/meshSecrets.js';
import { bearer, errorCodes } from '../support/postGraphQL.js';
import { referenceRows, type ReferenceRows, type Row, type Table, type Value } from '../support/referenceRows.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

type Claims = Parameters<TestMesh['token']>[0];
type Masks = Readonly<Record<string, MaskName>>;
type Explained = Record<string, { grantedBy: string[]; rowRules: string[]; rows: unknown; masked: Record<string, unknown>; denied: Record<string, unknown> }>;

const CUSTOMER_PII: Masks = { fullName: 'redact', email: 'email', phone: 'last4', birthDate: 'year' };
const PAYMENT_PII: Masks = { cardNumber: 'last4' };
const CLASSIFICATION: Readonly<Record<string, string>> = { fullName: 'name', email: 'email', phone: 'phone', birthDate: 'date-of-birth', cardNumber: 'pan' };

let mesh: TestMesh;
let ref: ReferenceRows;
beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
});
afterAll(() => mesh?.close());

const allFields = (t: Table): string => Object.keys(t.fields).join(' ');
const listOf = (t: Table): string => `${t.name}(limit: 1000) { ${allFields(t)} }`;

/** Reads `tables` as a caller with `claims`, asking for the explanation. */
async function readAs(claims: Claims, tables: readonly Table[], on: TestMesh = mesh): Promise<{ r: GraphQLResponse<Record<string, Row[]>>; access: Explained }> {
  const r = await on.query<Record<string, Row[]>>(`{ ${tables.map(listOf).join(' ')} }`, undefined, { ...bearer(await on.token(claims)), 'x-meshgate-explain': '1' });
  const body = JSON.parse(r.text) as { extensions?: { meshgate?: { access?: Explained } } };
  return { r, access: body.extensions?.meshgate?.access ?? {} };
}

/** Every returned row equals its Parquet row passed through `masks`. */
function expectMasked(table: Table, rows: readonly Row[] | undefined, masks: Masks, secret = ''): void {
  expect(rows?.length).toBeGreaterThan(0);
  expect(rows).toEqual(rows!.map((row) => maskRow(table.byKey.get(String(row[table.key]))!, masks, secret)));
}

/** The explanation of masks: `Type.field` → the mask and the classification that chose it. */
function explainedMasks(typeName: string, masks: Masks, policyFile = 'policies/access.yaml'): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(masks).map(([f, mask]) => [`${typeName}.${f}`, { mask, reason: `classification "${CLASSIFICATION[f]}" → mask "${mask}" (masks of ${policyFile})` }]),
  );
}

describe('no token or a bad token', () => {
  it.each([
    ['no token', {}],
    ['a token that is not a JWT', { authorization: 'Bearer not-a-token' }],
  ])('reads nothing with %s: HTTP 401 and UNAUTHENTICATED, no data and no explanation', async (_name, headers) => {
    const res = await fetch(mesh.running.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-meshgate-explain': '1', ...headers },
      body: JSON.stringify({ query: `{ ${listOf(ref.customers)} }` }),
    });
    const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[]; extensions?: unknown };
    expect({ status: res.status, codes: body.errors.map((e) => e.extensions.code), data: body.data, extensions: body.extensions }).toEqual({
      status: 401,
      codes: ['UNAUTHENTICATED'],
      data: undefined,
      extensions: undefined,
    });
  });
});

describe.each([
  ['an analyst', 'analyst', 'analysts-read-every-product-but-the-access-log'],
  ['a steward', 'steward', 'stewards-read-everything'],
])('%s', (_name, role, rule) => {
  it('reads every served product with names, emails, phones, birth dates and card numbers masked', async () => {
    const { r } = await readAs({ roles: [role] }, [ref.customers, ref.orders, ref.payments]);
    expect(r.errors).toBeUndefined();
    expectMasked(ref.customers, r.data?.customers, CUSTOMER_PII);
    expectMasked(ref.orders, r.data?.orders, {});
    expectMasked(ref.payments, r.data?.payments, PAYMENT_PII);
  });

  it(`is told that rule "${rule}" grants each product and which classification chose each mask`, async () => {
    const { access } = await readAs({ roles: [role] }, [ref.customers, ref.orders, ref.payments]);
    const grant = (masked: Record<string, unknown>) => ({ grantedBy: [rule], rowRules: [], rows: null, masked, denied: {} });
    expect(access).toEqual({
      'customer-profiles': grant(explainedMasks('Customer', CUSTOMER_PII)),
      'orders-enriched': grant({}),
      payments: grant(explainedMasks('Payment', PAYMENT_PII)),
    });
  });
});

describe('the access log, as the policy decides it', () => {
  let policy: PolicyFile;
  let accessLog: DataProduct;
  beforeAll(async () => {
    let products = mesh.running.mesh.domains.flatMap((d) => d.products);
    // Until the governance domain serves it, a stand-in with its key and its PII field.
    const customers = products.find((p) => p.name === 'customer-profiles')!;
    const [key, name] = customers.contract.fields;
    const fields = [
      { ...key!, name: 'event_id' },
      { ...name!, name: 'subject', classification: 'person-id' as const },
    ];
    const standIn: DataProduct = {
      ...customers,
      name: 'access-log',
      domain: 'governance',
      contract: { ...customers.contract, typeName: 'AccessEvent', fields, keys: ['event_id'] },
    };
    accessLog = products.find((p) => p.name === 'access-log') ?? standIn;
    if (accessLog === standIn) products = [...products, standIn];
    const loaded = await loadPolicies(path.join(REPO_ROOT, 'policies/access.yaml'), products);
    if (loaded.errors) throw new Error(JSON.stringify(loaded.errors));
    policy = loaded.value;
  });
  const decide = (roles: string[]) => evaluateAccess(policy, { sub: 's', roles, scopes: [], claims: {} }, accessLog);

  it('is refused to analysts and to the owners of other domains', () => {
    for (const roles of [['analyst'], ['customers-owner'], ['commerce-owner'], ['payments-owner'], ['app']])
      expect({ roles, allowed: decide(roles).allowed }).toEqual({ roles, allowed: false });
  });

  it('is granted to stewards with the subject hashed', () => {
    expect(decide(['steward'])).toMatchObject({ allowed: true, grantedBy: ['stewards-read-everything'], masks: { subject: { mask: 'hash' } } });
  });
});

describe.each([
  ['customers-owner', 'customers', { customers: {}, orders: {}, payments: PAYMENT_PII }],
  ['commerce-owner', 'orders', { customers: CUSTOMER_PII, orders: {}, payments: PAYMENT_PII }],
  ['payments-owner', 'payments', { customers: CUSTOMER_PII, orders: {}, payments: {} }],
] as const)('a domain owner (%s)', (role, own, masks) => {
  it(`reads ${own} unmasked and the other domains masked`, async () => {
    const { r } = await readAs({ roles: [role] }, [ref.customers, ref.orders, ref.payments]);
    expect(r.errors).toBeUndefined();
    for (const t of [ref.customers, ref.orders, ref.payments]) expectMasked(t, r.data?.[t.name], masks[t.name]);
  });

  it('is told that its own domain is unmasked by "domain-owners-read-their-own-pii" and the others masked by "owners-read-other-domains-masked"', async () => {
    const { access } = await readAs({ roles: [role] }, [ref.customers, ref.orders, ref.payments]);
    const product = { customers: 'customer-profiles', orders: 'orders-enriched', payments: 'payments' } as const;
    for (const t of [ref.customers, ref.orders, ref.payments]) {
      const rules = t.name === own ? ['domain-owners-read-their-own-pii', 'owners-read-other-domains-masked'] : ['owners-read-other-domains-masked'];
      expect(access[product[t.name]]).toEqual({ grantedBy: rules, rowRules: [], rows: null, masked: explainedMasks(t.typeName, masks[t.name]), denied: {} });
    }
  });
});

describe('a fulfillment app (role app, purpose fulfillment)', () => {
  const app = { roles: ['app'], purpose: 'fulfillment' };

  it('reads emails and phones unmasked, names, birth dates and card numbers masked', async () => {
    const { r } = await readAs(app, [ref.customers, ref.orders, ref.payments]);
    expect(r.errors).toBeUndefined();
    expectMasked(ref.customers, r.data?.customers, { fullName: 'redact', birthDate: 'year' });
    expectMasked(ref.orders, r.data?.orders, {});
    expectMasked(ref.payments, r.data?.payments, PAYMENT_PII);
  });

  it('is told that rule "fulfillment-apps" grants it, with only the fields outside the purpose masked', async () => {
    const { access } = await readAs(app, [ref.customers]);
    expect(access['customer-profiles']).toEqual({
      grantedBy: ['fulfillment-apps'],
      rowRules: [],
      rows: null,
      masked: explainedMasks('Customer', { fullName: 'redact', birthDate: 'year' }),
      denied: {},
    });
  });

  it.each([
    ['without a purpose', { roles: ['app'] }],
    ['with another purpose', { roles: ['app'], purpose: 'marketing' }],
  ])('reads nothing %s: FORBIDDEN and no data', async (_name, claims) => {
    for (const t of [ref.customers, ref.orders, ref.payments]) {
      const { r } = await readAs(claims, [t]);
      expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 403, codes: ['FORBIDDEN'], data: undefined });
    }
  });
});

describe('a partner (role partner, claim countries)', () => {
  it.each([[['DE']], [['DE', 'FR']]])('with countries %j reads exactly the orders shipped there, unmasked', async (countries) => {
    const { r } = await readAs({ roles: ['partner'], countries }, [ref.orders]);
    const expected = ref.orders.rows.filter((o) => countries.includes(String(o.shippingCountry)));
    expect(r.errors).toBeUndefined();
    expect(r.data?.orders).toHaveLength(Math.min(expected.length, 1000));
    expectMasked(ref.orders, r.data?.orders, {});
    expect(new Set(r.data!.orders!.map((o) => o.shippingCountry))).toEqual(new Set(countries));
  });

  it('is told that rule "partners-read-their-countries-orders" filters the rows, with its own countries filled in', async () => {
    const { access } = await readAs({ roles: ['partner'], countries: ['DE'] }, [ref.orders]);
    const rule = 'partners-read-their-countries-orders';
    expect(access).toEqual({ 'orders-enriched': { grantedBy: [rule], rowRules: [rule], rows: { column: 'shipping_country', op: 'in', value: ['DE'] }, masked: {}, denied: {} } });
  });

  it('reads no customer and no payment: FORBIDDEN and no data', async () => {
    for (const t of [ref.customers, ref.payments]) {
      const { r } = await readAs({ roles: ['partner'], countries: ['DE'] }, [t]);
      expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 403, codes: ['FORBIDDEN'], data: undefined });
    }
  });
});

describe('the masks the sample policy does not use (hash, null) under another policy', () => {
  const OTHER: Masks = { fullName: 'hash', email: 'redact', phone: 'null', birthDate: 'null' };
  let other: TestMesh;
  beforeAll(async () => {
    other = await startTestMesh({
      policy:
        'version: 1\nmasks: { name: hash, email: redact, phone: "null", date-of-birth: "null", pan: hash, person-id: hash, address: redact }\nrules:\n  - { id: analysts-read-all, roles: [analyst], products: ["*"] }\n',
    });
  });
  afterAll(() => other?.close());

  it('hashes names and card numbers with the mesh secret, nulls phones and birth dates, redacts emails', async () => {
    const { hashKey } = await meshSecrets();
    const { r } = await readAs({ roles: ['analyst'] }, [ref.customers, ref.payments], other);
    expect(r.errors).toBeUndefined();
    expectMasked(ref.customers, r.data?.customers, OTHER, hashKey);
    expectMasked(ref.payments, r.data?.payments, { cardNumber: 'hash' }, hashKey);
  });
});

describe('every mask, in the SQL the subgraphs run', () => {
  const CASES: Readonly<Record<MaskName, readonly [string, readonly Value[]]>> = {
    redact: ['VARCHAR', ['Anna Berg', '', null]],
    email: ['VARCHAR', ['anna.b@x.io', 'Åsa@ex.se', '😀x@y.z', 'no-at-sign', 'a@b@c', '', null]],
    last4: ['VARCHAR', ['+491731549828', '4111111111111111', 'abc', 'Ωmega', null]],
    year: ['DATE', ['1987-11-27', '2000-01-01', null]],
    hash: ['VARCHAR', ['anna.b@x.io', 'Søren', '', null]],
    null: ['VARCHAR', ['anything', null]],
    round: ['DOUBLE', [0, 49.99, 50, 149.5, 150, 1234.56, -150, -49, 1_000_049, null]],
  };
  const TYPES = { VARCHAR: 'string', DATE: 'date', DOUBLE: 'double' } as const;

  it.each(MASK_NAMES)('computes the "%s" mask as its definition says', async (mask) => {
    const [sqlType, values] = CASES[mask];
    const params = new Params();
    const expr = maskExpression({ name: 'v', type: TYPES[sqlType as keyof typeof TYPES] }, { name: mask, key: 'secret-of-the-test' }, params);
    const rows = values.map((v, i) => `(${i}, ${params.add(v)}::${sqlType})`).join(', ');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const got = (await c.runAndReadAll(`SELECT ${expr} AS m FROM (VALUES ${rows}) t(i, v) ORDER BY i`, params.values as never)).getRowObjectsJson().map((r) => r.m);
      // Through JSON, as a client gets it: DuckDB's -0 reads as 0.
      expect(JSON.parse(JSON.stringify(got.map((m) => (typeof m === 'string' && sqlType === 'DOUBLE' ? Number(m) : m))))).toEqual(
        values.map((v) => expectedMask(mask, v, 'secret-of-the-test')),
      );
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
