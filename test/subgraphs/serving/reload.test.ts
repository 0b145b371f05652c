/** Hot reload of a real subgraph's declarations under a steady stream of queries. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { watchDeclarations, type DeclarationWatch, type MeshReload } from '../../../cli/mesh/index.js';
import { SCHEMA_HASH_HEADER } from '../../../schema/index.js';
import { rawHttp } from '../../support/rawHttp.js';
import { copyOfDeclarations, startRealSubgraph, type RealSubgraph } from './realSubgraph.js';

const CONTRACT = path.join('customers', 'schemas', 'customer-profiles-v1.odcs.yaml');
const OPT_IN = / {6}- name: marketing_opt_in\n(?: {8}.*\n)+? {8}description: Consent to marketing\.\n/;

let customers: RealSubgraph;
let watch: DeclarationWatch;
let original: string;
let file: string;
const reloads: MeshReload[] = [];

/** Resolves with the next settled reload. */
/**
 * The first reload after now that `wanted` accepts. One write can reach the watcher as two file
 * events further apart than its debounce on a loaded machine, so a write may be followed by an
 * echo that finds nothing changed ("unchanged"): a test waiting for a change skips such echoes.
 */
const nextReload = (wanted: (r: MeshReload) => boolean = (r) => r.events.some((e) => e.kind !== 'unchanged')): Promise<MeshReload> =>
  new Promise((resolve) => {
    const seen = reloads.length;
    const poll = setInterval(() => {
      const found = reloads.slice(seen).find(wanted);
      if (found) {
        clearInterval(poll);
        resolve(found);
      }
    }, 50);
  });

/** Queries the subgraph without pause from `workers` clients until stopped; counts every answer that is not a 200 with data. */
function steadyStream(query: string, workers = 4): { stop: () => Promise<{ ok: number; failed: string[] }> } {
  let running = true;
  let ok = 0;
  const failed: string[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      try {
        const res = await customers.post(query);
        if (res.status === 200 && !res.body.errors) ok++;
        else failed.push(`${res.status} ${JSON.stringify(res.body.errors)}`);
      } catch (error) {
        failed.push(String(error));
      }
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { ok, failed };
    },
  };
}

beforeAll(async () => {
  const dir = await copyOfDeclarations();
  file = path.join(dir, CONTRACT);
  original = await readFile(file, 'utf8');
  expect(original).toMatch(OPT_IN);
  // The subgraph starts on a contract without marketing_opt_in, a column its Parquet output holds.
  await writeFile(file, original.replace(OPT_IN, ''));
  customers = await startRealSubgraph('customers', { MESHGATE_SUBGRAPHS_DIR: dir });
  watch = watchDeclarations(
    customers.config,
    [customers.sg],
    customers.mesh,
    (l) => customers.lines.push(l),
    (r) => reloads.push(r),
    100,
  );
}, 180_000);

afterAll(async () => {
  watch?.close();
  await customers?.close();
});

describe('hot reload of a contract', () => {
  it('swaps in a contract that adds a field with no failed request, and serves the field after', async () => {
    const before = customers.sg.schemaHash;
    expect((await customers.post('{ customers(limit: 1) { marketingOptIn } }')).status).toBe(400);
    const stream = steadyStream('{ customers(limit: 5) { customerId fullName } }');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reloaded = nextReload();
    await writeFile(file, original);
    const reload = await reloaded;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { ok, failed } = await stream.stop();
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    expect(reload.events).toEqual([{ kind: 'swapped', domain: 'customers', schemaHash: customers.sg.schemaHash, previousHash: before }]);
    expect(customers.sg.schemaHash).not.toBe(before);
    const res = await customers.post('{ customers(limit: 3) { customerId marketingOptIn } }');
    expect(res.status).toBe(200);
    expect((res.body.data!.customers as { marketingOptIn: unknown }[]).every((c) => typeof c.marketingOptIn === 'boolean')).toBe(true);
    expect(res.headers.get(SCHEMA_HASH_HEADER)).toBe(customers.sg.schemaHash);
    const ready = JSON.parse((await rawHttp(customers.sg.url, '/readyz')).body.toString()) as { schemaHash: string; reload: { reloaded: string } };
    expect(ready.schemaHash).toBe(customers.sg.schemaHash);
    expect(ready.reload.reloaded).toBe(customers.sg.schemaHash);
  }, 60_000);

  it('refuses a broken contract, says so in one log line naming the file, and keeps serving the previous one', async () => {
    const serving = customers.sg.schemaHash;
    const stream = steadyStream('{ customers(limit: 5) { customerId marketingOptIn } }');
    const reloaded = nextReload();
    await writeFile(file, original.replace('logicalType: boolean', 'logicalType: yes-or-no'));
    const reload = await reloaded;
    const { failed } = await stream.stop();
    expect(failed).toEqual([]);
    expect(reload.events.map((e) => e.kind)).toEqual(['refused']);
    expect(customers.sg.schemaHash).toBe(serving);
    const refusals = customers.lines.filter((l) => l.startsWith('reload refused:'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('customer-profiles-v1.odcs.yaml');
    expect(refusals[0]).toContain('the previous declarations keep serving');
    const probe = await rawHttp(customers.sg.url, '/readyz');
    expect(probe.status).toBe(200);
    expect((JSON.parse(probe.body.toString()) as { reload: { refused: string } }).reload.refused).toContain('customer-profiles-v1.odcs.yaml');
    expect((await customers.post('{ customers(limit: 1) { marketingOptIn } }')).status).toBe(200);
  }, 60_000);

  it('refuses a contract naming a column its Parquet output does not hold, and keeps serving', async () => {
    const serving = customers.sg.schemaHash;
    const reloaded = nextReload();
    const extra =
      '      - name: loyalty_tier\n        logicalType: string\n        physicalType: VARCHAR\n        required: false\n        classification: none\n        description: Not in the data.\n';
    await writeFile(file, original.replace('    quality:\n', `${extra}    quality:\n`));
    const reload = await reloaded;
    expect(reload.events).toMatchObject([{ kind: 'refused', reason: expect.stringContaining('loyalty_tier') }]);
    const said = customers.lines.filter((l) => l.includes('loyalty_tier'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^subgraph customers: reload refused: .*customer-profiles-v1\.odcs\.yaml.*still serving schema [0-9a-f]{16}$/);
    expect(customers.sg.schemaHash).toBe(serving);
    expect((await customers.post('{ customers(limit: 1) { customerId marketingOptIn } }')).status).toBe(200);
    // Fixed again: the original contract is the one serving, so nothing is swapped.
    // Past any echo of the refused write: the reload of the original, which must find nothing to swap.
    const fixed = nextReload((r) => r.events.every((e) => e.kind !== 'refused'));
    await writeFile(file, original);
    expect((await fixed).events).toMatchObject([{ kind: 'unchanged' }]);
  }, 60_000);
});
