/**
 * Memory of the processes under test, read from /proc on Linux: the resident set now (VmRSS),
 * sampled while a target is loaded to find its peak during that run, and the peak over the
 * process's whole life (VmHWM).
 */
import { readFile } from 'node:fs/promises';

/** Resident memory of a process, in MiB. */
export interface Memory {
  readonly rssMiB: number;
  readonly hwmMiB: number;
}

/** Parses `/proc/<pid>/status`: VmRSS and VmHWM (in kB there), or null when either is missing. */
export function memoryFromStatus(status: string): Memory | null {
  const kb = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    return m ? Number(m[1]) : undefined;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  return rss === undefined || hwm === undefined ? null : { rssMiB: rss / 1024, hwmMiB: hwm / 1024 };
}

/** The memory of `pid` now, or null where /proc is not available (or the process is gone). */
export async function processMemory(pid: number): Promise<Memory | null> {
  try {
    return memoryFromStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Samples the resident memory of some processes every `everyMs` until stopped; resolves to each one's peak (MiB, or null if never read). */
export function sampleRss(pids: readonly number[], everyMs = 250): () => Promise<Map<number, number | null>> {
  const peaks = new Map<number, number | null>(pids.map((p) => [p, null]));
  const sampleOnce = async (): Promise<void> => {
    for (const pid of pids) {
      const m = await processMemory(pid);
      if (m) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, m.rssMiB));
    }
  };
  let running: Promise<void> = sampleOnce();
  const timer = setInterval(() => void (running = running.then(sampleOnce)), everyMs);
  return async () => {
    clearInterval(timer);
    await running;
    await sampleOnce();
    return peaks;
  };
}
