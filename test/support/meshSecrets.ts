/**
 * The secrets of the test meshes of this process, read from their state folder as an insider would
 * have them: the dev signing key (to forge tokens with claims the fixture never mints), the
 * access-context key the gateway and the subgraphs share, and the keyed-hash secret of masks.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys, type DevTokenClaims } from '../../gateway/index.js';
import { contextKey } from '../../policies/index.js';
import { testStateDir } from './startTestMesh.js';

/** What an insider of the test mesh holds. */
export interface MeshSecrets {
  readonly devKeys: Awaited<ReturnType<typeof ensureDevKeys>>;
  /** The key access contexts are signed with. */
  readonly contextKey: Uint8Array;
  /** The secret of the `hash` mask. */
  readonly hashKey: string;
}

/** Reads the secrets of the meshes started by this process (call it after `startTestMesh`). */
export async function meshSecrets(): Promise<MeshSecrets> {
  const dir = await testStateDir();
  const secrets = JSON.parse(await readFile(path.join(dir, 'dev-secrets.json'), 'utf8')) as { context: string; hash: string };
  return { devKeys: await ensureDevKeys(path.join(dir, 'dev-keys')), contextKey: contextKey(secrets.context), hashKey: secrets.hash };
}

/** Claims of a well-formed dev token for `roles`, valid for ten minutes; a test overrides or removes (`undefined`) any of them. */
export function devClaims(roles: DevTokenClaims['roles'], overrides: Record<string, unknown> = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { sub: 'forger', roles, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: now, exp: now + 600, ...overrides };
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)) as JWTPayload;
}

/** Signs any claims with the mesh's real dev key (ES256, its kid), as `meshgate token` would if it allowed them. */
export async function signWithDevKey(claims: JWTPayload): Promise<string> {
  const { devKeys } = await meshSecrets();
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: devKeys.kid, typ: 'JWT' }).sign(devKeys.privateKey);
}
