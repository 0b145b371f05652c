/**
 * Faults: the gateway killed mid-load (every reply a client received is on record, once, and the
 * chain still verifies after the restart), a compaction cut short, and a log that cannot be
 * written (data requests refused with 503, the metric says so).
 */
import { freePorts } from '../../bench/processes.js';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../cli/main.js';
import { REPO_ROOT } from '../../cli/config.js';
import { AccessLogWriter, ensureDevKeys, mintDevToken } from '../../gateway/index.js';
import { segmentName, type AccessFacts } from '../../schema/index.js';
import { compactAccessLog } from '../../subgraphs/governance/compactAccessLog.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { copyOfSeededData, startTestMesh } from '../support/startTestMesh.js';

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const out: string[] = [];
  const { write: writeOut } = process.stdout;
  const { write: writeErr } = process.stderr;
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main(args), stdout: out.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const HOST = '127.0.0.1';
const DOMAINS = ['customers', 'commerce', 'payments', 'governance'];

/** `meshgate up --no-seed` in a child process over `dataRoot`, resolved once /readyz answers. */
async function startChild(dataRoot: string, stateDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const [gateway, ...ports] = await freePorts(DOMAINS.length + 1);
  // As a user starts it: no NODE_ENV=test from jest either (Apollo, for one, behaves differently under it).
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MESHGATE_') && k !== 'NODE_OPTIONS' && k !== 'NODE_ENV'));
  Object.assign(env, {
    MESHGATE_HOST: HOST,
    MESHGATE_GATEWAY_PORT: String(gateway),
    MESHGATE_DATA_DIR: dataRoot,
    MESHGATE_STATE_DIR: stateDir,
    MESHGATE_DUCKDB_MEMORY: '1GB',
    MESHGATE_ACCESS_LOG_ROTATE_MS: '300',
  });
  DOMAINS.forEach((d, i) => (env[`MESHGATE_${d.toUpperCase()}_PORT`] = String(ports[i])));
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'meshgate.js'), 'up', '--no-seed'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const url = `http://${HOST}:${gateway}`;
  for (const deadline = Date.now() + 90_000; ; await sleep(200)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the mesh exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the mesh was not ready after 90 s:\n${output}`);
    }
    if (
      (await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) === 200
    )
      return { child, url, output: () => output };
  }
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

describe('the access log under faults', () => {
  it('has exactly one entry for every reply a client received when the gateway is killed mid-load, and verifies after the restart', async () => {
    const dataRoot = await copyOfSeededData();
    const stateDir = await mkdtemp(path.join(tmpdir(), 'meshgate-crash-state-'));
    const keys = path.join(stateDir, 'dev-keys');
    await ensureDevKeys(keys);
    const mint = (sub: string, roles: string[]) => mintDevToken(keys, { sub, roles, ttlS: 600 });
    const callers = [
      { auth: `Bearer ${await mint('owner', ['customers-owner', 'commerce-owner', 'payments-owner'])}`, query: '{ orders(limit: 3) { orderId totalAmount } }' },
      { auth: `Bearer ${await mint('ana', ['analyst'])}`, query: '{ customers(limit: 3) { customerId email } }' },
      { auth: `Bearer ${await mint('ana', ['analyst'])}`, query: '{ accessLog(limit: 1) { eventId } }' },
      { auth: '', query: '{ orders(limit: 1) { orderId } }' },
    ];
    let mesh = await startChild(dataRoot, stateDir);
    const received = new Map<string, number>();
    let sent = 0;
    let killed = false;
    // The load goes on until a second after the kill.
    let stopAt = Number.POSITIVE_INFINITY;
    const worker = async (): Promise<void> => {
      while (Date.now() < stopAt) {
        const id = `crash-${sent}`;
        const caller = callers[sent++ % callers.length]!;
        try {
          const res = await fetch(`${mesh.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: caller.auth, 'x-request-id': id },
            body: JSON.stringify({ query: caller.query }),
            signal: AbortSignal.timeout(5_000),
          });
          await res.text();
          expect(res.headers.get('x-client-request-id')).toBe(id);
          received.set(id, res.status);
        } catch {
          await sleep(killed ? 50 : 5);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 20 }, worker));
    // Killed mid-load once enough replies went out, however slowly a busy CI machine serves them.
    for (const deadline = Date.now() + 20_000; received.size < 40 && Date.now() < deadline;) await sleep(20);
    killed = mesh.child.kill('SIGKILL');
    stopAt = Date.now() + 1_000;
    await exited(mesh.child);
    await load;
    expect(received.size).toBeGreaterThan(20);
    expect(new Set(received.values())).toEqual(new Set([200, 401, 403]));
    // Whether the kill tore a line is luck; make sure one is torn, as a kill inside write() leaves it.
    const rawDir = path.join(dataRoot, 'governance', 'access-log-raw');
    const last = (await readdir(rawDir))
      .filter((n) => n.startsWith('segment-'))
      .sort()
      .at(-1)!;
    await appendFile(path.join(rawDir, last), '{"seq":999999,"event_id":"E000000999999","prev_hash":"0f');

    mesh = await startChild(dataRoot, stateDir);
    try {
      expect(mesh.output()).toMatch(/access log: segment-\d+(\.open)?\.jsonl ended in a torn line \(\d+ bytes.*truncated/);
      const after = await fetch(`${mesh.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: callers[0]!.auth, 'x-request-id': 'after-restart' },
        body: JSON.stringify({ query: callers[0]!.query }),
      });
      expect(after.status).toBe(200);
      received.set('after-restart', 200);
    } finally {
      mesh.child.kill('SIGTERM');
      await exited(mesh.child);
    }
    // SIGTERM closes the log cleanly (no library stops the process first): lock released, zeros cut off.
    expect(mesh.child.exitCode).toBe(0);
    const files = await readdir(rawDir);
    expect(files).not.toContain('writer.lock');
    for (const name of files.filter((n) => n.endsWith('.jsonl'))) expect([name, (await readFile(path.join(rawDir, name))).includes(0)]).toEqual([name, false]);
    const log = await readAccessLog({ dataRoot, rawDir });
    expect(log.problems).toEqual([]);
    const count = new Map<string, number>();
    // Each entry by the id the client gave its request (the server's own is a fresh UUID per request).
    for (const e of log.entries) {
      const id = e.client_request_id ?? e.request_id;
      count.set(id, (count.get(id) ?? 0) + 1);
    }
    const missing = [...received.keys()].filter((id) => count.get(id) !== 1);
    expect(missing).toEqual([]);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    expect(log.entries.length).toBeLessThanOrEqual(sent + 1);
    const r = await cli(['audit', 'verify', '--data-dir', dataRoot]);
    expect(r).toEqual({ code: 0, stdout: `access log verified: ${log.entries.length} entries, chain intact up to ${log.entries.at(-1)!.event_id}\n` });
  }, 240_000);

  it('finishes a compaction cut short after it recorded its head, and reads those entries once meanwhile', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'meshgate-compact-'));
    const rawDir = path.join(root, 'governance', 'access-log-raw');
    const outDir = path.join(root, 'governance', 'access-log');
    // Rotated after its first fsync: the three entries written at once share segment 1, whatever the timing.
    const writer = await AccessLogWriter.open({ dir: rawDir, segmentMaxBytes: 1, log: () => undefined });
    const facts = (i: number): AccessFacts => ({
      time: new Date().toISOString(),
      request_id: `c-${i}`,
      subject: 's',
      roles: 'steward',
      purpose: null,
      client_name: null,
      client_version: null,
      operation_name: null,
      operation_type: 'query',
      document_hash: null,
      products: '',
      fields_read: '',
      masks_applied: '',
      pii_unmasked: '',
      pii_unmasked_count: 0,
      fields_denied: '',
      row_rules: '',
      rows_returned: '',
      rows_total: 0,
      decision: 'allow',
      status: 'ok',
      http_status: 200,
      error_code: null,
      duration_ms: 1,
    });
    await Promise.all([1, 2, 3].map((i) => writer.append(facts(i))));
    await writer.close();
    const saved = await readFile(path.join(rawDir, segmentName(1, false)));
    await compactAccessLog(rawDir, outDir, () => undefined);
    // As if the process died after compacted-head.json was written and before the segment was removed.
    await writeFile(path.join(rawDir, segmentName(1, false)), saved);
    const meanwhile = await readAccessLog({ dataRoot: root, rawDir });
    expect(meanwhile.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await cli(['audit', 'verify', '--data-dir', root])).code).toBe(0);
    const lines: string[] = [];
    await compactAccessLog(rawDir, outDir, (line) => lines.push(line));
    expect(lines.join('\n')).not.toMatch(/does not follow/);
    expect((await readdir(rawDir)).sort()).toEqual(['compacted-head.json', segmentName(4, true)]);
    expect((await readAccessLog({ dataRoot: root, rawDir })).entries.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('counts in /metrics the entries of concurrent requests, the fsyncs that made them durable and the time those took', async () => {
    const mesh = await startTestMesh();
    try {
      const metric = async (name: string): Promise<number> =>
        Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(await (await fetch(`${mesh.running.gateway.url}/metrics`)).text())?.[1]);
      const before = { entries: await metric('meshgate_access_log_entries_total\\{result="written"\\}'), fsyncs: await metric('meshgate_access_log_fsyncs_total') };
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => mesh.query(`{ orders(limit: 1, offset: ${i}) { orderId } }`)));
      expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
      const entries = (await metric('meshgate_access_log_entries_total\\{result="written"\\}')) - before.entries;
      const fsyncs = (await metric('meshgate_access_log_fsyncs_total')) - before.fsyncs;
      expect(entries).toBe(40);
      // How many entries share an fsync depends on timing here; the writer's own test pins group commit down.
      expect(fsyncs).toBeGreaterThan(0);
      expect(fsyncs).toBeLessThanOrEqual(entries);
      expect(await metric('meshgate_access_log_fsync_seconds_total')).toBeGreaterThan(0);
    } finally {
      await mesh.close();
    }
  });

  it('refuses data requests with 503 PRODUCT_UNAVAILABLE while the log cannot be written, and says so in /metrics', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'meshgate-full-'));
    // Root can write anywhere, so the fault must be physical: a 64 KiB tmpfs, filled up. Where
    // mounting is not allowed, a directory where the next segment must be created stops the
    // writer at its next rotation, for root or not.
    let full = true;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', logDir], { stdio: 'ignore' });
    } catch {
      full = false;
      console.warn('a tmpfs cannot be mounted here: the log is stopped by a directory in the way of its next segment instead');
    }
    const mesh = await startTestMesh({ env: { MESHGATE_ACCESS_LOG_DIR: logDir, ...(!full && { MESHGATE_ACCESS_LOG_ROTATE_MS: '200' }) } });
    const healthy = async (): Promise<string | undefined> => /^meshgate_access_log_healthy (\d)$/m.exec(await (await fetch(`${mesh.running.gateway.url}/metrics`)).text())?.[1];
    try {
      expect((await mesh.query('{ orders(limit: 1) { orderId } }')).status).toBe(200);
      expect(await healthy()).toBe('1');
      if (full) {
        for (let i = 0; ; i++) {
          const ok = await writeFile(path.join(logDir, `filler-${i}`), Buffer.alloc(4_096)).then(
            () => true,
            () => false,
          );
          if (!ok) break;
        }
      } else {
        const open = (await readdir(logDir)).find((n) => n.endsWith('.open.jsonl'))!;
        await mkdir(path.join(logDir, segmentName(Number(/\d+/.exec(open)![0]) + 1, true)));
        await sleep(600);
      }
      // The open segment's last page may still hold an entry or three.
      let served = 0;
      while ((await mesh.query('{ orders(limit: 1) { orderId } }')).status === 200) expect(++served).toBeLessThan(5);
      for (const headers of [{}, { authorization: '' }] as Record<string, string>[]) {
        const r = await mesh.query('{ customers(limit: 1) { customerId email } }', {}, headers);
        expect(r.status).toBe(503);
        expect(r.errors?.[0]?.extensions?.code).toBe('PRODUCT_UNAVAILABLE');
        expect(r.errors?.[0]?.message).toMatch(/access log cannot be written/);
        expect(r.text).not.toContain('customerId');
      }
      expect(await healthy()).toBe('0');
      if (full) {
        for (const name of (await readdir(logDir)).filter((n) => n.startsWith('filler-'))) await rm(path.join(logDir, name));
        expect((await mesh.query('{ orders(limit: 1) { orderId } }')).status).toBe(200);
        expect(await healthy()).toBe('1');
      }
    } finally {
      await mesh.close().finally(() => {
        if (!full) return;
        try {
          execFileSync('umount', [logDir]);
        } catch {
          execFileSync('umount', ['-l', logDir]);
        }
      });
    }
  });
});
