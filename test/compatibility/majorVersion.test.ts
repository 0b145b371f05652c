import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { checkAllCompatibility } from '../../cli/compatibility/checkAll.js';
import { REPO_ROOT } from '../../cli/config.js';
import { buildSubgraphSdl, loadMesh, meshShapes, type Mesh } from '../../schema/index.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';
import { copyOfSubgraphs, edit } from './fixtures.js';

const SUNSET = '2099-12-31';
const REASON = `orders-enriched is deprecated: sunset ${SUNSET}; use orders-enriched-v2`;
const load = (dir: string): Promise<Mesh> => loadMesh(dir, { dataRoot: dir });

/** The sample mesh plus orders-enriched-v2 (OrderV2: exact decimal totals, no channel), v1 deprecated in its favour unless `deprecateV1` is false. */
async function meshWithV2(deprecateV1 = true): Promise<string> {
  const dir = await copyOfSubgraphs();
  if (deprecateV1)
    await edit(path.join(dir, 'commerce/data-product.yaml'), 'domain: commerce\n', `domain: commerce\nstatus: deprecated\nsuccessor: orders-enriched-v2\nsunset: ${SUNSET}\n`);
  const v1 = JSON.parse(await readFile(path.join(dir, 'commerce/schemas/orders-enriched-v1.avsc'), 'utf8')) as { fields: { name: string; type: unknown }[] };
  const v2 = {
    ...v1,
    name: 'OrderV2',
    version: '2.0.0',
    graphqlField: 'ordersV2',
    fields: v1.fields
      .filter((f) => f.name !== 'channel')
      .map((f) => (f.name === 'total_amount' ? { ...f, type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } } : f)),
  };
  await writeFile(path.join(dir, 'commerce/schemas/orders-enriched-v2.avsc'), JSON.stringify(v2, null, 2));
  await mkdir(path.join(dir, 'commerce/v2'));
  await writeFile(
    path.join(dir, 'commerce/v2/data-product.yaml'),
    [
      'name: orders-enriched-v2',
      'domain: commerce',
      'owner: commerce-data-team@company.com',
      'description: Orders, second major version - exact decimal totals, no sales channel.',
      'outputs:',
      '  - { name: orders-enriched-v2, format: parquet, location: commerce/orders-enriched/, schema: ../schemas/orders-enriched-v2.avsc }',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('a new major version served beside the deprecated old one', () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await startTestMesh({ subgraphsDir: await meshWithV2() });
  });
  afterAll(() => mesh?.close());

  it('composes and serves both versions', async () => {
    const r = await mesh.query<{ orders: { orderId: string; totalAmount: number }[]; ordersV2: { orderId: string; totalAmount: number }[] }>(
      '{ orders(limit: 3, orderBy: [{ orderId: ASC }]) { orderId totalAmount } ordersV2(limit: 3, orderBy: [{ orderId: ASC }]) { orderId totalAmount } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.ordersV2.map((o) => o.orderId)).toEqual(r.data?.orders.map((o) => o.orderId));
    expect(r.data?.ordersV2).toHaveLength(3);
  });

  it('shows the old version deprecated, with its sunset and successor, in introspection', async () => {
    const r = await mesh.query<{ __schema: { queryType: { fields: { name: string; isDeprecated: boolean; deprecationReason: string | null }[] } } }>(
      '{ __schema { queryType { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } } }',
    );
    expect(r.errors).toBeUndefined();
    const byName = new Map(r.data!.__schema.queryType.fields.map((f) => [f.name, f]));
    expect(byName.get('orders')).toEqual({ name: 'orders', isDeprecated: true, deprecationReason: `${REASON} (ordersV2)` });
    expect(byName.get('order')).toEqual({ name: 'order', isDeprecated: true, deprecationReason: `${REASON} (orderV2)` });
    expect(byName.get('ordersConnection')?.isDeprecated).toBe(true);
    expect(byName.get('ordersAggregate')?.isDeprecated).toBe(true);
    expect(byName.get('ordersV2')).toEqual({ name: 'ordersV2', isDeprecated: false, deprecationReason: null });
    expect(byName.get('customers')?.isDeprecated).toBe(false);
  });

  it("deprecates the old version's reverse list on the referenced type too", async () => {
    const r = await mesh.query<{ __type: { fields: { name: string; isDeprecated: boolean; deprecationReason: string | null }[] } }>(
      '{ __type(name: "Customer") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
    );
    const fields = new Map(r.data!.__type.fields.map((f) => [f.name, f]));
    expect(fields.get('orders')).toEqual({ name: 'orders', isDeprecated: true, deprecationReason: `${REASON} (ordersV2)` });
    expect(fields.get('ordersV2')?.isDeprecated).toBe(false);
  });
});

