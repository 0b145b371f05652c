/**
 * The gateway's append-only access log. An entry is durable (written and fsynced) before its
 * append resolves, and the gateway sends no response before that. Each entry is chained to the
 * one before by hash. A restart continues the chain and truncates (and reports) a torn last line,
 * whose response was never sent.
 *
 * How it stays cheap (group commit): an entry is written to the open segment at once, with one
 * synchronous write() into the page cache (microseconds, and it fixes the chain's order), and
 * waits for the next fdatasync. One fdatasync is in flight at a time, and it makes durable every
 * entry written before it started; the entries written meanwhile share the next one. So a reply
 * waits for at most two fsyncs, and a busy gateway pays one fsync for many entries. (A dedicated
 * fsync thread instead of libuv's pool measured the same in the mesh, side by side; an fsync on
 * the main thread, blocking it, measured 15% worse.)
 *
 * The files themselves (grown ahead of the entries with zeros, cut back, fdatasynced, recovered
 * after a crash) are `SegmentFile`'s; this class keeps the chain, the commit and the rotation.
 *
 * Replicas: each gateway writes its own chain, named by its instance (MESHGATE_INSTANCE), in its own
 * folder of the log directory (schema/accessLog/segments.ts, `chainDir`); the default chain is the
 * directory itself, so a single gateway's log is laid out as it always was. The lock is per chain.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { chain, chainDir, DEFAULT_CHAIN, parseSegmentName, readHead, type AccessEvent, type AccessFacts, type ChainHead } from '../../schema/index.js';
import type { AccessLog, AccessLogStats } from './AccessLog.js';
import { SegmentFile } from './SegmentFile.js';
import { drainInbox } from './drainInbox.js';
import { lockLogDir } from './writerLock.js';

/** Where and how the log is written. */
export interface AccessLogOptions {
  /** The log directory, shared by every replica (and its inbox). */
  readonly dir: string;
  /** This gateway's name among its replicas: its chain is `<dir>/<instance>/` (default: the default chain, `dir` itself). */
  readonly instance?: string;
  /** Rotate when the open segment reaches this size (default 16 MiB). */
  readonly segmentMaxBytes?: number;
  /** Rotate a segment this long after its first entry (default 10 s), so compaction keeps up. */
  readonly segmentMaxAgeMs?: number;
  /** How often entries other processes left in the log's inbox are appended (default 1 s; 0: never). */
  readonly inboxEveryMs?: number;
  readonly log?: (line: string) => void;
}

/** The options as the writer keeps them: `dir` is its chain's folder, `logDir` the shared one. */
type Settings = Required<Omit<AccessLogOptions, 'log'>> & { readonly logDir: string; readonly log: (line: string) => void };

/** An entry written to the open segment, waiting for the fsync that makes it durable. */
interface Written {
  readonly event: AccessEvent;
  /** The segment's size once this entry was written. */
  readonly end: number;
  readonly resolve: (e: AccessEvent) => void;
  readonly reject: (error: unknown) => void;
}

/** An append that arrived while the segment was being rotated: written once the next one is open. */
interface Queued {
  readonly facts: AccessFacts;
  readonly resolve: (e: AccessEvent) => void;
  readonly reject: (error: unknown) => void;
}

/** The writer: one per gateway process. */
export class AccessLogWriter implements AccessLog {
  /** Written, not yet durable, in order. */
  private written: Written[] = [];
  /** Arrived during a rotation. */
  private queued: Queued[] = [];
  private syncing = false;
  private rotating: Promise<void> | undefined;
  /** Resolved whenever an fsync ends: what a rotation or close waits for. */
  private synced: (() => void)[] = [];
  private failing = false;
  /** When the open segment's first entry was written: its age, for rotation. */
  private firstWriteAt = Date.now();
  private fsyncs = 0;
  private fsyncSeconds = 0;
  private readonly rotateTimer: NodeJS.Timeout;
  private readonly inboxTimer: NodeJS.Timeout | undefined;
  private draining: Promise<unknown> | undefined;
  /** The last durable entry and the segment's size up to it: what a failed write or fsync rolls back to. */
  private durable: { seq: number; hash: string; size: number };

