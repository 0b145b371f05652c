/**
 * Everything access control needs at start, from the validated configuration: how tokens are
 * verified, the secrets shared by the gateway and the subgraphs, and the policy. In dev mode the
 * secrets are generated on first use into the git-ignored state folder, so separately started
 * processes agree; in production (NODE_ENV=production) each must be configured, and dev tokens,
 * generated secrets and MESHGATE_ACCESS=off are refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contextKey, describeProblems, loadPolicies, type PolicyFile } from '../policies/index.js';
import { formatProblem, meshShapes, type Mesh } from '../schema/index.js';
import {
  createVerifier,
  EXAMPLES,
  mintDevToken,
  offeredPurposes,
  offeredRoles,
  ProductIndex,
  WELCOME_EXAMPLE,
  type AuthOptions,
  type GatewayAccess,
  type GraphiQLGuide,
} from '../gateway/index.js';
import { REPO_ROOT, type Config } from './config.js';

/** Access control as configured; `open` only when MESHGATE_ACCESS=off (benchmarks). */
export type Security =
  | { readonly open: true; readonly hashKey: string }
  | { readonly open: false; readonly auth: AuthOptions; readonly contextSecret: string; readonly hashKey: string; readonly policy: PolicyFile; readonly policyFile: string };

/** The dev secrets, generated once per checkout. */
async function devSecrets(dir: string): Promise<{ context: string; hash: string }> {
  const file = path.join(dir, 'dev-secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as { context: string; hash: string };
  } catch {
    const secrets = { context: randomBytes(32).toString('base64url'), hash: randomBytes(32).toString('base64url') };
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return JSON.parse(await readFile(file, 'utf8')) as { context: string; hash: string };
  }
}

function authOptions(config: Config, production: boolean): AuthOptions {
  const mode = config.MESHGATE_AUTH_MODE ?? (production ? 'jwks' : 'dev');
  const tolerance = config.MESHGATE_JWT_CLOCK_TOLERANCE_S;
  if (mode === 'dev') {
    if (production) throw new Error('bad configuration: MESHGATE_AUTH_MODE=dev is refused when NODE_ENV=production');
    return { mode, devKeyDir: path.join(config.MESHGATE_STATE_DIR, 'dev-keys'), clockToleranceS: tolerance };
  }
  const issuer = config.MESHGATE_JWT_ISSUER;
  const audience = config.MESHGATE_JWT_AUDIENCE;
  if (!issuer || !audience) throw new Error(`bad configuration: MESHGATE_AUTH_MODE=${mode} needs MESHGATE_JWT_ISSUER and MESHGATE_JWT_AUDIENCE`);
  if (mode === 'hmac') {
    if (!config.MESHGATE_JWT_SECRET) throw new Error('bad configuration: MESHGATE_AUTH_MODE=hmac needs MESHGATE_JWT_SECRET (at least 32 bytes)');
    if (config.MESHGATE_JWKS_URL || config.MESHGATE_JWKS_FILE)
      throw new Error('bad configuration: an HMAC secret and a JWKS are never used together; choose one MESHGATE_AUTH_MODE');
    return { mode, secret: config.MESHGATE_JWT_SECRET, issuer, audience, clockToleranceS: tolerance };
  }
  if (config.MESHGATE_JWT_SECRET) throw new Error('bad configuration: an HMAC secret and a JWKS are never used together; unset MESHGATE_JWT_SECRET');
  // Keys fetched over plain HTTP can be swapped by anyone on the path, who then mints any token.
  if (production && config.MESHGATE_JWKS_URL?.toLowerCase().startsWith('http:'))
    throw new Error(`bad configuration: MESHGATE_JWKS_URL must be an https:// URL when NODE_ENV=production, got ${JSON.stringify(config.MESHGATE_JWKS_URL)}`);
  return {
    mode,
    ...(config.MESHGATE_JWKS_URL && {
      jwksUrl: config.MESHGATE_JWKS_URL,
      jwksCache: { maxAgeMs: config.MESHGATE_JWKS_CACHE_MS, cooldownMs: config.MESHGATE_JWKS_COOLDOWN_MS, timeoutMs: config.MESHGATE_JWKS_TIMEOUT_MS },
    }),
    ...(config.MESHGATE_JWKS_FILE && { jwksFile: config.MESHGATE_JWKS_FILE }),
    issuer,
    audience,
    algorithms: config.MESHGATE_JWT_ALGORITHMS.split(','),
    clockToleranceS: tolerance,
  };
}

