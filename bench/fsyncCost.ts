/**
 * What one durable append costs on the disk the access log is on, measured in this process: a
 * 1 KB line written and fdatasynced, as the log does it (positional write into a segment grown
 * with zeros, fdatasync on libuv's pool). It is the floor of what the log can add to one reply.
 */
import { closeSync, fdatasync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { percentile } from './stats.js';

/** The fsync's wall time and this process's CPU per append. */
export interface FsyncCost {
  readonly appends: number;
  readonly p50WallUs: number;
  readonly cpuUsPerAppend: number;
}

const datasync = (fd: number): Promise<void> => new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));

/** Times `appends` durable appends of a 1 KB line in a scratch file in `dir`. */
export async function measureFsync(dir: string, appends = 2_000): Promise<FsyncCost> {
  const file = path.join(dir, `fsync-probe-${process.pid}.jsonl`);
  const line = Buffer.from(`${JSON.stringify({ probe: 'x'.repeat(1_000) })}\n`);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, Buffer.alloc(line.byteLength * appends), 0, line.byteLength * appends, 0);
    await datasync(fd);
    const walls: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < appends; i++) {
      const t = performance.now();
      writeSync(fd, line, 0, line.byteLength, i * line.byteLength);
      await datasync(fd);
      walls.push((performance.now() - t) * 1000);
    }
    const used = process.cpuUsage(cpu);
    return {
      appends,
      p50WallUs: percentile(
        walls.sort((a, b) => a - b),
        50,
      ),
      cpuUsPerAppend: (used.user + used.system) / appends,
    };
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
}
