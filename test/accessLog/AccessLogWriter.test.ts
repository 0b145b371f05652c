import { execFileSync, spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { AccessLogWriter } from '../../gateway/index.js';
import { WRITER_LOCK } from '../../gateway/accessLog/writerLock.js';
import { segmentName, type AccessEvent, type AccessFacts } from '../../schema/index.js';
import { readAccessLog, verifyAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { compactAccessLog } from '../../subgraphs/governance/compactAccessLog.js';
import { DuckDBInstance } from '@duckdb/node-api';

/** The facts of one request, `i` marking it. */
const facts = (i: number, extra: Partial<AccessFacts> = {}): AccessFacts => ({
  time: new Date().toISOString(),
  request_id: `req-${i}`,
  subject: `user-${i}`,
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
  duration_ms: 1.5,
  ...extra,
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const tempDir = (): Promise<string> => mkdtemp(path.join(tmpdir(), 'meshgate-log-'));

/** The log in `dir` as the verifier reads it (no compacted part). */
const readLog = (dir: string) => readAccessLog({ dataRoot: path.join(dir, 'no-data-root'), rawDir: dir });

/** Opens a writer whose messages are kept. */
async function openWriter(dir: string, options: { segmentMaxBytes?: number; segmentMaxAgeMs?: number } = {}) {
  const lines: string[] = [];
  const writer = await AccessLogWriter.open({ dir, ...options, log: (line) => lines.push(line) });
  return { writer, lines };
}

describe('the access-log writer', () => {
  it('chains concurrent appends into one entry each, sharing writes and fsyncs (group commit)', async () => {
    const dir = await tempDir();
    const { writer } = await openWriter(dir);
    const entries = await Promise.all(Array.from({ length: 200 }, (_, i) => writer.append(facts(i))));
    const { fsyncs } = writer.stats;
    await writer.close();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(entries.map((e) => e.request_id)).toEqual(Array.from({ length: 200 }, (_, i) => `req-${i}`));
    // The first append's fsync starts at once; the 199 written while it runs share the next one.
    expect(fsyncs).toBe(2);
    expect(writer.stats.entries).toBe(200);
    const read = await readLog(dir);
    expect(read.entries).toEqual(entries);
    expect(verifyAccessLog(read)).toEqual({ ok: true, count: 200, lastEventId: 'E000000000200' });
  });

  it('rotates the open segment when it reaches its size limit, each segment named after its first entry', async () => {
    const dir = await tempDir();
    const { writer } = await openWriter(dir, { segmentMaxBytes: 3_000 });
    for (let i = 1; i <= 20; i++) await writer.append(facts(i));
    await writer.close();
    const names = (await readdir(dir)).sort();
    expect(names.filter((n) => n.endsWith('.open.jsonl'))).toHaveLength(1);
    expect(names.length).toBeGreaterThanOrEqual(4);
    const read = await readLog(dir);
    for (const name of names) {
      const first = read.origins.findIndex((o) => path.basename(o.file) === name);
      if (first >= 0) expect(name).toBe(segmentName(read.entries[first]!.seq, name.includes('.open.')));
    }
    expect(verifyAccessLog(read)).toMatchObject({ ok: true, count: 20 });
  });

  it('rotates a non-empty segment once it is older than its age limit, and leaves an empty one alone', async () => {
    const dir = await tempDir();
    const { writer } = await openWriter(dir, { segmentMaxAgeMs: 100 });
    await writer.append(facts(1));
    await writer.append(facts(2));
    const segments = async (): Promise<string[]> => (await readdir(dir)).filter((n) => n.startsWith('segment-')).sort();
    await sleep(500);
    expect(await segments()).toEqual([segmentName(1, false), segmentName(3, true)]);
    await sleep(400);
    expect(await segments()).toEqual([segmentName(1, false), segmentName(3, true)]);
    await writer.append(facts(3));
    await writer.close();
    expect(verifyAccessLog(await readLog(dir))).toMatchObject({ ok: true, count: 3 });
  });

  it('continues the chain after a restart: the next sequence number, chained to the last hash', async () => {
    const dir = await tempDir();
    let { writer } = await openWriter(dir);
    const before = await Promise.all([1, 2, 3].map((i) => writer.append(facts(i))));
    await writer.close();
    ({ writer } = await openWriter(dir));
    const after = await writer.append(facts(4));
    await writer.close();
    expect(after).toMatchObject({ seq: 4, event_id: 'E000000000004', prev_hash: before[2]!.hash });
    expect(verifyAccessLog(await readLog(dir))).toMatchObject({ ok: true, count: 4 });
  });

  it('continues the chain after a restart that finds only an empty open segment, the rotated one not yet compacted', async () => {
    const dir = await tempDir();
    let { writer } = await openWriter(dir, { segmentMaxAgeMs: 100 });
    const before = await Promise.all([1, 2, 3].map((i) => writer.append(facts(i))));
    await sleep(400);
    await writer.close();
    expect((await readdir(dir)).sort()).toEqual([segmentName(1, false), segmentName(4, true)]);
    ({ writer } = await openWriter(dir));
    const after = await writer.append(facts(4));
    await writer.close();
    expect(after).toMatchObject({ seq: 4, prev_hash: before[2]!.hash });
    expect(verifyAccessLog(await readLog(dir))).toMatchObject({ ok: true, count: 4 });
  });

  it('truncates a torn last line on restart, says so, and continues after the last whole entry', async () => {
    const dir = await tempDir();
    let { writer } = await openWriter(dir);
    const before = await Promise.all([1, 2, 3].map((i) => writer.append(facts(i))));
    await writer.close();
    const file = path.join(dir, segmentName(1, true));
    const whole = await readFile(file);
    await appendFile(file, '{"seq":4,"event_id":"E000000000004","prev_hash":"ab');
    let lines: string[];
    ({ writer, lines } = await openWriter(dir));
    expect(lines.join('\n')).toMatch(/torn line \(\d+ bytes.*truncated/);
    expect(await readFile(file)).toEqual(whole);
    const after = await writer.append(facts(4));
    await writer.close();
    expect(after).toMatchObject({ seq: 4, prev_hash: before[2]!.hash });
    expect(verifyAccessLog(await readLog(dir))).toMatchObject({ ok: true, count: 4 });
  });

  it('grows the open segment ahead with zeros, which a crash leaves and readers and the restart stop at', async () => {
    const dir = await tempDir();
    const crashed = (await openWriter(dir)).writer;
    const before = await Promise.all([1, 2, 3].map((i) => crashed.append(facts(i))));
    // Not closed, as if the process died: the segment is longer than its entries, the rest zeros.
    const file = path.join(dir, segmentName(1, true));
    const padded = await readFile(file);
    const end = padded.indexOf(0);
    expect(padded.length).toBeGreaterThan(end);
    expect(padded.subarray(end).every((b) => b === 0)).toBe(true);
    expect(
      padded
        .subarray(0, end)
        .toString()
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(before);
    const live = await readLog(dir);
    expect([live.problems, live.warnings, live.entries]).toEqual([[], [], before]);
    const { writer, lines } = await openWriter(dir);
    expect(lines.join('\n')).not.toMatch(/torn/);
    expect(await readFile(file)).toEqual(padded.subarray(0, end));
    const after = await writer.append(facts(4));
    await writer.close();
    expect(after).toMatchObject({ seq: 4, prev_hash: before[2]!.hash });
    expect((await readFile(file)).includes(0)).toBe(false);
    expect(verifyAccessLog(await readLog(dir))).toMatchObject({ ok: true, count: 4 });
    clearInterval((crashed as unknown as { rotateTimer: NodeJS.Timeout }).rotateTimer);
  });

  it('reports a torn line before the zeros as torn, and anything but zeros after them as a break, not as the end', async () => {
    const dir = await tempDir();
    const { writer } = await openWriter(dir);
    await Promise.all([1, 2].map((i) => writer.append(facts(i))));
    await writer.close();
    const file = path.join(dir, segmentName(1, true));
    const whole = await readFile(file);
    // Zeros, then an entry someone appended past them: readers must not stop at the zeros and miss it.
    await writeFile(file, Buffer.concat([whole, Buffer.alloc(64), Buffer.from(`${whole.toString().split('\n')[0]}\n`)]));
    expect(verifyAccessLog(await readLog(dir))).toMatchObject({ ok: false, kind: 'unparsable', position: 3 });
    // A line cut short by the crash, then the zeros: truncated on restart, and said.
    await writeFile(file, Buffer.concat([whole, Buffer.from('{"seq":3,"event_id":"E0'), Buffer.alloc(4096)]));
    const reopened = await openWriter(dir);
    expect(reopened.lines.join('\n')).toMatch(/torn line \(23 bytes.*truncated/);
    await reopened.writer.close();
    expect(await readFile(file)).toEqual(whole);
  });

  it('keeps CR, LF, quotes and JSON in purpose, operation name and client name on one line each, and reads them back exactly', async () => {
    const dir = await tempDir();
    const { writer } = await openWriter(dir);
    const nasty = [
      { purpose: 'audit\r\n{"decision":"allow"}\n', operation_name: 'Op"}\n{"seq":1', client_name: 'c,"lient"\r' },
      { purpose: '\u2028\u2029 tab\t nul\u0000 emoji 🦆 lone \ud800', operation_name: '\\"escaped\\"', client_name: '[1,2,{"a":null}]' },
      { purpose: '"', operation_name: '\n', client_name: '' },
    ];
    const entries = await Promise.all(nasty.map((n, i) => writer.append(facts(i, n))));
    await writer.close();
    const text = await readFile(path.join(dir, segmentName(1, true)), 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(entries);
    entries.forEach((e, i) => expect(e).toMatchObject(nasty[i]!));
    const read = await readLog(dir);
    expect(read.entries).toEqual(entries);
    expect(verifyAccessLog(read)).toMatchObject({ ok: true, count: 3 });
  });

  it('compacts those values into Parquet columns that equal each entry exactly, and the chain still verifies', async () => {
    const root = await tempDir();
    const rawDir = path.join(root, 'governance', 'access-log-raw');
    const outDir = path.join(root, 'governance', 'access-log');
    // Rotated after its first fsync: the entries written at once share segment 1, whatever the timing.
    const { writer } = await openWriter(rawDir, { segmentMaxBytes: 1 });
    const nasty: Partial<AccessFacts>[] = [
      { purpose: 'audit\r\n{"decision":"allow"}\n', operation_name: 'Op"}\n{"seq":1', client_name: 'c,"lient"\r' },
      { purpose: '\u2028\u2029 tab\t nul\u0000 soh\u0001 emoji 🦆', operation_name: "'; DROP TABLE t; --", client_name: '[1,2,{"a":null}]' },
      { purpose: '"', operation_name: '\n', client_name: '', subject: null, duration_ms: 0.125, rows_total: 2 ** 40 },
    ];
    const entries = await Promise.all(nasty.map((n, i) => writer.append(facts(i, n))));
    await writer.close();
    expect(await compactAccessLog(rawDir, outDir, () => undefined)).toBe(1);
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    try {
      const reader = await c.runAndReadAll(
        `SELECT * EXCLUDE ("time"), strftime("time", '%Y-%m-%dT%H:%M:%S.%gZ') AS "time" FROM read_parquet('${outDir}/**/*.parquet', hive_partitioning = false) ORDER BY seq`,
      );
      const rows = reader.getRowObjectsJson();
      expect(rows).toHaveLength(entries.length);
      rows.forEach((row, i) => {
        const { entry_json: line, ...columns } = row;
        expect(JSON.parse(String(line))).toEqual(entries[i]);
        // Every typed column holds the entry's own value (BIGINT columns come back as strings).
        for (const [name, value] of Object.entries(entries[i]!)) expect([name, columns[name]]).toEqual([name, name === 'seq' || name === 'rows_total' ? String(value) : value]);
      });
    } finally {
      c.closeSync();
      instance.closeSync();
    }
    expect(verifyAccessLog(await readAccessLog({ dataRoot: root, rawDir }))).toMatchObject({ ok: true, count: 3 });
  });

  describe('one writer per directory', () => {
    const lockOf = (dir: string): string => path.join(dir, WRITER_LOCK);
    /** A lock as process `pid` on `host` would have written it. */
    const holdAs = (dir: string, pid: number, host = hostname()): Promise<void> => writeFile(lockOf(dir), JSON.stringify({ pid, host }));

    it('refuses a second gateway while another live process writes the log, and names it and the way out', async () => {
      const dir = await tempDir();
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
      try {
        await holdAs(dir, other.pid!);
        await expect(AccessLogWriter.open({ dir, log: () => undefined })).rejects.toThrow(
          new RegExp(`being written by process ${other.pid} .*one gateway per chain.*MESHGATE_INSTANCE.*MESHGATE_ACCESS_LOG_DIR`),
        );
        expect((await readdir(dir)).filter((n) => n.startsWith('segment-'))).toEqual([]);
      } finally {
        other.kill('SIGKILL');
      }
    });

    it('refuses a lock held from another host (a shared volume), where it cannot tell whether that gateway runs', async () => {
      const dir = await tempDir();
      await holdAs(dir, process.pid, 'another-host');
      await expect(AccessLogWriter.open({ dir, log: () => undefined })).rejects.toThrow(/on host "another-host"/);
    });

    it('takes over the lock of a process that is gone (a crash), says so, releases it on close, and continues the chain', async () => {
      const dir = await tempDir();
      const first = await openWriter(dir);
      const before = await first.writer.append(facts(1));
      await first.writer.close();
      expect(await readdir(dir)).not.toContain(WRITER_LOCK);
      const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      await new Promise((resolve) => gone.once('exit', resolve));
      await holdAs(dir, gone.pid!);
      const { writer, lines } = await openWriter(dir);
      expect(lines.join('\n')).toMatch(new RegExp(`process ${gone.pid}, which held .* is gone.*taking it over`));
      expect(JSON.parse(await readFile(lockOf(dir), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
      expect(await writer.append(facts(2))).toMatchObject({ seq: 2, prev_hash: before.hash });
      await writer.close();
      expect(await readdir(dir)).not.toContain(WRITER_LOCK);
    });
  });

  it('refuses to open a log whose directory cannot be created (a file stands where it should be)', async () => {
    // chmod does not stop root, and tests may run as root: a file in the way stops everyone.
    const dir = await tempDir();
    await writeFile(path.join(dir, 'not-a-dir'), 'x');
    await expect(AccessLogWriter.open({ dir: path.join(dir, 'not-a-dir', 'log'), log: () => undefined })).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it('rejects appends, and reports itself unhealthy, while it cannot create its next segment, and writes again once it can', async () => {
    // The open segment's file handle keeps writing whatever the directory's mode, for root or not;
    // what a read-only directory (or a full inode table) stops is the next segment. A directory
    // where that file must go stops it for root too.
    const dir = await tempDir();
    const { writer, lines } = await openWriter(dir, { segmentMaxBytes: 1 });
    const obstacle = path.join(dir, segmentName(2, true));
    await mkdir(obstacle);
    const first = await writer.append(facts(1));
    await expect(writer.append(facts(2))).rejects.toThrow();
    await expect(writer.append(facts(3))).rejects.toThrow();
    expect(writer.healthy).toBe(false);
    expect(lines.join('\n')).toMatch(/CANNOT (ROTATE|WRITE)/);
    await rm(obstacle, { recursive: true });
    await expect(writer.append(facts(4))).resolves.toMatchObject({ seq: 2, prev_hash: first.hash });
    expect(writer.healthy).toBe(true);
    await writer.close();
    const read = await readLog(dir);
    expect(read.entries.map((e) => e.request_id)).toEqual(['req-1', 'req-4']);
    expect(verifyAccessLog(read)).toMatchObject({ ok: true, count: 2 });
  });

  it('never acknowledges an entry that did not wholly reach a disk that filled up, and writes again once there is room', async () => {
    const dir = await tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      console.warn('skipped: a small tmpfs cannot be mounted here (needs root and mount rights); the disk-full case is not exercised');
      return;
    }
    let writer: AccessLogWriter | undefined;
    try {
      ({ writer } = await openWriter(dir));
      // The filler takes three of the four pages: entries of ~1.1 KB fill the last one, and one straddles its end.
      await writeFile(path.join(dir, 'filler'), Buffer.alloc(16_384 - 4_096 - 2_048 - 1_024));
      const written: AccessEvent[] = [];
      let refused = 0;
      for (let i = 1; i <= 12; i++) {
        await writer.append(facts(i, { purpose: 'p'.repeat(200) })).then(
          (e) => written.push(e),
          () => refused++,
        );
      }
      expect(refused).toBeGreaterThan(0);
      expect(writer.healthy).toBe(false);
      const read = await readLog(dir);
      expect(read.problems).toEqual([]);
      expect(read.entries).toEqual(written);
      await rm(path.join(dir, 'filler'));
      written.push(await writer.append(facts(13)));
      expect(writer.healthy).toBe(true);
      await writer.close();
      const after = await readLog(dir);
      expect(after.entries).toEqual(written);
      expect(verifyAccessLog(after)).toMatchObject({ ok: true, count: written.length });
    } finally {
      await writer?.close().catch(() => undefined);
      try {
        execFileSync('umount', [dir]);
      } catch {
        execFileSync('umount', ['-l', dir]);
      }
    }
  });
});
