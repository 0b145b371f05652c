/**
 * What publishing costs (issue 10's benchmark): the build of the whole sample from its raw sources
 * at scale 1 and 10 (first build, then a rebuild with no new changes), the manifest swap itself,
 * the time from a publish to the subgraph serving it, and query throughput while new versions are
 * published every couple of seconds against without, side by side on the enforced mesh.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../cli/config.js';
import { buildEnv } from '../cli/mesh/buildEnv.js';
import { loadServedMesh } from '../cli/mesh/loadServedMesh.js';
import { runBuilds } from '../cli/mesh/runBuilds.js';
import { loadSecurity } from '../cli/security.js';
import { manifestFiles, productsByName, readManifest, writeManifest, type DataProduct } from '../schema/index.js';
import { publishFiles, type BuildEnv } from '../subgraphs/runtime/index.js';
import { seedSample } from '../subgraphs/sample/index.js';
import { benchEnv } from './benchAccess.js';
import { percentile } from './stats.js';

/** One product's build. */
export interface ProductBuildTime {
  readonly product: string;
  readonly rows: number;
  readonly seconds: number;
}

/** The sample's build at one scale. */
export interface BuildTiming {
  readonly scale: number;
  readonly seedSeconds: number;
  /** The first build, from nothing published. */
  readonly first: { readonly seconds: number; readonly products: readonly ProductBuildTime[] };
  /** A rebuild with no new source data (the change stream read from its checkpoint). */
  readonly again: { readonly seconds: number; readonly products: readonly ProductBuildTime[] };
}

const seconds = (since: number): number => (performance.now() - since) / 1000;

/** Removes every published version, failed version and connector state of the sample's products under `dataRoot`. */
async function unpublish(dataRoot: string): Promise<void> {
  for (const dir of ['customers/customer-profiles', 'commerce/orders-enriched', 'payments/payments']) await rm(path.join(dataRoot, dir), { recursive: true, force: true });
}

/** Seeds the sample's raw sources at `scale` (if missing), then builds it from nothing, then again. */
export async function measureBuilds(scale: number, stateDir: string, log: (line: string) => void): Promise<BuildTiming> {
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `build-${scale}`);
  const t0 = performance.now();
  await seedSample({ scale, seed: 42, dataRoot, ifMissing: true, log });
  const seedSeconds = seconds(t0);
  await unpublish(dataRoot);
  const config = readConfig({ ...benchEnv(process.env, stateDir, 'on'), MESHGATE_DATA_DIR: dataRoot, MESHGATE_ACCESS_LOG_DIR: path.join(dataRoot, 'access-log-raw') });
  const run = async (): Promise<BuildTiming['first']> => {
    const started = performance.now();
    const outcome = await runBuilds(config, [], () => undefined);
    if ('cycle' in outcome) throw new Error(`bench: the sample's inputs form a cycle: ${outcome.cycle.join(' → ')}`);
    const failed = outcome.outcomes.find((o) => o.status === 'failed');
    if (failed?.status === 'failed') throw new Error(`bench: the sample does not build at scale ${scale}: ${failed.message}`);
    return {
      seconds: seconds(started),
      products: outcome.outcomes.map((o) => ({ product: o.product, rows: o.status === 'published' ? o.rows : 0, seconds: o.durationMs / 1000 })),
    };
  };
  log(`building the sample at scale ${scale} from its raw sources...`);
  const first = await run();
  log(`  ${first.seconds.toFixed(1)} s (${first.products.map((p) => `${p.product} ${p.seconds.toFixed(1)} s`).join(', ')})`);
  const again = await run();
  log(`  again, no new changes: ${again.seconds.toFixed(1)} s`);
  await rm(path.join(dataRoot, 'access-log-raw'), { recursive: true, force: true });
  return { scale, seedSeconds, first, again };
}

