/**
 * Verifies bearer tokens into principals: the signature with pinned algorithms (never `none`, never
 * an HMAC secret beside a JWKS), `exp` required, `nbf`, `iss`, `aud` checked with a small clock
 * tolerance, and the claims' shapes. Keys come from the dev key (dev mode), a JWKS URL (cached,
 * refetched on an unknown `kid` with a cool-down) or file, or an HMAC secret of at least 32 bytes.
 */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, errors, type JWTVerifyGetKey, type JSONWebKeySet } from 'jose';
import { readFile } from 'node:fs/promises';
import type { Principal } from '../../policies/index.js';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from './devKeys.js';
import { principalFromClaims } from './principalFromClaims.js';

/** How tokens are verified. */
export type AuthOptions =
  | { readonly mode: 'dev'; readonly devKeyDir: string; readonly clockToleranceS?: number }
  | {
      readonly mode: 'jwks';
      readonly jwksUrl?: string;
      readonly jwksFile?: string;
      readonly issuer: string;
      readonly audience: string;
      readonly algorithms: readonly string[];
      readonly clockToleranceS?: number;
      /** How the remote key set is cached (jose's createRemoteJWKSet); tests shorten them. */
      readonly jwksCache?: { readonly maxAgeMs?: number; readonly cooldownMs?: number; readonly timeoutMs?: number };
    }
  | { readonly mode: 'hmac'; readonly secret: string; readonly issuer: string; readonly audience: string; readonly clockToleranceS?: number };

/**
 * What a refusal may tell the client (RFC 6750 §3.1): that the token expired, said only of a token
 * that passes every other check, or that it is invalid, without saying which check failed.
 */
export type TokenRefusal = { readonly kind: 'expired'; readonly expiredAt: Date } | { readonly kind: 'invalid' };

/** A token that was refused: the reason in the message (logged, never sent) and what the client may be told in `refusal`. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    message: string,
    readonly refusal: TokenRefusal = { kind: 'invalid' },
  ) {
    super(message);
  }
}

/**
 * The key set cannot be fetched (connection refused, timeout, a status other than 200, a body
 * that is not a key set): the token was not judged at all, so the caller is told to retry (503),
 * never that the token is bad. The message names the key set's URL and why (logged, never sent).
 */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`the JWKS at ${url} cannot be fetched: ${describeFetchFailure(cause)}`, { cause });
  }
}

/** The failure's message and its cause's code (ECONNREFUSED...); read by shape, since fetch's errors come from another realm than a test's `Error`. */
function describeFetchFailure(cause: unknown): string {
  const { message, cause: inner } = (typeof cause === 'object' && cause !== null ? cause : { message: String(cause) }) as { message?: unknown; cause?: unknown };
  const { code, message: innerMessage } = (typeof inner === 'object' && inner !== null ? inner : {}) as { code?: unknown; message?: unknown };
  const detail = typeof code === 'string' ? code : typeof innerMessage === 'string' ? innerMessage : undefined;
  return `${String(message)}${detail === undefined ? '' : `: ${detail}`}`;
}

/**
 * Whether an error of jose's remote key set comes from fetching it rather than from the token:
 * a timeout, a failed fetch (not a JOSEError: connection refused, DNS), a non-200 status or a body
 * that is not JSON (the generic JOSEError), or a body that is not a key set (JWKSInvalid). A key
 * set that was fetched but holds no key for the token's `kid` (JWKSNoMatchingKey) is the token's.
 */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (!(error instanceof errors.JOSEError)) return true;
  return error.code === errors.JOSEError.code;
}

/** The remote key set, its fetch failures turned into KeySetUnavailableError. */
function remoteKeySet(url: string, cache: { readonly maxAgeMs?: number; readonly cooldownMs?: number; readonly timeoutMs?: number } = {}): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    cacheMaxAge: cache.maxAgeMs ?? 600_000,
    cooldownDuration: cache.cooldownMs ?? 30_000,
    timeoutDuration: cache.timeoutMs ?? 5_000,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      throw isFetchFailure(error) ? new KeySetUnavailableError(url, error) : error;
    }
  };
}

/** Verifies one compact JWS into a principal. */
export type Verifier = (token: string) => Promise<Principal>;

const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);

