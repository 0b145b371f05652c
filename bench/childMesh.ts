/**
 * The mesh under test, in a child process (`meshgate up --no-seed`) on free ports, so the load
 * generator never shares its event loop. The child is stopped on every way out: normal end, error,
 * Ctrl-C, and (as a last resort, with SIGKILL) the bench process exiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../cli/config.js';
import { benchEnv } from './benchAccess.js';

/** A running child mesh. */
export interface ChildMesh {
  /** What it is called in messages, e.g. `enforced`. */
  readonly label: string;
  readonly pid: number;
  readonly graphqlUrl: string;
  /** Each domain's subgraph endpoint, e.g. `http://127.0.0.1:41234/`. */
  readonly subgraphUrls: ReadonlyMap<string, string>;
  /** The child's last lines of output, and how it exited if it did, for error messages. */
  logTail(): string;
  /** Stops the child (SIGTERM, then SIGKILL after 10 s) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** What {@link startChildMesh} needs. */
export interface ChildMeshOptions {
  readonly label: string;
  readonly dataRoot: string;
  readonly domains: readonly string[];
  /** The state folder (dev key, dev secrets) the child uses: the bench signs with the same. */
  readonly stateDir: string;
  /** Access control on (the default) or off (MESHGATE_ACCESS=off). */
  readonly access: 'on' | 'off';
  /** The access log on, or off (the default). */
  readonly accessLog?: 'on' | 'off';
  /** Extra arguments for node, e.g. `--cpu-prof` to profile the child. */
  readonly nodeArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
}

const HOST = '127.0.0.1';

/** Reserves `n` distinct free ports by listening on port 0, then releases them. */
export async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, HOST, resolve));
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

const envName = (domain: string): string => `MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_PORT`;

/** Starts the child and resolves once the gateway is ready and every subgraph answers. */
export async function startChildMesh(options: ChildMeshOptions): Promise<ChildMesh> {
  const [gatewayPort, ...ports] = await freePorts(options.domains.length + 1);
  const subgraphUrls = new Map(options.domains.map((d, i) => [d, `http://${HOST}:${ports[i]}/`]));
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(process.env, options.stateDir, options.access, options.accessLog),
    MESHGATE_HOST: HOST,
    MESHGATE_GATEWAY_PORT: String(gatewayPort),
    MESHGATE_DATA_DIR: options.dataRoot,
  };
  options.domains.forEach((d, i) => (env[envName(d)] = String(ports[i])));
  const args = [...(options.nodeArgs ?? []), path.join(REPO_ROOT, 'bin', 'meshgate.js'), 'up', '--no-seed'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const tail: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    tail.push(...chunk.split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  };
  const mesh: ChildMesh = {
    label: options.label,
    pid: child.pid ?? -1,
    graphqlUrl: `http://${HOST}:${gatewayPort}/graphql`,
    subgraphUrls,
    logTail: () => [...tail, ...(child.exitCode !== null || child.signalCode !== null ? [`(exited: ${child.exitCode ?? child.signalCode})`] : [])].join('\n'),
    stop,
  };
  try {
    await waitUntilReady(child, mesh, `http://${HOST}:${gatewayPort}`, options.readyTimeoutMs ?? 120_000);
    return mesh;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(child: ChildProcess, mesh: ChildMesh, gateway: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = [`${gateway}/readyz`, ...mesh.subgraphUrls.values()];
  while (pending.length > 0) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the ${mesh.label} mesh under test exited before it was ready (${child.exitCode ?? child.signalCode}):\n${mesh.logTail()}`);
    if (Date.now() > deadline) throw new Error(`the ${mesh.label} mesh under test was not ready after ${timeoutMs / 1000} s (waiting for ${pending[0]}):\n${mesh.logTail()}`);
    if (await answers(pending[0]!)) pending.shift();
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Whether a readiness URL (GET) answers 200, or a subgraph (POST `{ __typename }`) answers: 200, or
 * 401 UNAUTHENTICATED when access control is on (it serves only requests signed by the gateway).
 */
async function answers(url: string): Promise<boolean> {
  const init: RequestInit = url.endsWith('/readyz')
    ? { signal: AbortSignal.timeout(2_000) }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(2_000) };
  try {
    const res = await fetch(url, init);
    const body = await res.text();
    return res.status === 200 || (res.status === 401 && body.includes('"UNAUTHENTICATED"'));
  } catch {
    return false;
  }
}
