import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { formatProblem, loadDataProduct, loadMesh } from '../../schema/index.js';

const SUBGRAPHS = path.join(REPO_ROOT, 'subgraphs');
const dataRoot = '/srv/mesh-data';

async function tempDomain(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-schema-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('loading a data product', () => {
  it("loads the design article's orders-enriched descriptor with its Avro schema", async () => {
    const r = await loadDataProduct(path.join(SUBGRAPHS, 'commerce/data-product.yaml'), { dataRoot });
    expect(r.errors).toBeUndefined();
    const p = r.value!;
    expect(p).toMatchObject({ name: 'orders-enriched', domain: 'commerce', owner: 'commerce-data-team@company.com', status: 'active' });
    expect(p.inputs).toEqual([
      { source: 'orders-db', type: 'postgres-cdc', table: 'public.orders', key: 'order_id' },
      { source: 'customer-profiles', type: 'data-product', domain: 'customers', purpose: 'analytics' },
    ]);
    expect(p.transform).toEqual({ file: path.join(SUBGRAPHS, 'commerce/transforms/orders-enriched.sql'), declared: 'transforms/orders-enriched.sql' });
    expect(p.sla).toMatchObject({ freshnessMs: 3_600_000, qualityScore: 0.95 });
    expect(p.sla.availability).toBeCloseTo(0.999, 9);
    expect(p.storeDir).toBe('/srv/mesh-data/commerce/orders-enriched');
    expect(p.contract).toMatchObject({ typeName: 'Order', listField: 'orders', keys: ['order_id'], compatibility: 'BACKWARD' });
    const customer = p.contract.fields.find((f) => f.name === 'customer_id');
    expect(customer?.references).toEqual({ product: 'customer-profiles', field: 'customer_id' });
    expect(p.contract.fields.find((f) => f.name === 'discount_amount')).toMatchObject({ type: 'double', nullable: true });
    expect(p.contract.fields.find((f) => f.name === 'status')?.enum).toContain('delivered');
  });

  it('loads an ODCS v3 contract with classifications and purposes', async () => {
    const r = await loadDataProduct(path.join(SUBGRAPHS, 'customers/data-product.yaml'), { dataRoot });
    expect(r.errors).toBeUndefined();
    const fields = Object.fromEntries(r.value!.contract.fields.map((f) => [f.name, f]));
    expect(fields.email).toMatchObject({ classification: 'email', purposes: ['fulfillment'], nullable: false });
    expect(fields.phone).toMatchObject({ classification: 'phone', nullable: true });
    expect(fields.birth_date).toMatchObject({ type: 'date', classification: 'date-of-birth' });
    expect(fields.customer_id).toMatchObject({ key: true, classification: 'none' });
    expect(r.value!.contract.purposes).toEqual(['analytics', 'fulfillment', 'marketing', 'support']);
  });

  it('names the file, the path and what was expected for each problem', async () => {
    const dir = await tempDomain({
      'data-product.yaml': 'name: Orders Enriched\ndomain: commerce\noutputs:\n  - name: v1\n    format: parquet\n    location: x/\n    schema: s.avsc\nsla:\n  freshness: soon\n',
    });
    const r = await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot });
    const lines = r.errors!.map(formatProblem);
    expect(lines).toContain(`${dir}/data-product.yaml: name: a kebab-case product name such as "orders-enriched"`);
    expect(lines.some((l) => l.includes(': owner: '))).toBe(true);
    expect(lines).toContain(`${dir}/data-product.yaml: sla.freshness: a duration such as "1h" or "24h"`);
  });

  it('refuses a descriptor that is not YAML', async () => {
    const dir = await tempDomain({ 'data-product.yaml': 'name: [unclosed\n  : :' });
    const r = await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot });
    expect(r.errors?.[0]?.message).toMatch(/^expected valid YAML/);
  });

  it('refuses a missing contract file, naming it', async () => {
    const dir = await tempDomain({
      'data-product.yaml': 'name: a\ndomain: d\nowner: o@x.io\noutputs:\n  - { name: a-v1, format: parquet, location: d/a/, schema: missing.avsc }\n',
    });
    const r = await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot });
    expect(r.errors).toEqual([{ file: path.join(dir, 'missing.avsc'), path: '', message: 'file not found' }]);
  });

  it('refuses remote storage it cannot reach, naming the output', async () => {
    const dir = await tempDomain({
      'data-product.yaml': 'name: a\ndomain: d\nowner: o@x.io\noutputs:\n  - { name: a-v1, format: parquet, location: "s3://bucket/a/", schema: a.avsc }\n',
    });
    const r = await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot });
    expect(r.errors?.[0]).toMatchObject({ path: 'outputs[0].location', message: expect.stringContaining('"s3://" storage is not reachable') });
  });

  it('refuses Avro fields without a classification or with an unsupported type', async () => {
    const avsc = {
      type: 'record',
      name: 'A',
      fields: [
        { name: 'id', type: 'string', key: true, classification: 'none' },
        { name: 'x', type: 'bytes' },
      ],
    };
    const dir = await tempDomain({
      'data-product.yaml': 'name: a\ndomain: d\nowner: o@x.io\noutputs:\n  - { name: a-v1, format: parquet, location: d/a/, schema: a.avsc }\n',
      'a.avsc': JSON.stringify(avsc),
    });
    const r = await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot });
    // Both problems of the field in one run.
    expect(r.errors?.map((e) => e.path)).toEqual(['fields[1].classification', 'fields[1].type']);
  });
});