/** Builds the verifier for the configured mode; throws a TypeError on configuration it must refuse. */
export async function createVerifier(options: AuthOptions): Promise<Verifier> {
  const tolerance = options.clockToleranceS ?? 30;
  let key: JWTVerifyGetKey | Uint8Array;
  let check: { issuer: string; audience: string; algorithms: string[] };
  if (options.mode === 'dev') {
    const dev = await ensureDevKeys(options.devKeyDir);
    key = createLocalJWKSet({ keys: [{ ...dev.publicJwk, alg: 'ES256', use: 'sig' }] });
    check = { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['ES256'] };
  } else if (options.mode === 'hmac') {
    const secret = new TextEncoder().encode(options.secret);
    if (secret.byteLength < 32) throw new TypeError(`the HMAC secret must be at least 32 bytes, got ${secret.byteLength}`);
    key = secret;
    check = { issuer: options.issuer, audience: options.audience, algorithms: ['HS256'] };
  } else {
    const bad = options.algorithms.filter((a) => !ASYMMETRIC.has(a));
    if (bad.length || options.algorithms.length === 0) throw new TypeError(`JWKS algorithms must be asymmetric (e.g. RS256, ES256), got ${options.algorithms.join(',') || 'none'}`);
    if (!!options.jwksUrl === !!options.jwksFile) throw new TypeError('give exactly one of a JWKS URL or a JWKS file');
    key = options.jwksUrl ? remoteKeySet(options.jwksUrl, options.jwksCache) : createLocalJWKSet(JSON.parse(await readFile(options.jwksFile!, 'utf8')) as JSONWebKeySet);
    check = { issuer: options.issuer, audience: options.audience, algorithms: [...options.algorithms] };
  }
  /** Every check: the signature and the registered claims at `at` (now by default), then a future `iat` (now) and the claims' shapes. */
  const verifyAt = async (token: string, at?: Date): Promise<{ principal: Principal; exp: number }> => {
    const { payload } = await jwtVerify(token, key as JWTVerifyGetKey, { ...check, requiredClaims: ['exp', 'sub'], clockTolerance: tolerance, ...(at && { currentDate: at }) });
    if (payload.iat !== undefined && payload.iat > Date.now() / 1000 + tolerance) throw new AuthenticationError('the token was issued in the future');
    const r = principalFromClaims(payload);
    if ('reason' in r) throw new AuthenticationError(r.reason);
    return { principal: r.principal, exp: payload.exp! };
  };
  const cache = new PrincipalCache(10_000, tolerance);
  return async (token) => {
    const cached = cache.get(token);
    if (cached) return cached;
    try {
      const { principal, exp } = await verifyAt(token);
      cache.set(token, principal, exp);
      return principal;
    } catch (error) {
      const exp = error instanceof errors.JWTExpired && error.claim === 'exp' ? error.payload.exp : undefined;
      if (typeof exp !== 'number') throw refused(error);
      // jose checks `exp` after the signature, issuer, audience and `nbf`, but before our own checks:
      // "expired" is said only of a token that passes every check at the moment it expired.
      const expiredAt = new Date(exp * 1000);
      try {
        // The last millisecond it was valid (jose counts a token as expired from its `exp` second on, with no tolerance).
        await verifyAt(token, new Date(expiredAt.getTime() - 1));
      } catch (other) {
        throw refused(other);
      }
      throw new AuthenticationError(`the token expired at ${expiredAt.toISOString()}`, { kind: 'expired', expiredAt });
    }
  };
}

/** Any verification failure as an AuthenticationError that tells the client only that the token is invalid; a key set that cannot be fetched stays what it is. */
function refused(error: unknown): AuthenticationError | KeySetUnavailableError {
  if (error instanceof AuthenticationError || error instanceof KeySetUnavailableError) return error;
  return new AuthenticationError(error instanceof errors.JOSEError ? `${error.code}: ${error.message}` : 'the token is malformed');
}

/**
 * Verified principals by exact token text, until the token expires: an application sending the
 * same token on every request pays the signature check (~0.2 ms of CPU for ES256) once. Bounded;
 * the oldest entry goes first. A token is only ever cached after it verified, and never past `exp`.
 */
class PrincipalCache {
  private readonly entries = new Map<string, { readonly principal: Principal; readonly exp: number }>();

  constructor(
    private readonly max: number,
    private readonly toleranceS: number,
  ) {}

  get(token: string): Principal | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (Date.now() / 1000 > e.exp + this.toleranceS) {
      this.entries.delete(token);
      return undefined;
    }
    return e.principal;
  }

  set(token: string, principal: Principal, exp: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal, exp });
  }
}
