/**
 * What the builds of a mesh need, from the configuration: the products, the policy and hash key
 * they read upstream products under, the access log their reads go to, the deployment's input
 * connections (MESHGATE_INPUT_<SOURCE>_URL), and DuckDB's bounds.
 */
import { AccessLogWriter, type AccessLog } from '../../gateway/index.js';
import { LockHeldError, productsByName, submitToInbox, type AccessFacts, type Mesh } from '../../schema/index.js';
import { connectionVariable, type BuildEnv } from '../../subgraphs/runtime/index.js';
import type { Config } from '../config.js';
import type { Security } from '../security.js';

/** Where a build's access-log entries go, and how to let go of it. */
export interface BuildLog {
  readonly record: (facts: AccessFacts) => Promise<void>;
  close(): Promise<void>;
}

/**
 * The access log for a process that builds: the mesh's own writer when this process runs the mesh;
 * else the log's writer, taken for the run (or always the inbox, for a long-running schedule); or,
 * when a running mesh holds the log, its inbox, which
 * that mesh appends to the chain (an access is on the record either way, durably, before the build uses it).
 */
export async function openBuildLog(config: Config, log: (line: string) => void, running?: AccessLog, options: { readonly inbox?: boolean } = {}): Promise<BuildLog> {
  if (config.MESHGATE_ACCESS_LOG === 'off') {
    log('WARNING: the access log is OFF (MESHGATE_ACCESS_LOG=off): builds read upstream products unrecorded');
    return { record: async () => undefined, close: async () => undefined };
  }
  if (running) return { record: async (f) => void (await running.append(f)), close: async () => undefined };
  // A process that builds for long (a schedule beside the gateway) never takes the log: the gateway must be able to.
  if (options.inbox) return { record: (f) => submitToInbox(config.accessLogDir, f), close: async () => undefined };
  try {
    const writer = await AccessLogWriter.open({ dir: config.accessLogDir, segmentMaxAgeMs: config.MESHGATE_ACCESS_LOG_ROTATE_MS, log });
    return { record: async (f) => void (await writer.append(f)), close: () => writer.close() };
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    log(`access log: held by the running mesh (process ${error.holder.pid}): this build's reads go to its inbox, which it appends to the chain`);
    return { record: (f) => submitToInbox(config.accessLogDir, f), close: async () => undefined };
  }
}

/** The build settings of a mesh. */
export function buildEnv(config: Config, mesh: Mesh, security: Security, record: BuildLog['record'], log: (line: string) => void, now: () => Date = () => new Date()): BuildEnv {
  return {
    dataRoot: config.MESHGATE_DATA_DIR,
    products: productsByName(mesh),
    policy: security.open ? null : security.policy,
    policyFile: security.open ? '' : security.policyFile,
    hashKey: security.hashKey,
    record,
    connection: (source) => process.env[connectionVariable(source)] || undefined,
    log,
    now,
    memoryLimit: config.MESHGATE_DUCKDB_MEMORY,
    threads: config.MESHGATE_BUILD_THREADS,
  };
}
