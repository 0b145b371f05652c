/**
 * Gateway replicas on one access-log directory: each writes its own hash chain under its instance
 * name, the shared inbox is drained exactly once across them, compaction takes every chain into the
 * `access-log` product (each row naming its chain), and `meshgate audit verify` verifies each chain
 * and names the one that was tampered with.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { AccessLogWriter } from '../../gateway/index.js';
import { WRITER_LOCK } from '../../gateway/accessLog/writerLock.js';
import { chainDir, inboxDir, listChains, readManifest, segmentName, submitToInbox, writeManifest, type AccessFacts } from '../../schema/index.js';
import { compactAccessLog } from '../../subgraphs/governance/compactAccessLog.js';
import { readAccessLogChains, verifyAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { cli } from '../support/cli.js';
import { REPO_ROOT } from '../../cli/config.js';

const facts = (id: string): AccessFacts => ({
  time: new Date().toISOString(),
  request_id: id,
  subject: `user-${id}`,
  roles: 'analyst',
  purpose: null,
  client_name: null,
  client_version: null,
  operation_name: null,
  operation_type: 'query',
  document_hash: null,
  products: 'orders-enriched',
  fields_read: 'orders-enriched.order_id',
  masks_applied: '',
  pii_unmasked: '',
  pii_unmasked_count: 0,
  fields_denied: '',
  row_rules: '',
  rows_returned: 'orders-enriched=1',
  rows_total: 1,
  decision: 'allow',
  status: 'ok',
  http_status: 200,
  error_code: null,
  duration_ms: 1,
});

const quiet = (): void => undefined;
const open = (dir: string, instance?: string, segmentMaxBytes?: number): Promise<AccessLogWriter> =>
  AccessLogWriter.open({ dir, ...(instance && { instance }), ...(segmentMaxBytes && { segmentMaxBytes }), inboxEveryMs: 0, log: quiet });

/** A data root with the log directory where the configuration puts it. */
async function layout(): Promise<{ dataRoot: string; logDir: string; outDir: string }> {
  const dataRoot = await mkdtemp(path.join(tmpdir(), 'meshgate-replicas-'));
  return { dataRoot, logDir: path.join(dataRoot, 'governance', 'access-log-raw'), outDir: path.join(dataRoot, 'governance', 'access-log') };
}

/** Two replicas writing 30 entries each, interleaved, with small segments so most are closed. */
async function twoReplicas(logDir: string): Promise<void> {
  const [a, b] = await Promise.all([open(logDir, 'gw-1', 2_000), open(logDir, 'gw-2', 2_000)]);
  for (let i = 0; i < 30; i++) await Promise.all([a.append(facts(`a-${i}`)), b.append(facts(`b-${i}`))]);
  await Promise.all([a.close(), b.close()]);
}

const audit = (dataRoot: string, logDir: string) => cli(['audit', 'verify', '--data-dir', dataRoot, '--log-dir', logDir]);

