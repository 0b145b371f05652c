/**
 * Who the benchmark calls the mesh as, now that access control is on by default: dev tokens signed
 * with the dev key of a state folder the bench controls (so the meshes under test trust them), and
 * access contexts signed with that folder's dev secret, for calling a subgraph directly.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { mintDevToken } from '../gateway/index.js';
import { ACCESS_CONTEXT_HEADER, contextKey, describeProblems, evaluateAccess, grantOf, loadPolicies, signAccessContext, type ProductGrant } from '../policies/index.js';
import type { DataProduct } from '../schema/index.js';

/** Roles that read every sample domain unmasked and without a row filter, so the SQL is the floor's. */
export const OWNER_ROLES: readonly string[] = Object.freeze(['customers-owner', 'commerce-owner', 'payments-owner']);
/** Roles that read every product with its PII masked (policies/access.yaml). */
export const ANALYST_ROLES: readonly string[] = Object.freeze(['analyst']);
/** Lifetime of the bench's tokens: longer than any run. */
export const TOKEN_TTL_S = 24 * 3600;

/**
 * Configuration the bench decides for itself, whatever the caller's environment says: its own
 * state folder (dev key, dev secrets), dev tokens, the repository's policy, access on or off, the
 * access log, and the levers a variant row turns off (the subgraph result cache, the embedded
 * mesh's transport): every other row runs with their defaults. MESHGATE_DUCKDB_THREADS and the
 * other tuning settings pass through: they are the configuration measured.
 */
const OWN_SETTINGS = [
  'NODE_ENV',
  'MESHGATE_STATE_DIR',
  'MESHGATE_ACCESS',
  'MESHGATE_POLICY_FILE',
  'MESHGATE_AUTH_MODE',
  'MESHGATE_JWKS_URL',
  'MESHGATE_JWKS_FILE',
  'MESHGATE_JWT_ISSUER',
  'MESHGATE_JWT_AUDIENCE',
  'MESHGATE_JWT_ALGORITHMS',
  'MESHGATE_JWT_SECRET',
  'MESHGATE_CONTEXT_SECRET',
  'MESHGATE_MASK_HASH_KEY',
  'MESHGATE_ACCESS_LOG',
  'MESHGATE_ACCESS_LOG_DIR',
  'MESHGATE_RESULT_CACHE',
  'MESHGATE_TRANSPORT',
];

/** Where this bench run's meshes write their access log (removed when the run ends): one folder per gateway that writes one (`label`), one shared by those that do not. */
export const benchLogDir = (stateDir: string, accessLog: 'on' | 'off', label?: string): string =>
  path.join(stateDir, `access-log-raw-${process.pid}-${accessLog === 'on' && label ? `on-${label}` : accessLog}`);

/** Removes every access-log folder of this bench run. */
export async function removeBenchLogDirs(stateDir: string): Promise<void> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(`access-log-raw-${process.pid}-`)).map((n) => rm(path.join(stateDir, n), { recursive: true, force: true })));
}

/**
 * `env` with the bench's own settings: the given state folder, dev mode, access control on or off,
 * and the access log off unless asked (the mesh that measures it runs over its own copy of the
 * data, since its governance job compacts into the data root); the log's segments go under the
 * state folder, so nothing is written into the served data.
 */
export function benchEnv(env: NodeJS.ProcessEnv, stateDir: string, access: 'on' | 'off', accessLog: 'on' | 'off' = 'off', logLabel?: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of OWN_SETTINGS) delete out[name];
  return { ...out, MESHGATE_STATE_DIR: stateDir, MESHGATE_ACCESS: access, MESHGATE_ACCESS_LOG: accessLog, MESHGATE_ACCESS_LOG_DIR: benchLogDir(stateDir, accessLog, logLabel) };
}

/** The `Authorization` header of a token. */
export const bearer = (token: string): Readonly<Record<string, string>> => Object.freeze({ authorization: `Bearer ${token}` });

