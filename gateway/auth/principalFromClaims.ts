/** Turns verified JWT claims into a Principal, checking their shapes (jose checks signatures, not types). */
import { z } from 'zod';
import type { Principal } from '../../policies/index.js';

const NAME = z.string().min(1).max(256);

const claims = z.looseObject({
  sub: NAME,
  roles: z.array(NAME).max(100).default([]),
  purpose: NAME.optional(),
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 codes'))
    .max(300)
    .optional(),
  scope: z.string().max(4096).optional(),
  scp: z.array(NAME).max(100).optional(),
});

/** The principal of a verified token, or the reason its claims are unusable. */
export function principalFromClaims(payload: unknown): { principal: Principal } | { reason: string } {
  const r = claims.safeParse(payload);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    return { reason: `claim "${issue.path.join('.')}" is not valid: ${issue.message}` };
  }
  const c = r.data;
  const scopes = [...(c.scope?.split(/\s+/).filter(Boolean) ?? []), ...(c.scp ?? [])];
  return { principal: { sub: c.sub, roles: c.roles, scopes, ...(c.purpose !== undefined && { purpose: c.purpose }), claims: c } };
}
