/** Mints a dev token signed with the dev key (what `meshgate token` prints). */
import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from './devKeys.js';

/** The claims of a dev token. */
export interface DevTokenClaims {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly purpose?: string;
  readonly countries?: readonly string[];
  /** Lifetime in seconds. */
  readonly ttlS: number;
}

/** Signs a dev token with the dev key in `devKeyDir` (generated on first use). */
export async function mintDevToken(devKeyDir: string, claims: DevTokenClaims): Promise<string> {
  const keys = await ensureDevKeys(devKeyDir);
  const { sub, ttlS, ...rest } = claims;
  return new SignJWT({ ...rest, roles: [...rest.roles] })
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlS)
    .sign(keys.privateKey);
}
