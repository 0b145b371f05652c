/**
 * Onboarding a domain: `meshgate check` over a plain Avro schema (no meshgate attributes) lists every
 * problem in one run, each with how to fix it; two domains generating the same GraphQL name are
 * refused, naming both products and files.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../cli/config.js';
import type { Finding } from '../../policies/governance/index.js';
import { cli } from '../support/cli.js';
import { checkMesh, contract, customers, descriptor, orders, property } from './meshFixture.js';

const POLICY = path.join(REPO_ROOT, 'policies/access.yaml');

/** A plain Avro schema, as a domain's producer exports it: names and types only. */
const PLAIN = {
  type: 'record',
  name: 'TouchPoint',
  namespace: 'com.company.marketing',
  fields: [
    { name: 'touch_id', type: 'string' },
    { name: 'email', type: ['null', 'string'] },
    { name: 'channel', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'touchedAt', type: { type: 'long', logicalType: 'timestamp-micros' } },
  ],
};

async function plainMesh(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshgate-onboarding-'));
  await mkdir(path.join(root, 'marketing/schemas'), { recursive: true });
  const d = {
    name: 'touch-points',
    domain: 'marketing',
    owner: 'TODO: the owning team',
    outputs: [{ name: 'touch-points-v1', format: 'parquet', location: 'marketing/touch-points/', schema: 'schemas/touch-points-v1.avsc' }],
    sla: { freshness: '1h' },
  };
  await writeFile(path.join(root, 'marketing/data-product.yaml'), stringify(d));
  await writeFile(path.join(root, 'marketing/schemas/touch-points-v1.avsc'), JSON.stringify(PLAIN, null, 2));
  return root;
}

