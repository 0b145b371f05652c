/**
 * The DuckDB levers seen from the subgraphs: the same requests, side by side, to a mesh of this tree
 * and to a mesh of another checkout (the code before the levers), each in a child process
 * (`meshgate up --no-seed`, access off), CPU per request read from /proc:
 *
 *   git archive <commit> | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/
 *   node --import tsx bench/subgraphCheck.ts --before /tmp/before [--scale 1] [--rounds 3] [--seconds 4]
 *
 * Both meshes serve one copy of the bench's products (never the bench data itself) with every
 * build schedule set to manual, so no build runs while they are measured. The point look-up, the
 * filtered page and the grouped aggregate go straight to their subgraph; the join of 50 orders with
 * their customers and payments goes through the gateway (the process runs both). Requests rotate
 * their variables; rounds alternate which mesh goes first; figures are medians over rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../cli/config.js';
import { freePorts } from './processes.js';
import { processCpuMs } from './processCpu.js';
import { percentile } from './stats.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const DOMAINS = ['customers', 'commerce', 'payments', 'governance'];
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES'];

/** A request shape: where it goes and its i-th document. */
interface Shape {
  readonly id: string;
  /** A domain's subgraph, or the gateway. */
  readonly target: string;
  document(i: number, customerIds: readonly string[]): string;
}

const SHAPES: readonly Shape[] = [
  { id: 'point', target: 'customers', document: (i, ids) => `{ customer(customerId: ${JSON.stringify(ids[i % ids.length])}) { customerId fullName email country } }` },
  {
    id: 'page20',
    target: 'commerce',
    document: (i) =>
      `{ orders(where: { shippingCountry: { eq: ${JSON.stringify(COUNTRIES[i % COUNTRIES.length])} }, totalAmount: { gt: 50 } }, orderBy: [{ orderTs: DESC }], limit: 20, offset: ${20 * (i % 25)}) { orderId orderTs totalAmount status } }`,
  },
  {
    id: 'aggregate',
    target: 'commerce',
    document: () => '{ ordersAggregate(groupBy: [SHIPPING_COUNTRY, STATUS]) { key { shippingCountry status } count sum { totalAmount } avg { totalAmount } } }',
  },
  {
    id: 'join50',
    target: 'gateway',
    document: (i) => `{ orders(limit: 50, offset: ${50 * ((i * 37) % 200)}) { orderId totalAmount customer { fullName country } payments { paymentId amount status } } }`,
  },
];

