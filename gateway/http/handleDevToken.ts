/**
 * `POST /dev/token`: a dev token for the GraphiQL page, valid for an hour. The route exists only
 * when the composition root gives the gateway a dev-token issuer (dev mode); a gateway in any other
 * mode answers 404. A dev token reads what its roles grant, so the route must not be usable from
 * another site a developer happens to visit: it takes only `content-type: application/json` (which
 * a cross-site form cannot send, and a cross-site script cannot send without a CORS preflight this
 * route never answers), refuses a request whose `Origin` is not the gateway's own or that the
 * browser marks as cross-site (`Sec-Fetch-Site`), and answers only when addressed by an IP address,
 * `localhost` or the configured host, so a DNS-rebinding name cannot make a foreign page
 * same-origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { z } from 'zod';
import { BadUserInputError, ForbiddenError } from '../../schema/index.js';
import type { DevTokenIssuer } from '../graphiql/GraphiQLGuide.js';
import { readBody } from './readBody.js';
import { sendError, sendJson } from './sendJson.js';

/** How long a dev token from the page is valid: short, as the page mints them with a click. */
export const DEV_TOKEN_TTL_S = 3600;

/** What the route needs. */
export interface DevTokenRoute {
  readonly issuer: DevTokenIssuer;
  /** The host the gateway listens on, besides IP addresses and `localhost`, by which it may be addressed. */
  readonly host: string;
  readonly log: (line: string) => void;
}

const MAX_BODY_BYTES = 4096;
const isJson = (contentType: string | undefined): boolean => contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);

function requestSchema(issuer: DevTokenIssuer) {
  const oneOf = (allowed: readonly string[], what: string) =>
    z.string().refine((v) => allowed.includes(v), { message: `expected ${what}: ${allowed.length ? allowed.join(', ') : 'none is offered'}` });
  return z.strictObject({
    sub: z.string().regex(/^[A-Za-z0-9_.@:-]{1,64}$/, 'expected 1 to 64 letters, digits or _ . @ : -'),
    roles: z.array(oneOf(issuer.roles, 'a role of the access policy')).min(1, 'expected at least one role').max(8, 'expected at most 8 roles'),
    purpose: oneOf(issuer.purposes, 'a purpose of the access policy').optional(),
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "DE"'))
      .min(1)
      .max(50)
      .optional(),
  });
}

/** The hostname of a Host header value (`[::1]:4000` → `::1`), or undefined when it is not one. */
function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

/** Why a request may come from another site (and is refused), or undefined. */
function crossSiteReason(req: IncomingMessage, listenHost: string): string | undefined {
  const hostname = hostnameOf(req.headers.host);
  if (hostname === undefined || !(isIP(hostname) || hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === listenHost)) {
    return 'Dev tokens are issued only to a gateway addressed by an IP address, localhost or its configured host';
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'Dev tokens are not issued to other sites';
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let same = false;
    try {
      const o = new URL(origin);
      same = (o.protocol === 'http:' || o.protocol === 'https:') && o.host === req.headers.host;
    } catch {
      same = false;
    }
    if (!same) return 'Dev tokens are not issued to other sites';
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length
    ? issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '')
    : 'the body';
  return `${where}: ${issue.message}`;
}

/** Answers one request to the dev-token route and returns the status sent. */
export async function handleDevToken(req: IncomingMessage, res: ServerResponse, route: DevTokenRoute): Promise<number> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return sendError(res, 405, new BadUserInputError('Ask for a dev token with POST and a JSON body such as {"sub": "you", "roles": ["analyst"]}'));
  }
  res.setHeader('cache-control', 'no-store');
  const crossSite = crossSiteReason(req, route.host);
  if (crossSite) return sendError(res, 403, new ForbiddenError(crossSite));
  if (!isJson(req.headers['content-type'])) return sendError(res, 415, new BadUserInputError('Send the dev-token request as JSON (content-type: application/json)'));
  const read = await readBody(req, MAX_BODY_BYTES);
  if (read.kind === 'tooLarge') {
    // The rest of the body is not read: the connection cannot serve another request.
    res.setHeader('connection', 'close');
    return sendError(res, 413, new BadUserInputError(`The request body is larger than ${MAX_BODY_BYTES} bytes`));
  }
  if (read.kind === 'incomplete') return sendError(res, 400, new BadUserInputError('The request body was not received in full'));
  let body: unknown;
  try {
    body = JSON.parse(read.body.toString('utf8'));
  } catch {
    return sendError(res, 400, new BadUserInputError('The request body is not valid JSON'));
  }
  const parsed = requestSchema(route.issuer).safeParse(body);
  if (!parsed.success) return sendError(res, 400, new BadUserInputError(`Bad dev-token request: ${parsed.error.issues.map(describeIssue).join('; ')}`));
  const claims = parsed.data;
  // At most what the token says (it counts from the second it is signed in).
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + DEV_TOKEN_TTL_S) * 1000).toISOString();
  const token = await route.issuer.mint({ ...claims, ttlS: DEV_TOKEN_TTL_S });
  route.log(`dev token issued to the GraphiQL page: sub "${claims.sub}", roles ${claims.roles.join(',')}${claims.purpose ? `, purpose ${claims.purpose}` : ''}`);
  return sendJson(res, 200, { token, tokenType: 'Bearer', expiresAt, ...claims });
}
