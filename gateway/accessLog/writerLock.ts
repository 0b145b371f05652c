/**
 * One writer per access-log directory. Two gateways appending to one log would each continue the
 * chain from their own last entry, forking it: every later entry would fail verification. So the
 * writer holds `writer.lock` (its process id, host and start time), created exclusively, while it
 * runs. A lock left by a process that is gone (a crash, SIGKILL) is taken over, and said; a lock
 * held by a live process, or by one on another host (a shared volume, where liveness cannot be
 * checked), refuses the second writer with a message that says what to do.
 */
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The lock file's name in the log directory. */
export const WRITER_LOCK = 'writer.lock';

interface Holder {
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

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, ...(typeof h.started === 'string' && { started: h.started }) } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `h`, on this host, still runs. */
function alive(h: Holder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTime(h.pid);
  return h.started === undefined || started === undefined || started === h.started;
}

/** Takes the log directory's lock; resolves to the function that releases it, or rejects with why it is held. */
export async function lockLogDir(dir: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const file = path.join(dir, WRITER_LOCK);
  const started = startTime(process.pid);
  const me: Holder = { pid: process.pid, host: os.hostname(), ...(started !== undefined && { started }) };
  const release = async (): Promise<void> => {
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
    if (holder && !ours && (holder.host !== me.host || alive(holder))) {
      throw new Error(
        `the access log in ${dir} is being written by process ${holder.pid} on host "${holder.host}": one gateway per log directory, ` +
          `or the chain forks. Give this gateway its own MESHGATE_ACCESS_LOG_DIR, or, if no gateway is running there, remove ${file}`,
      );
    }
    if (!ours) log(`access log: ${holder ? `process ${holder.pid}, which held ${file}, is gone` : `${file} is unreadable`}: taking it over`);
    await rm(file, { force: true });
  }
  throw new Error(`the access log in ${dir}: its lock ${file} could not be taken`);
}
