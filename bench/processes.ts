/**
 * The processes under test, each a child of the bench on free loopback ports, so the load
 * generator never shares their event loop: a subgraph served alone (`meshgate subgraph`), a
 * gateway alone (`meshgate gateway`), Hive Gateway (`hive-gateway supergraph`, one process), and
 * the one-process mesh (`meshgate up`). A child is stopped on every way out: normal end, error,
 * Ctrl-C, and (as a last resort, with SIGKILL) the bench process exiting.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../cli/config.js';
import { composeSupergraph, type SubgraphService } from '../gateway/index.js';
import { benchEnv } from './benchAccess.js';

const HOST = '127.0.0.1';
const MESHGATE = path.join(REPO_ROOT, 'bin', 'meshgate.js');
/** Hive Gateway's CLI, run with this node (no shell, so the pid is the gateway's own). */
const HIVE = path.join(REPO_ROOT, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js');
/** Hive Gateway's configuration: it passes the client's signed access context on to every subgraph. */
export const HIVE_CONFIG = path.join(REPO_ROOT, 'bench', 'hive', 'gateway.config.mjs');

/** A running child process. */
export interface Child {
  /** What it is called in messages, e.g. `subgraph customers (default)`. */
  readonly label: string;
  readonly pid: number;
  /** Its last lines of output, and how it exited if it did, for error messages. */
  logTail(): string;
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** One process a target's requests go through, as the report names it. */
export interface Proc {
  /** `gateway` (meshgate's or Hive's), `subgraph`, or `mesh` (the one-process mesh: gateway and subgraphs). */
  readonly role: 'gateway' | 'subgraph' | 'mesh';
  /** E.g. `customers` for a subgraph, `hive` for Hive's gateway. */
  readonly name: string;
  readonly child: Child;
  /** Where its DuckDB counters are served (Prometheus text), if it runs DuckDB. */
  readonly metricsUrl?: string;
}

/** Children still running: killed (SIGKILL) if the bench process exits without stopping them. */
const running = new Set<() => void>();
process.once('exit', () => running.forEach((kill) => kill()));

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

/** What {@link startChild} runs. */
interface ChildSpec {
  readonly label: string;
  /** Arguments of node. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Readiness probes, each polled until it resolves true, in order. */
  readonly ready: readonly (() => Promise<boolean>)[];
  readonly readyTimeoutMs?: number;
}

/** Starts a child and resolves once every readiness probe passed; stops it and throws with its output if it exits or is not ready in time. */
async function startChild(spec: ChildSpec): Promise<Child> {
  const child = spawn(process.execPath, [...spec.args], { cwd: REPO_ROOT, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: string): void => {
    tail.push(...chunk.split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => void (gone() || child.kill('SIGKILL'));
  running.add(killOnExit);
  const handle: Child = {
    label: spec.label,
    pid: child.pid ?? -1,
    logTail: () => [...tail, ...(gone() ? [`(exited: ${child.exitCode ?? child.signalCode})`] : [])].join('\n'),
    async stop() {
      running.delete(killOnExit);
      if (gone()) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    },
  };
  try {
    const timeoutMs = spec.readyTimeoutMs ?? 180_000;
    const deadline = Date.now() + timeoutMs;
    for (const probe of spec.ready) {
      while (!(await probe())) {
        if (gone()) throw new Error(`${spec.label} exited before it was ready (${child.exitCode ?? child.signalCode}):\n${handle.logTail()}`);
        if (Date.now() > deadline) throw new Error(`${spec.label} was not ready after ${timeoutMs / 1000} s:\n${handle.logTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return handle;
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

/** Whether a GET of `url` answers 200. */
const answersGet = (url: string) => async (): Promise<boolean> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
};

/** Whether a subgraph answers `{ __typename }`: 200, or 401 UNAUTHENTICATED when access control is on (it serves only requests signed by a gateway). */
const subgraphAnswers = (url: string) => async (): Promise<boolean> => {
  try {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(2_000) };
    const res = await fetch(url, init);
    const body = await res.text();
    return res.status === 200 || (res.status === 401 && body.includes('"UNAUTHENTICATED"'));
  } catch {
    return false;
  }
};

const envPrefix = (domain: string): string => `MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}`;

/** What every process of one data root is started with. */
export interface StartContext {
  readonly dataRoot: string;
  readonly stateDir: string;
  readonly domains: readonly string[];
  /** Each domain's SDL, as the gateway composes it (for Hive's supergraph). */
  readonly sdlOf: (domain: string) => string;
  readonly log: (line: string) => void;
}

/** One subgraph process per domain. */
export interface SubgraphSet {
  readonly label: string;
  /** Each domain's GraphQL endpoint, e.g. `http://127.0.0.1:41234/`. */
  readonly urls: ReadonlyMap<string, string>;
  readonly procs: ReadonlyMap<string, Proc>;
}

/** Starts `meshgate subgraph --domain D` for every domain, access control as asked, with `env` over the bench's settings (e.g. MESHGATE_RESULT_CACHE=off). */
export async function startSubgraphSet(ctx: StartContext, label: string, access: 'on' | 'off', env: NodeJS.ProcessEnv, started: (c: Child) => void): Promise<SubgraphSet> {
  const ports = await freePorts(ctx.domains.length * 2);
  const urls = new Map<string, string>();
  const procs = new Map<string, Proc>();
  await Promise.all(
    ctx.domains.map(async (domain, k) => {
      const [port, metricsPort] = [ports[2 * k]!, ports[2 * k + 1]!];
      const url = `http://${HOST}:${port}/`;
      const metricsUrl = `http://${HOST}:${metricsPort}/metrics`;
      const child = await startChild({
        label: `subgraph ${domain} (${label})`,
        args: [MESHGATE, 'subgraph', '--domain', domain],
        env: {
          ...benchEnv(process.env, ctx.stateDir, access),
          MESHGATE_HOST: HOST,
          MESHGATE_DATA_DIR: ctx.dataRoot,
          [`${envPrefix(domain)}_PORT`]: String(port),
          [`${envPrefix(domain)}_METRICS_PORT`]: String(metricsPort),
          ...env,
        },
        ready: [subgraphAnswers(url), answersGet(metricsUrl)],
      });
      started(child);
      urls.set(domain, url);
      procs.set(domain, { role: 'subgraph', name: domain, child, metricsUrl });
    }),
  );
  return { label, urls, procs };
}

/** A gateway process and where it serves GraphQL. */
export interface GatewayProc {
  readonly url: string;
  readonly proc: Proc;
}

/** What a meshgate gateway alone is started with. */
export interface GatewaySpec {
  readonly label: string;
  readonly subgraphs: SubgraphSet;
  readonly access: 'on' | 'off';
  readonly accessLog: 'on' | 'off';
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts `meshgate gateway` over a subgraph set (MESHGATE_<DOMAIN>_URL). */
export async function startMeshgateGateway(ctx: StartContext, spec: GatewaySpec): Promise<GatewayProc> {
  const [port] = await freePorts(1);
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(process.env, ctx.stateDir, spec.access, spec.accessLog, spec.label),
    MESHGATE_HOST: HOST,
    MESHGATE_GATEWAY_PORT: String(port),
    MESHGATE_DATA_DIR: ctx.dataRoot,
    ...spec.env,
  };
  for (const [domain, url] of spec.subgraphs.urls) env[`${envPrefix(domain)}_URL`] = url;
  const child = await startChild({ label: `gateway (${spec.label})`, args: [MESHGATE, 'gateway'], env, ready: [answersGet(`http://${HOST}:${port}/readyz`)] });
  return { url: `http://${HOST}:${port}/graphql`, proc: { role: 'gateway', name: 'gateway', child } };
}

/** The supergraph of the mesh's domains at the set's URLs, composed as meshgate's gateway composes it. */
export function supergraphOf(ctx: StartContext, subgraphs: SubgraphSet): string {
  const services: SubgraphService[] = ctx.domains.map((d) => ({ name: d, url: subgraphs.urls.get(d)!, typeDefs: ctx.sdlOf(d) }));
  const composed = composeSupergraph(services);
  if (composed.errors) throw new Error(`bench: the supergraph for Hive does not compose:\n${composed.errors.join('\n')}`);
  return composed.supergraphSdl;
}

/**
 * Starts Hive Gateway (`hive-gateway supergraph FILE --fork 1`: one process) over a subgraph set,
 * with {@link HIVE_CONFIG}, which passes the client's `x-meshgate-context` on to the subgraphs.
 */
export async function startHive(ctx: StartContext, label: string, subgraphs: SubgraphSet, scratchDir: string): Promise<GatewayProc> {
  const [port] = await freePorts(1);
  const file = path.join(scratchDir, `supergraph-${label}-${process.pid}.graphql`);
  await writeFile(file, supergraphOf(ctx, subgraphs));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('MESHGATE_')) delete env[name];
  const child = await startChild({
    label: `Hive Gateway (${label})`,
    args: [HIVE, 'supergraph', file, '--host', HOST, '--port', String(port), '--fork', '1', '--config-path', HIVE_CONFIG],
    env,
    ready: [answersGet(`http://${HOST}:${port}/readiness`)],
  });
  return { url: `http://${HOST}:${port}/graphql`, proc: { role: 'gateway', name: 'hive', child } };
}

/** A one-process mesh. */
export type EmbeddedProc = GatewayProc;

/** What a one-process mesh is started with. */
export interface EmbeddedSpec {
  readonly label: string;
  /** Its data root: its own copy when it writes an access log (its governance job compacts the log into it). */
  readonly dataRoot: string;
  readonly access: 'on' | 'off';
  readonly accessLog: 'on' | 'off';
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts `meshgate up --no-seed --no-builds` (no build runs while it is measured); its DuckDB
 * counters are on its gateway's /metrics. Ready when its gateway is: the bench never calls its
 * subgraphs (with the in-process transport they may not listen at all).
 */
export async function startEmbedded(ctx: StartContext, spec: EmbeddedSpec): Promise<EmbeddedProc> {
  const [gatewayPort, ...ports] = await freePorts(ctx.domains.length + 1);
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(process.env, ctx.stateDir, spec.access, spec.accessLog, spec.label),
    MESHGATE_HOST: HOST,
    MESHGATE_GATEWAY_PORT: String(gatewayPort),
    MESHGATE_DATA_DIR: spec.dataRoot,
    ...spec.env,
  };
  ctx.domains.forEach((d, i) => (env[`${envPrefix(d)}_PORT`] = String(ports[i])));
  const base = `http://${HOST}:${gatewayPort}`;
  const child = await startChild({
    label: `one-process mesh (${spec.label})`,
    args: [MESHGATE, 'up', '--no-seed', '--no-builds'],
    env,
    ready: [answersGet(`${base}/readyz`)],
  });
  return { url: `${base}/graphql`, proc: { role: 'mesh', name: 'mesh', child, metricsUrl: `${base}/metrics` } };
}