/** A mesh under test. */
interface Mesh {
  readonly label: string;
  readonly child: ChildProcess;
  readonly urls: ReadonlyMap<string, string>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { before: { type: 'string' }, scale: { type: 'string' }, rounds: { type: 'string' }, seconds: { type: 'string' } } });
  if (!values.before) throw new Error('--before DIR (a checkout of the code to compare with) is required');
  const scale = Number(values.scale ?? 1);
  const rounds = Number(values.rounds ?? 3);
  const seconds = Number(values.seconds ?? 4);
  const work = await mkdtemp(path.join(os.tmpdir(), 'meshgate-subgraph-check-'));
  const meshes: Mesh[] = [];
  try {
    const { dataRoot, subgraphsDir } = await copyMesh(path.join(REPO_ROOT, 'bench', 'data', `scale-${scale}`), work);
    // Every port reserved at once, so the first mesh's own sockets cannot take one the second is given.
    const ports = await freePorts(2 * (DOMAINS.length + 1));
    for (const [i, [label, tree]] of (
      [
        ['before', path.resolve(values.before)],
        ['after', REPO_ROOT],
      ] as const
    ).entries())
      meshes.push(await startMesh(label, tree, dataRoot, subgraphsDir, path.join(work, `state-${label}`), ports.slice(i * (DOMAINS.length + 1), (i + 1) * (DOMAINS.length + 1))));
    const ids = await customerIds(meshes[1]!);
    const results: Record<string, Record<string, { c1: Cell[]; c16: Cell[] }>> = {};
    for (const shape of SHAPES) for (const m of meshes) await run(m, shape, ids, 1, 0.5); // warm-up
    for (let round = 0; round < rounds; round++) {
      log(`round ${round + 1}/${rounds}`);
      for (const shape of SHAPES)
        for (const concurrency of [1, 16] as const)
          for (const m of round % 2 ? [...meshes].reverse() : meshes) {
            const cell = await run(m, shape, ids, concurrency, seconds);
            const r = ((results[shape.id] ??= {})[m.label] ??= { c1: [], c16: [] });
            (concurrency === 1 ? r.c1 : r.c16).push(cell);
          }
    }
    const lines = [`subgraph CPU ms per request (child process, /proc) and wall p50 ms, scale ${scale}, medians of ${rounds} rounds of ${seconds} s`];
    for (const shape of SHAPES) {
      lines.push(`${shape.id} (${shape.target === 'gateway' ? 'through the gateway: gateway and three subgraphs' : `${shape.target} subgraph direct`})`);
      for (const m of meshes) {
        const r = results[shape.id]![m.label]!;
        lines.push(
          `  ${m.label.padEnd(7)} c1 CPU ${med(r.c1.map((c) => c.cpuMs)).toFixed(2)} p50 ${med(r.c1.map((c) => c.p50Ms)).toFixed(2)}   c16 CPU ${med(r.c16.map((c) => c.cpuMs)).toFixed(2)} p50 ${med(r.c16.map((c) => c.p50Ms)).toFixed(2)} (${med(r.c16.map((c) => c.reqPerSec)).toFixed(0)} req/s)`,
        );
      }
    }
    process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(results)}\n`);
  } finally {
    await Promise.all(meshes.map(stop));
    await rm(work, { recursive: true, force: true });
  }
}

const med = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Copies the products (not the raw sources) and the declarations, every build schedule manual and every version's data as of now. */
async function copyMesh(benchRoot: string, work: string): Promise<{ dataRoot: string; subgraphsDir: string }> {
  const dataRoot = path.join(work, 'data');
  for (const d of DOMAINS) await cp(path.join(benchRoot, d), path.join(dataRoot, d), { recursive: true });
  const subgraphsDir = path.join(work, 'subgraphs');
  await cp(path.join(REPO_ROOT, 'subgraphs'), subgraphsDir, { recursive: true });
  for (const d of DOMAINS) {
    const file = path.join(subgraphsDir, d, 'data-product.yaml');
    await writeFile(file, `${(await readFile(file, 'utf8')).replace(/^schedule:.*$/m, '')}\nschedule: manual\n`);
  }
  for (const d of DOMAINS)
    for (const p of await readdir(path.join(dataRoot, d))) {
      const file = path.join(dataRoot, d, p, '_manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as { dataAsOf?: string } | null;
      if (manifest) await writeFile(file, JSON.stringify({ ...manifest, dataAsOf: new Date().toISOString() }));
    }
  return { dataRoot, subgraphsDir };
}

async function startMesh(label: string, tree: string, dataRoot: string, subgraphsDir: string, stateDir: string, reserved: readonly number[]): Promise<Mesh> {
  const [gatewayPort, ...ports] = reserved;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MESHGATE_HOST: '127.0.0.1',
    MESHGATE_GATEWAY_PORT: String(gatewayPort),
    MESHGATE_DATA_DIR: dataRoot,
    MESHGATE_SUBGRAPHS_DIR: subgraphsDir,
    MESHGATE_STATE_DIR: stateDir,
    MESHGATE_ACCESS: 'off',
    MESHGATE_ACCESS_LOG: 'off',
  };
  DOMAINS.forEach((d, i) => (env[`MESHGATE_${d.toUpperCase()}_PORT`] = String(ports[i])));
  const child = spawn(process.execPath, [path.join(tree, 'bin', 'meshgate.js'), 'up', '--no-seed'], { cwd: tree, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (tail = (tail + chunk).slice(-4000)));
  const urls = new Map<string, string>([
    ['gateway', `http://127.0.0.1:${gatewayPort}/graphql`],
    ...DOMAINS.map((d, i) => [d, `http://127.0.0.1:${ports[i]}/`] as [string, string]),
  ]);
  const mesh = { label, child, urls };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${label} mesh exited:\n${tail}`);
    const ok = await post(urls.get('gateway')!, '{ orders(limit: 1) { orderId } }').then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the ${label} mesh did not start:\n${tail}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  if (/building/.test(tail)) throw new Error(`the ${label} mesh started a build:\n${tail}`);
  log(`${label} mesh (${tree}): pid ${child.pid}`);
  return mesh;
}

async function stop(m: Mesh): Promise<void> {
  if (m.child.exitCode !== null) return;
  const exited = new Promise((r) => m.child.once('exit', r));
  m.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (m.child.exitCode === null) m.child.kill('SIGKILL');
}

async function post(url: string, query: string): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (res.status !== 200 || body.errors) throw new Error(`${url}: ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

async function customerIds(m: Mesh): Promise<string[]> {
  const all = (await post(m.urls.get('gateway')!, '{ customers(limit: 1000) { customerId } }')) as { customers: { customerId: string }[] };
  return all.customers.filter((_, i) => i % 40 === 7).map((c) => c.customerId);
}

interface Cell {
  readonly cpuMs: number;
  readonly p50Ms: number;
  readonly reqPerSec: number;
}

/** `concurrency` closed loops for `seconds`; CPU per request of the mesh's process. */
async function run(m: Mesh, shape: Shape, ids: readonly string[], concurrency: number, seconds: number): Promise<Cell> {
  const url = m.urls.get(shape.target)!;
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = (await processCpuMs(m.child.pid!))!;
  const t0 = performance.now();
  const loop = async (): Promise<void> => {
    while (performance.now() - t0 < seconds * 1000) {
      const s = performance.now();
      await post(url, shape.document(next++, ids));
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = performance.now() - t0;
  const cpu = (await processCpuMs(m.child.pid!))! - cpu0;
  latencies.sort((a, b) => a - b);
  return { cpuMs: cpu / latencies.length, p50Ms: percentile(latencies, 50), reqPerSec: (latencies.length * 1000) / elapsed };
}

await main();