/** Grants every product unmasked, with no row filter: what the gateway signs for the owner of every domain. */
export function ownerGrants(products: readonly string[]): Record<string, ProductGrant> {
  return Object.fromEntries(products.map((p) => [p, { masks: {}, denied: [], rows: null }]));
}

/** Who a request is sent as: the owner of every domain (unmasked, no row filter), or an analyst (PII masked). */
export type Caller = 'owner' | 'analyst';

/** The callers of the benchmark. */
export interface BenchAccess {
  /** Where the dev key lives (`<state>/dev-keys`). */
  readonly devKeyDir: string;
  /** The owner of every sample domain. */
  readonly owner: Readonly<Record<string, string>>;
  /** An analyst: the same products, PII masked. */
  readonly analyst: Readonly<Record<string, string>>;
  /**
   * A freshly signed access context with the grants the gateway would sign for `caller` (the
   * owner: every product unmasked; the analyst: what the policy file grants the analyst role,
   * masks included); it lives 60 s, so sign one right before each run. Reads the dev secret the
   * meshes of the state folder use, so call it once a mesh has started (it creates the secret).
   */
  contextHeaders(caller?: Caller): Promise<Readonly<Record<string, string>>>;
}

/** The grants the policy gives a caller with `roles` on each product it allows (what the gateway signs for it, the products it may read). */
export async function policyGrants(policyFile: string, products: readonly DataProduct[], sub: string, roles: readonly string[]): Promise<Record<string, ProductGrant>> {
  const policy = await loadPolicies(policyFile, products);
  if (policy.errors) throw new Error(`bench: the policy file does not load:\n${describeProblems(policy.errors)}`);
  const principal = { sub, roles, scopes: [], claims: { sub, roles } };
  const grants: Record<string, ProductGrant> = {};
  for (const p of products) {
    const d = evaluateAccess(policy.value, principal, p, policyFile);
    if (d.allowed) grants[p.name] = grantOf(d);
  }
  return grants;
}

/**
 * Mints the owner's and the analyst's tokens with the state folder's dev key (generated on first
 * use), and works out the grants their access contexts carry (the analyst's from `policyFile`).
 */
export async function openBenchAccess(stateDir: string, products: readonly DataProduct[], policyFile: string): Promise<BenchAccess> {
  const devKeyDir = path.join(stateDir, 'dev-keys');
  const mint = async (sub: string, roles: readonly string[]): Promise<Readonly<Record<string, string>>> => bearer(await mintDevToken(devKeyDir, { sub, roles, ttlS: TOKEN_TTL_S }));
  const grants: Record<Caller, { sub: string; products: Record<string, ProductGrant> }> = {
    owner: { sub: 'bench-owner', products: ownerGrants(products.map((p) => p.name)) },
    analyst: { sub: 'bench-analyst', products: await policyGrants(policyFile, products, 'bench-analyst', ANALYST_ROLES) },
  };
  let requests = 0;
  return {
    devKeyDir,
    owner: await mint('bench-owner', OWNER_ROLES),
    analyst: await mint('bench-analyst', ANALYST_ROLES),
    async contextHeaders(caller = 'owner') {
      const key = contextKey(await readContextSecret(stateDir));
      const token = await signAccessContext(key, { requestId: `bench-${++requests}`, ...grants[caller] });
      return { [ACCESS_CONTEXT_HEADER]: token };
    },
  };
}

/** The access-context secret a mesh started with this state folder generated (and every later one reuses). */
async function readContextSecret(stateDir: string): Promise<string> {
  const file = path.join(stateDir, 'dev-secrets.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`bench: no dev secret in ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): a mesh started with MESHGATE_STATE_DIR=${stateDir} creates it`);
  }
  const secret = (JSON.parse(text) as { context?: unknown }).context;
  if (typeof secret !== 'string') throw new Error(`bench: ${file} has no "context" secret`);
  return secret;
}
