/**
 * Starts the whole mesh in one process, on the embedded default: one DuckDB instance and one result
 * cache, one subgraph per domain on its own port, and the gateway composing them and calling them in
 * process (MESHGATE_TRANSPORT). `meshgate up`, the end-to-end tests
 * and the benchmarks all start the mesh through here.
 */
import { mkdir } from 'node:fs/promises';
import { loadMesh, type Log, type Mesh } from '../../schema/index.js';
import type { Database, Limits, RunningSubgraph } from '../../subgraphs/runtime/index.js';
import type { RunningGateway } from '../../gateway/index.js';
import type { Config } from '../config.js';
import { gatewayAccess, graphiqlGuide, loadSecurity } from '../security.js';
import { describeMeshProblems, loadServedMesh, requireWholeMesh } from './loadServedMesh.js';
import { recomposeMeshGateway } from './reloadMeshGateway.js';
import { openAccessLog } from './openAccessLog.js';
import { openDatabase, openStatementRunner, statementRunnerMetrics } from './openDatabase.js';
import { inProcessTransport } from './inProcessTransport.js';
import { startDomainJobs } from './startDomainJobs.js';
import { startDomainSubgraph } from './startDomainSubgraph.js';
import { watchDeclarations, type DeclarationWatch, type MeshReload } from './watchDeclarations.js';
import { startMeshGateway } from './startMeshGateway.js';
import { buildEnv, openBuildLog } from './buildEnv.js';
import { databaseMetrics } from './databaseMetrics.js';
import { startBuildSchedule, type BuildSchedule } from './startBuildSchedule.js';
import { createProcessMetrics } from './processMetrics.js';
import { startTracing } from '../tracing.js';

/** What {@link startMesh} needs beyond the configuration. */
export interface MeshOptions {
  readonly config: Config;
  /** Use port 0 everywhere (tests). */
  readonly ephemeralPorts?: boolean;
  readonly limits?: Limits;
  readonly log?: Log;
  /** Build each product on its schedule (the default), or only those with no published version, at start. */
  readonly buildTimers?: boolean;
  /** The builds' clock (tests move it). */
  readonly now?: () => Date;
}

/** A running mesh. */
export interface RunningMesh {
  readonly mesh: Mesh;
  readonly db: Database;
  readonly subgraphs: ReadonlyMap<string, RunningSubgraph>;
  readonly gateway: RunningGateway;
  /** The builds this mesh runs. */
  readonly builds: BuildSchedule;
  /**
   * Calls `listener` after each settled change of the declarations (MESHGATE_RELOAD=on): the mesh now
   * served and what each subgraph did (swapped in a new schema, or refused the change). The gateway
   * recomposes on it. Returns a function that removes the listener.
   */
  onReload(listener: (reload: MeshReload) => void): () => void;
  /**
   * Loads the declarations again and re-composes the gateway over them (hot reload: call it once the
   * subgraphs have swapped in their new schemas); a broken change is refused, logged and reported by
   * readiness, and the previous supergraph keeps serving.
   */
  recomposeGateway(): Promise<{ readonly errors?: readonly string[] }>;
  close(): Promise<void>;
}

