/**
 * An exclusive lock held by a process: a file created exclusively, holding the process id, host and
 * start time. A lock left by a process that is gone (a crash, SIGKILL) is taken over, and said; a
 * lock held by a live process, or by one on another host (a shared volume, where liveness cannot be
 * checked), is refused with the holder's own message. The access log's writer (one per log folder)
 * and a product's build (one at a time) both hold one.
 */
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** The process's start time in clock ticks since boot (/proc), so a reused process id is not mistaken for the holder. */
  readonly started?: string;
}

/** A process's start time from /proc, or undefined where it cannot be read. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, ...(typeof h.started === 'string' && { started: h.started }) } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `h`, on this host, still runs. */
function alive(h: LockHolder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTime(h.pid);
  return h.started === undefined || started === undefined || started === h.started;
}

/** The lock is held by a live process (or one on another host): its message says by whom and what to do. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    message: string,
    readonly holder: LockHolder,
  ) {
    super(message);
  }
}

/** How a lock is taken. */
export interface ProcessLockOptions {
  /** The message of the error when a live process (or one on another host) holds it. */
  readonly held: (holder: LockHolder) => string;
  /** Told when a dead holder's lock (or an unreadable one) is taken over. */
  readonly tookOver: (holder: LockHolder | undefined) => void;
  /** Whether this process may take a lock it already holds (a restart in the same process); otherwise it is refused like any other holder's. */
  readonly reentrant: boolean;
}

/** Takes the lock `file`; resolves to the function that releases it, or rejects with why it is held. */
export async function takeProcessLock(file: string, options: ProcessLockOptions): Promise<() => Promise<void>> {
  const started = startTime(process.pid);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), ...(started !== undefined && { started }) };
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    const now = parseHolder(await readFile(file, 'utf8').catch(() => ''));
    if (now?.pid === me.pid && now.host === me.host) await rm(file, { force: true });
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const holder = parseHolder(text);
    const ours = holder?.pid === me.pid && holder.host === me.host;
    if (holder && (ours ? !options.reentrant : holder.host !== me.host || alive(holder))) throw new LockHeldError(options.held(holder), holder);
    if (!ours) options.tookOver(holder);
    await rm(file, { force: true });
  }
  throw new Error(`the lock ${file} could not be taken`);
}
