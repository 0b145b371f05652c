/**
 * CPU time a process has used (user + system, every thread), read from /proc on Linux: how much
 * work a request costs the process that serves it, whatever else the machine is doing meanwhile.
 */
import { readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** Milliseconds of CPU the process `pid` has used so far, or null where /proc is not available. */
export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    return cpuMsFromStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Parses a `/proc/<pid>/stat` line: utime and stime are fields 14 and 15, counted after the parenthesised name. */
export function cpuMsFromStat(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / TICKS_PER_S : null;
}
