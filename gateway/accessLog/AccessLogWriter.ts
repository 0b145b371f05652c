/**
 * The gateway's append-only access log. An entry is durable (written and fsynced) before its
 * append resolves, and the gateway sends no response before that; concurrent appends share one
 * write and one fsync (group commit), so throughput holds. Each entry is chained to the one before
 * by hash. A restart continues the chain and truncates (and reports) a torn last line, whose
 * response was never sent.
 */
import { open, readdir, readFile, rename, type FileHandle } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { canonicalLine, chain, compactedHeadFile, GENESIS_HASH, parseSegmentName, segmentName, type AccessEvent, type AccessFacts, type ChainHead } from '../../schema/index.js';

/** Where and how the log is written. */
export interface AccessLogOptions {
  readonly dir: string;
  /** Rotate when the open segment reaches this size (default 16 MiB). */
  readonly segmentMaxBytes?: number;
  /** Rotate a non-empty segment this long after it was opened (default 10 s), so compaction keeps up. */
  readonly segmentMaxAgeMs?: number;
  readonly log?: (line: string) => void;
}

interface Pending {
  readonly facts: AccessFacts;
  readonly resolve: (e: AccessEvent) => void;
  readonly reject: (error: unknown) => void;
}

/** The writer: one per gateway process. */
export class AccessLogWriter {
  private queue: Pending[] = [];
  /** Set and cleared synchronously, so an append arriving as a flush ends is never left behind. */
  private running = false;
  private current: Promise<void> = Promise.resolve();
  private failing = false;
  private openedAt = Date.now();
  /** A rotation closed the last segment but could not open the next: retried before the next write. */
  private awaitingSegment = false;
  private rotateTimer: NodeJS.Timeout;

  private constructor(
    private readonly options: Required<Omit<AccessLogOptions, 'log'>> & { log: (line: string) => void },
    private fd: FileHandle,
    private segmentFirstSeq: number,
    private size: number,
    private seq: number,
    private lastHash: string,
  ) {
    this.rotateTimer = setInterval(() => void this.enqueueRotation(), Math.max(100, options.segmentMaxAgeMs / 2));
    this.rotateTimer.unref();
  }

