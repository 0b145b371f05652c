/** Loads the mesh a server serves, from the folders the configuration names. */
import { formatProblem, loadMesh, type Mesh } from '../../schema/index.js';
import type { Config } from '../config.js';

/** One line per declaration problem of `mesh`. */
export function describeMeshProblems(mesh: Mesh): string[] {
  return mesh.problems.map((p) => `declaration problem: ${formatProblem(p)}`);
}

/**
 * Loads every domain's declarations under MESHGATE_SUBGRAPHS_DIR (outputs resolved under
 * MESHGATE_DATA_DIR) and logs each declaration problem; the domains they concern are left out.
 */
export async function loadServedMesh(config: Config, log: (line: string) => void): Promise<Mesh> {
  const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
  for (const line of describeMeshProblems(mesh)) log(line);
  return mesh;
}

/**
 * What a server does about domains whose declarations are broken. Leaving one out drops its types,
 * and every link other domains have to it (`Order.customer`), from the API while its subgraph may
 * still serve them; so with NODE_ENV=production a server refuses to start (in a rolling deployment
 * the running version keeps serving until the declarations are fixed). In development it starts
 * without them, says so loudly, and readiness reports them ("leftOut", status "degraded").
 */
export function requireWholeMesh(config: Config, mesh: Mesh, log: (line: string) => void): void {
  if (mesh.excluded.length === 0) return;
  const domains = mesh.excluded.map((d) => `"${d}"`).join(', ');
  if (config.NODE_ENV === 'production')
    throw new Error(
      `the declarations of ${domains} are broken (each problem is listed above): with NODE_ENV=production the mesh does not start without a domain, ` +
        'since its types and every link to them would vanish from the API; fix the declarations, or remove the folder to drop the domain on purpose',
    );
  for (const d of mesh.excluded)
    log(`WARNING: domain "${d}" is left out of the mesh until its declarations are fixed: its types and the links to them are missing from the API (readiness reports it)`);
}
