import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_SUBGRAPH_PORTS, REPO_ROOT } from '../../cli/config.js';
import { loadMesh } from '../../schema/index.js';

interface Service {
  command: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: unknown;
}

// No Docker engine runs here, so the compose file is checked against the code instead of started.
describe('docker-compose.yml', () => {
  let services: Record<string, Service>;
  let domains: string[];
  beforeAll(async () => {
    services = (parse(await readFile(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> }).services;
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
    expect(services.gateway?.volumes).toEqual(['access-log:/data/governance']);
    expect(services.governance?.volumes).toEqual(['mesh-data:/data:ro', 'access-log:/data/governance']);
    for (const d of domains.filter((x) => x !== 'governance')) expect(services[d]?.volumes).toEqual(['mesh-data:/data:ro']);
  });

  it('points the gateway at every domain service and publishes port 4000', () => {
    const gw = services.gateway!;
    expect(gw.command).toEqual(['gateway']);
    expect(gw.ports).toEqual(['4000:4000']);
    for (const d of domains) expect(gw.environment?.[`MESHGATE_${d.toUpperCase()}_URL`]).toBe(`http://${d}:${DEFAULT_SUBGRAPH_PORTS[d]}/`);
  });

  it('seeds the raw sources, builds the products before any subgraph serves, and runs the pipelines on their schedules', () => {
    expect(services.seed?.command).toEqual(['seed', '--if-missing']);
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
});