  /** Opens the log in `dir`, continuing its chain. */
  static async open(options: AccessLogOptions): Promise<AccessLogWriter> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const dir = options.dir;
    await mkdir(dir, { recursive: true });
    const segments = (await readdir(dir)).map((n) => ({ n, s: parseSegmentName(n) })).filter((x) => x.s).sort((a, b) => a.s!.firstSeq - b.s!.firstSeq);
    let head: ChainHead = await readHead(dir);
    const last = segments.at(-1);
    let fd: FileHandle;
    let firstSeq: number;
    let size = 0;
    if (last?.s?.open) {
      const recovered = await recoverSegment(path.join(dir, last.n), log);
      // An empty open segment (opened by a rotation) continues the closed segment before it, if compaction has not taken that yet.
      const before = segments.at(-2);
      if (!recovered.head && before && before.s!.firstSeq > head.seq) head = (await recoverSegment(path.join(dir, before.n), log)).head ?? head;
      if (recovered.head) head = recovered.head;
      fd = await open(path.join(dir, last.n), 'a');
      firstSeq = last.s.firstSeq;
      size = recovered.size;
    } else {
      if (last) head = (await recoverSegment(path.join(dir, last.n), log)).head ?? head;
      firstSeq = head.seq + 1;
      fd = await open(path.join(dir, segmentName(firstSeq, true)), 'a');
      await syncDir(dir);
    }
    log(`access log: ${dir}, continuing after entry ${head.seq}`);
    return new AccessLogWriter({ dir, segmentMaxBytes: options.segmentMaxBytes ?? 16 * 2 ** 20, segmentMaxAgeMs: options.segmentMaxAgeMs ?? 10_000, log }, fd, firstSeq, size, head.seq, head.hash);
  }

  /** Whether the last write succeeded (metrics and readiness). */
  get healthy(): boolean {
    return !this.failing;
  }

  /** The number of entries written so far (the last sequence number). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Appends one entry; resolves once it is on disk, rejects if it could not be written. */
  append(facts: AccessFacts): Promise<AccessEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ facts, resolve, reject });
      if (!this.running) this.current = this.flush();
    });
  }

  /** Writes batches until the queue is empty; `running` is cleared in the same step as the last check. */
  private async flush(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) await this.writeBatch(this.queue.splice(0));
    this.running = false;
  }

  /** Writes one batch with one write and one fsync; never throws (a failure rejects the batch). */
  private async writeBatch(batch: readonly Pending[]): Promise<void> {
      if (this.awaitingSegment) await this.rotate();
      let seq = this.seq;
      let prev = this.lastHash;
      const events = batch.map((b) => {
        const e = chain(b.facts, ++seq, prev);
        prev = e.hash;
        return e;
      });
      const text = Buffer.from(events.map(canonicalLine).join(''));
      try {
        // One write may be short (a disk filling up): the rest is written, or the error rolls the batch back.
        for (let done = 0; done < text.byteLength; ) done += (await this.fd.write(text, done, text.byteLength - done)).bytesWritten;
        await this.fd.datasync();
        this.size += text.byteLength;
        this.seq = seq;
        this.lastHash = prev;
        if (this.failing) this.options.log('access log: writing again');
        this.failing = false;
        batch.forEach((b, i) => b.resolve(events[i]!));
      } catch (error) {
        await this.fd.truncate(this.size).catch(() => undefined);
        if (!this.failing) this.options.log(`access log: CANNOT WRITE (${(error as Error).message}); data requests are refused until it can`);
        this.failing = true;
        batch.forEach((b) => b.reject(error));
      }
      if (this.size >= this.options.segmentMaxBytes) await this.rotate();
  }

  /** Rotates an aged, non-empty segment, between flushes. */
  private enqueueRotation(): void {
    if (this.size === 0 || Date.now() - this.openedAt < this.options.segmentMaxAgeMs || this.running) return;
    this.running = true;
    this.current = this.rotate().finally(() => {
      this.running = false;
      if (this.queue.length > 0) this.current = this.flush();
    });
  }

  /** Closes the open segment (renamed as closed, for compaction) and opens the next. */
  private async rotate(): Promise<void> {
    try {
      const dir = this.options.dir;
      if (!this.awaitingSegment) {
        await this.fd.close();
        await rename(path.join(dir, segmentName(this.segmentFirstSeq, true)), path.join(dir, segmentName(this.segmentFirstSeq, false)));
        this.segmentFirstSeq = this.seq + 1;
        this.awaitingSegment = true;
      }
      this.fd = await open(path.join(dir, segmentName(this.segmentFirstSeq, true)), 'a');
      this.awaitingSegment = false;
      await syncDir(dir);
      this.size = 0;
      this.openedAt = Date.now();
    } catch (error) {
      this.failing = true;
      this.options.log(`access log: CANNOT ROTATE (${(error as Error).message})`);
    }
  }

  /** Waits for pending appends and closes the open segment (it stays open-named: a restart continues it). */
  async close(): Promise<void> {
    clearInterval(this.rotateTimer);
    while (this.running || this.queue.length > 0) await this.current;
    await this.fd.close();
  }
}

async function readHead(dir: string): Promise<ChainHead> {
  try {
    return JSON.parse(await readFile(compactedHeadFile(dir), 'utf8')) as ChainHead;
  } catch {
    return { seq: 0, hash: GENESIS_HASH };
  }
}

/** Reads a segment's last whole entry; truncates a torn last line (reported). */
async function recoverSegment(file: string, log: (line: string) => void): Promise<{ head?: ChainHead; size: number }> {
  const buf = await readFile(file);
  let end = buf.length;
  if (end > 0 && buf[end - 1] !== 0x0a) {
    const lastNewline = buf.lastIndexOf(0x0a);
    end = lastNewline + 1;
    log(`access log: ${path.basename(file)} ended in a torn line (${buf.length - end} bytes, a crash mid-write; its response was never sent): truncated`);
    const fd = await open(file, 'r+');
    await fd.truncate(end);
    await fd.sync();
    await fd.close();
  }
  const text = buf.subarray(0, end).toString('utf8').trimEnd();
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  if (!lastLine) return { size: end };
  const e = JSON.parse(lastLine) as AccessEvent;
  return { head: { seq: e.seq, hash: e.hash }, size: end };
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  await d.sync().catch(() => undefined);
  await d.close();
}
