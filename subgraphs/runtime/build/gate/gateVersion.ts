/**
 * The gate a new version passes before it is published ("broken contracts block deployment, not
 * production"): the product's contract tests on the version's own files (types, required fields,
 * key uniqueness, references against the served upstream versions, freshness, completeness, the
 * contract's quality rules), then its profile against the served version's by the declared
 * anomaly thresholds. Any violation keeps the version aside; warnings are recorded and let through.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { readManifest, VERSION_RECORD_FILE, versionStore, type DataProduct, type GateFinding, type Profile, type VersionRecord } from '../../../../schema/index.js';
import { testContracts } from '../../contracts/index.js';
import type { BuildEnv } from '../BuildEnv.js';
import type { BuildSession } from '../BuildSession.js';
import { compareProfiles } from './compareProfiles.js';
import { profileVersion } from './profileVersion.js';

/** What the gate found. */
export interface GateOutcome {
  readonly tests: { readonly passed: number; readonly failed: number };
  readonly findings: readonly GateFinding[];
  readonly profile: Profile;
  /** Whether the version may be published (no violation). */
  readonly pass: boolean;
}

/** The profile the served version was published with, if any. */
async function servedProfile(product: DataProduct): Promise<Profile | undefined> {
  const read = await readManifest(product.storeDir);
  if (read.kind !== 'ok') return undefined;
  const file = path.join(versionStore(product.storeDir).versions, read.manifest.version, VERSION_RECORD_FILE);
  const record = await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as VersionRecord,
    () => undefined,
  );
  return record?.profile;
}

/** Runs the gate on the files of a new version of `product`. */
export async function gateVersion(session: BuildSession, product: DataProduct, files: readonly string[], dataAsOf: Date, env: BuildEnv, label: string): Promise<GateOutcome> {
  const report = await testContracts([product], {
    mesh: env.products,
    now: env.now(),
    baseDir: env.dataRoot,
    files: new Map([[product.name, { files, location: label, dataAsOfMs: dataAsOf.getTime() }]]),
  });
  const failedTests = report.results.filter((r) => !r.pass);
  const testFindings: GateFinding[] = failedTests.map((r) => ({
    check: `contract-${r.test}`,
    severity: r.finding?.severity === 'warning' ? 'warning' : 'violation',
    message: r.finding?.message ?? `${r.test}: expected ${r.expected}, got ${r.actual}`,
    ...(r.field !== undefined && { field: r.field }),
  }));
  const profile = await profileVersion(session, product, files);
  const findings = [...testFindings, ...compareProfiles(profile, await servedProfile(product), product.gate)];
  return { tests: { passed: report.results.length - failedTests.length, failed: failedTests.length }, findings, profile, pass: findings.every((f) => f.severity !== 'violation') };
}
