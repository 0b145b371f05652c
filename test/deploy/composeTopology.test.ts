/**
 * docker-compose.yml started for real, without Docker: every service's environment (the image's ENV,
 * the .env that `meshgate env` prints, the service's own) through the real configuration and
 * security checks, then the whole topology as processes on loopback (see composeProcesses.ts),
 * queried through the gateway with a token from the deployment's own issuer, and stopped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../../cli/config.js';
import { loadSecurity } from '../../cli/security.js';
import { loadMesh, type Mesh } from '../../schema/index.js';
import { bearer, postGraphQL } from '../support/postGraphQL.js';
import { containerEnvironment, dependencies, imageEnvironment, parseEnvFile, readComposeServices, type ComposeServices } from './composeProject.js';
import { loopbackEnvironment, prepareLoopback, RUN_AS, runHealthcheck, startOrder, startService, waitFor, type Loopback, type ServiceProcess } from './composeProcesses.js';

/** A query as a steward: a product of every domain, one reference across three of them. */
const QUERY = '{ payments(limit: 2) { paymentId order { orderId customer { customerId } } } accessLog(limit: 1) { seq } }';

/** Runs `meshgate ...args` as the operator would on their machine (not as a service); resolves to its stdout. */
async function meshgate(args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'meshgate.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`meshgate ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

describe('the compose topology', () => {
  let projectDir: string;
  let dotenv: Record<string, string>;
  let services: ComposeServices;
  let environments: Record<string, Record<string, string>>;
  let mesh: Mesh;

  beforeAll(async () => {
    projectDir = await mkdtemp(path.join(tmpdir(), 'meshgate-compose-'));
    // The documented steps (README, "Deploy with compose"): a token issuer, then a ready .env.
    await meshgate(['keys', 'generate', '--out', path.join(projectDir, 'keys')]);
    const env = (await meshgate(['env'])).replace(/^MESHGATE_SEED_SCALE=.*$/m, 'MESHGATE_SEED_SCALE=0.05');
    await writeFile(path.join(projectDir, '.env'), env);
    dotenv = parseEnvFile(env);
    services = await readComposeServices(dotenv);
    const image = await imageEnvironment();
    environments = Object.fromEntries(await Promise.all(Object.entries(services).map(async ([n, s]) => [n, await containerEnvironment(s, projectDir, image)] as const)));
    mesh = await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: '/data' });
  });
  afterAll(async () => {
    if (projectDir) await rm(projectDir, { recursive: true, force: true });
  });

  it('gives every service a configuration that passes validation in production mode', async () => {
    for (const [name, env] of Object.entries(environments)) {
      expect([name, env.NODE_ENV]).toEqual([name, 'production']);
      const config = readConfig(env);
      // What each service checks at start: the secrets, the token settings and the policy.
      await expect(loadSecurity(config, mesh)).resolves.toMatchObject({ open: false, auth: { mode: 'jwks', jwksFile: '/etc/meshgate/jwks.json' } });
    }
  });

  it('refuses to interpolate without the secrets, naming the command that makes them', async () => {
    const { MESHGATE_CONTEXT_SECRET: _c, ...withoutSecret } = dotenv;
    await expect(readComposeServices(withoutSecret)).rejects.toThrow(/MESHGATE_CONTEXT_SECRET is missing a value: .*meshgate env > \.env/);
  });

  describe('started as processes', () => {
    let loopback: Loopback;
    const running = new Map<string, ServiceProcess>();
    const logs = (): string => [...running.values()].map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');

    beforeAll(async () => {
      loopback = await prepareLoopback(projectDir, services, environments);
      if (RUN_AS.uid !== undefined) spawnSync('chown', ['-R', `${RUN_AS.uid}:${RUN_AS.gid}`, projectDir]);
      for (const name of startOrder(services)) {
        for (const [dep, condition] of dependencies(services[name]!)) {
          const p = running.get(dep)!;
          if (condition === 'service_completed_successfully') {
            const code = await p.exited;
            if (code !== 0) throw new Error(`${dep} exited ${code}, so ${name} would never start\n${logs()}`);
          } else if (condition === 'service_healthy') {
            await waitFor(`${dep} healthy`, () => runHealthcheck(loopback, dep, services[dep]!, p.env), 120_000, logs);
          }
        }
        const env = loopbackEnvironment(loopback, name, services[name]!, environments[name]!);
        running.set(name, startService(name, services[name]!.command, env, REPO_ROOT));
      }
    }, 180_000);
    afterAll(async () => {
      for (const p of running.values()) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await Promise.all([...running.values()].map((p) => p.exited));
    });

    it('passes every health check', async () => {
      for (const [name, s] of Object.entries(services)) {
        if (s.restart === 'no') expect([name, s.healthcheck]).toEqual([name, undefined]);
        else expect([name, s.healthcheck?.test[0]]).toEqual([name, 'CMD']);
      }
      const checked = Object.entries(services).filter(([, s]) => s.healthcheck);
      expect(checked.map(([n]) => n).sort()).toEqual(['commerce', 'customers', 'gateway', 'governance', 'payments', 'pipelines']);
      for (const [name, s] of checked) await waitFor(`${name} healthy`, () => runHealthcheck(loopback, name, s, running.get(name)!.env), 120_000, logs);
    }, 180_000);

    it("answers a query across every domain with a token from the deployment's issuer", async () => {
      const token = (
        await meshgate([
          'token',
          '--key',
          path.join(projectDir, 'keys', 'signing-key.jwk.json'),
          '--issuer',
          dotenv.MESHGATE_JWT_ISSUER!,
          '--audience',
          dotenv.MESHGATE_JWT_AUDIENCE!,
          '--sub',
          'stella',
          '--roles',
          'steward',
        ])
      ).trim();
      const url = `http://127.0.0.1:${loopback.ports.get('gateway:4000')}/graphql`;
      let last = '';
      await waitFor(
        'an answer from every domain',
        async () => {
          const r = await postGraphQL(url, { query: QUERY }, bearer(token));
          last = r.text;
          return r.status === 200 && r.errors === undefined;
        },
        90_000,
        () => `last answer: ${last}\n${logs()}`,
      );
      const r = await postGraphQL<{ payments: { order: { customer: { customerId: string } } }[]; accessLog: unknown[] }>(url, { query: QUERY }, bearer(token));
      expect(r.data?.payments).toHaveLength(2);
      for (const p of r.data!.payments) expect(p.order.customer.customerId).toMatch(/^C\d+$/);
      // A dev token is refused: production mode trusts the deployment's JWKS only.
      const dev = (await meshgate(['token', '--sub', 'ana', '--roles', 'analyst'], { MESHGATE_STATE_DIR: path.join(projectDir, 'operator-state') })).trim();
      expect((await postGraphQL(url, { query: QUERY }, bearer(dev))).status).toBe(401);
    }, 120_000);

    it('stops every long-running service with exit code 0 on SIGTERM', async () => {
      const longRunning = [...running.values()].filter((p) => services[p.name]!.restart !== 'no');
      expect(longRunning.map((p) => p.name).sort()).toEqual(['commerce', 'customers', 'gateway', 'governance', 'payments', 'pipelines']);
      for (const p of longRunning) p.child.kill('SIGTERM');
      const codes = await Promise.all(longRunning.map(async (p) => [p.name, await p.exited] as const));
      expect(Object.fromEntries(codes)).toEqual(Object.fromEntries(longRunning.map((p) => [p.name, 0])));
      // The one-shot services finished as compose requires of them.
      const oneShot = [...running.values()].filter((p) => services[p.name]!.restart === 'no');
      for (const p of oneShot) expect([p.name, await p.exited]).toEqual([p.name, 0]);
    }, 60_000);
  });
});
