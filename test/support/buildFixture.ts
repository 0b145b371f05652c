/**
 * A tiny product for build tests, in a temporary folder: a descriptor with the given inputs, an
 * Avro contract, a transform, a data root, and a BuildEnv whose deployment connections are the
 * given map (what MESHGATE_INPUT_<SOURCE>_URL would hold). `loadInput` runs the platform's own
 * loadInputs in a real BuildSession and returns what the transform would see.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDataProduct, type DataProduct } from '../../schema/index.js';
import type { BuildEnv } from '../../subgraphs/runtime/index.js';
import { BuildSession, type BuildRow } from '../../subgraphs/runtime/build/BuildSession.js';
import type { LoadedInput } from '../../subgraphs/runtime/build/inputs/InputConnector.js';
import { loadInputs } from '../../subgraphs/runtime/build/inputs/loadInputs.js';

/** A contract field: name and Avro type. */
export interface FixtureField {
  readonly name: string;
  readonly type: string | readonly unknown[] | Record<string, unknown>;
}

/** A built fixture. */
export interface BuildFixture {
  readonly dir: string;
  readonly dataRoot: string;
  readonly product: DataProduct;
  readonly env: BuildEnv;
  /** Every line the build logged. */
  readonly logs: string[];
  /** The deployment's connections, by source (tests change them). */
  readonly connections: Map<string, string>;
  remove(): Promise<void>;
}

/** Writes and loads a product named `name` with `inputs`, a contract of `fields` keyed by `key`, and `transform`. */
export async function buildFixture(options: {
  name?: string;
  inputs: readonly Record<string, unknown>[];
  fields: readonly FixtureField[];
  key: string;
  transform: string;
  connections: Record<string, string>;
}): Promise<BuildFixture> {
  const name = options.name ?? 'orders-mirror';
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-build-'));
  const domainDir = path.join(dir, 'domain');
  const dataRoot = path.join(dir, 'data');
  await mkdir(domainDir, { recursive: true });
  await mkdir(dataRoot, { recursive: true });
  const descriptor = {
    name,
    domain: 'commerce',
    owner: 'commerce-data-team@company.com',
    inputs: options.inputs,
    outputs: [{ name: `${name}-v1`, format: 'parquet', location: `commerce/${name}/`, schema: 'contract.avsc', transform: 'transform.sql', retention: { keep: 5 } }],
    schedule: 'manual',
  };
  const contract = {
    type: 'record',
    name: 'Row',
    fields: options.fields.map((f) => ({ name: f.name, type: f.type, classification: 'none', ...(f.name === options.key && { key: true }) })),
  };
  await writeFile(path.join(domainDir, 'data-product.yaml'), JSON.stringify(descriptor, null, 2));
  await writeFile(path.join(domainDir, 'contract.avsc'), JSON.stringify(contract, null, 2));
  await writeFile(path.join(domainDir, 'transform.sql'), options.transform);
  const loaded = await loadDataProduct(path.join(domainDir, 'data-product.yaml'), { dataRoot });
  if (loaded.errors) throw new Error(`fixture descriptor: ${JSON.stringify(loaded.errors)}`);
  const product = loaded.value!;
  const logs: string[] = [];
  const connections = new Map(Object.entries(options.connections));
  const env: BuildEnv = {
    dataRoot,
    products: new Map([[product.name, product]]),
    policy: null,
    policyFile: 'none',
    hashKey: 'k'.repeat(32),
    record: async () => undefined,
    connection: (source) => connections.get(source),
    log: (line) => logs.push(line),
    now: () => new Date(),
    memoryLimit: '1GB',
    threads: 1,
  };
  return { dir, dataRoot, product, env, logs, connections, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** What one load of the product's inputs gave: the first input's outcome, its table's rows (ordered by `orderBy`) and column types. */
export async function loadInput(fx: BuildFixture, orderBy: string): Promise<{ loaded: LoadedInput; rows: BuildRow[]; types: Record<string, string>; scratch: string }> {
  const session = await BuildSession.open({ memoryLimit: fx.env.memoryLimit, threads: fx.env.threads });
  const scratch = await mkdtemp(path.join(fx.dir, 'scratch-'));
  try {
    const [loaded] = await loadInputs({ product: fx.product, session, env: fx.env, scratch, transformSql: '' });
    const table = fx.product.inputs[0]!.source.replaceAll('-', '_');
    const rows = await session.rows(`SELECT * FROM "${table}" ORDER BY "${orderBy}"`);
    const types = Object.fromEntries((await session.rows(`DESCRIBE "${table}"`)).map((c) => [String(c.column_name), String(c.column_type)]));
    return { loaded: loaded!, rows, types, scratch };
  } finally {
    session.close();
  }
}