/** Reads the security configuration and the policy (checked against the products of `mesh`); throws with a clear message. */
export async function loadSecurity(config: Config, mesh: Mesh, log: (line: string) => void = () => undefined): Promise<Security> {
  const production = config.NODE_ENV === 'production';
  const needsDev = !config.MESHGATE_CONTEXT_SECRET || !config.MESHGATE_MASK_HASH_KEY;
  if (production && needsDev) throw new Error('bad configuration: NODE_ENV=production needs MESHGATE_CONTEXT_SECRET and MESHGATE_MASK_HASH_KEY (at least 32 bytes each)');
  const dev = needsDev ? await devSecrets(config.MESHGATE_STATE_DIR) : undefined;
  const hashKey = config.MESHGATE_MASK_HASH_KEY ?? dev!.hash;
  if (config.MESHGATE_ACCESS === 'off') {
    if (production) throw new Error('bad configuration: MESHGATE_ACCESS=off is refused when NODE_ENV=production');
    return { open: true, hashKey };
  }
  const policy = await loadPolicies(
    config.MESHGATE_POLICY_FILE,
    mesh.domains.flatMap((d) => d.products),
    (p) => log(`policy warning: ${formatProblem(p)}`),
  );
  if (policy.errors) throw new Error(`the access policy is refused (fix it and restart):\n${describeProblems(policy.errors)}`);
  return {
    open: false,
    auth: authOptions(config, production),
    contextSecret: config.MESHGATE_CONTEXT_SECRET ?? dev!.context,
    hashKey,
    policy: policy.value,
    policyFile: config.MESHGATE_POLICY_FILE,
  };
}

/** The gateway's access control for a mesh, or undefined when access is off. */
export async function gatewayAccess(security: Security, mesh: Mesh): Promise<GatewayAccess | undefined> {
  if (security.open) return undefined;
  return {
    authenticate: await createVerifier(security.auth),
    policy: security.policy,
    policyFile: path.relative(REPO_ROOT, security.policyFile) || security.policyFile,
    index: new ProductIndex(meshShapes(mesh)),
    contextKey: contextKey(security.contextSecret),
  };
}

/** The key subgraphs verify access contexts with; null when access is off. */
export function subgraphContextKey(security: Security): Uint8Array | null {
  return security.open ? null : contextKey(security.contextSecret);
}

/**
 * What the GraphiQL page offers beyond how to send a token. The page is public, while the schema
 * (which the examples name) and the policy are for authenticated callers, so the examples and the
 * policy are shown only in dev mode (or with access off), and dev tokens from the page only in dev
 * mode, which loadSecurity refuses with NODE_ENV=production.
 */
export function graphiqlGuide(security: Security, mesh: Mesh): GraphiQLGuide | undefined {
  if (security.open) return { examples: EXAMPLES, welcome: WELCOME_EXAMPLE };
  if (security.auth.mode !== 'dev') return undefined;
  const { devKeyDir } = security.auth;
  return {
    examples: EXAMPLES,
    welcome: WELCOME_EXAMPLE,
    devTokens: {
      roles: offeredRoles(
        security.policy,
        mesh.domains.map((d) => d.name),
      ),
      purposes: offeredPurposes(security.policy),
      mint: (claims) => mintDevToken(devKeyDir, claims),
    },
  };
}
