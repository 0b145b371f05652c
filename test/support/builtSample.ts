/**
 * The sample mesh as `meshgate seed` then `meshgate build` make it, for tests: the raw sources
 * seeded into a data root, then the three products built from them by the real build pipeline
 * (buildProducts, the real descriptors, transforms and policies/access.yaml), their upstream reads
 * recorded in an access log kept in memory. A test that needs the products' data seeds through here.
 */
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { loadPolicies } from '../../policies/index.js';
import { loadMesh, manifestFiles, productsByName, readManifest, type AccessFacts, type DataProduct } from '../../schema/index.js';
import { buildProducts, type BuildEnv, type BuildOutcome } from '../../subgraphs/runtime/index.js';
import { seedSample } from '../../subgraphs/sample/index.js';

/** The sample's policy file. */
export const SAMPLE_POLICY = path.join(REPO_ROOT, 'policies', 'access.yaml');

/** A sample mesh seeded and built. */
export interface BuiltSample {
  readonly dataRoot: string;
  /** Every product of the sample mesh, by name, under this data root. */
  readonly products: ReadonlyMap<string, DataProduct>;
  /** Each build's outcome, in the order they ran. */
  readonly outcomes: readonly BuildOutcome[];
  /** The access-log entries of the builds' upstream reads. */
  readonly facts: AccessFacts[];
  /** The build settings used, to build again. */
  readonly env: BuildEnv;
}

/** What {@link buildSample} seeds. */
export interface BuildSampleOptions {
  readonly scale: number;
  /** The operational systems' "now". */
  readonly now: Date;
  readonly seed?: number;
}

/** Seeds the sample's raw sources into `dataRoot` and builds its products; throws unless every build publishes. */
export async function buildSample(dataRoot: string, options: BuildSampleOptions): Promise<BuiltSample> {
  await seedSample({ scale: options.scale, seed: options.seed ?? 42, dataRoot, ifMissing: false, log: () => undefined, now: options.now });
  const products = productsByName(await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot }));
  const policy = await loadPolicies(SAMPLE_POLICY, [...products.values()]);
  if (policy.errors) throw new Error(`policies/access.yaml: ${JSON.stringify(policy.errors)}`);
  const facts: AccessFacts[] = [];
  const env: BuildEnv = {
    dataRoot,
    products,
    policy: policy.value,
    policyFile: 'policies/access.yaml',
    hashKey: 'sample-build-hash-key',
    record: async (f) => void facts.push(f),
    connection: () => undefined,
    log: () => undefined,
    now: () => new Date(),
    memoryLimit: '1GB',
    threads: 2,
  };
  const run = await buildProducts([], env);
  if ('cycle' in run) throw new Error(`the sample's inputs form a cycle: ${run.cycle.join(' → ')}`);
  const failed = run.outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0) throw new Error(`the sample did not build: ${failed.map((o) => (o.status === 'failed' ? o.message : '')).join('; ')}`);
  return { dataRoot, products, outcomes: run.outcomes, facts, env };
}

/** The Parquet files of the version a product serves. */
export async function servedFiles(product: DataProduct): Promise<string[]> {
  const read = await readManifest(product.storeDir);
  if (read.kind !== 'ok') throw new Error(`${product.name} serves no version (${read.kind})`);
  return manifestFiles(product.storeDir, read.manifest);
}
