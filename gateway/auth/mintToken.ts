/** Signs a meshgate token: the claims the gateway reads (`roles`, `purpose`, `countries`), `sub`, `iss`, `aud`, `iat` and `exp`. */
import { SignJWT, type CryptoKey } from 'jose';

/** The claims of a token meshgate mints (dev tokens and the deployment's own issuer alike). */
export interface TokenClaims {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly purpose?: string;
  readonly countries?: readonly string[];
  /** Lifetime in seconds. */
  readonly ttlS: number;
}

/** The key a token is signed with and the issuer and audience it names. */
export interface TokenSigner {
  readonly privateKey: CryptoKey;
  readonly kid: string;
  readonly alg: string;
  readonly issuer: string;
  readonly audience: string;
}

/** Signs `claims` with `signer`; the token expires `ttlS` seconds from now. */
export async function mintToken(signer: TokenSigner, claims: TokenClaims): Promise<string> {
  const { sub, ttlS, ...rest } = claims;
  return new SignJWT({ ...rest, roles: [...rest.roles] })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(signer.issuer)
    .setAudience(signer.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlS)
    .sign(signer.privateKey);
}
