/**
 * The access context: the gateway's decision for one request, signed by the gateway (HS256 with a
 * secret only the gateway and the subgraphs hold) and sent to each subgraph, which refuses any
 * request without a valid one. It lives one minute: long enough for one request, useless after.
 */
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { MASK_NAMES } from '../masks/masks.js';
import type { MaskName } from '../masks/masks.js';
import type { ProductDecision, RowPredicate } from '../access/Decision.js';

/** The header that carries the access context. */
export const ACCESS_CONTEXT_HEADER = 'x-meshgate-context';
const ISSUER = 'meshgate-gateway';
const AUDIENCE = 'meshgate-subgraph';

/** What a subgraph needs to enforce a decision on one product. */
export interface ProductGrant {
  readonly masks: Readonly<Record<string, MaskName>>;
  readonly denied: readonly string[];
  readonly rows: RowPredicate | null;
}

/** The verified context a subgraph enforces. */
export interface AccessContext {
  readonly requestId: string;
  readonly sub: string;
  /** Grants by product name; a product not listed may not be read. */
  readonly products: Readonly<Record<string, ProductGrant>>;
}

const rowPredicate: z.ZodType<RowPredicate> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(rowPredicate) }),
    z.strictObject({ or: z.array(rowPredicate) }),
    z.strictObject({ column: z.string(), op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value: z.union([z.string(), z.number(), z.boolean()]) }),
    z.strictObject({ column: z.string(), op: z.enum(['in', 'nin']), value: z.array(z.union([z.string(), z.number(), z.boolean()])) }),
    z.strictObject({ column: z.string(), op: z.literal('isNull'), value: z.boolean() }),
  ]),
) as z.ZodType<RowPredicate>;

const payload = z.looseObject({
  rid: z.string(),
  sub: z.string(),
  products: z.record(z.string(), z.strictObject({ masks: z.record(z.string(), z.enum(MASK_NAMES)), denied: z.array(z.string()), rows: rowPredicate.nullable() })),
});

/** Checks the shared secret once: at least 32 bytes. */
export function contextKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < 32) throw new TypeError(`the access-context secret must be at least 32 bytes, got ${key.byteLength}`);
  return key;
}

/** The grant a subgraph needs from a full decision. */
export function grantOf(d: ProductDecision): ProductGrant {
  return { masks: Object.fromEntries(Object.entries(d.masks).map(([c, m]) => [c, m.mask])), denied: Object.keys(d.denied), rows: d.rows };
}

/** Signs an access context. */
export function signAccessContext(key: Uint8Array, context: AccessContext): Promise<string> {
  return new SignJWT({ rid: context.requestId, sub: context.sub, products: context.products })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

/** Verifies an access context; resolves to null when it is missing, forged, expired or malformed. */
export async function verifyAccessContext(key: Uint8Array, token: string | undefined): Promise<AccessContext | null> {
  if (!token || token.length > 64 * 1024) return null;
  try {
    const { payload: p } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['exp'], clockTolerance: 5 });
    const r = payload.safeParse(p);
    return r.success ? { requestId: r.data.rid, sub: r.data.sub, products: r.data.products } : null;
  } catch {
    return null;
  }
}
