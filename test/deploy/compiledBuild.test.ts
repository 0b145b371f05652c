/**
 * The compiled code the image runs (`npm run build`, then `node dist/cli/bin.js`), laid out as the
 * image lays it out (package.json, node_modules and dist/ side by side) and run on this machine's
 * Node: the CLI, then a whole mesh, whose pages and queries need every asset the build copies.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { bearer, postGraphQL } from '../support/postGraphQL.js';
import { freePort, waitFor } from './composeProcesses.js';

interface Run {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node args` to its end. */
function run(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', stdout, stderr })));
}

describe('the compiled build', () => {
  let app: string;
  let bin: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    app = await mkdtemp(path.join(tmpdir(), 'meshgate-dist-'));
    const build = await run([path.join(REPO_ROOT, 'scripts', 'build.js'), '--out', path.join(app, 'dist')]);
    if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
    // The image's /app: package.json ("type": "module") and node_modules beside dist/, no sources.
    await copyFile(path.join(REPO_ROOT, 'package.json'), path.join(app, 'package.json'));
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(app, 'node_modules'));
    bin = path.join(app, 'dist', 'cli', 'bin.js');
    env = { MESHGATE_DATA_DIR: path.join(app, 'data'), MESHGATE_STATE_DIR: path.join(app, 'state') };
  }, 300_000);
  afterAll(async () => {
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('runs the CLI without TypeScript', async () => {
    const help = await run([bin, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: meshgate <command>');
    expect((await run([bin, 'seed', '--scale', '0.05'], env)).code).toBe(0);
  });

  it('serves a whole mesh: a query with a token, the GraphiQL page and the catalog', async () => {
    const ports = {
      MESHGATE_GATEWAY_PORT: await freePort(),
      MESHGATE_CUSTOMERS_PORT: await freePort(),
      MESHGATE_COMMERCE_PORT: await freePort(),
      MESHGATE_PAYMENTS_PORT: await freePort(),
      MESHGATE_GOVERNANCE_PORT: await freePort(),
    };
    const upEnv = { ...env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const child = spawn(process.execPath, [bin, 'up', '--no-builds'], { env: { PATH: process.env.PATH ?? '', ...upEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
    try {
      const base = `http://127.0.0.1:${ports.MESHGATE_GATEWAY_PORT}`;
      await waitFor(
        'the compiled mesh ready',
        async () => (await fetch(`${base}/readyz`)).ok,
        120_000,
        () => log,
      );
      const token = (await run([bin, 'token', '--sub', 'ana', '--roles', 'analyst'], env)).stdout.trim();
      const r = await postGraphQL<{ payments: { order: { customer: { customerId: string } } }[] }>(
        `${base}/graphql`,
        { query: '{ payments(limit: 2) { paymentId order { orderId customer { customerId } } } }' },
        bearer(token),
      );
      expect(r.errors).toBeUndefined();
      expect(r.data?.payments).toHaveLength(2);
      // The pages read their browser files from beside the compiled modules.
      const graphiql = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
      expect(graphiql.status).toBe(200);
      expect(await graphiql.text()).toContain('<html');
      const catalog = await fetch(`${base}/catalog/`, { headers: { accept: 'text/html' } });
      expect([catalog.status, await catalog.text()]).toEqual([200, expect.stringContaining('<html')]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
