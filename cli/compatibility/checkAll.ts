/** Everything `meshgate check --base` compares: contracts (policies/compatibility) and the composed GraphQL API. */
import type { Mesh } from '../../schema/index.js';
import { compareMeshes, loadBase } from '../../policies/compatibility/index.js';
import type { Finding } from '../../policies/index.js';
import { compareGraphQL } from './compareGraphQL.js';

/** Contract compatibility plus breaking GraphQL changes of the current mesh against a base (folder, git ref or `registry`). */
export async function checkAllCompatibility(options: { current: Mesh; base: string; repoRoot: string }): Promise<{ findings: Finding[] } | { error: string }> {
  const base = await loadBase(options);
  if ('error' in base) return base;
  return { findings: [...compareMeshes(options.current, base.value, options.repoRoot), ...compareGraphQL(base.value.mesh, options.current)] };
}
