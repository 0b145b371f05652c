/** Mints a dev token signed with the dev key (what `meshgate token` prints without `--key`). */
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from './devKeys.js';
import { mintToken, type TokenClaims } from './mintToken.js';

/** The claims of a dev token. */
export type DevTokenClaims = TokenClaims;

/** Signs a dev token with the dev key in `devKeyDir` (generated on first use). */
export async function mintDevToken(devKeyDir: string, claims: DevTokenClaims): Promise<string> {
  const keys = await ensureDevKeys(devKeyDir);
  return mintToken({ privateKey: keys.privateKey, kid: keys.kid, alg: 'ES256', issuer: DEV_ISSUER, audience: DEV_AUDIENCE }, claims);
}
