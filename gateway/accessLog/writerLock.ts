/**
 * One writer per access-log directory. Two gateways appending to one log would each continue the
 * chain from their own last entry, forking it: every later entry would fail verification. So the
 * writer holds `writer.lock` (schema/publish/processLock.ts: a live holder refuses a second writer,
 * a dead one's lock is taken over) while it runs.
 */
import path from 'node:path';
import { takeProcessLock } from '../../schema/index.js';

/** The lock file's name in the log directory. */
export const WRITER_LOCK = 'writer.lock';

/** Takes the log directory's lock; resolves to the function that releases it, or rejects with why it is held. */
export async function lockLogDir(dir: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const file = path.join(dir, WRITER_LOCK);
  return takeProcessLock(file, {
    reentrant: true,
    held: (holder) =>
      `the access log in ${dir} is being written by process ${holder.pid} on host "${holder.host}": one gateway per log directory, ` +
      `or the chain forks. Give this gateway its own MESHGATE_ACCESS_LOG_DIR, or, if no gateway is running there, remove ${file}`,
    tookOver: (holder) => log(`access log: ${holder ? `process ${holder.pid}, which held ${file}, is gone` : `${file} is unreadable`}: taking it over`),
  });
}
