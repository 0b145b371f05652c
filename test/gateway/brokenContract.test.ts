import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../../cli/config.js';
import { loadServedMesh, reloadOnChange, requireWholeMesh, startMeshGateway } from '../../cli/mesh/index.js';
import { cli } from '../support/cli.js';

const CONTRACT = path.join('customers', 'schemas', 'customer-profiles-v1.odcs.yaml');
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await wait(50);
  }
  throw new Error(`never happened: ${what}`);
}

/** A temporary copy of the sample's declarations, to break and change. */
async function copyOfDeclarations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-decl-'));
  await cp(path.join(REPO_ROOT, 'subgraphs'), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  return dir;
}

async function edit(dir: string, file: string, change: (text: string) => string): Promise<void> {
  const at = path.join(dir, file);
  await writeFile(at, change(await readFile(at, 'utf8')));
}

const breakIt = (text: string): string => text.replace('classification: none', 'classification: nonsense');

/** The fields of a type in the gateway's API, by introspection. */
async function fieldsOf(graphqlUrl: string, type: string): Promise<string[]> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ __type(name: "${type}") { fields { name } } }` }),
  });
  const body = (await res.json()) as { data: { __type: { fields: { name: string }[] } | null } };
  return body.data.__type?.fields.map((f) => f.name) ?? [];
}

describe('a gateway over a broken contract', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await copyOfDeclarations();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start in production, naming the broken declaration, instead of serving an API without the domain', async () => {
    await edit(dir, CONTRACT, breakIt);
    const run = await cli(['gateway'], {
      NODE_ENV: 'production',
      MESHGATE_SUBGRAPHS_DIR: dir,
      MESHGATE_CONTEXT_SECRET: 'c'.repeat(48),
      MESHGATE_MASK_HASH_KEY: 'm'.repeat(48),
      MESHGATE_GATEWAY_PORT: '0',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/declaration problem: .*customer-profiles-v1\.odcs\.yaml.*classification/);
    expect(run.stderr).toContain('the declarations of "customers" are broken');
    expect(run.stderr).toContain('with NODE_ENV=production the mesh does not start without a domain');
  });

  it('starts without the domain in development, but says so in the log and in readiness', async () => {
    await edit(dir, CONTRACT, breakIt);
    const config = readConfig({ ...process.env, NODE_ENV: 'development', MESHGATE_SUBGRAPHS_DIR: dir });
    const logged: string[] = [];
    const log = (line: string): void => void logged.push(line);
    const mesh = await loadServedMesh(config, log);
    requireWholeMesh(config, mesh, log);
    expect(logged).toContain(
      'WARNING: domain "customers" is left out of the mesh until its declarations are fixed: its types and the links to them are missing from the API (readiness reports it)',
    );
    const gateway = await startMeshGateway(config, { mesh, urlOf: () => 'http://127.0.0.1:9/', port: 0, access: undefined, accessLog: undefined, log });
    try {
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual(expect.objectContaining({ status: 'degraded', leftOut: ['customers'] }));
    } finally {
      await gateway.close();
    }
  });

  it('is refused when the contract breaks while the gateway runs: the API keeps the link; a good change is then swapped in', async () => {
    const config = readConfig({ ...process.env, NODE_ENV: 'development', MESHGATE_SUBGRAPHS_DIR: dir, MESHGATE_RELOAD: 'on' });
    const logged: string[] = [];
    const log = (line: string): void => void logged.push(line);
    const mesh = await loadServedMesh(config, log);
    const urlOf = (): string => 'http://127.0.0.1:9/';
    const gateway = await startMeshGateway(config, { mesh, urlOf, port: 0, access: undefined, accessLog: undefined, log });
    const watcher = reloadOnChange(config, gateway, { urlOf, accessOn: false, log });
    try {
      expect(await fieldsOf(gateway.graphqlUrl, 'Order')).toContain('customer');
      await edit(dir, CONTRACT, breakIt);
      await until(() => logged.some((l) => l.startsWith('re-composition refused')), 'the refusal');
      expect(logged.find((l) => l.startsWith('re-composition refused'))).toMatch(/declaration problem: .*customer-profiles-v1\.odcs\.yaml/);
      expect(await fieldsOf(gateway.graphqlUrl, 'Order')).toContain('customer');
      const refused = (await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string; refusedReload?: unknown };
      expect(refused.status).toBe('degraded');
      expect(refused.refusedReload).toBeDefined();
      // Fixed, with one more column: the gateway re-composes and the API shows it.
      await edit(dir, CONTRACT, (text) =>
        text
          .replace('classification: nonsense', 'classification: none')
          .replace(
            '        description: Customer identifier.\n',
            '        description: Customer identifier.\n      - name: nickname\n        logicalType: string\n        physicalType: VARCHAR\n        classification: none\n        description: What the customer likes to be called.\n',
          ),
      );
      await until(() => logged.includes('re-composed the supergraph over 4 subgraph(s)'), 'the re-composition');
      expect(await fieldsOf(gateway.graphqlUrl, 'Customer')).toContain('nickname');
      expect(((await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string; refusedReload?: unknown }).refusedReload).toBeUndefined();
    } finally {
      watcher.close();
      await gateway.close();
    }
  });
});