/** The publishing group's setup: the enforced mesh, over `dataRoot`. */
export interface PublishSetup {
  readonly dataRoot: string;
  readonly stateDir: string;
  /** The gateway queried, and the output of the process serving customer-profiles (where it says which version it serves). */
  readonly mesh: { readonly graphqlUrl: string; logTail(): string };
  /** Headers of a caller who may read customer-profiles. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A way to publish a new version of customer-profiles (the same rows again) into the mesh's data root, in this process. */
async function publisher(setup: PublishSetup): Promise<{ product: DataProduct; env: BuildEnv; source: string }> {
  const config = readConfig({ ...benchEnv(process.env, setup.stateDir, 'on'), MESHGATE_DATA_DIR: setup.dataRoot });
  const mesh = await loadServedMesh(config, () => undefined);
  const product = productsByName(mesh).get('customer-profiles')!;
  const env = buildEnv(
    config,
    mesh,
    await loadSecurity(config, mesh, () => undefined),
    async () => undefined,
    () => undefined,
  );
  const read = await readManifest(product.storeDir);
  if (read.kind !== 'ok') throw new Error('bench: customer-profiles serves no version');
  const source = path.join(REPO_ROOT, 'bench', 'data', 'publish-source');
  await rm(source, { recursive: true, force: true });
  await mkdir(source, { recursive: true });
  for (const f of manifestFiles(product.storeDir, read.manifest)) await cp(f, path.join(source, path.basename(f)));
  return { product, env, source };
}

/** The manifest swap alone (written beside, fsynced, renamed, folder fsynced), p50 of 50, in ms; and a publish to served, p50 of 5, in ms. */
export async function measureSwap(setup: PublishSetup, log: (line: string) => void): Promise<{ swapP50Ms: number; publishP50Ms: number; servedP50Ms: number }> {
  const { product, env, source } = await publisher(setup);
  const read = await readManifest(product.storeDir);
  if (read.kind !== 'ok') throw new Error('bench: customer-profiles serves no version');
  const swaps: number[] = [];
  const scratch = path.join(REPO_ROOT, 'bench', 'data', 'swap-probe');
  await mkdir(scratch, { recursive: true });
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await writeManifest(scratch, read.manifest);
    swaps.push(performance.now() - t);
  }
  await rm(scratch, { recursive: true, force: true });
  const publishes: number[] = [];
  const served: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const outcome = await publishFiles(product, source, env);
    if (outcome.status !== 'published') throw new Error(`bench: a publish failed: ${outcome.message}`);
    publishes.push(performance.now() - t);
    const t1 = performance.now();
    // A product table looks at its manifest when it is read (at most every 2 s), so the probe reads it.
    while (!setup.mesh.logTail().includes(`serving version ${outcome.version}`)) {
      if (performance.now() - t1 > 15_000) throw new Error(`bench: the mesh never served ${outcome.version}`);
      await fetch(setup.mesh.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...setup.headers },
        body: JSON.stringify({ query: '{ customersAggregate { count } }' }),
      });
      await new Promise((r) => setTimeout(r, 20));
    }
    served.push(performance.now() - t1);
  }
  const p50 = (xs: number[]): number =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const result = { swapP50Ms: p50(swaps), publishP50Ms: p50(publishes), servedP50Ms: p50(served) };
  log(
    `  manifest swap ${result.swapP50Ms.toFixed(2)} ms p50; publish (gate included) ${result.publishP50Ms.toFixed(0)} ms; published to served ${result.servedP50Ms.toFixed(0)} ms`,
  );
  return result;
}

/** Work that publishes a new version of customer-profiles every `everyMs` while it runs (a row's `during`). */
export async function publishingDuring(setup: PublishSetup, everyMs = 2_000): Promise<() => () => Promise<void>> {
  const { product, env, source } = await publisher(setup);
  return () => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const started = performance.now();
        await publishFiles(product, source, env);
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
      }
    })();
    return async () => {
      stopped = true;
      await loop;
    };
  };
}