  private constructor(
    private readonly options: Settings,
    private readonly unlock: () => Promise<void>,
    /** The open segment, or undefined when a rotation could not open the next one (retried on the next append). */
    private segment: SegmentFile | undefined,
    private segmentFirstSeq: number,
    /** Where the open segment's entries end. */
    private size: number,
    private seq: number,
    private lastHash: string,
  ) {
    this.durable = { seq, hash: lastHash, size };
    this.rotateTimer = setInterval(
      () => {
        if (this.size > 0 && Date.now() - this.firstWriteAt >= this.options.segmentMaxAgeMs) void this.rotate();
      },
      Math.max(100, options.segmentMaxAgeMs / 2),
    );
    this.rotateTimer.unref();
    if (options.inboxEveryMs > 0) {
      this.inboxTimer = setInterval(() => void this.drainInbox(), options.inboxEveryMs);
      this.inboxTimer.unref();
    }
  }

  /** Appends what other processes left in the log's inbox (one drain at a time). */
  drainInbox(): Promise<unknown> {
    const owner = { logDir: this.options.logDir, chainDir: this.options.dir, instance: this.options.instance };
    this.draining ??= drainInbox(owner, this, this.options.log)
      .catch((error: unknown) => this.options.log(`access log: the inbox cannot be read (${(error as Error).message})`))
      .finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Opens this instance's chain in the log directory `dir`, continuing it. */
  static async open(options: AccessLogOptions): Promise<AccessLogWriter> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const instance = options.instance ?? DEFAULT_CHAIN;
    const dir = chainDir(options.dir, instance);
    await mkdir(dir, { recursive: true });
    const unlock = await lockLogDir(dir, instance, log);
    try {
      return await AccessLogWriter.resume(dir, options, log, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  /** Continues the chain in `dir`, once its lock is held. */
  private static async resume(dir: string, options: AccessLogOptions, log: (line: string) => void, unlock: () => Promise<void>): Promise<AccessLogWriter> {
    const segments = (await readdir(dir))
      .map((n) => ({ n, s: parseSegmentName(n) }))
      .filter((x) => x.s)
      .sort((a, b) => a.s!.firstSeq - b.s!.firstSeq);
    let head: ChainHead = await readHead(dir);
    const last = segments.at(-1);
    let firstSeq: number;
    let size = 0;
    if (last?.s?.open) {
      const recovered = await SegmentFile.recover(path.join(dir, last.n), log);
      // An empty open segment (opened by a rotation) continues the closed segment before it, if compaction has not taken that yet.
      const before = segments.at(-2);
      if (!recovered.head && before && before.s!.firstSeq > head.seq) head = (await SegmentFile.recover(path.join(dir, before.n), log)).head ?? head;
      if (recovered.head) head = recovered.head;
      firstSeq = last.s.firstSeq;
      size = recovered.size;
    } else {
      if (last) head = (await SegmentFile.recover(path.join(dir, last.n), log)).head ?? head;
      firstSeq = head.seq + 1;
    }
    const settings: Settings = {
      dir,
      logDir: options.dir,
      instance: options.instance ?? DEFAULT_CHAIN,
      segmentMaxBytes: options.segmentMaxBytes ?? 16 * 2 ** 20,
      segmentMaxAgeMs: options.segmentMaxAgeMs ?? 10_000,
      inboxEveryMs: options.inboxEveryMs ?? 1_000,
      log,
    };
    const segment = SegmentFile.open(dir, firstSeq, settings.segmentMaxBytes);
    if (!last?.s?.open) await SegmentFile.syncDir(dir);
    log(`access log: ${dir} (chain "${settings.instance}"), continuing after entry ${head.seq}`);
    const writer = new AccessLogWriter(settings, unlock, segment, firstSeq, size, head.seq, head.hash);
    if (settings.inboxEveryMs > 0) await writer.drainInbox();
    return writer;
  }

  /** Whether the last write succeeded (metrics and readiness). */
  get healthy(): boolean {
    return !this.failing;
  }

  /** Entries made durable and fsyncs run so far: entries ÷ fsyncs is the group-commit batch. */
  get stats(): AccessLogStats {
    return { entries: this.durable.seq, fsyncs: this.fsyncs, fsyncSeconds: this.fsyncSeconds };
  }

  /** Appends one entry; resolves once it is on disk, rejects if it could not be written. */
  append(facts: AccessFacts): Promise<AccessEvent> {
    return new Promise((resolve, reject) => {
      if (this.rotating || this.segment === undefined) {
        this.queued.push({ facts, resolve, reject });
        void this.rotate();
      } else {
        this.write(facts, resolve, reject);
      }
    });
  }

  /** Writes one entry into the page cache now, and makes sure an fsync will cover it. */
  private write(facts: AccessFacts, resolve: (e: AccessEvent) => void, reject: (error: unknown) => void): void {
    const chained = chain(facts, this.seq + 1, this.lastHash, this.options.instance);
    const event = chained.event;
    const line = Buffer.from(chained.line);
    const segment = this.segment!;
    try {
      segment.write(line, this.size);
    } catch (error) {
      this.fail(error, 'WRITE');
      segment.cut(this.size);
      reject(error);
      return;
    }
    if (this.size === 0) this.firstWriteAt = Date.now();
    this.size += line.byteLength;
    this.seq = event.seq;
    this.lastHash = event.hash;
    this.written.push({ event, end: this.size, resolve, reject });
    this.sync();
  }

  /** Starts an fsync for everything written so far, unless one is in flight (its end starts the next). */
  private sync(): void {
    if (this.syncing || this.written.length === 0) return;
    this.syncing = true;
    const batch = this.written.splice(0);
    const segment = this.segment!;
    this.fsyncs++;
    const started = performance.now();
    segment.datasync().then(
      () => {
        this.fsyncSeconds += (performance.now() - started) / 1000;
        const last = batch.at(-1)!;
        this.durable = { seq: last.event.seq, hash: last.event.hash, size: last.end };
        if (this.failing) this.options.log('access log: writing again');
        this.failing = false;
        for (const w of batch) w.resolve(w.event);
        this.afterSync();
      },
      (error: unknown) => {
        // What was not fsynced is taken back, the entries written since too: they chain onto it.
        const lost = [...batch, ...this.written.splice(0)];
        this.fail(error, 'SYNC');
        segment.cut(this.durable.size);
        this.size = this.durable.size;
        this.seq = this.durable.seq;
        this.lastHash = this.durable.hash;
        for (const w of lost) w.reject(error);
        this.afterSync();
      },
    );
  }

  private afterSync(): void {
    this.syncing = false;
    for (const wake of this.synced.splice(0)) wake();
    if (this.size >= this.options.segmentMaxBytes && !this.rotating) void this.rotate();
    else this.sync();
  }

  /** Resolves once nothing written waits for an fsync. */
  private async settle(): Promise<void> {
    while (this.syncing || this.written.length > 0) {
      await new Promise<void>((wake) => {
        this.synced.push(wake);
        this.sync();
      });
    }
  }

  private fail(error: unknown, what: 'WRITE' | 'SYNC' | 'ROTATE'): void {
    if (!this.failing) this.options.log(`access log: CANNOT ${what} (${(error as Error).message}); data requests are refused until it can`);
    this.failing = true;
  }

  /**
   * Closes the open segment (renamed as closed, for compaction) once what it holds is durable, and
   * opens the next; appends arriving meanwhile wait in order. Also reopens a segment a failed
   * rotation could not.
   */
  private rotate(): Promise<void> {
    if (this.rotating) return this.rotating;
    const run = async (): Promise<void> => {
      const dir = this.options.dir;
      try {
        if (this.segment !== undefined) {
          await this.settle();
          await this.segment.trim(this.size);
          this.segment.close();
          this.segment = undefined;
          await SegmentFile.seal(dir, this.segmentFirstSeq);
          this.segmentFirstSeq = this.seq + 1;
          this.size = 0;
          this.durable = { ...this.durable, size: 0 };
        }
        this.segment = SegmentFile.open(dir, this.segmentFirstSeq, this.options.segmentMaxBytes);
        await SegmentFile.syncDir(dir);
      } catch (error) {
        this.fail(error, 'ROTATE');
      }
    };
    this.rotating = run().finally(() => {
      this.rotating = undefined;
      const queued = this.queued.splice(0);
      if (this.segment === undefined) {
        const error = new Error('the access log has no open segment');
        for (const q of queued) q.reject(error);
        return;
      }
      for (const q of queued) this.write(q.facts, q.resolve, q.reject);
    });
    return this.rotating;
  }

  /** Waits for pending appends and closes the open segment (it stays open-named: a restart continues it). */
  async close(): Promise<void> {
    clearInterval(this.rotateTimer);
    clearInterval(this.inboxTimer);
    await this.draining;
    while (this.rotating) await this.rotating;
    await this.settle();
    if (this.segment !== undefined) {
      await this.segment.trim(this.size).catch(() => undefined);
      this.segment.close();
    }
    this.segment = undefined;
    await this.unlock();
  }
}
