import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { fillSecrets } from '../../cli/commands/env.js';
import { DEFAULT_SUBGRAPH_PORTS, REPO_ROOT } from '../../cli/config.js';
import { loadMesh } from '../../schema/index.js';
import { parseEnvFile, readComposeServices, type ComposeServices } from './composeProject.js';

// No Docker engine runs here: the compose file is checked against the code here, and started as
// processes by composeTopology.test.ts.
describe('docker-compose.yml', () => {
  let services: ComposeServices;
  let domains: string[];
  let dotenv: Record<string, string>;
  beforeAll(async () => {
    dotenv = parseEnvFile(fillSecrets(await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8')));
    services = await readComposeServices(dotenv);
    const mesh = await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: '/data' });
    domains = mesh.domains.map((d) => d.name);
  });

  it('runs one subgraph service per domain on its documented port', () => {
    for (const d of domains) {
      const s = services[d];
      expect(s?.command).toEqual(['subgraph', '--domain', d]);
      expect(s?.environment?.[`MESHGATE_${d.toUpperCase()}_PORT`]).toBe(String(DEFAULT_SUBGRAPH_PORTS[d]));
    }
  });

  it('mounts the published versions read-only into every subgraph', () => {
    for (const d of domains) expect(services[d]?.volumes?.[0]).toBe('mesh-data:/data:ro');
  });

  it('shares the access log between the gateway (which writes it) and governance (which compacts it)', () => {
    expect(services.gateway?.volumes).toEqual(['access-log:/data/governance', `./keys/jwks.json:${dotenv.MESHGATE_JWKS_FILE}:ro`]);
    expect(services.governance?.volumes).toEqual(['mesh-data:/data:ro', 'access-log:/data/governance']);
    for (const d of domains.filter((x) => x !== 'governance')) expect(services[d]?.volumes).toEqual(['mesh-data:/data:ro']);
  });

  it('points the gateway at every domain service and publishes port 4000', () => {
    const gw = services.gateway!;
    expect(gw.command).toEqual(['gateway']);
    expect(gw.ports).toEqual([`${dotenv.MESHGATE_PUBLISH_ON}:4000`]);
    expect(gw.environment?.MESHGATE_GATEWAY_PORT).toBe('4000');
    for (const d of domains) expect(gw.environment?.[`MESHGATE_${d.toUpperCase()}_URL`]).toBe(`http://${d}:${DEFAULT_SUBGRAPH_PORTS[d]}/`);
  });

  it('seeds the raw sources, builds the products before any subgraph serves, and runs the pipelines on their schedules', () => {
    expect(services.seed?.command).toEqual(['seed', '--if-missing', '--scale', dotenv.MESHGATE_SEED_SCALE]);
    expect(services.build?.command).toEqual(['build']);
    expect(services.build?.depends_on).toEqual({ seed: { condition: 'service_completed_successfully' } });
    expect(services.pipelines?.command).toEqual(['build', '--schedule']);
    for (const d of domains) expect(services[d]?.depends_on).toEqual({ build: { condition: 'service_completed_successfully' } });
    // Builds write versions and record their reads of upstream products in the access log.
    for (const s of [services.build, services.pipelines]) expect(s?.volumes).toEqual(['mesh-data:/data', 'access-log:/data/governance']);
  });

  it('uses only commands the CLI has', async () => {
    const main = await readFile(path.join(REPO_ROOT, 'cli/main.ts'), 'utf8');
    for (const s of Object.values(services)) expect(main).toContain(`  ${s.command[0]}: () => import(`);
  });

  it('checks the health of every long-running service on the port it serves, with Node (slim images have no curl)', () => {
    const port = (name: string): string | undefined =>
      name === 'gateway'
        ? '4000'
        : name === 'pipelines'
          ? services.pipelines?.environment?.MESHGATE_METRICS_PORT
          : services[name]?.environment?.[`MESHGATE_${name.toUpperCase()}_PORT`];
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no') continue;
      const [kind, program, flag, script] = s.healthcheck?.test ?? [];
      expect([name, kind, program, flag]).toEqual([name, 'CMD', 'node', '-e']);
      const path = domains.includes(name) ? 'readyz' : 'healthz';
      expect([name, script]).toEqual([name, expect.stringContaining(`fetch('http://127.0.0.1:${port(name)}/${path}')`)]);
    }
  });

  it('gives every service but the seed the secrets from .env, and refuses to start without them', async () => {
    for (const [name, s] of Object.entries(services)) {
      expect([name, s.env_file]).toEqual([name, '.env']);
      if (name === 'seed') continue;
      expect([name, s.environment?.MESHGATE_CONTEXT_SECRET]).toEqual([name, dotenv.MESHGATE_CONTEXT_SECRET]);
      expect([name, s.environment?.MESHGATE_MASK_HASH_KEY]).toEqual([name, dotenv.MESHGATE_MASK_HASH_KEY]);
    }
    await expect(readComposeServices({})).rejects.toThrow(/MESHGATE_(CONTEXT_SECRET|MASK_HASH_KEY) is missing a value/);
  });

  it('has no top-level name (Compose v1 refuses it)', async () => {
    const doc = parse(await readFile(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(doc).filter((k) => !k.startsWith('x-'))).toEqual(['services', 'volumes']);
  });

  // Debian's `docker-compose` (v1, 1.29) reads the file without an engine: `apt-get install docker-compose`.
  const v1 = spawnSync('docker-compose', ['version', '--short']).status === 0;
  (v1 ? it : it.skip)('passes `docker-compose config` (v1) once .env is made, and names the missing secret before', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-compose-v1-'));
    try {
      await cp(path.join(REPO_ROOT, 'docker-compose.yml'), path.join(dir, 'docker-compose.yml'));
      const config = () => spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '--quiet'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
      const before = config();
      expect([before.status, before.stderr]).toEqual([1, expect.stringContaining('MESHGATE_CONTEXT_SECRET')]);
      await writeFile(path.join(dir, '.env'), fillSecrets(await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8')));
      const after = config();
      expect([after.status, after.stderr]).toEqual([0, '']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  let text: string;
  beforeAll(async () => {
    text = await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  });

  it('builds the compiled code on Node 22 LTS and runs it, not TypeScript, as the node user', () => {
    expect(text.match(/^FROM .*$/gm)).toEqual(['FROM node:22-bookworm-slim AS build', 'FROM node:22-bookworm-slim AS deps', 'FROM node:22-bookworm-slim']);
    expect(text).toContain('RUN npm run build');
    expect(text).toContain('RUN npm ci --omit=dev');
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toContain('USER node');
    expect(final).toContain('ENTRYPOINT ["node", "dist/cli/bin.js"]');
    expect(final).not.toMatch(/tsx|COPY (cli|gateway|schema|policies|subgraphs) /);
  });

  it("creates /data, the access log folder a second volume mounts in it, and DuckDB's spill folder, owned by the node user", () => {
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toContain('RUN mkdir -p /data/governance /app/.tmp && chown -R node:node /data /app/.tmp');
    expect(final.indexOf('chown -R node:node /data')).toBeLessThan(final.indexOf('USER node'));
  });
});
