/** Loads the mesh a server serves, from the folders the configuration names. */
import { formatProblem, loadMesh, type Mesh } from '../../schema/index.js';
import type { Config } from '../config.js';

/**
 * Loads every domain's declarations under MESHGATE_SUBGRAPHS_DIR (outputs resolved under
 * MESHGATE_DATA_DIR) and logs each declaration problem; the domains they concern are left out.
 */
export async function loadServedMesh(config: Config, log: (line: string) => void): Promise<Mesh> {
  const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
  for (const p of mesh.problems) log(`declaration problem: ${formatProblem(p)}`);
  return mesh;
}
