/**
 * Who the benchmark calls the mesh as, now that access control is on by default: dev tokens signed
 * with the dev key of a state folder the bench controls (so the meshes under test trust them), and
 * access contexts signed with that folder's dev secret, for calling a subgraph directly.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mintDevToken } from '../gateway/index.js';
import { ACCESS_CONTEXT_HEADER, contextKey, signAccessContext, type ProductGrant } from '../policies/index.js';

/** Roles that read every sample domain unmasked and without a row filter, so the SQL is the floor's. */
export const OWNER_ROLES: readonly string[] = Object.freeze(['customers-owner', 'commerce-owner', 'payments-owner']);
/** Roles that read every product with its PII masked (policies/access.yaml). */
export const ANALYST_ROLES: readonly string[] = Object.freeze(['analyst']);
/** Lifetime of the bench's tokens: longer than any run. */
export const TOKEN_TTL_S = 24 * 3600;

/**
 * Configuration the bench decides for itself, whatever the caller's environment says: its own
 * state folder (dev key, dev secrets), dev tokens, the repository's policy, access on or off, and
 * the access log.
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
];

/** Where this bench run's meshes write their access log (removed when the run ends). */
export const benchLogDir = (stateDir: string, accessLog: 'on' | 'off'): string => path.join(stateDir, `access-log-raw-${process.pid}-${accessLog}`);

/**
 * `env` with the bench's own settings: the given state folder, dev mode, access control on or off,
 * and the access log off unless asked (the mesh that measures it runs over its own copy of the
 * data, since its governance job compacts into the data root); the log's segments go under the
 * state folder, so nothing is written into the served data.
 */
export function benchEnv(env: NodeJS.ProcessEnv, stateDir: string, access: 'on' | 'off', accessLog: 'on' | 'off' = 'off'): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of OWN_SETTINGS) delete out[name];
  return { ...out, MESHGATE_STATE_DIR: stateDir, MESHGATE_ACCESS: access, MESHGATE_ACCESS_LOG: accessLog, MESHGATE_ACCESS_LOG_DIR: benchLogDir(stateDir, accessLog) };
}

/** The `Authorization` header of a token. */
export const bearer = (token: string): Readonly<Record<string, string>> => Object.freeze({ authorization: `Bearer ${token}` });

/** Grants every product unmasked, with no row filter: what the gateway signs for the owner of every domain. */
export function ownerGrants(products: readonly string[]): Record<string, ProductGrant> {
  return Object.fromEntries(products.map((p) => [p, { masks: {}, denied: [], rows: null }]));
}

/** The callers of the benchmark. */
export interface BenchAccess {
  /** Where the dev key lives (`<state>/dev-keys`). */
  readonly devKeyDir: string;
  /** The owner of every sample domain. */
  readonly owner: Readonly<Record<string, string>>;
  /** An analyst: the same products, PII masked. */
  readonly analyst: Readonly<Record<string, string>>;
  /**
   * A freshly signed access context granting every product unmasked, as the gateway would send it
   * for the owner; it lives 60 s, so sign one right before each run. Reads the dev secret the
   * meshes of the state folder use, so call it once a mesh has started (it creates the secret).
   */
  contextHeaders(): Promise<Readonly<Record<string, string>>>;
}

/** Mints the owner's and the analyst's tokens with the state folder's dev key (generated on first use). */
export async function openBenchAccess(stateDir: string, products: readonly string[]): Promise<BenchAccess> {
  const devKeyDir = path.join(stateDir, 'dev-keys');
  const mint = async (sub: string, roles: readonly string[]): Promise<Readonly<Record<string, string>>> => bearer(await mintDevToken(devKeyDir, { sub, roles, ttlS: TOKEN_TTL_S }));
  const grants = ownerGrants(products);
  let requests = 0;
  return {
    devKeyDir,
    owner: await mint('bench-owner', OWNER_ROLES),
    analyst: await mint('bench-analyst', ANALYST_ROLES),
    async contextHeaders() {
      const key = contextKey(await readContextSecret(stateDir));
      const token = await signAccessContext(key, { requestId: `bench-${++requests}`, sub: 'bench-owner', products: grants });
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
