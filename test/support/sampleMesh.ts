/**
 * The sample mesh as plain data, for unit tests of the pure core: the real descriptors and contracts
 * of subgraphs/ (loading them needs no Parquet, so the data root is a folder that does not exist),
 * their shapes, the real policies/access.yaml, the API schema composed as the gateway composes it,
 * and the callers the sample policy is written for. Nothing here starts a server or opens DuckDB.
 */
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { REPO_ROOT } from '../../cli/config.js';
import { apiSchemaOf } from '../../cli/compatibility/apiSchemaOf.js';
import { loadPolicies, type PolicyFile, type Principal } from '../../policies/index.js';
import { loadMesh, meshShapes, type Mesh, type ProductShape } from '../../schema/index.js';

/** The policy file every decision quotes. */
export const POLICY_FILE = 'policies/access.yaml';

/** The loaded sample mesh. */
export interface SampleMesh {
  readonly mesh: Mesh;
  readonly shapes: readonly ProductShape[];
  readonly policy: PolicyFile;
  /** The shape of a product by descriptor name; throws for a name the sample does not serve. */
  shape(product: string): ProductShape;
}

/** Loads the sample descriptors, contracts and policy (about 150 ms; no data files are read). */
export async function loadSampleMesh(): Promise<SampleMesh> {
  const mesh = await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: path.join(REPO_ROOT, 'no-data-needed') });
  if (mesh.problems.length) throw new Error(`the sample mesh has problems: ${JSON.stringify(mesh.problems)}`);
  const shapes = meshShapes(mesh);
  const r = await loadPolicies(
    path.join(REPO_ROOT, POLICY_FILE),
    shapes.map((s) => s.product),
  );
  if (r.errors) throw new Error(`the sample policy has problems: ${JSON.stringify(r.errors)}`);
  const shape = (product: string): ProductShape => {
    const s = shapes.find((x) => x.product.name === product);
    if (!s) throw new Error(`no sample product "${product}"`);
    return s;
  };
  return { mesh, shapes, policy: r.value, shape };
}

/** The API schema clients query, composed in-process from the subgraphs' SDL (about a second). */
export function sampleApiSchema(mesh: Mesh): GraphQLSchema {
  const r = apiSchemaOf(mesh);
  if ('errors' in r) throw new Error(`the sample mesh does not compose: ${r.errors.join('; ')}`);
  return r.schema;
}

export const principal = (sub: string, roles: string[], extra: Partial<Principal> = {}): Principal => ({ sub, roles, scopes: [], claims: {}, ...extra });

/** The callers the sample policy names. */
export const CALLERS = {
  analyst: principal('ana', ['analyst']),
  steward: principal('stu', ['steward']),
  customersOwner: principal('cora', ['customers-owner']),
  fulfillmentApp: principal('shipper', ['app'], { purpose: 'fulfillment' }),
  appWithoutPurpose: principal('shipper', ['app']),
  partner: principal('pat', ['partner'], { claims: { countries: ['DE', 'FR'] } }),
  nobody: principal('nobody', []),
} as const satisfies Record<string, Principal>;
