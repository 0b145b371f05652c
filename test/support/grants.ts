/** Access contexts as a subgraph receives them, from the real policy's decisions or by hand, and the refusal a read would meet. */
import { evaluateAccess, grantOf, type AccessContext, type PolicyFile, type Principal, type ProductGrant } from '../../policies/index.js';
import { ForbiddenError, type ProductShape } from '../../schema/index.js';

/** An access context granting `products` (and nothing else). */
export const accessTo = (products: Record<string, ProductGrant>): AccessContext => ({ requestId: 'r1', sub: 'u', products });

/** The access context the gateway would sign for `principal` reading `shapes` under `policy` (products not granted left out). */
export function accessOf(policy: PolicyFile, principal: Principal, shapes: readonly ProductShape[]): AccessContext {
  const decisions = shapes.map((s) => evaluateAccess(policy, principal, s.product)).filter((d) => d.allowed);
  return accessTo(Object.fromEntries(decisions.map((d) => [d.product, grantOf(d)])));
}

/** The message of the FORBIDDEN `f` throws; fails when it throws anything else or nothing. */
export function forbidden(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    return error.message;
  }
  throw new Error('expected FORBIDDEN, nothing was thrown');
}