describe('gateway replicas on one access-log directory', () => {
  it('write one chain each, in a folder named after the instance, with event ids naming the chain', async () => {
    const { dataRoot, logDir } = await layout();
    await twoReplicas(logDir);
    expect(await listChains(logDir)).toEqual(['gw-1', 'gw-2']);
    const reads = await readAccessLogChains({ dataRoot, logDir });
    expect(reads.map((r) => [r.chain, r.entries.length, r.entries[0]?.event_id, verifyAccessLog(r).ok])).toEqual([
      ['gw-1', 30, 'gw-1:E000000000001', true],
      ['gw-2', 30, 'gw-2:E000000000001', true],
    ]);
    expect(reads[0]!.entries.every((e) => e.request_id.startsWith('a-'))).toBe(true);
    expect((await readdir(logDir)).sort()).toEqual(['gw-1', 'gw-2']);
  });

  it('keep a single gateway (no instance) writing in the directory itself, as before replicas', async () => {
    const { dataRoot, logDir } = await layout();
    const writer = await open(logDir);
    await writer.append(facts('solo'));
    await writer.close();
    expect((await readdir(logDir)).filter((n) => n.startsWith('segment-'))).toEqual([segmentName(1, true)]);
    const [read] = await readAccessLogChains({ dataRoot, logDir });
    expect([read!.chain, read!.entries[0]!.event_id]).toEqual(['default', 'E000000000001']);
  });

  it('refuse a second process of the same instance, and not another instance', async () => {
    const { logDir } = await layout();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const dir = chainDir(logDir, 'gw-1');
      await open(logDir, 'gw-1').then((w) => w.close());
      await writeFile(path.join(dir, WRITER_LOCK), JSON.stringify({ pid: other.pid, host: hostname() }));
      await expect(open(logDir, 'gw-1')).rejects.toThrow(new RegExp(`chain "gw-1" .* is being written by process ${other.pid} .*MESHGATE_INSTANCE`));
      const second = await open(logDir, 'gw-2');
      await second.close();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('append each inbox entry exactly once, though both drain the one inbox at the same time', async () => {
    const { dataRoot, logDir } = await layout();
    const ids = Array.from({ length: 60 }, (_, i) => `handed-${String(i).padStart(2, '0')}`);
    for (const id of ids) await submitToInbox(logDir, facts(id));
    const [a, b] = await Promise.all([open(logDir, 'gw-1'), open(logDir, 'gw-2')]);
    try {
      await Promise.all([a.drainInbox(), b.drainInbox(), a.drainInbox(), b.drainInbox()]);
      await Promise.all([a.drainInbox(), b.drainInbox()]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const reads = await readAccessLogChains({ dataRoot, logDir });
    const appended = reads.flatMap((r) => r.entries.map((e) => e.request_id)).sort();
    expect(appended).toEqual(ids);
    expect(reads.every((r) => verifyAccessLog(r).ok)).toBe(true);
    expect(await readdir(inboxDir(logDir))).toEqual([]);
  });

  it('append each inbox entry exactly once when two gateway processes drain it side by side', async () => {
    const { dataRoot, logDir } = await layout();
    const ids = Array.from({ length: 80 }, (_, i) => `handed-${String(i).padStart(2, '0')}`);
    for (const id of ids) await submitToInbox(logDir, facts(id));
    const script = path.join(REPO_ROOT, 'test', 'accessLog', 'replicaWriter.ts');
    const run = (instance: string): Promise<number | null> =>
      new Promise((resolve) => spawn(process.execPath, ['--import', 'tsx', script, logDir, instance, '20'], { cwd: REPO_ROOT, stdio: 'inherit' }).on('exit', resolve));
    expect(await Promise.all([run('gw-1'), run('gw-2')])).toEqual([0, 0]);
    const reads = await readAccessLogChains({ dataRoot, logDir });
    const all = reads.flatMap((r) => r.entries.map((e) => e.request_id));
    expect(all.filter((id) => id.startsWith('handed-')).sort()).toEqual(ids);
    expect(all.filter((id) => id.startsWith('gw-')).length).toBe(40);
    expect(reads.map((r) => [r.chain, verifyAccessLog(r).ok])).toEqual([
      ['gw-1', true],
      ['gw-2', true],
    ]);
    expect(await readdir(inboxDir(logDir))).toEqual([]);
  }, 60_000);

  it("leave another instance's claim to it, and recover their own after a crash without doubling it", async () => {
    const { dataRoot, logDir } = await layout();
    await submitToInbox(logDir, facts('claimed-by-2'));
    await submitToInbox(logDir, facts('claimed-by-1'));
    const [first, second] = (await readdir(inboxDir(logDir))).sort();
    const { rename } = await import('node:fs/promises');
    await rename(path.join(inboxDir(logDir), first!), path.join(inboxDir(logDir), `${first}.claimed-gw-2`));
    await rename(path.join(inboxDir(logDir), second!), path.join(inboxDir(logDir), `${second}.claimed-gw-1`));
    const a = await open(logDir, 'gw-1');
    await a.drainInbox();
    await a.close();
    expect(await readdir(inboxDir(logDir))).toEqual([`${first}.claimed-gw-2`]);
    const b = await open(logDir, 'gw-2');
    await b.drainInbox();
    await b.close();
    const reads = await readAccessLogChains({ dataRoot, logDir });
    expect(reads.map((r) => [r.chain, r.entries.map((e) => e.request_id)])).toEqual([
      ['gw-1', ['claimed-by-1']],
      ['gw-2', ['claimed-by-2']],
    ]);
  });

  it('are compacted into one product whose rows name their chain, and verified chain by chain', async () => {
    const { dataRoot, logDir, outDir } = await layout();
    await twoReplicas(logDir);
    expect(await compactAccessLog(logDir, outDir, quiet)).toBeGreaterThan(1);
    const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.parquet')).map((f) => path.join(outDir, f));
    expect(files.some((f) => path.basename(f).startsWith('gw-2.segment-'))).toBe(true);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const rows = (
      await connection.runAndReadAll(
        `SELECT chain, count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}]) GROUP BY chain ORDER BY chain`,
      )
    ).getRowObjectsJson();
    connection.closeSync();
    db.closeSync();
    const reads = await readAccessLogChains({ dataRoot, logDir });
    const compacted = Object.fromEntries(rows.map((r) => [String(r.chain), Number(r.n)]));
    expect(Object.keys(compacted)).toEqual(['gw-1', 'gw-2']);
    expect(rows.every((r) => r.n === r.ids)).toBe(true);
    expect(reads.map((r) => [r.chain, r.entries.length, verifyAccessLog(r).ok])).toEqual([
      ['gw-1', 30, true],
      ['gw-2', 30, true],
    ]);
    const r = await audit(dataRoot, logDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'access log chain "gw-1" verified: 30 entries, chain intact up to gw-1:E000000000030',
        'access log chain "gw-2" verified: 30 entries, chain intact up to gw-2:E000000000030',
        '2 chain(s): all intact',
        '',
      ].join('\n'),
    );
  });

  it('report a tampered entry naming its chain, the other still verified', async () => {
    const { dataRoot, logDir } = await layout();
    await twoReplicas(logDir);
    const dir = chainDir(logDir, 'gw-2');
    const segment = (await readdir(dir)).filter((n) => n.startsWith('segment-')).sort()[0]!;
    const file = path.join(dir, segment);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"subject":"user-b-1"', '"subject":"someone-else"'));
    const r = await audit(dataRoot, logDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('access log chain "gw-1" verified: 30 entries');
    expect(r.stdout).toMatch(/^access log chain "gw-2" BROKEN at position 2 \(gw-2:E000000000002\): edited$/m);
    expect(r.stdout).toContain('2 chain(s): 1 BROKEN');
  });

  it('report an entry moved from one chain into another, even with its hash intact', async () => {
    const { dataRoot, logDir } = await layout();
    await twoReplicas(logDir);
    const [a, b] = [chainDir(logDir, 'gw-1'), chainDir(logDir, 'gw-2')];
    const first = async (dir: string): Promise<string> => path.join(dir, (await readdir(dir)).filter((n) => n.startsWith('segment-')).sort()[0]!);
    const [fa, fb] = [await first(a), await first(b)];
    const lineA = (await readFile(fa, 'utf8')).split('\n')[0]!;
    const linesB = (await readFile(fb, 'utf8')).split('\n');
    await writeFile(fb, [lineA, ...linesB.slice(1)].join('\n'));
    const r = await audit(dataRoot, logDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^access log chain "gw-2" BROKEN at position 1 \(gw-2:E000000000001\)/m);
  });

  it('give the rows compacted before there were chains the default chain, and keep verifying them', async () => {
    const { dataRoot, logDir, outDir } = await layout();
    const solo = await open(logDir, undefined, 1_000);
    for (let i = 0; i < 10; i++) await solo.append(facts(`old-${i}`));
    await solo.close();
    await compactAccessLog(logDir, outDir, quiet);
    // Make the product as a gateway before replicas left it: no chain column, contract 1.0.0.
    const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.parquet')).map((f) => path.join(outDir, f));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    for (const f of files) {
      await connection.run(`COPY (SELECT * EXCLUDE (chain) FROM read_parquet('${f}')) TO '${f}.old' (FORMAT parquet)`);
      await (await import('node:fs/promises')).rename(`${f}.old`, f);
    }
    const manifest = await readManifest(outDir);
    if (manifest.kind !== 'ok') throw new Error('no manifest');
    await writeManifest(outDir, { ...manifest.manifest, contractVersion: '1.0.0' });
    expect((await readAccessLogChains({ dataRoot, logDir })).map((r) => [r.chain, r.entries.length, verifyAccessLog(r).ok])).toEqual([['default', 10, true]]);
    // A replica joins; compaction migrates the old files and takes the new chain.
    const gw2 = await open(logDir, 'gw-2', 1_000);
    for (let i = 0; i < 10; i++) await gw2.append(facts(`new-${i}`));
    await gw2.close();
    await compactAccessLog(logDir, outDir, quiet);
    const chains = (await connection.runAndReadAll(`SELECT DISTINCT chain FROM read_parquet('${outDir}/**/*.parquet') WHERE event_id IS NOT NULL ORDER BY 1`)).getRowObjectsJson();
    connection.closeSync();
    db.closeSync();
    expect(chains.map((c) => c.chain)).toEqual(['default', 'gw-2']);
    const after = await readManifest(outDir);
    expect(after.kind === 'ok' && after.manifest.contractVersion).toBe('1.1.0');
    const reads = await readAccessLogChains({ dataRoot, logDir });
    expect(reads.map((r) => [r.chain, r.entries.length, verifyAccessLog(r).ok])).toEqual([
      ['default', 10, true],
      ['gw-2', 10, true],
    ]);
  });
});
