/** The embedded mesh (`meshgate up`) reloads its subgraphs' declarations and tells its listeners, for the gateway to recompose. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeshReload } from '../../../cli/mesh/index.js';
import { schemaHash } from '../../../schema/index.js';
import { startTestMesh, type TestMesh } from '../../support/startTestMesh.js';
import { copyOfDeclarations } from './realSubgraph.js';

let mesh: TestMesh;
let dir: string;

beforeAll(async () => {
  dir = await copyOfDeclarations();
  mesh = await startTestMesh({ subgraphsDir: dir, env: { MESHGATE_RELOAD: 'on' }, buildTimers: false });
}, 180_000);

afterAll(() => mesh?.close());

it('swaps in a changed contract in the subgraph that serves it and reports it to the mesh listeners', async () => {
  const customers = mesh.running.subgraphs.get('customers')!;
  const before = customers.schemaHash;
  const heard = new Promise<MeshReload>((resolve) => mesh.running.onReload(resolve));
  const file = path.join(dir, 'customers', 'schemas', 'customer-profiles-v1.odcs.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('description: Consent to marketing.', 'description: Consent to marketing e-mails.'));
  const reload = await heard;
  expect(reload.events.find((e) => e.domain === 'customers')).toEqual({ kind: 'swapped', domain: 'customers', schemaHash: customers.schemaHash, previousHash: before });
  expect(reload.events.filter((e) => e.domain !== 'customers').every((e) => e.kind === 'unchanged')).toBe(true);
  expect(reload.mesh.domains.find((d) => d.name === 'customers')!.products[0]!.contract.fields.find((f) => f.name === 'marketing_opt_in')!.description).toBe(
    'Consent to marketing e-mails.',
  );
  expect(customers.subgraph.typeDefs).toContain('Consent to marketing e-mails.');
  expect(customers.schemaHash).toBe(schemaHash(customers.subgraph.typeDefs));
  // The embedded gateway still answers through the in-process transport, now on the new schema.
  const r = await mesh.query('{ customers(limit: 1) { customerId } }');
  expect(r.status).toBe(200);
}, 60_000);
