/**
 * One real domain subgraph for the serving tests, started as `meshgate subgraph` starts it (the
 * configuration read from an environment, cli/mesh's startDomainSubgraph), over a copy of the seeded
 * sample data, optionally over a copy of the declarations a test may change; and a client that
 * signs the access context the gateway would send.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT, type Config } from '../../../cli/config.js';
import { loadSecurity } from '../../../cli/security.js';
import { loadServedMesh, openDatabase, openStatementRunner, startDomainSubgraph } from '../../../cli/mesh/index.js';
import { ACCESS_CONTEXT_HEADER, contextKey, signAccessContext } from '../../../policies/index.js';
import type { Mesh } from '../../../schema/index.js';
import type { Database, RunningSubgraph } from '../../../subgraphs/runtime/index.js';
import { copyOfSeededData, testStateDir } from '../../support/startTestMesh.js';

export const CONTEXT_SECRET = 'subgraph-serving-tests-context-secret-0123456789';
const HASH_KEY = 'subgraph-serving-tests-mask-hash-key-0123456789';

/** A running subgraph and what the test needs around it. */
export interface RealSubgraph {
  readonly sg: RunningSubgraph;
  readonly config: Config;
  readonly mesh: Mesh;
  readonly db: Database;
  readonly subgraphsDir: string;
  readonly lines: string[];
  /** The headers the gateway would send: a signed access context granting every product of the mesh unmasked. */
  gatewayHeaders(): Promise<Record<string, string>>;
  /** POSTs an operation to the subgraph as the gateway would. */
  post(
    query: string,
  ): Promise<{ status: number; headers: Headers; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } }>;
  close(): Promise<void>;
}

/** A copy of the sample's declarations (subgraphs/) for a test to change. */
export async function copyOfDeclarations(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'meshgate-decl-')), 'subgraphs');
  await cp(path.join(REPO_ROOT, 'subgraphs'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}runtime`) });
  return dir;
}

/** The environment a real subgraph is configured from, with `env` over it. */
export async function subgraphEnv(env: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    MESHGATE_STATE_DIR: await testStateDir(),
    MESHGATE_DATA_DIR: await copyOfSeededData(),
    MESHGATE_SUBGRAPHS_DIR: path.join(REPO_ROOT, 'subgraphs'),
    MESHGATE_DUCKDB_MEMORY: '1GB',
    MESHGATE_CONTEXT_SECRET: CONTEXT_SECRET,
    MESHGATE_MASK_HASH_KEY: HASH_KEY,
    MESHGATE_ACCESS_LOG: 'off',
    MESHGATE_RELOAD: 'off',
    ...env,
  };
}

/** Starts `domain`'s subgraph on port 0 with the configuration `env` gives (see {@link subgraphEnv}). */
export async function startRealSubgraph(domain: string, env: Record<string, string> = {}): Promise<RealSubgraph> {
  const config = readConfig(await subgraphEnv(env));
  const lines: string[] = [];
  const log = (line: string): void => void lines.push(line);
  const mesh = await loadServedMesh(config, log);
  const db = await openDatabase(config);
  const security = await loadSecurity(config, mesh, log);
  const sg = await startDomainSubgraph(config, { domain, mesh, db, runner: openStatementRunner(config, db), security, port: 0, log });
  const key = contextKey(CONTEXT_SECRET);
  const gatewayHeaders = async (): Promise<Record<string, string>> => {
    const grant = { masks: {}, denied: [], rows: null };
    const products = Object.fromEntries(mesh.domains.flatMap((d) => d.products.map((p) => [p.name, grant])));
    return { [ACCESS_CONTEXT_HEADER]: await signAccessContext(key, { requestId: 'test', sub: 'tester', products }) };
  };
  const post: RealSubgraph['post'] = async (query) => {
    const res = await fetch(sg.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await gatewayHeaders()) }, body: JSON.stringify({ query }) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as never };
  };
  const close = async (): Promise<void> => {
    await sg.close();
    db.close();
  };
  return { sg, config, mesh, db, subgraphsDir: config.MESHGATE_SUBGRAPHS_DIR, lines, gatewayHeaders, post, close };
}