describe('compatibility across major versions', () => {
  const base = path.join(REPO_ROOT, 'subgraphs');

  it('lets the new major version break compatibility while the old one is served, with warnings', async () => {
    const dir = await meshWithV2();
    const r = await checkAllCompatibility({ current: await load(dir), base, repoRoot: path.dirname(dir) });
    if (!('findings' in r)) throw new Error(r.error);
    expect(r.findings.filter((f) => f.severity === 'violation')).toEqual([]);
    expect(r.findings).toContainEqual(
      expect.objectContaining({
        rule: 'major-version',
        severity: 'warning',
        product: 'orders-enriched-v2',
        message: `orders-enriched-v2 is a new major version of orders-enriched (deprecated, sunset ${SUNSET}); 1 breaking change(s) allowed while both are served`,
      }),
    );
    expect(r.findings).toContainEqual(
      expect.objectContaining({
        rule: 'type-narrowed',
        severity: 'warning',
        product: 'orders-enriched-v2',
        field: 'total_amount',
        message: `field "total_amount" was narrowed from double to decimal(12,2): breaking under BACKWARD: consumers using the new contract cannot read data written under the old one (allowed: orders-enriched-v2 is a new major version of orders-enriched, which stays served until its sunset ${SUNSET})`,
      }),
    );
  });

  it('refuses a breaking v2 when v1 is not deprecated in its favour', async () => {
    const dir = await meshWithV2(false);
    const r = await checkAllCompatibility({ current: await load(dir), base, repoRoot: path.dirname(dir) });
    if (!('findings' in r)) throw new Error(r.error);
    expect(r.findings.filter((f) => f.severity === 'violation')).toEqual([
      expect.objectContaining({
        rule: 'type-narrowed',
        product: 'orders-enriched-v2',
        message: expect.stringMatching(
          /\(orders-enriched-v2 replaces orders-enriched, but orders-enriched is not marked deprecated with successor orders-enriched-v2 and a sunset date\)$/,
        ),
        fix: 'Mark orders-enriched "status: deprecated", "successor: orders-enriched-v2" and "sunset: YYYY-MM-DD" in its descriptor, and keep serving it until then.',
      }),
    ]);
  });

  it('calls breaking v1 in place, without a v2, a violation in the contract and in the GraphQL API', async () => {
    const dir = await copyOfSubgraphs();
    await edit(path.join(dir, 'commerce/schemas/orders-enriched-v1.avsc'), '{ "name": "total_amount", "type": "double"', '{ "name": "total_amount", "type": "int"');
    const r = await checkAllCompatibility({ current: await load(dir), base, repoRoot: path.dirname(dir) });
    if (!('findings' in r)) throw new Error(r.error);
    const violations = r.findings.filter((f) => f.severity === 'violation');
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: 'type-narrowed',
        product: 'orders-enriched',
        field: 'total_amount',
        message: 'field "total_amount" was narrowed from double to integer: breaking under BACKWARD: consumers using the new contract cannot read data written under the old one',
      }),
    );
    expect(violations).toContainEqual(expect.objectContaining({ rule: 'version-not-bumped', product: 'orders-enriched' }));
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: 'graphql-breaking-change',
        product: 'orders-enriched',
        field: 'Order.totalAmount',
        message: 'GraphQL FIELD_CHANGED_KIND: Order.totalAmount changed type from Float! to Int!.',
      }),
    );
  });

  it('refuses removing the old version before its sunset', async () => {
    const withBoth = await meshWithV2();
    const mesh = await load(withBoth);
    const withoutV1: Mesh = { ...mesh, domains: mesh.domains.map((d) => ({ ...d, products: d.products.filter((p) => p.name !== 'orders-enriched') })) };
    const r = await checkAllCompatibility({ current: withoutV1, base: withBoth, repoRoot: path.dirname(withBoth) });
    if (!('findings' in r)) throw new Error(r.error);
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'product-removed', severity: 'violation', product: 'orders-enriched' }));
  });

  it("prints @deprecated only on the deprecated product's fields", async () => {
    const sdl = buildSubgraphSdl('commerce', meshShapes(await load(await meshWithV2())));
    expect(sdl).toContain(`  order(orderId: ID!): Order @deprecated(reason: "${REASON} (orderV2)")`);
    expect(sdl).toContain('  orderV2(orderId: ID!): OrderV2\n');
    expect(buildSubgraphSdl('commerce', meshShapes(await load(base)))).not.toContain('@deprecated');
  });
});
