/**
 * SIGTERM under load, on a real `meshgate up` process: a few keep-alive clients send queries in a
 * steady stream, one request is in flight (its body half sent) when the signal arrives. Once
 * signalled, the gateway accepts no new connection, answers every request that reaches it with
 * `Connection: close`, finishes the one in flight with 200, writes every answer into the access
 * log and exits 0. No client ever sees a connection reset: only answers, then refusals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { mintDevToken } from '../../gateway/index.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { copyOfSeededData, testStateDir } from '../support/startTestMesh.js';

const QUERY = JSON.stringify({ query: '{ orders(limit: 2) { orderId } }' });

/** What one request came to: an answer (its status, whether it closed the connection, the ids) or the error the client saw. */
type Outcome =
  | { readonly kind: 'answered'; readonly status: number; readonly close: boolean; readonly id: string; readonly clientId: string }
  | { readonly kind: 'failed'; readonly code: string };

function send(base: URL, agent: Agent, token: string, clientId: string, body = QUERY, beforeEnd?: (write: () => void) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      {
        hostname: base.hostname,
        port: base.port,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}`, 'x-request-id': clientId },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ kind: 'answered', status: res.statusCode ?? 0, close: res.headers.connection === 'close', id: String(res.headers['x-request-id']), clientId }),
        );
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'failed', code: e.code ?? e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'failed', code: e.code ?? e.message }));
    if (beforeEnd) {
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      beforeEnd(() => req.end(body.slice(half)));
    } else {
      req.end(body);
    }
  });
}

/** Starts `meshgate up` on ephemeral ports over a copy of the test sample and resolves with the process and its gateway's address. */
async function startUp(): Promise<{ child: ChildProcess; base: URL; dataRoot: string; stderr: () => string; exited: Promise<number | null> }> {
  const dataRoot = await copyOfSeededData();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'meshgate.js'), 'up', '--no-seed', '--no-builds'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      MESHGATE_DATA_DIR: dataRoot,
      MESHGATE_STATE_DIR: await testStateDir(),
      MESHGATE_DUCKDB_MEMORY: '1GB',
      MESHGATE_GATEWAY_PORT: '0',
      MESHGATE_CUSTOMERS_PORT: '0',
      MESHGATE_COMMERCE_PORT: '0',
      MESHGATE_PAYMENTS_PORT: '0',
      MESHGATE_GOVERNANCE_PORT: '0',
      MESHGATE_SHUTDOWN_GRACE_MS: '5000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<URL>((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      err += d;
      const m = /GraphQL at (http:\/\/\S+)\/graphql/.exec(err);
      if (m) resolve(new URL(m[1]!));
    });
    void exited.then(() => reject(new Error(`meshgate up exited early:\n${err}`)));
  });
  return { child, base, dataRoot, stderr: () => err, exited };
}

describe('SIGTERM under load', () => {
  let up: Awaited<ReturnType<typeof startUp>>;
  beforeAll(async () => {
    up = await startUp();
  }, 120_000);
  afterAll(() => {
    if (up?.child.exitCode === null) up.child.kill('SIGKILL');
  });

  it('finishes in-flight requests, closes keep-alive connections, records every answer and exits 0', async () => {
    const token = await mintDevToken(path.join(await testStateDir(), 'dev-keys'), { sub: 'drainer', roles: ['analyst'], ttlS: 600 });
    const outcomes: Outcome[] = [];
    let n = 0;
    let signalled = false;
    /** One keep-alive client: sends one query after another until the gateway refuses its connection. */
    const client = async (agent: Agent): Promise<void> => {
      for (;;) {
        const o = await send(up.base, agent, token, `drain-${n++}`);
        outcomes.push(o);
        if (o.kind === 'failed' && signalled) return;
        if (o.kind === 'failed') throw new Error(`a request failed before SIGTERM: ${o.code}`);
      }
    };
    const agents = Array.from({ length: 3 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const clients = agents.map(client);
    while (outcomes.length < 30) await new Promise((r) => setTimeout(r, 20));

    // A request whose body is half sent when the signal arrives: it is in flight through the drain.
    const slowAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const inFlight = send(up.base, slowAgent, token, 'drain-in-flight', QUERY, (finish) => {
      setTimeout(() => {
        signalled = true;
        up.child.kill('SIGTERM');
        setTimeout(finish, 500);
      }, 100);
    });
    const slow = await inFlight;
    await Promise.all(clients);
    const code = await up.exited;
    for (const a of [...agents, slowAgent]) a.destroy();

    expect(slow).toMatchObject({ kind: 'answered', status: 200, close: true });
    expect(code).toBe(0);
    const failures = outcomes.filter((o): o is Extract<Outcome, { kind: 'failed' }> => o.kind === 'failed');
    // After the signal a client meets refused connections only, never a reset.
    expect([...new Set(failures.map((f) => f.code))]).toEqual(['ECONNREFUSED']);
    const answered = [...outcomes, slow].filter((o): o is Extract<Outcome, { kind: 'answered' }> => o.kind === 'answered');
    expect(answered.every((o) => o.status === 200)).toBe(true);
    // The last answer on each connection told the client to close it.
    expect(answered.filter((o) => o.close).length).toBeGreaterThanOrEqual(agents.length);

    const { entries } = await readAccessLog({ dataRoot: up.dataRoot, rawDir: path.join(up.dataRoot, 'governance', 'access-log-raw') });
    const logged = entries.filter((e) => e.client_request_id?.startsWith('drain-')).map((e) => `${e.client_request_id} ${e.request_id} ${e.http_status}`);
    expect(logged.sort()).toEqual(answered.map((o) => `${o.clientId} ${o.id} ${o.status}`).sort());
  }, 120_000);
});
