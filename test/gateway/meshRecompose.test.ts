import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const CONTRACT = path.join('customers', 'schemas', 'customer-profiles-v1.odcs.yaml');

describe("the embedded mesh's gateway re-composed over changed declarations", () => {
  let dir = '';
  let mesh: TestMesh;
  const logged: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'meshgate-decl-'));
    await cp(path.join(REPO_ROOT, 'subgraphs'), dir, { recursive: true });
    mesh = await startTestMesh({ subgraphsDir: dir, buildTimers: false, log: (l) => void logged.push(l) });
  });

  afterAll(async () => {
    await mesh?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const edit = async (change: (text: string) => string): Promise<void> => {
    const at = path.join(dir, CONTRACT);
    await writeFile(at, change(await readFile(at, 'utf8')));
  };
  const customerFields = async (): Promise<string[]> => {
    const res = await mesh.query<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Customer") { fields { name } } }');
    return res.data?.__type.fields.map((f) => f.name) ?? [];
  };
  const QUERY = '{ orders(limit: 3) { orderId customer { customerId } } }';

  it('refuses a broken contract, keeping Order.customer, and serves every query meanwhile', async () => {
    await edit((t) => t.replace('classification: none', 'classification: nonsense'));
    const [outcome, during] = await Promise.all([mesh.running.recomposeGateway(), Promise.all(Array.from({ length: 10 }, () => mesh.query(QUERY)))]);
    expect(outcome.errors?.some((e) => e.includes('customer-profiles-v1.odcs.yaml'))).toBe(true);
    expect(during.map((r) => r.errors)).toEqual(Array.from({ length: 10 }, () => undefined));
    expect((await mesh.query(QUERY)).errors).toBeUndefined();
    const order = await mesh.query<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Order") { fields { name } } }');
    expect(order.data?.__type.fields.map((f) => f.name)).toContain('customer');
    await edit((t) => t.replace('classification: nonsense', 'classification: none'));
  });

  it('swaps in a contract with a new column: the API shows it, and no query fails during the swap', async () => {
    expect(await customerFields()).not.toContain('nickname');
    await edit((t) =>
      t.replace(
        '        description: Customer identifier.\n',
        '        description: Customer identifier.\n      - name: nickname\n        logicalType: string\n        physicalType: VARCHAR\n        classification: none\n        description: What the customer likes to be called.\n',
      ),
    );
    const [outcome, during] = await Promise.all([mesh.running.recomposeGateway(), Promise.all(Array.from({ length: 20 }, () => mesh.query(QUERY)))]);
    expect(outcome).toEqual({});
    expect(during.map((r) => r.errors)).toEqual(Array.from({ length: 20 }, () => undefined));
    expect(await customerFields()).toContain('nickname');
    expect((await mesh.query(QUERY)).errors).toBeUndefined();
  });
});
