/** Opens the gateway's access log as configured. */
import { AccessLogWriter } from '../../gateway/index.js';
import type { Config } from '../config.js';

/** Opens this gateway's chain (MESHGATE_INSTANCE) of the access log in its configured folder, or resolves to undefined when MESHGATE_ACCESS_LOG=off. */
export async function openAccessLog(config: Config, log: (line: string) => void): Promise<AccessLogWriter | undefined> {
  if (config.MESHGATE_ACCESS_LOG === 'off') return undefined;
  return AccessLogWriter.open({
    dir: config.accessLogDir,
    ...(config.MESHGATE_INSTANCE && { instance: config.MESHGATE_INSTANCE }),
    segmentMaxAgeMs: config.MESHGATE_ACCESS_LOG_ROTATE_MS,
    log,
  });
}
