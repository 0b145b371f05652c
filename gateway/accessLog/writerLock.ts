/**
 * One writer per chain. Two gateways appending to one chain would each continue it from their own
 * last entry, forking it: every later entry would fail verification. So the writer holds
 * `writer.lock` in its chain's folder (schema/publish/processLock.ts: a live holder refuses a second
 * writer, a dead one's lock is taken over) while it runs. Replicas each have their own chain
 * (MESHGATE_INSTANCE), so only two gateways of the same instance meet here.
 */
import path from 'node:path';
import { takeProcessLock } from '../../schema/index.js';

/** The lock file's name in a chain's folder. */
export const WRITER_LOCK = 'writer.lock';

/** Takes the lock of the chain in `dir`; resolves to the function that releases it, or rejects with why it is held. */
export async function lockLogDir(dir: string, instance: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const file = path.join(dir, WRITER_LOCK);
  return takeProcessLock(file, {
    reentrant: true,
    held: (holder) =>
      `the access-log chain "${instance}" in ${dir} is being written by process ${holder.pid} on host "${holder.host}": one gateway per chain, ` +
      `or the chain forks. Give each gateway replica its own MESHGATE_INSTANCE (e.g. gw-1, gw-2) or its own MESHGATE_ACCESS_LOG_DIR, or, if no gateway is running there, remove ${file}`,
    tookOver: (holder) => log(`access log: ${holder ? `process ${holder.pid}, which held ${file}, is gone` : `${file} is unreadable`}: taking it over`),
  });
}
