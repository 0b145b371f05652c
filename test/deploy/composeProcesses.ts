/**
 * The compose topology as processes on loopback: each service's command through bin/meshgate.js with
 * the environment its container would see, rewritten only where a container and a process differ.
 * Hosts become 127.0.0.1, each (service, port) a free port, and paths inside the container a folder
 * of the project: named volumes one folder each (a volume mounted inside another is linked there),
 * bind mounts their host file, anything else the service's own scratch folder. Services start in
 * depends_on order and under their conditions. As root, processes run as `nobody`, the way the
 * image runs its code as `node` over files it does not own, so a write outside the volumes fails
 * here as it would there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { dependencies, volumeMount, type ComposeService, type ComposeServices } from './composeProject.js';

/** A service started as a process. */
export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The environment it runs with. */
  readonly env: Record<string, string>;
  /** Resolves to the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Everything it wrote to stderr and stdout so far. */
  output(): string;
}

/** Whether `nobody` can read the code and its dependencies (not so in a checkout under a private home). */
function nobodyReadsTheCode(): boolean {
  const files = [path.join(REPO_ROOT, 'bin', 'meshgate.js'), path.join(REPO_ROOT, 'node_modules', 'tsx', 'package.json')];
  const probe = `for (const f of ${JSON.stringify(files)}) require('node:fs').accessSync(f, require('node:fs').constants.R_OK)`;
  return spawnSync(process.execPath, ['-e', probe], { uid: 65_534, gid: 65_534, stdio: 'ignore' }).status === 0;
}

/** Who processes run as: `nobody` when the test runs as root (and nobody can read the code), else the test's own user. */
export const RUN_AS: { uid?: number; gid?: number } = process.getuid?.() === 0 && nobodyReadsTheCode() ? { uid: 65_534, gid: 65_534 } : {};

/** A port no one listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Where everything a topology needs lives on loopback. */
export interface Loopback {
  readonly projectDir: string;
  /** The free port standing for `port` inside `service`'s container ("service:port"). */
  readonly ports: ReadonlyMap<string, number>;
  /** Each named volume's folder. */
  readonly volumes: ReadonlyMap<string, string>;
}

const portKey = (service: string, port: number | string): string => `${service}:${port}`;

/** Named volumes' folders: volumes/NAME, or, for a volume mounted inside another one's mount point, that folder inside the other's. */
function volumeFolders(projectDir: string, services: ComposeServices): Map<string, string> {
  const folders = new Map<string, string>();
  const mounts = Object.values(services).flatMap((s) => {
    const named = (s.volumes ?? []).map(volumeMount).filter((v) => !v.source.startsWith('.'));
    return named.map((v) => ({ ...v, parent: named.filter((o) => v.target.startsWith(`${o.target}/`)).sort((a, b) => b.target.length - a.target.length)[0] }));
  });
  const folderOf = (source: string): string => {
    const known = folders.get(source);
    if (known) return known;
    const nested = mounts.find((m) => m.source === source && m.parent);
    const folder = nested ? path.join(folderOf(nested.parent!.source), path.relative(nested.parent!.target, nested.target)) : path.join(projectDir, 'volumes', source);
    folders.set(source, folder);
    return folder;
  };
  mounts.forEach((m) => folderOf(m.source));
  return folders;
}

/**
 * Gives every port a service listens on or is called on a free loopback port, creates the volumes'
 * folders and each service's scratch root, where every mount whose parent is not mounted too is a
 * link to its folder (so a path derived inside the container, such as the access log's under
 * MESHGATE_DATA_DIR, lands in the volume as it would).
 */
