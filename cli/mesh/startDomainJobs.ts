/** Runs the jobs of the domains a process serves (`subgraphs/<domain>/jobs.ts`), one at a time per job, on their timers. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { DomainJob, DomainJobEnv } from '../../subgraphs/runtime/index.js';
import { REPO_ROOT, type Config } from '../config.js';

/**
 * Starts the jobs of `domains`, after one first run of each, over the configured data root and
 * access-log folder; resolves to a function that stops them. Jobs are code that ships with
 * meshgate, so they load from its own `subgraphs/` folder, whatever folder the declarations come
 * from; a domain whose jobs cannot load is reported and still served.
 */
export async function startDomainJobs(
  config: Config,
  domains: readonly string[],
  log: (line: string) => void,
  codeDir = path.join(REPO_ROOT, 'subgraphs'),
): Promise<() => Promise<void>> {
  const env: DomainJobEnv = { dataRoot: config.MESHGATE_DATA_DIR, accessLogDir: config.accessLogDir, log };
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<void>>();
  for (const domain of domains) {
    const file = path.join(codeDir, domain, 'jobs.ts');
    if (
      !(await access(file).then(
        () => true,
        () => false,
      ))
    )
      continue;
    let jobs: readonly DomainJob[];
    try {
      ({ jobs } = (await import(file)) as { jobs: readonly DomainJob[] });
    } catch (error) {
      env.log(`${domain}: its jobs cannot be loaded (${(error as Error).message}); the domain is served without them`);
      continue;
    }
    for (const job of jobs) {
      let busy = false;
      const tick = (): void => {
        if (busy) return;
        busy = true;
        const run = job
          .run(env)
          .catch((error: unknown) => env.log(`${domain}: job "${job.name}" failed: ${(error as Error).message}`))
          .finally(() => {
            busy = false;
            running.delete(run);
          });
        running.add(run);
      };
      tick();
      await Promise.all(running);
      timers.push(setInterval(tick, job.everyMs));
    }
  }
  return async () => {
    timers.forEach(clearInterval);
    await Promise.all(running);
  };
}
