import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse, stringify } from 'yaml';
import { main } from '../../cli/main.js';
import { REPO_ROOT } from '../../cli/config.js';
import { loadMesh, productsByName, type DataProduct } from '../../schema/index.js';
import { importOdcs, toOdcs, validateOdcs } from '../../schema/odcs/index.js';
import { ORDERS } from '../compatibility/fixtures.js';

const officialSchema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema/odcs/odcs-json-schema-v3.0.2.json'), 'utf8')) as object;
/** An ajv of our own over the vendored official schema, so the test does not trust validateOdcs alone. */
const official = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(officialSchema);

let products: DataProduct[];
let dir: string;
beforeAll(async () => {
  products = [...productsByName(await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: REPO_ROOT })).values()];
  dir = await mkdtemp(path.join(tmpdir(), 'meshgate-odcs-'));
});

/** Runs the CLI, capturing what it writes. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Writes `doc` as YAML and imports it back. */
async function roundTrip(name: string, doc: unknown) {
  const file = path.join(dir, `${name}.odcs.yaml`);
  await writeFile(file, stringify(doc));
  return importOdcs(file);
}

describe('ODCS export', () => {
  it('writes every sample product as a document the official ODCS v3.0.2 JSON Schema accepts', () => {
    expect(products.map((p) => p.name).sort()).toEqual(['access-log', 'access-log-v2', 'customer-profiles', 'order-lines', 'orders-enriched', 'payments', 'shipment-events']);
    for (const p of products) {
      const doc = toOdcs(p);
      expect(validateOdcs(p.name, doc)).toEqual([]);
      expect({ product: p.name, valid: official(doc), errors: official.errors ?? null }).toEqual({ product: p.name, valid: true, errors: null });
    }
  });

  it('prints YAML from `meshgate contract export --odcs` that validates', async () => {
    const r = await cli('contract', 'export', '--odcs', 'orders-enriched');
    expect(r.code).toBe(0);
    const doc = parse(r.stdout) as Record<string, unknown>;
    expect(official(doc)).toBe(true);
    expect(doc).toMatchObject({
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      id: 'orders-enriched',
      dataProduct: 'orders-enriched',
      domain: 'commerce',
      status: 'active',
      // 1.1.0: status carries its Avro enum's name (the GraphQL enum OrderStatus), and the contract declares measures.
      version: '1.1.0',
    });
    expect(doc['schema']).toMatchObject([
      { name: 'Order', properties: expect.arrayContaining([expect.objectContaining({ name: 'order_ts', logicalType: 'date', physicalType: 'TIMESTAMP' })]) },
    ]);
  });

  it('refuses an unknown product with exit 2, naming the known ones', async () => {
    const r = await cli('contract', 'export', '--odcs', 'orders');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown product "orders": expected one of access-log, access-log-v2, customer-profiles, order-lines, orders-enriched, payments, shipment-events');
    expect(r.stdout).toBe('');
  });
});

describe('ODCS round trip', () => {
  it("reads every sample product's export back into the same contract, the Avro-declared orders-enriched included", async () => {
    for (const p of products) {
      const back = await roundTrip(p.name, toOdcs(p));
      expect({ product: p.name, contract: back.value, errors: back.errors }).toEqual({ product: p.name, contract: p.contract, errors: undefined });
    }
  });

  it('keeps decimals, enums, references, purposes, classifications, the mode, the list name and quality rules', async () => {
    const contract = {
      ...ORDERS,
      listField: 'allOrders',
      compatibility: 'FULL' as const,
      quality: [
        { metric: 'rowCount', mustBeGreaterThan: 0 },
        { metric: 'nullValues', arguments: { properties: ['email'] }, mustBe: 0 },
      ],
    };
    const product = { ...products[0]!, name: 'orders-full', contract };
    expect(validateOdcs('orders-full', toOdcs(product))).toEqual([]);
    expect(await roundTrip('orders-full', toOdcs(product))).toEqual({ value: contract });
  });

  it('imports with `meshgate contract import` and prints the normalised contract as JSON', async () => {
    const p = products.find((x) => x.name === 'payments')!;
    const file = path.join(dir, 'payments-cli.odcs.yaml');
    await writeFile(file, stringify(toOdcs(p)));
    const r = await cli('contract', 'import', file);
    expect(r.code).toBe(0);
    // The normalised form leaves out what a contract does not declare (no order, composite references or measures).
    const { order, references, measures, ...declared } = p.contract;
    expect([order, references, measures]).toEqual([[], [], []]);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(declared)));
  });
});

describe('ODCS import of bad input', () => {
  it('names the file and the YAML error for a file that is not YAML', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'apiVersion: v3.0.2\nschema: [\n');
    const r = await importOdcs(file);
    expect(r.errors).toEqual([{ file, path: '', message: expect.stringMatching(/^expected valid YAML: /) }]);
    const run = await cli('contract', 'import', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: expected valid YAML: `);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says a plain text file is not a data contract', async () => {
    const file = path.join(dir, 'notes.txt');
    await writeFile(file, 'just some notes\n');
    expect((await importOdcs(file)).errors).toEqual([
      { file, path: '', message: 'expected an ODCS v3 data contract (a mapping with apiVersion, kind, id, version, status), got a string' },
    ]);
  });

  it('names each path the official schema refuses', async () => {
    const doc = toOdcs(products.find((x) => x.name === 'customer-profiles')!) as Record<string, unknown> & { schema: { properties: Record<string, unknown>[] }[] };
    doc['apiVersion'] = 'v9.9.9';
    doc.schema[0]!.properties[8] = { ...doc.schema[0]!.properties[8], logicalType: 'timestamp' };
    doc.schema[0]!.properties[7] = { ...doc.schema[0]!.properties[7], logicalTypeOptions: { enum: ['consumer'] } };
    const file = path.join(dir, 'invalid.odcs.yaml');
    await writeFile(file, stringify(doc));
    expect((await importOdcs(file)).errors).toEqual([
      { file, path: 'apiVersion', message: 'expected one of "v3.0.2", "v3.0.1", "v3.0.0", "v2.2.2", "v2.2.1", "v2.2.0"' },
      { file, path: 'schema[0].properties[7].logicalTypeOptions', message: '"enum" is not an ODCS v3.0.2 key here' },
      { file, path: 'schema[0].properties[8].logicalType', message: 'expected one of "string", "date", "number", "integer", "object", "array", "boolean"' },
    ]);
    const run = await cli('contract', 'import', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: schema[0].properties[8].logicalType: expected one of`);
  });

  it("names what meshgate needs beyond the official schema, such as a property's classification", async () => {
    const doc = toOdcs(products.find((x) => x.name === 'payments')!) as { schema: { properties: Record<string, unknown>[] }[] };
    delete doc.schema[0]!.properties[1]!['classification'];
    const file = path.join(dir, 'unclassified.odcs.yaml');
    await writeFile(file, stringify(doc));
    expect((await importOdcs(file)).errors).toEqual([
      { file, path: 'schema[0].properties[1].classification', message: expect.stringMatching(/^no classification: add "classification": "none" or a PII kind \(name, email/) },
    ]);
  });

  it('refuses a file that does not exist with exit 2', async () => {
    const r = await cli('contract', 'import', path.join(dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no file "${path.join(dir, 'missing.yaml')}": expected an ODCS v3 contract (YAML or JSON)`);
  });
});