export async function prepareLoopback(projectDir: string, services: ComposeServices, environments: Readonly<Record<string, Record<string, string>>>): Promise<Loopback> {
  const ports = new Map<string, number>();
  for (const [name, env] of Object.entries(environments)) {
    for (const [key, value] of Object.entries(env)) if (/^MESHGATE_\w+_PORT$/.test(key)) ports.set(portKey(name, value), await freePort());
  }
  const volumes = volumeFolders(projectDir, services);
  for (const folder of volumes.values()) await mkdir(folder, { recursive: true });
  const loopback = { projectDir, ports, volumes };
  for (const [name, s] of Object.entries(services)) {
    const mounts = (s.volumes ?? []).map(volumeMount);
    for (const m of mounts.filter((v) => !mounts.some((o) => v.target.startsWith(`${o.target}/`)))) {
      const link = path.join(projectDir, 'containers', name, m.target);
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(mountSource(loopback, m.source), link);
    }
  }
  return loopback;
}

/** The host folder or file of a mount's source. */
function mountSource(loopback: Loopback, source: string): string {
  return source.startsWith('.') ? path.resolve(loopback.projectDir, source) : loopback.volumes.get(source)!;
}

/** A path inside `service`'s container as a path of the project. */
function hostPath(loopback: Loopback, name: string, service: ComposeService, containerPath: string): string {
  const mounts = (service.volumes ?? []).map(volumeMount).sort((a, b) => b.target.length - a.target.length);
  const m = mounts.find((v) => containerPath === v.target || containerPath.startsWith(`${v.target}/`));
  if (!m) return path.join(loopback.projectDir, 'containers', name, containerPath);
  return path.join(mountSource(loopback, m.source), path.relative(m.target, containerPath));
}

/** `text` with every `http://HOST:PORT` a container would call pointed at loopback (HOST a service, or the container itself). */
function loopbackUrls(loopback: Loopback, name: string, text: string): string {
  return text.replace(/http:\/\/([a-z0-9.-]+):(\d+)/g, (all, host: string, port: string) => {
    const target = host === '127.0.0.1' || host === 'localhost' ? name : host;
    const p = loopback.ports.get(portKey(target, port));
    return p === undefined ? all : `http://127.0.0.1:${p}`;
  });
}

/** A container's environment as a process on loopback needs it. */
export function loopbackEnvironment(loopback: Loopback, name: string, service: ComposeService, env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key === 'MESHGATE_HOST') out[key] = '127.0.0.1';
    else if (/^MESHGATE_\w+_PORT$/.test(key)) out[key] = String(loopback.ports.get(portKey(name, value)) ?? value);
    else if (value.startsWith('/')) out[key] = hostPath(loopback, name, service, value);
    else out[key] = loopbackUrls(loopback, name, value);
  }
  return { ...out, PATH: process.env.PATH ?? '/usr/bin:/bin' };
}

/** Starts `node bin/meshgate.js ...command` with `env`. */
export function startService(name: string, command: readonly string[], env: Record<string, string>, cwd: string): ServiceProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'meshgate.js'), ...command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...RUN_AS });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { name, child, env, exited, output: () => output };
}

/** Runs a service's health check (`["CMD", ...]`) once, on loopback; resolves to whether it passed. */
export function runHealthcheck(loopback: Loopback, name: string, service: ComposeService, env: Record<string, string>): Promise<boolean> {
  const [kind, program, ...args] = service.healthcheck!.test;
  if (kind !== 'CMD' || program !== 'node') throw new Error(`${name}: the health check must be ["CMD", "node", ...] (slim images have no shell tools)`);
  const child = spawn(
    process.execPath,
    args.map((a) => loopbackUrls(loopback, name, a)),
    { env, stdio: 'ignore', ...RUN_AS },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code === 0)));
}

/** Polls `check` every 250 ms until it passes, or throws after `timeoutMs` with `describe()`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, describe: () => string = () => ''): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms\n${describe()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The order services can start in: each after the services it depends on. */
export function startOrder(services: ComposeServices): string[] {
  const order: string[] = [];
  const visit = (name: string, trail: string[]): void => {
    if (order.includes(name)) return;
    if (trail.includes(name)) throw new Error(`depends_on cycle: ${[...trail, name].join(' → ')}`);
    for (const [dep] of dependencies(services[name]!)) visit(dep, [...trail, name]);
    order.push(name);
  };
  Object.keys(services).forEach((n) => visit(n, []));
  return order;
}
