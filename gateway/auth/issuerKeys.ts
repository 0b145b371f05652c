/**
 * A deployment's own small token issuer, for a mesh run without an identity provider (compose, a
 * staging cluster): an ES256 key pair whose public half the gateway trusts as a JWKS file
 * (MESHGATE_JWKS_FILE, production mode, `iss` and `aud` checked) and whose private half stays with
 * whoever mints tokens (`meshgate token --key`). Unlike the dev key it is never generated on the
 * fly: an operator creates it once (`meshgate keys generate`) and decides who holds it.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file names `generateIssuerKeys` writes into its folder. */
export const ISSUER_KEY_FILES = { privateKey: 'signing-key.jwk.json', jwks: 'jwks.json' } as const;

const ALG = 'ES256';

/** Where the two halves were written. */
export interface IssuerKeyFiles {
  readonly kid: string;
  readonly privateKeyFile: string;
  readonly jwksFile: string;
}

/**
 * Writes a new key pair into `dir`: the private JWK (owner-readable only) and the public JWKS. Refuses
 * to overwrite an existing key unless `force`, since tokens signed with it would stop verifying.
 */
export async function generateIssuerKeys(dir: string, options: { readonly force?: boolean } = {}): Promise<IssuerKeyFiles> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const { d: _private, ...publicJwk } = jwk;
  const privateKeyFile = path.join(dir, ISSUER_KEY_FILES.privateKey);
  const jwksFile = path.join(dir, ISSUER_KEY_FILES.jwks);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const flag = options.force ? 'w' : 'wx';
  await writeFile(privateKeyFile, `${JSON.stringify({ ...jwk, kid, alg: ALG, use: 'sig' }, null, 2)}\n`, { mode: 0o600, flag }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? new Error(`${privateKeyFile} exists: tokens signed with it would stop verifying; pass --force to replace it`) : error;
  });
  await writeFile(jwksFile, `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: ALG, use: 'sig' }] }, null, 2)}\n`, { mode: 0o644 });
  return { kid, privateKeyFile, jwksFile };
}

/** Reads a private JWK written by `generateIssuerKeys` (or any private EC/RSA/OKP JWK with `kid` and `alg`). */
export async function loadIssuerKey(file: string): Promise<{ readonly privateKey: CryptoKey; readonly kid: string; readonly alg: string }> {
  const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  if (!jwk.d) throw new Error(`${file} holds no private key (a JWKS is the public half; sign with the signing-key file)`);
  if (!jwk.kid || !jwk.alg) throw new Error(`${file}: the private JWK needs "kid" and "alg"`);
  return { privateKey: (await importJWK(jwk, jwk.alg)) as CryptoKey, kid: jwk.kid, alg: jwk.alg };
}