describe('loading the mesh', () => {
  it('keeps a domain with a bad descriptor out and loads the rest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-mesh-'));
    await cp(SUBGRAPHS, dir, { recursive: true, filter: (src) => !src.includes('runtime') });
    await writeFile(path.join(dir, 'payments/data-product.yaml'), 'name: payments\ndomain: payments\n');
    const mesh = await loadMesh(dir, { dataRoot });
    expect(mesh.domains.map((d) => d.name)).toEqual(['commerce', 'customers', 'governance']);
    expect(mesh.excluded).toEqual(['payments']);
    expect(mesh.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['owner', 'outputs']));
  });

  it('refuses a transform, a landing folder or a location that would leave its folder', async () => {
    const out = (extra: string, location = 'd/a/'): string =>
      `name: a\ndomain: d\nowner: o@x.io\noutputs:\n  - { name: a-v1, format: parquet, location: ${location}, schema: a.avsc${extra} }\n`;
    const cases: [string, string, string][] = [
      [out(', transform: ../../etc/evil.sql'), 'outputs[0].transform', 'a relative path inside the domain\'s folder, without ".."'],
      [out(', transform: /etc/evil.sql'), 'outputs[0].transform', 'a relative path inside the domain\'s folder, without ".."'],
      [out('', '../outside/'), 'outputs[0].location', 'expected a folder under the data root'],
      [out('', 'd/a/data.parquet'), 'outputs[0].location', "expected a folder (the product's published versions live in it), not a file or a pattern"],
      [`${out('')}inputs:\n  - { source: crm, type: files, format: csv, path: ../../etc }\n`, 'inputs[0].path', 'a relative path inside the data root, without ".."'],
    ];
    for (const [descriptor, where, message] of cases) {
      const dir = await tempDomain({
        'data-product.yaml': descriptor,
        'a.avsc': JSON.stringify({ type: 'record', name: 'A', fields: [{ name: 'id', type: 'string', key: true, classification: 'none' }] }),
      });
      const r = await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot });
      expect(r.errors?.[0]).toMatchObject({ path: where, message });
    }
  });

  it('derives a schedule from the freshness SLA, a quarter of it within a minute and six hours', async () => {
    const avsc = JSON.stringify({ type: 'record', name: 'A', fields: [{ name: 'id', type: 'string', key: true, classification: 'none' }] });
    const schedule = async (extra: string): Promise<unknown> => {
      const dir = await tempDomain({
        'data-product.yaml': `name: a\ndomain: d\nowner: o@x.io\noutputs:\n  - { name: a-v1, format: parquet, location: d/a/, schema: a.avsc }\n${extra}`,
        'a.avsc': avsc,
      });
      return (await loadDataProduct(path.join(dir, 'data-product.yaml'), { dataRoot })).value?.schedule;
    };
    expect(await schedule('sla: { freshness: 1h }\n')).toEqual({ everyMs: 15 * 60_000 });
    expect(await schedule('sla: { freshness: 2m }\n')).toEqual({ everyMs: 60_000 });
    expect(await schedule('sla: { freshness: 7d }\n')).toEqual({ everyMs: 6 * 3_600_000 });
    expect(await schedule('schedule: 5m\nsla: { freshness: 1h }\n')).toEqual({ everyMs: 5 * 60_000 });
    expect(await schedule('schedule: manual\n')).toBe('manual');
    expect(await schedule('')).toBe('manual');
  });
});
