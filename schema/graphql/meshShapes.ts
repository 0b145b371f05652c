/** The shapes of every product a mesh serves. */
import { productsByName, type Mesh } from '../descriptor/loadMesh.js';
import { productShape, type ProductShape } from './productShape.js';

/** Derives the GraphQL shape of every served product of the mesh. */
export function meshShapes(mesh: Mesh): ProductShape[] {
  const served = productsByName(mesh);
  return [...served.values()].map((p) => productShape(p, served));
}
