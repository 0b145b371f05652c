/** `meshgate catalog` against a real mesh over HTTP: tables for people, JSON for machines, the caller's masks, and clear failures. */
import { cli } from '../support/cli.js';
import { startTestMesh, testStateDir, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
let url: string;
let env: Record<string, string>;
beforeAll(async () => {
  mesh = await startTestMesh();
  url = mesh.running.gateway.graphqlUrl;
  env = { MESHGATE_STATE_DIR: await testStateDir() };
}, 120_000);
afterAll(() => mesh?.close());

test('lists the products an analyst may read, best match first, as a table', async () => {
  const token = await mesh.token({ roles: ['analyst'] });
  const r = await cli(['catalog', '--url', url, '--token', token], env);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^product\s+domain\s+owner\s+pii\s+sla\s+age\s+status\s+tests\s+tags$/);
  expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['order-lines', 'orders-enriched', 'shipment-events', 'customer-profiles', 'payments']);
  expect(r.stderr).toContain('5 product(s)');
  const searched = await cli(['catalog', '--url', url, '--token', token, '--search', 'card', '--json'], env);
  expect((JSON.parse(searched.stdout) as { name: string }[]).map((p) => p.name)).toEqual(['payments']);
  const none = await cli(['catalog', '--url', url, '--token', token, '--domain', 'nowhere'], env);
  expect(none).toMatchObject({ code: 0, stdout: '' });
  expect(none.stderr).toContain('no product you may read matches');
});

test("shows one product with the caller's masks, profile, lineage and a masked sample", async () => {
  const token = await mesh.token({ roles: ['analyst'] });
  const r = await cli(['catalog', 'show', 'customer-profiles', '--url', url, '--token', token], env);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^email\s+String!\s+email\s+masked \(email\)\s+withheld/m);
  expect(r.stdout).toMatch(/^segment\s+String!\s+-\s+clear\s+0\.0%\s+3\s/m);
  expect(r.stdout).toContain('crm-accounts (source) → customer-profiles');
  expect(r.stdout).toMatch(/\w\*\*\*@example\.(com|net)/);
  expect(r.stdout).not.toMatch(/[a-z]+\.[a-z]+\d*@example/);
  const json = JSON.parse((await cli(['catalog', 'show', 'payments', '--json', '--url', url, '--token', token], env)).stdout) as { fields: { name: string; access: string }[] };
  expect(json.fields.find((f) => f.name === 'cardNumber')?.access).toBe('MASKED');
});

test('a product the caller may not read is exit 2, as an unknown one; no gateway or a bad token is exit 1', async () => {
  const token = await mesh.token({ roles: ['analyst'] });
  const hidden = await cli(['catalog', 'show', 'access-log', '--url', url, '--token', token], env);
  expect(hidden).toMatchObject({ code: 2, stdout: '' });
  expect(hidden.stderr).toContain('there is no data product "access-log" you may read');
  const down = await cli(['catalog', '--url', 'http://127.0.0.1:9/graphql', '--token', token], env);
  expect(down.code).toBe(1);
  expect(down.stderr).toContain('cannot reach the gateway at http://127.0.0.1:9/graphql');
  const bad = await cli(['catalog', '--url', url, '--token', 'not-a-token'], env);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/UNAUTHENTICATED.*meshgate token/);
  expect((await cli(['catalog', 'list'], env)).code).toBe(2);
});

test('without a token, in dev mode, it mints a dev token for --roles and says so', async () => {
  const r = await cli(['catalog', '--url', url, '--roles', 'steward'], env);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/using a dev token for .+ with roles steward/);
  expect(r.stdout).toMatch(/^access-log\s/m);
});
