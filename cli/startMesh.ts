/**
 * Starts the whole mesh in one process, on the embedded default: one DuckDB instance, one subgraph
 * per domain on its own port, and the gateway composing them. `meshgate up`, the end-to-end tests
 * and the benchmarks all start the mesh through here.
 */
import { mkdir } from 'node:fs/promises';
import { formatProblem, loadMesh, type Mesh } from '../schema/index.js';
import { Database, startSubgraph, type Limits, type RunningSubgraph } from '../subgraphs/runtime/index.js';
import { AccessLogWriter, startGateway, type RunningGateway } from '../gateway/index.js';
import { startDomainJobs } from './domainJobs.js';
import type { Config } from './config.js';
import { gatewayAccess, loadSecurity, subgraphContextKey } from './security.js';

/** What {@link startMesh} needs beyond the configuration. */
export interface MeshOptions {
  readonly config: Config;
  /** Use port 0 everywhere (tests). */
  readonly ephemeralPorts?: boolean;
  readonly limits?: Limits;
  readonly log?: (line: string) => void;
}

/** A running mesh. */
export interface RunningMesh {
  readonly mesh: Mesh;
  readonly db: Database;
  readonly subgraphs: ReadonlyMap<string, RunningSubgraph>;
  readonly gateway: RunningGateway;
  close(): Promise<void>;
}

/** Loads the declarations, starts every healthy domain's subgraph, then the gateway. */
export async function startMesh(options: MeshOptions): Promise<RunningMesh> {
  const { config } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
  for (const p of mesh.problems) log(`declaration problem: ${formatProblem(p)}`);
  for (const d of mesh.excluded) log(`domain "${d}" is left out of the mesh until its declarations are fixed`);
  if (mesh.domains.length === 0) throw new Error('no domain could be loaded: see the declaration problems above');
  const security = await loadSecurity(config, mesh.domains.flatMap((d) => d.products), log);
  if (security.open) log('WARNING: access control is OFF (MESHGATE_ACCESS=off): every caller reads everything unmasked');
  await mkdir(config.MESHGATE_DATA_DIR, { recursive: true });
  const db = await Database.open({
    dataDirs: [config.MESHGATE_DATA_DIR],
    memoryLimit: config.MESHGATE_DUCKDB_MEMORY,
    threads: config.MESHGATE_DUCKDB_THREADS,
    queryTimeoutMs: config.MESHGATE_QUERY_TIMEOUT_MS,
  });
  // Domain jobs run once before the subgraphs start, so what they produce is served from the first request.
  const stopJobs = await startDomainJobs(mesh.domains.map((d) => d.name), { dataRoot: config.MESHGATE_DATA_DIR, accessLogDir: config.accessLogDir, log });
  const subgraphs = new Map<string, RunningSubgraph>();
  try {
    let nextPort = 4005;
    for (const d of mesh.domains) {
      const port = options.ephemeralPorts ? 0 : (config.subgraphPorts[d.name] ?? nextPort++);
      const sg = await startSubgraph({
        domain: d.name, mesh, db, host: config.MESHGATE_HOST, port, log,
        contextKey: subgraphContextKey(security), hashKey: security.hashKey, ...(options.limits && { limits: options.limits }),
      });
      subgraphs.set(d.name, sg);
      log(`subgraph ${d.name} (${d.products.map((p) => p.name).join(', ')}) listening on ${sg.url}`);
    }
    const access = await gatewayAccess(security, mesh);
    const accessLog = config.MESHGATE_ACCESS_LOG === 'on' ? await AccessLogWriter.open({ dir: config.accessLogDir, segmentMaxAgeMs: config.MESHGATE_ACCESS_LOG_ROTATE_MS, log }) : undefined;
    if (!accessLog) log('WARNING: the access log is OFF (MESHGATE_ACCESS_LOG=off): requests are not recorded');
    const gateway = await startGateway({
      services: [...subgraphs.values()].map((s) => ({ name: s.subgraph.domain, url: s.url, typeDefs: s.subgraph.typeDefs })),
      host: config.MESHGATE_HOST,
      port: options.ephemeralPorts ? 0 : config.MESHGATE_GATEWAY_PORT,
      subgraphTimeoutMs: config.MESHGATE_SUBGRAPH_TIMEOUT_MS,
      log,
      ...(access && { access }),
      ...(accessLog && { accessLog }),
    });
    const close = async (): Promise<void> => {
      await gateway.close();
      await stopJobs();
      await accessLog?.close();
      await Promise.all([...subgraphs.values()].map((s) => s.close()));
      db.close();
    };
    return { mesh, db, subgraphs, gateway, close };
  } catch (error) {
    await stopJobs();
    await Promise.all([...subgraphs.values()].map((s) => s.close()));
    db.close();
    throw error;
  }
}
