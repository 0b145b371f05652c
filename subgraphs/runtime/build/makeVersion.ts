/**
 * Every new version of a product is made the same way, whoever produced its data (a build from its
 * inputs, or `meshgate publish` of files a domain wrote itself): take the product's build lock,
 * produce the data into a staging folder from a DuckDB session, pass it through the gate, then
 * publish it by the manifest's atomic swap or keep it aside with its report. Whatever fails, the
 * previous version keeps serving and nothing is half-published: a reader sees only manifests.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  takeProcessLock,
  versionStore,
  type DataProduct,
  type GateFinding,
  type InputRead,
  type Lineage,
  type Manifest,
  type VersionRecord,
  type VersionSource,
} from '../../../schema/index.js';
import { BuildError, type BuildEnv } from './BuildEnv.js';
import { BuildSession } from './BuildSession.js';
import { gateVersion } from './gate/gateVersion.js';
import { applyRetention, clearStaging, createStaging, dropStaging, keepAside, nextVersionId, publish, type Staging } from './versions.js';

/** How one build or publish ended. */
export type BuildOutcome =
  | {
      readonly product: string;
      readonly status: 'published';
      readonly version: string;
      readonly rows: number;
      readonly durationMs: number;
      readonly warnings: readonly GateFinding[];
    }
  | {
      readonly product: string;
      readonly status: 'failed';
      readonly version?: string;
      readonly message: string;
      readonly findings: readonly GateFinding[];
      readonly durationMs: number;
    };

/** What producing a version's data gave. */
export interface Produced {
  readonly files: readonly string[];
  readonly rows: number;
  readonly inputs: readonly InputRead[];
  readonly lineage?: Lineage;
  readonly transform?: VersionRecord['transform'];
  /** How current the data is (the start of the build by default). */
  readonly dataAsOf?: Date;
  /** Called once the version is published (a connector's new checkpoint). */
  readonly commit?: () => Promise<void>;
}

/** Produces a version's data into `staging.data` with the session (whose files it may read until it locks it down). */
export type Produce = (session: BuildSession, staging: Staging, version: string) => Promise<Produced>;

/** The record of a version (made, failed, or stopped before it had data). */
function recordOf(
  product: DataProduct,
  version: string,
  source: VersionSource,
  started: Date,
  durationMs: number,
  produced: Produced | undefined,
  gate: { tests: VersionRecord['tests']; findings: readonly GateFinding[]; profile?: VersionRecord['profile'] } | undefined,
  published: boolean,
): VersionRecord {
  return {
    format: 'meshgate-version/1',
    product: product.name,
    version,
    status: published ? 'published' : 'failed',
    source,
    createdAt: started.toISOString(),
    dataAsOf: (produced?.dataAsOf ?? started).toISOString(),
    durationMs,
    files: (produced?.files ?? []).map((f) => path.basename(f)),
    rows: produced?.rows ?? 0,
    contractVersion: product.contract.version,
    inputs: produced?.inputs ?? [],
    ...(produced?.transform && { transform: produced.transform }),
    tests: gate?.tests ?? { passed: 0, failed: 0 },
    findings: gate?.findings ?? [],
    ...(gate?.profile && { profile: gate.profile }),
    ...(produced?.lineage && { lineage: produced.lineage }),
  };
}

/** Makes one new version of `product` from what `produce` writes. Never throws for a version that fails: the outcome says why. */
export async function makeVersion(product: DataProduct, env: BuildEnv, source: VersionSource, produce: Produce): Promise<BuildOutcome> {
  const started = env.now();
  const elapsed = (): number => env.now().getTime() - started.getTime();
  const failed = (message: string, findings: readonly GateFinding[] = [], version?: string): BuildOutcome => ({
    product: product.name,
    status: 'failed',
    message,
    findings,
    durationMs: elapsed(),
    ...(version !== undefined && { version }),
  });
  const store = versionStore(product.storeDir);
  let release: () => Promise<void>;
  try {
    await mkdir(store.dir, { recursive: true });
    release = await takeProcessLock(store.lock, {
      reentrant: false,
      held: (h) => `${product.name}: a build of it is already running (process ${h.pid} on "${h.host}"); one build of a product at a time`,
      tookOver: (h) => env.log(`${product.name}: ${h ? `process ${h.pid}, which was building it, is gone` : 'an unreadable build lock was found'}: taking its lock over`),
    });
  } catch (error) {
    return failed((error as Error).message);
  }
  let staging: Staging | undefined;
  let version: string | undefined;
  try {
    await clearStaging(store);
    version = await nextVersionId(store, started);
    staging = await createStaging(store, version);
    const session = await BuildSession.open({ memoryLimit: env.memoryLimit, threads: env.threads });
    let produced: Produced;
    let gate: Awaited<ReturnType<typeof gateVersion>>;
    try {
      produced = await produce(session, staging, version);
      env.log(`${product.name}: testing version ${version} (${produced.rows} rows)...`);
      gate = await gateVersion(session, product, produced.files, produced.dataAsOf ?? started, env, `${product.name} version ${version}`);
    } finally {
      session.close();
    }
    const record = recordOf(product, version, source, started, elapsed(), produced, gate, gate.pass);
    if (!gate.pass) {
      await keepAside(store, staging, record);
      const violations = gate.findings.filter((f) => f.severity === 'violation');
      return failed(
        `${product.name}: version ${version} failed its gate and is kept aside in failed/${version}: ${violations.map((f) => f.message).join('; ')}`,
        gate.findings,
        version,
      );
    }
    const manifest: Manifest = {
      format: 'meshgate-manifest/1',
      product: product.name,
      version,
      publishedAt: env.now().toISOString(),
      dataAsOf: record.dataAsOf,
      source,
      files: produced.files.map((f) => path.join('versions', version!, path.basename(f))),
      rows: produced.rows,
      contractVersion: product.contract.version,
    };
    await publish(store, staging, record, manifest);
    await produced.commit?.();
    await dropStaging(staging);
    const removed = await applyRetention(store, product.retention, version, env.now());
    if (removed.length > 0) env.log(`${product.name}: retention removed ${removed.length} old version(s)`);
    return { product: product.name, status: 'published', version, rows: produced.rows, durationMs: elapsed(), warnings: gate.findings };
  } catch (error) {
    if (error instanceof BuildError && staging && version) {
      // A build that could not make its version still leaves its report, for the catalog and the steward.
      const findings: GateFinding[] = [{ check: 'build', severity: 'violation', message: error.message }];
      await keepAside(store, staging, recordOf(product, version, source, started, elapsed(), undefined, { tests: { passed: 0, failed: 0 }, findings }, false)).catch(
        () => undefined,
      );
    }
    if (staging) await dropStaging(staging).catch(() => undefined);
    if (error instanceof BuildError) return failed(error.message, [{ check: 'build', severity: 'violation', message: error.message }], version);
    const message =
      (error as NodeJS.ErrnoException).code === 'ENOSPC' || /No space left/i.test((error as Error).message) ? 'the disk is full' : (error as Error).message.split('\n')[0];
    return failed(`${product.name}: the version could not be made: ${message}`, [], version);
  } finally {
    await release();
  }
}
