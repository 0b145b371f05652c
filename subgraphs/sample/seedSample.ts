/**
 * Seeds the sample mesh's raw operational sources, not its products: each domain's own generator
 * plays its operational systems (the customers' CRM, the shop's order database, the payment
 * provider) and writes the raw sources its descriptor declares as inputs, where the input ports
 * read them (landing files under `<dataRoot>/landing/<domain>/<source>/`, the orders table's change
 * stream, a PostgreSQL dump). `meshgate build` then makes the products from them with the domains'
 * transforms. Generators run in lineage order (an order references a customer, a payment an order)
 * in one DuckDB connection, where each leaves its domain's state for the next. `meshgate seed` and
 * `meshgate up`, the tests and the bench all seed through here.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatProblem, loadDataProduct, versionStore, type DataProduct } from '../../schema/index.js';
import { generator as customers } from '../customers/generate.js';
import { generator as commerce } from '../commerce/generate.js';
import { generator as payments } from '../payments/generate.js';
import { landingFolder } from '../runtime/index.js';
import type { SampleGenerator, SampleOptions } from '../runtime/sampleData.js';

/** meshgate's own `subgraphs/`: the sample is the domains whose generators ship there, whatever folder a mesh is served from. */
const SAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The sample domains, in the order their lineage requires. */
const SAMPLE: readonly { readonly domain: string; readonly generator: SampleGenerator }[] = [
  { domain: 'customers', generator: customers },
  { domain: 'commerce', generator: commerce },
  { domain: 'payments', generator: payments },
];

/** What {@link seedSample} needs. */
export interface SeedOptions {
  /** 1 = 10,000 customers, 100,000 orders, 100,000 payments; fractions allowed. */
  readonly scale: number;
  /** Seed of every random value (a non-negative integer). */
  readonly seed: number;
  /** The mesh's data root; raw sources go to the landing folders the descriptors' inputs declare under it. */
  readonly dataRoot: string;
  /** Keep a domain's raw sources where they exist, unless a domain they depend on was seeded again in this run. */
  readonly ifMissing: boolean;
  /** Receives one progress line per domain. */
  readonly log: (line: string) => void;
  /** The operational systems' "now"; defaults to the start of the current UTC day, so a day's reruns are identical. */
  readonly now?: Date;
}

/** What {@link seedSample} did for one domain. */
export interface SeededDomain {
  readonly domain: string;
  /** The product its raw sources feed (built by `meshgate build`). */
  readonly product: string;
  /** The landing folder of each raw source, by source name. */
  readonly landing: Readonly<Record<string, string>>;
  /** The files written; empty when the existing sources were kept. */
  readonly files: readonly string[];
  /** Records written; undefined when the existing sources were kept. */
  readonly records?: number;
}

/** Checks the programmatic options once, naming the bad one. */
function getValidOptions(options: SeedOptions): Required<SeedOptions> {
  if (!Number.isFinite(options.scale) || options.scale <= 0) throw new TypeError(`seedSample: scale must be a positive number, got ${options.scale}`);
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new TypeError(`seedSample: seed must be a non-negative integer, got ${options.seed}`);
  if (!options.dataRoot) throw new TypeError('seedSample: dataRoot must be a folder path');
  const now = options.now ?? new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  if (Number.isNaN(now.getTime())) throw new TypeError('seedSample: now must be a valid Date');
  return { ...options, dataRoot: path.resolve(options.dataRoot), now };
}

/** Loads a sample domain's descriptor, or throws with what is wrong in it. */
async function loadProduct(domain: string, dataRoot: string): Promise<DataProduct> {
  const loaded = await loadDataProduct(path.join(SAMPLE_DIR, domain, 'data-product.yaml'), { dataRoot });
  if (loaded.errors) throw new Error(`cannot seed ${domain}: ${loaded.errors.map(formatProblem).join('; ')}`);
  return loaded.value;
}

/** The landing folder of each source a generator writes, as its product's inputs declare them. */
function landingOf(product: DataProduct, generator: SampleGenerator, dataRoot: string): Record<string, string> {
  return Object.fromEntries(
    generator.sources.map((source) => {
      const input = product.inputs.find((i) => i.source === source);
      if (!input) throw new Error(`cannot seed ${product.domain}: its descriptor declares no input "${source}" for the sample's ${source}`);
      return [source, landingFolder(dataRoot, product.domain, input)];
    }),
  );
}

/** Seeds the sample mesh's raw sources under `dataRoot`, one DuckDB instance for the three domains. */
export async function seedSample(options: SeedOptions): Promise<readonly SeededDomain[]> {
  const { scale, seed, dataRoot, ifMissing, log, now } = getValidOptions(options);
  const tables = new Map<string, string>();
  const rewritten = new Set<string>();
  const done: SeededDomain[] = [];
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    for (const { domain, generator } of SAMPLE) {
      const product = await loadProduct(domain, dataRoot);
      const landing = landingOf(product, generator, dataRoot);
      const upstream = Object.fromEntries(generator.reads.map((d) => [d, tables.get(d) ?? missingUpstream(domain, d)]));
      const sampled: SampleOptions = { scale, seed, now, table: `sample_${domain}`, upstream };
      const started = performance.now();
      // The state is made even when the files are kept: the domains after this one read it.
      await generator.state(connection, sampled);
      tables.set(domain, sampled.table);
      const folders = Object.values(landing);
      if (ifMissing && !generator.reads.some((d) => rewritten.has(d)) && (await Promise.all(folders.map(hasFiles))).every(Boolean)) {
        log(`seeding ${domain}: kept ${folders.map(shortPath).join(', ')} (exists)`);
        done.push({ domain, product: product.name, landing, files: [] });
        continue;
      }
      // A new history replaces the old one: nothing of an earlier seed's stays in the folders.
      for (const folder of folders) await rm(folder, { recursive: true, force: true });
      const written = await generator.write(connection, { ...sampled, landing });
      await forgetMirrors(product, Object.keys(landing), log);
      log(`seeding ${domain}: ${written.summary} in ${seconds(started)} s`);
      rewritten.add(domain);
      done.push({ domain, product: product.name, landing, files: written.files, records: written.records });
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return done;
}

/**
 * A change-stream input's mirror describes the history it was built from; a seed writes a new
 * history (as restoring a database does), so the mirror's checkpoint would skip the new records.
 * It is removed: the product's next build reads the new stream from its snapshot.
 */
async function forgetMirrors(product: DataProduct, sources: readonly string[], log: (line: string) => void): Promise<void> {
  for (const input of product.inputs.filter((i) => i.type === 'postgres-cdc' && sources.includes(i.source))) {
    const state = path.join(versionStore(product.storeDir).state, input.source);
    if (await hasFiles(state)) log(`seeding ${product.domain}: ${product.name}'s mirror of ${input.source} was of the old stream: its next build starts from the new snapshot`);
    await rm(state, { recursive: true, force: true });
  }
}

/** A path relative to the working folder when it lies below it, else absolute. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function missingUpstream(domain: string, upstream: string): never {
  throw new Error(`cannot seed ${domain}: it reads the ${upstream} domain's state, which is not a sample domain seeded before it`);
}

async function hasFiles(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [] as string[])).some((n) => !n.startsWith('.'));
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
