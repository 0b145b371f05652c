/**
 * Hot re-composition of a mesh's gateway (MESHGATE_RELOAD=on): the declarations are loaded again,
 * checked (every domain loads, the policy still fits the contracts), composed, and swapped in; a
 * broken change is refused and reported while the previous supergraph keeps serving.
 */
import { loadMesh, meshShapes, type Mesh } from '../../schema/index.js';
import { ProductIndex, type RunningGateway } from '../../gateway/index.js';
import type { Config } from '../config.js';
import { loadSecurity } from '../security.js';
import { describeMeshProblems } from './loadServedMesh.js';
import { gatewayServices, type MeshGatewayOptions, type SubgraphUrls } from './startMeshGateway.js';
import { watchFolder, type FolderWatcher } from './watchFolder.js';

/** What a re-composition of the mesh's gateway is given. */
export interface MeshRecomposition {
  /** The mesh as now declared (loaded again). */
  readonly mesh: Mesh;
  readonly urlOf: SubgraphUrls;
  readonly transportOf?: MeshGatewayOptions['transportOf'];
  /** Whether access control is on (the access plugin then needs the new product index). */
  readonly accessOn: boolean;
  /** Checks the new declarations beyond loading them (the policy against the new contracts); returns the problems. */
  readonly check?: (mesh: Mesh) => Promise<readonly string[]>;
  /** One line per declaration problem of the new mesh. */
  readonly describeProblems: (mesh: Mesh) => readonly string[];
}

/**
 * Re-composes a running gateway from the declarations as they now are. A mesh with any declaration
 * problem is refused whole, never composed without the broken domain: that would drop its types
 * and every link to them from the API while its subgraph still serves them.
 */
export async function recomposeMeshGateway(gateway: RunningGateway, next: MeshRecomposition): Promise<{ readonly errors?: readonly string[] }> {
  const { mesh } = next;
  const problems = [...next.describeProblems(mesh), ...(next.check ? await next.check(mesh) : [])];
  if (problems.length > 0) return gateway.recompose({ services: [], problems });
  return gateway.recompose({
    services: gatewayServices(mesh, next.urlOf, next.transportOf),
    ...(next.accessOn && { index: new ProductIndex(meshShapes(mesh)) }),
    leftOut: mesh.excluded,
  });
}

/** Watches MESHGATE_SUBGRAPHS_DIR and re-composes `gateway` after each change (the standalone gateway's reload). */
export function reloadOnChange(
  config: Config,
  gateway: RunningGateway,
  options: { readonly urlOf: SubgraphUrls; readonly accessOn: boolean; readonly log: (line: string) => void },
): FolderWatcher {
  const { log } = options;
  const check = async (mesh: Mesh): Promise<string[]> => {
    if (!options.accessOn) return [];
    try {
      await loadSecurity(config, mesh);
      return [];
    } catch (error) {
      return [error instanceof Error ? error.message : String(error)];
    }
  };
  return watchFolder(
    config.MESHGATE_SUBGRAPHS_DIR,
    async () => {
      const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
      await recomposeMeshGateway(gateway, { mesh, urlOf: options.urlOf, accessOn: options.accessOn, check, describeProblems: describeMeshProblems });
    },
    log,
  );
}