/** Loads the declarations, starts every healthy domain's subgraph, then the gateway. */
export async function startMesh(options: MeshOptions): Promise<RunningMesh> {
  const { config } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const mesh = await loadServedMesh(config, log);
  requireWholeMesh(config, mesh, log);
  if (mesh.domains.length === 0) throw new Error('no domain could be loaded: see the declaration problems above');
  const security = await loadSecurity(config, mesh, log);
  if (security.open) log('WARNING: access control is OFF (MESHGATE_ACCESS=off): every caller reads everything unmasked');
  await mkdir(config.MESHGATE_DATA_DIR, { recursive: true });
  // The access log opens first: the builds at start record their reads of upstream products in it.
  const accessLog = await openAccessLog(config, log);
  if (!accessLog) log('WARNING: the access log is OFF (MESHGATE_ACCESS_LOG=off): requests are not recorded');
  let builds: BuildSchedule;
  try {
    const buildLog = await openBuildLog(config, log, accessLog);
    builds = await startBuildSchedule(buildEnv(config, mesh, security, buildLog.record, log, options.now), { timers: options.buildTimers ?? true });
  } catch (error) {
    await accessLog?.close();
    throw error;
  }
  const db = await openDatabase(config);
  const runner = openStatementRunner(config, db);
  const metrics = createProcessMetrics();
  const tracing = await startTracing(config, 'meshgate');
  const telemetry = { metrics: metrics.subgraphs, ...(tracing && { tracer: tracing.tracer }) };
  // Domain jobs run once before the subgraphs start, so what they produce is served from the first request.
  const stopJobs = await startDomainJobs(
    config,
    mesh.domains.map((d) => d.name),
    log,
  );
  const subgraphs = new Map<string, RunningSubgraph>();
  try {
    let nextPort = 4005;
    for (const d of mesh.domains) {
      const port = options.ephemeralPorts ? 0 : (config.subgraphPorts[d.name] ?? nextPort++);
      const sg = await startDomainSubgraph(config, { domain: d.name, mesh, db, runner, security, port, log, limits: options.limits, telemetry });
      subgraphs.set(d.name, sg);
      log(`subgraph ${d.name} (${d.products.map((p) => p.name).join(', ')}) listening on ${sg.url}`);
    }
    const access = await gatewayAccess(security, mesh);
    const urlOf = (domain: string): string => subgraphs.get(domain)!.url;
    const inProcess = config.MESHGATE_TRANSPORT === 'in-process';
    const gateway = await startMeshGateway(config, {
      mesh,
      urlOf,
      ...(inProcess && { transportOf: (domain: string) => inProcessTransport(subgraphs.get(domain)!) }),
      port: options.ephemeralPorts ? 0 : config.MESHGATE_GATEWAY_PORT,
      access,
      accessLog,
      log,
      extraMetrics: () => builds.metrics() + databaseMetrics(db) + statementRunnerMetrics(runner),
      graphiql: graphiqlGuide(security, mesh),
      metricsRegistry: metrics.registry,
      ...(tracing && { tracer: tracing.tracer }),
    });
    const recomposeGateway = async (): Promise<{ readonly errors?: readonly string[] }> => {
      const next = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
      const check = async (m: Mesh): Promise<string[]> => {
        // A new domain needs its own subgraph, which this process starts only at start.
        const unserved = m.domains.filter((d) => !subgraphs.has(d.name)).map((d) => `domain "${d.name}" is new: restart the mesh to serve it`);
        if (unserved.length > 0 || security.open) return unserved;
        return loadSecurity(config, m).then(
          () => [],
          (error: unknown) => [error instanceof Error ? error.message : String(error)],
        );
      };
      return recomposeMeshGateway(gateway, {
        mesh: next,
        urlOf,
        ...(inProcess && { transportOf: (domain: string) => (subgraphs.has(domain) ? inProcessTransport(subgraphs.get(domain)!) : undefined) }),
        accessOn: !security.open,
        check,
        describeProblems: describeMeshProblems,
      });
    };
    const listeners = new Set<(reload: MeshReload) => void>();
    // The subgraphs swap in their new schemas first (watchDeclarations), then the gateway re-composes over them, then listeners hear of it.
    const settled = (reload: MeshReload): void =>
      void (reload.events.some((e) => e.kind === 'swapped') ? recomposeGateway() : Promise.resolve()).then(
        () => listeners.forEach((l) => l(reload)),
        (error: unknown) => log(`reload: the gateway could not re-compose: ${error instanceof Error ? error.message : String(error)}`),
      );
    const watch: DeclarationWatch | undefined = config.MESHGATE_RELOAD === 'on' ? watchDeclarations(config, [...subgraphs.values()], mesh, log, settled) : undefined;
    const onReload = (listener: (reload: MeshReload) => void): (() => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    };
    const close = async (): Promise<void> => {
      watch?.close();
      await gateway.close();
      await builds.close();
      await stopJobs();
      await accessLog?.close();
      await Promise.all([...subgraphs.values()].map((s) => s.close()));
      db.close();
      await tracing?.shutdown();
    };
    return { mesh, db, subgraphs, gateway, builds, onReload, recomposeGateway, close };
  } catch (error) {
    await builds.close();
    await stopJobs();
    await accessLog?.close();
    await Promise.all([...subgraphs.values()].map((s) => s.close()));
    db.close();
    await tracing?.shutdown();
    throw error;
  }
}
