/**
 * The development signing key: an ES256 key pair generated on first use into a git-ignored folder
 * (`.meshgate/dev-keys/`), used by `meshgate token` to mint tokens and by the gateway to verify them
 * in dev mode only. Never trusted in production mode.
 */
import { generateKeyPair, exportJWK, importJWK, calculateJwkThumbprint, type JWK, type CryptoKey } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The dev token issuer and audience. */
export const DEV_ISSUER = 'meshgate-dev';
/** The audience dev tokens are minted for. */
export const DEV_AUDIENCE = 'meshgate';

/** The dev key pair. */
export interface DevKeys {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Loads the dev key pair from `dir`, generating it on first use (files readable by the owner only). */
export async function ensureDevKeys(dir: string): Promise<DevKeys> {
  const file = path.join(dir, 'dev-signing-key.jwk.json');
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = await exportJWK(privateKey);
    privateJwk.kid = await calculateJwkThumbprint(privateJwk);
    privateJwk.alg = 'ES256';
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    });
  }
  const { d: _private, ...publicJwk } = privateJwk;
  return { kid: String(privateJwk.kid), privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey, publicJwk };
}