describe('meshgate check on a plain Avro schema', () => {
  let run: { code: number; stdout: string; stderr: string };
  let findings: Finding[];

  beforeAll(async () => {
    const root = await plainMesh();
    run = await cli(['check', '--json'], { MESHGATE_SUBGRAPHS_DIR: root, MESHGATE_POLICY_FILE: POLICY, MESHGATE_DATA_DIR: path.join(root, 'data') });
    findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  });

  it('exits 1', () => {
    expect(run.code).toBe(1);
  });

  it('lists every problem in one run: each unclassified field, the bad column name, the missing key and the placeholder owner', () => {
    const byRule = findings.map((f) => [f.rule, f.field ?? null]);
    expect(byRule).toEqual(
      expect.arrayContaining([
        ['fields-classified', 'touch_id'],
        ['fields-classified', 'email'],
        ['fields-classified', 'channel'],
        ['fields-classified', 'amount'],
        ['fields-classified', 'touchedAt'],
        ['field-name', 'touchedAt'],
        ['product-has-owner', null],
      ]),
    );
    // The contract as a whole (its key) is checked in the same run, though its fields were refused.
    expect(findings.some((f) => f.rule === 'descriptor-valid' && /key/.test(f.message))).toBe(true);
    expect(findings.every((f) => f.product === 'touch-points')).toBe(true);
  });

  it('names each field by index and name and says how to fix it', () => {
    const touch = findings.find((f) => f.rule === 'fields-classified' && f.field === 'touch_id')!;
    expect(touch.message).toMatch(/^fields\[0\] touch_id: no classification: add "classification": "none" or a PII kind \(name, email, /);
    const name = findings.find((f) => f.rule === 'field-name')!;
    expect(name.message).toMatch(/^fields\[4\] touchedAt: "touchedAt" is not a lower snake_case column name: name the column "touched_at"/);
    const key = findings.find((f) => f.rule === 'descriptor-valid')!;
    // Without a key a product may still be served, keyless, once it declares its order: the message offers both fixes.
    expect(key.message).toMatch(/add a record-level "order": \[.*\].* or mark its key field\(s\) "key": true/);
  });

  it('gives every finding a fix', () => {
    for (const f of findings) expect(f.fix).toMatch(/\S{3,}/);
  });

  it('a second run after the fixes has nothing left', async () => {
    const root = await plainMesh();
    const fixed = {
      ...PLAIN,
      fields: PLAIN.fields.map((f, i) => ({
        ...f,
        name: f.name === 'touchedAt' ? 'touched_at' : f.name,
        classification: f.name === 'email' ? 'email' : 'none',
        ...(i === 0 && { key: true }),
      })),
    };
    await writeFile(path.join(root, 'marketing/schemas/touch-points-v1.avsc'), JSON.stringify(fixed));
    const d = path.join(root, 'marketing/data-product.yaml');
    await writeFile(
      d,
      stringify({
        name: 'touch-points',
        domain: 'marketing',
        owner: 'marketing-data@company.com',
        outputs: [{ name: 'touch-points-v1', format: 'parquet', location: 'marketing/touch-points/', schema: 'schemas/touch-points-v1.avsc' }],
        sla: { freshness: '1h' },
      }),
    );
    const again = await cli(['check'], { MESHGATE_SUBGRAPHS_DIR: root, MESHGATE_POLICY_FILE: POLICY, MESHGATE_DATA_DIR: path.join(root, 'data') });
    expect(again).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('a descriptor and its contract both refused', () => {
  it('reports the problems of both in one run', async () => {
    const findings = await checkMesh([
      customers({
        descriptor: { owner: undefined, sla: { freshness: 'soon' } },
        properties: [property('customer_id', { primaryKey: true }), property('phone', { classification: undefined })],
      }),
    ]);
    expect(findings.map((f) => f.rule).sort()).toEqual(['fields-classified', 'product-has-owner', 'sla-baseline']);
  });
});

describe('an ODCS contract without meshgate attributes', () => {
  it('reports each unclassified property and the missing key in one run', async () => {
    const plain = [
      property('lead_id', { classification: undefined }),
      property('email', { classification: undefined }),
      property('score', { classification: undefined, logicalType: 'number' }),
    ];
    const findings = await checkMesh([customers({ properties: plain })]);
    expect(findings.map((f) => [f.rule, f.field ?? null])).toEqual([
      ['fields-classified', 'lead_id'],
      ['fields-classified', 'email'],
      ['fields-classified', 'score'],
      ['descriptor-valid', null],
    ]);
    expect(findings[1]!.message).toMatch(/^schema\[0\]\.properties\[1\] email: no classification: add "classification": "none" or a PII kind/);
    expect(findings[3]!.message).toMatch(/must declare the order of its rows.*\(ODCS: a customProperty "order"\), or mark its key field\(s\) .*\(ODCS: primaryKey\)/);
  });
});

describe('graphql-names-unique', () => {
  it('refuses two Order types in two domains, naming both products and files', async () => {
    const billing = {
      domain: 'billing',
      descriptor: descriptor('invoiced-orders', 'billing'),
      contract: contract('Order', [property('invoice_id', { primaryKey: true })], { customProperties: [{ property: 'graphqlField', value: 'invoicedOrders' }] }),
    };
    const findings = (await checkMesh([customers(), orders(), billing])).filter((f) => f.rule === 'graphql-names-unique');
    expect(findings).toHaveLength(2);
    for (const f of findings) {
      expect(f.message).toMatch(/^GraphQL type "Order" is generated by both "(orders|invoiced-orders)"/);
      expect(f.message).toContain('"orders" (domain shop, shop/orders.data-product.yaml)');
      expect(f.message).toContain('"invoiced-orders" (domain billing, billing/invoiced-orders.data-product.yaml)');
      expect(f.fix).toMatch(/Rename the record in one of the contracts/);
    }
    expect(findings.map((f) => f.product).sort()).toEqual(['invoiced-orders', 'orders']);
  });

  it('refuses two products generating the same root field (graphqlField) though their types differ', async () => {
    const billing = {
      domain: 'billing',
      descriptor: descriptor('invoices', 'billing'),
      contract: contract('Invoice', [property('invoice_id', { primaryKey: true })], { customProperties: [{ property: 'graphqlField', value: 'orders' }] }),
    };
    const findings = (await checkMesh([customers(), orders(), billing])).filter((f) => f.rule === 'graphql-names-unique');
    expect(findings.map((f) => f.product).sort()).toEqual(['invoices', 'orders']);
    expect(findings[0]!.message).toMatch(/^GraphQL root field "orders" is generated by both/);
    expect(findings[0]!.fix).toMatch(/Set graphqlField in one of the contracts/);
  });

  it('finds nothing in a mesh whose names are all distinct', async () => {
    expect((await checkMesh([customers(), orders()])).filter((f) => f.rule === 'graphql-names-unique')).toEqual([]);
  });
});
