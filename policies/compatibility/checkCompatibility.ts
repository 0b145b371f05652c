/** Contract compatibility of the current mesh against a base (folder, git ref or the schema registry). */
import type { Mesh } from '../../schema/index.js';
import type { Finding } from '../governance/Finding.js';
import { compareMeshes } from './compareMeshes.js';
import { loadBase } from './loadBase.js';

/** Compares each current contract with its base version and names every breaking change; a base that names nothing is an error. */
export async function checkCompatibility(options: { current: Mesh; base: string; repoRoot: string }): Promise<{ findings: Finding[] } | { error: string }> {
  const base = await loadBase(options);
  if ('error' in base) return base;
  return { findings: compareMeshes(options.current, base.value, options.repoRoot) };
}
