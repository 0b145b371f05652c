/**
 * One build of one product: take its build lock, load its inputs, check and run its transform in a
 * locked-down session, write the result as a new immutable version, pass it through the gate, and
 * publish it by the manifest's atomic swap, or keep it aside with its report. Whatever fails, the
 * previous version keeps serving and nothing is half-published: a reader sees only manifests.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readManifest, takeProcessLock, versionStore, type DataProduct, type GateFinding, type InputRead, type Lineage, type Manifest, type VersionRecord } from '../../../schema/index.js';
import { BuildError, type BuildEnv } from './BuildEnv.js';
import { BuildSession } from './BuildSession.js';
import { gateVersion } from './gate/gateVersion.js';
import { inputTable, type LoadedInput } from './inputs/InputConnector.js';
import { loadInputs } from './inputs/loadInputs.js';
import { checkTransform } from './transform/checkTransform.js';
import { columnLineage } from './transform/columnLineage.js';
import { describeInputs } from './transform/describeInputs.js';
import { runTransform } from './transform/runTransform.js';
import { applyRetention, clearStaging, createStaging, dropStaging, keepAside, nextVersionId, publish, type Staging } from './versions.js';

/** How one build ended. */
export type BuildOutcome =
  | { readonly product: string; readonly status: 'published'; readonly version: string; readonly rows: number; readonly durationMs: number; readonly warnings: readonly GateFinding[] }
  | { readonly product: string; readonly status: 'failed'; readonly version?: string; readonly message: string; readonly findings: readonly GateFinding[]; readonly durationMs: number };

/** What the version record says about a build's inputs and lineage. */
function lineageOf(product: DataProduct, columns: Lineage['columns']): Lineage {
  return { inputs: product.inputs.map((i) => ({ source: i.source, type: i.type, ...(i.domain !== undefined && { domain: i.domain }) })), columns };
}

/** Builds `product` once. Never throws for a build that fails: the outcome says why. */
export async function buildProduct(product: DataProduct, env: BuildEnv): Promise<BuildOutcome> {
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
  if (!product.transform) return failed(`${product.name}: it declares no transform (outputs[].transform), so the platform cannot build it; publish its files with "meshgate publish ${product.name} --from DIR"`);
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
    const sql = await readFile(product.transform.file, 'utf8').catch(() => {
      throw new BuildError(product.name, `its transform ${product.transform!.declared} cannot be read (expected a SQL file next to its descriptor)`);
    });
    const session = await BuildSession.open({ memoryLimit: env.memoryLimit, threads: env.threads });
    let loaded: LoadedInput[];
    let files: string[];
    let rows: number;
    let lineage: Lineage;
    let gate: Awaited<ReturnType<typeof gateVersion>>;
    try {
      loaded = await loadInputs({ product, session, env, scratch: staging.scratch, transformSql: sql });
      const checked = await checkTransform(session, product.name, product.transform.declared, sql, new Map(product.inputs.map((i) => [i.source, inputTable(i.source)])));
      await session.lockDown(staging.root);
      env.log(`${product.name}: running ${product.transform.declared}...`);
      ({ files, rows } = await runTransform(session, product, checked, staging.data));
      lineage = lineageOf(product, columnLineage(checked.tree, product, await describeInputs(session, product)));
      env.log(`${product.name}: testing version ${version} (${rows} rows)...`);
      gate = await gateVersion(session, product, files, env, `${product.name} version ${version}`);
    } finally {
      session.close();
    }
    const dataAsOf = started;
    const record: VersionRecord = {
      format: 'meshgate-version/1',
      product: product.name,
      version,
      status: gate.pass ? 'published' : 'failed',
      source: 'build',
      createdAt: started.toISOString(),
      dataAsOf: dataAsOf.toISOString(),
      durationMs: elapsed(),
      files: files.map((f) => path.basename(f)),
      rows,
      contractVersion: product.contract.version,
      inputs: loaded.map((l): InputRead => l.read),
      transform: { file: product.transform.declared, sha256: createHash('sha256').update(sql).digest('hex') },
      tests: gate.tests,
      findings: gate.findings,
      profile: gate.profile,
      lineage,
    };
    if (!gate.pass) {
      await keepAside(store, staging, record);
      const violations = gate.findings.filter((f) => f.severity === 'violation');
      return failed(`${product.name}: version ${version} failed its gate and is kept aside in failed/${version}: ${violations.map((f) => f.message).join('; ')}`, gate.findings, version);
    }
    const manifest: Manifest = {
      format: 'meshgate-manifest/1',
      product: product.name,
      version,
      publishedAt: env.now().toISOString(),
      dataAsOf: dataAsOf.toISOString(),
      source: 'build',
      files: files.map((f) => path.join('versions', version!, path.basename(f))),
      rows,
      contractVersion: product.contract.version,
    };
    await publish(store, staging, record, manifest);
    for (const l of loaded) await l.commit?.();
    await dropStaging(staging);
    const removed = await applyRetention(store, product.retention, version, env.now());
    if (removed.length > 0) env.log(`${product.name}: retention removed ${removed.length} old version(s)`);
    return { product: product.name, status: 'published', version, rows, durationMs: elapsed(), warnings: gate.findings };
  } catch (error) {
    if (error instanceof BuildError && staging && version) {
      // A build that could not make its version still leaves its report, for the catalog and the steward.
      const findings: GateFinding[] = [{ check: 'build', severity: 'violation', message: error.message }];
      await keepAside(store, staging, failedRecord(product, version, started, elapsed(), findings)).catch(() => undefined);
    }
    if (staging) await dropStaging(staging).catch(() => undefined);
    if (error instanceof BuildError) return failed(error.message, [{ check: 'build', severity: 'violation', message: error.message }], version);
    const message = (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk is full' : (error as Error).message.split('\n')[0];
    return failed(`${product.name}: the build failed: ${message}`, [], version);
  } finally {
    await release();
  }
}

/** The report of a build that stopped before it had a version to gate. */
function failedRecord(product: DataProduct, version: string, started: Date, durationMs: number, findings: readonly GateFinding[]): VersionRecord {
  return {
    format: 'meshgate-version/1',
    product: product.name,
    version,
    status: 'failed',
    source: 'build',
    createdAt: started.toISOString(),
    dataAsOf: started.toISOString(),
    durationMs,
    files: [],
    rows: 0,
    contractVersion: product.contract.version,
    inputs: [],
    tests: { passed: 0, failed: 0 },
    findings,
  };
}

/** The version a product serves now, if any. */
export async function servedVersion(product: DataProduct): Promise<string | undefined> {
  const read = await readManifest(product.storeDir);
  return read.kind === 'ok' ? read.manifest.version : undefined;
}
