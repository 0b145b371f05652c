/**
 * CORS for browser apps on configured origins (MESHGATE_CORS_ORIGINS). A preflight (OPTIONS with
 * `Access-Control-Request-Method`) is answered here, before authentication: the browser sends it
 * without the Authorization header it asks permission for. An origin not in the list gets no CORS
 * header at all, so the browser refuses the response; the request itself is still answered as any
 * other (CORS protects the browser's user, it is not access control: tokens are). No
 * `Access-Control-Allow-Credentials`: the gateway reads bearer tokens, never cookies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The methods GraphQL over HTTP uses. */
const ALLOW_METHODS = 'GET, POST, OPTIONS';
/** The request headers a browser app may send: the token, JSON, the request id, Apollo's CSRF and client headers, the explain switch. */
const ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-meshgate-explain',
].join(', ');
/** The response headers a browser app may read besides the CORS-safelisted ones. */
const EXPOSE_HEADERS = 'x-request-id, x-client-request-id, www-authenticate, retry-after';
/** How long a browser may cache a preflight's answer (Chromium caps it at 2 h). */
const MAX_AGE_S = '7200';

/** CORS for a fixed list of origins; `*` allows any origin. */
export class Cors {
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins);
  }

  /** Whether any origin is configured; without one the gateway answers no CORS at all. */
  get enabled(): boolean {
    return this.origins.size > 0;
  }

  private allowedOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    return this.origins.has(origin) || this.origins.has('*') ? origin : undefined;
  }

  /** Whether `req` is a preflight, to be answered by {@link Cors.preflight} before anything else. */
  isPreflight(req: IncomingMessage): boolean {
    return this.enabled && req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
  }

  /** Answers a preflight: 204, with permission only for an allowed origin; returns the status. */
  preflight(req: IncomingMessage, res: ServerResponse): number {
    const origin = this.allowedOrigin(req);
    res.setHeader('vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', ALLOW_METHODS);
      res.setHeader('access-control-allow-headers', ALLOW_HEADERS);
      res.setHeader('access-control-max-age', MAX_AGE_S);
    }
    res.writeHead(204, { 'content-length': '0' });
    res.end();
    return 204;
  }

  /** Sets the CORS headers of an actual (non-preflight) response. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    if (!this.enabled) return;
    res.setHeader('vary', 'Origin');
    const origin = this.allowedOrigin(req);
    if (origin === undefined) return;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  }
}
