/** The real `meshgate` process: a port conflict in one line with exit code 1, and a drain on SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { freePorts } from '../../../bench/processes.js';
import { REPO_ROOT } from '../../../cli/config.js';
import { graphqlPost, RawConnection } from './rawConnection.js';
import { startRealSubgraph, subgraphEnv, type RealSubgraph } from './realSubgraph.js';

const MESHGATE = path.join(REPO_ROOT, 'bin', 'meshgate.js');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function meshgate(args: readonly string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [MESHGATE, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

/** Holds `port` on 127.0.0.1 as another program would. */
async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return server;
}

describe('a port already in use', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    [port] = (await freePorts(1)) as [number];
    taken = await occupy(port);
  });
  afterAll(() => new Promise((resolve) => taken.close(resolve)));

  it('stops `meshgate subgraph` with one line naming the port and the variable, and exit code 1', async () => {
    const run = meshgate(['subgraph', '--domain', 'customers'], await subgraphEnv({ MESHGATE_CUSTOMERS_PORT: String(port) }));
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toBe(`meshgate subgraph: subgraph customers: port ${port} on 127.0.0.1 is already in use (set MESHGATE_CUSTOMERS_PORT)\n`);
  }, 120_000);

  it('stops `meshgate up` with that line last, no stack trace, and exit code 1', async () => {
    const [gateway, ...others] = (await freePorts(4)) as number[];
    const env = await subgraphEnv({
      MESHGATE_GATEWAY_PORT: String(gateway),
      MESHGATE_CUSTOMERS_PORT: String(port),
      MESHGATE_COMMERCE_PORT: String(others[0]),
      MESHGATE_PAYMENTS_PORT: String(others[1]),
      MESHGATE_GOVERNANCE_PORT: String(others[2]),
    });
    const run = meshgate(['up', '--no-seed', '--no-builds'], env);
    expect(await run.exited).toBe(1);
    const lines = run.stderr().trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`meshgate up: subgraph customers: port ${port} on 127.0.0.1 is already in use (set MESHGATE_CUSTOMERS_PORT)`);
    expect(run.stderr()).not.toMatch(/^\s+at /m);
    expect(run.stderr()).not.toContain("Unhandled 'error' event");
  }, 120_000);
});

describe('SIGTERM', () => {
  let helper: RealSubgraph;
  beforeAll(async () => {
    // Only for its signed access context: the process under test is the spawned one.
    helper = await startRealSubgraph('customers');
  }, 180_000);
  afterAll(() => helper?.close());

  it('lets the request in flight on a keep-alive connection finish, answered with Connection: close, then exits 0', async () => {
    const [port] = (await freePorts(1)) as [number];
    const run = meshgate(['subgraph', '--domain', 'customers'], await subgraphEnv({ MESHGATE_CUSTOMERS_PORT: String(port), MESHGATE_SHUTDOWN_GRACE_MS: '5000' }));
    const url = `http://127.0.0.1:${port}/`;
    for (let ready = 0; ready !== 200; await sleep(200)) {
      if (run.child.exitCode !== null) throw new Error(`the subgraph exited: ${run.stderr()}`);
      ready = await fetch(`${url}readyz`).then(
        (r) => r.status,
        () => 0,
      );
    }
    const headers = await helper.gatewayHeaders();
    const conn = await RawConnection.open(url);
    const warm = graphqlPost('{ __typename }', headers);
    conn.write(warm.head + warm.body);
    expect((await conn.reply()).headers.connection).toBe('keep-alive');
    const inFlight = graphqlPost('{ customers(limit: 2) { customerId } }', headers);
    conn.write(inFlight.head);
    await sleep(200);
    run.child.kill('SIGTERM');
    await sleep(300);
    conn.write(inFlight.body);
    const answer = await conn.reply();
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    expect((JSON.parse(answer.body) as { data: { customers: unknown[] } }).data.customers).toHaveLength(2);
    expect(await run.exited).toBe(0);
  }, 120_000);
});
