/** Builds products of the configured mesh in this process (what `meshgate build` does, and what tests and the bench call). */
import { productsByName } from '../../schema/index.js';
import { buildProducts, type BuildRun } from '../../subgraphs/runtime/index.js';
import type { Config } from '../config.js';
import { loadSecurity } from '../security.js';
import { buildEnv, openBuildLog } from './buildEnv.js';
import { loadServedMesh } from './loadServedMesh.js';

/** Builds `names` (every buildable product when empty) in dependency order; unknown names are a TypeError naming them. */
export async function runBuilds(config: Config, names: readonly string[], log: (line: string) => void, now?: () => Date): Promise<BuildRun> {
  const mesh = await loadServedMesh(config, log);
  const byName = productsByName(mesh);
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length)
    throw new TypeError(`unknown product${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}: expected one of ${[...byName.keys()].join(', ')}`);
  const security = await loadSecurity(config, mesh, log);
  const buildLog = await openBuildLog(config, log);
  try {
    return await buildProducts(
      [...new Set(names)].map((n) => byName.get(n)!),
      buildEnv(config, mesh, security, buildLog.record, log, now),
    );
  } finally {
    await buildLog.close();
  }
}
