/**
 * Builds the sample mesh's Parquet outputs with each domain's own generator, in lineage order
 * (customers, then commerce from customers, then payments from orders). The output files are the
 * locations the domains' `data-product.yaml` declare, under the data root. `meshgate seed` and
 * `meshgate up`, the tests and the bench all seed through here.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { formatProblem, loadDataProduct, type DataProduct } from '../../schema/index.js';
import { generate as generateCustomers } from '../customers/generate.js';
import { generate as generateOrders } from '../commerce/generate.js';
import { generate as generatePayments } from '../payments/generate.js';
import type { Generate } from '../runtime/sampleData.js';

/** meshgate's own `subgraphs/`: the sample is the domains whose generators ship there, whatever folder a mesh is served from. */
const SAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The sample domains, in the order their lineage requires. */
const SAMPLE: readonly { readonly domain: string; readonly generate: Generate }[] = [
  { domain: 'customers', generate: generateCustomers },
  { domain: 'commerce', generate: generateOrders },
  { domain: 'payments', generate: generatePayments },
];

/** What {@link seedSample} needs. */
export interface SeedOptions {
  /** 1 = 10,000 customers, 100,000 orders, 100,000 payments; fractions allowed. */
  readonly scale: number;
  /** Seed of every random value (a non-negative integer). */
  readonly seed: number;
  /** The mesh's data root; outputs go to `<dataRoot>/<declared location>/data.parquet`. */
  readonly dataRoot: string;
  /** Keep an output that exists, unless one of its inputs was rebuilt in this run. */
  readonly ifMissing: boolean;
  /** Receives one progress line per domain. */
  readonly log: (line: string) => void;
  /** The generators' "now"; defaults to the start of the current UTC day, so a day's reruns are identical. */
  readonly now?: Date;
}

/** What {@link seedSample} did for one domain. */
export interface SeededDomain {
  readonly domain: string;
  readonly product: string;
  readonly file: string;
  /** Rows written; undefined when the existing file was kept. */
  readonly rows?: number;
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

/** The one Parquet file a product's declared location names under the data root. */
function outputFile(product: DataProduct): string {
  return path.join(product.storeDir, 'data.parquet');
}

/** Loads a sample domain's descriptor, or throws with what is wrong in it. */
async function loadProduct(domain: string, dataRoot: string): Promise<DataProduct> {
  const loaded = await loadDataProduct(path.join(SAMPLE_DIR, domain, 'data-product.yaml'), { dataRoot });
  if (loaded.errors) throw new Error(`cannot seed ${domain}: ${loaded.errors.map(formatProblem).join('; ')}`);
  return loaded.value;
}

/** Builds the sample mesh's outputs under `dataRoot`, one DuckDB instance for the three domains. */
export async function seedSample(options: SeedOptions): Promise<readonly SeededDomain[]> {
  const { scale, seed, dataRoot, ifMissing, log, now } = getValidOptions(options);
  const files = new Map<string, string>();
  const rebuilt = new Set<string>();
  const done: SeededDomain[] = [];
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    for (const { domain, generate } of SAMPLE) {
      const product = await loadProduct(domain, dataRoot);
      const file = outputFile(product);
      const sources = product.inputs.filter((i) => i.type === 'data-product').map((i) => i.source);
      const inputs = Object.fromEntries(sources.map((s) => [s, files.get(s) ?? missingInput(domain, s)]));
      files.set(product.name, file);
      if (ifMissing && !sources.some((s) => rebuilt.has(s)) && (await exists(file))) {
        log(`seeding ${domain}: kept ${shortPath(file)} (exists)`);
        done.push({ domain, product: product.name, file });
        continue;
      }
      const started = performance.now();
      const { rows } = await generate(connection, { scale, seed, outFile: file, now, inputs });
      log(`seeding ${domain}: ${rows.toLocaleString('en-US')} rows in ${seconds(started)} s`);
      rebuilt.add(product.name);
      done.push({ domain, product: product.name, file, rows });
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return done;
}

/** A path relative to the working folder when it lies below it, else absolute. */
function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function missingInput(domain: string, source: string): never {
  throw new Error(`cannot seed ${domain}: its input "${source}" is not a sample product seeded before it`);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
