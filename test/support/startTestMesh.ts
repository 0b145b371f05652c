/**
 * Starts a real mesh for a test: seeds the sample's raw sources at a small scale into a temporary
 * data root and builds its products from them (once per scale and process), starts every subgraph
 * and the gateway on loopback port 0, and gives a `query` helper that POSTs to the gateway over
 * HTTP. Tests that set a mesh up their own way (another policy, a copy of the data to change) do it
 * through the options and helpers here.
 */
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../../cli/config.js';
import { seedSample } from '../../subgraphs/sample/index.js';
import { runBuilds } from '../../cli/mesh/runBuilds.js';
import { startMesh, type RunningMesh } from '../../cli/mesh/index.js';
import type { Limits } from '../../subgraphs/runtime/index.js';
import { mintDevToken } from '../../gateway/index.js';

/** A GraphQL response as a client sees it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  /** The raw body, for asserting what must never appear in it. */
  readonly text: string;
}

/** A mesh started for a test. */
export interface TestMesh {
  readonly running: RunningMesh;
  readonly dataRoot: string;
  /** Mints a real dev token signed by the test mesh's own dev key. */
  token(claims: { sub?: string; roles: readonly string[]; purpose?: string; countries?: readonly string[]; ttlS?: number }): Promise<string>;
  /** POSTs a GraphQL operation to the gateway, as the owner of every domain unless `headers` say otherwise. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Statements the mesh's DuckDB has run so far. */
  statements(): number;
  close(): Promise<void>;
}

const seeded = new Map<string, Promise<string>>();

/** The roles that read every sample domain unmasked: what data-shape tests query as. */
export const OWNER_ROLES = ['customers-owner', 'commerce-owner', 'payments-owner', 'governance-owner'];

let stateDir: Promise<string> | undefined;
/** One state folder (dev key, dev secrets) per test process. */
const stateDirOnce = (): Promise<string> => (stateDir ??= mkdtemp(path.join(tmpdir(), 'meshgate-state-')));

/** The state folder of this test process's meshes (dev key in `dev-keys/`, dev secrets in `dev-secrets.json`), for tests that forge or sign tokens. */
export const testStateDir = (): Promise<string> => stateDirOnce();

/** The day the test sample is seeded and built on, so its data and versions are the same in every run. */
export const SAMPLE_DAY = new Date('2026-11-01T00:00:00Z');

/** Seeds the sample mesh's sources once per scale into a temporary folder, builds its products there, and returns the data root. */
export function seededDataRoot(scale = 0.05): Promise<string> {
  const key = String(scale);
  let root = seeded.get(key);
  if (!root) {
    root = (async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-test-'));
      await seedSample({ scale, seed: 42, dataRoot: dir, ifMissing: false, log: () => undefined, now: SAMPLE_DAY });
      const config = readConfig({
        MESHGATE_STATE_DIR: await stateDirOnce(),
        MESHGATE_DATA_DIR: dir,
        MESHGATE_SUBGRAPHS_DIR: path.join(REPO_ROOT, 'subgraphs'),
        MESHGATE_DUCKDB_MEMORY: '1GB',
        // The sample's own builds stay out of its access log, so a test's mesh starts with a log of its own requests only.
        MESHGATE_ACCESS_LOG: 'off',
      });
      const run = await runBuilds(config, [], () => undefined);
      const failed =
        'cycle' in run ? [`a cycle: ${run.cycle.join(' → ')}`] : run.outcomes.filter((o) => o.status === 'failed').map((o) => (o.status === 'failed' ? o.message : ''));
      if (failed.length) throw new Error(`the test sample does not build: ${failed.join('; ')}`);
      return dir;
    })();
    seeded.set(key, root);
  }
  return root;
}

/** A fresh copy of the seeded sample data (see {@link seededDataRoot}), for a test to change or a mesh to write into. */
export async function copyOfSeededData(scale?: number): Promise<string> {
  const copy = await mkdtemp(path.join(tmpdir(), 'meshgate-mesh-'));
  await cp(await seededDataRoot(scale), copy, { recursive: true });
  return copy;
}

/** Writes an access policy into a temporary file of its own and returns its path. */
async function policyFile(yaml: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'meshgate-policy-')), 'access.yaml');
  await writeFile(file, yaml);
  return file;
}

/** Options of {@link startTestMesh}. */
export interface TestMeshOptions {
  readonly scale?: number;
  readonly dataRoot?: string;
  readonly subgraphsDir?: string;
  /** The access policy (YAML text) to serve instead of policies/access.yaml. */
  readonly policy?: string;
  readonly limits?: Limits;
  readonly env?: Record<string, string>;
  readonly log?: (line: string) => void;
  /** Build products on their schedules, catching up stale ones at start (the default), or leave the data as it is. */
  readonly buildTimers?: boolean;
}

/** Starts the sample mesh (or another subgraphs folder) for a test. */
export async function startTestMesh(options: TestMeshOptions = {}): Promise<TestMesh> {
  // Each mesh gets its own copy of the seeded data: its access log and the governance product it compacts into are its own.
  const dataRoot = options.dataRoot ?? (await copyOfSeededData(options.scale));
  const stateDir = options.env?.MESHGATE_STATE_DIR ?? (await stateDirOnce());
  const config = readConfig({
    MESHGATE_STATE_DIR: stateDir,
    MESHGATE_DATA_DIR: dataRoot,
    MESHGATE_SUBGRAPHS_DIR: options.subgraphsDir ?? path.join(REPO_ROOT, 'subgraphs'),
    MESHGATE_DUCKDB_MEMORY: '1GB',
    ...(options.policy !== undefined && { MESHGATE_POLICY_FILE: await policyFile(options.policy) }),
    ...options.env,
  });
  const running = await startMesh({
    config,
    ephemeralPorts: true,
    log: options.log ?? (() => undefined),
    ...(options.limits && { limits: options.limits }),
    ...(options.buildTimers !== undefined && { buildTimers: options.buildTimers }),
  });
  const token: TestMesh['token'] = (claims) =>
    mintDevToken(path.join(stateDir, 'dev-keys'), {
      sub: claims.sub ?? 'test-user',
      roles: claims.roles,
      ttlS: claims.ttlS ?? 600,
      ...(claims.purpose && { purpose: claims.purpose }),
      ...(claims.countries && { countries: claims.countries }),
    });
  const owner = await token({ sub: 'owner-of-everything', roles: OWNER_ROLES });
  return {
    running,
    dataRoot,
    token,
    async query(query, variables, headers) {
      const res = await fetch(running.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}`, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      const body = JSON.parse(text) as { data?: never; errors?: never };
      return { status: res.status, data: body.data, errors: body.errors, text };
    },
    statements: () => running.db.statements,
    close: () => running.close(),
  };
}
