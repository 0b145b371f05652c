/**
 * GET /metrics on the data port, where the gateway's owner decided it is served: open (dev), behind
 * `Authorization: Bearer <MESHGATE_METRICS_TOKEN>`, or not at all (metrics on their own port, or a
 * production gateway given neither: the data port faces clients, and the metrics name every domain,
 * route and error rate, so they are not handed to whoever asks).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from '../metrics.js';
import { sendGraphQLError } from './sendJson.js';

/** Where the data port's /metrics stands: served openly, behind a bearer token, or not served (`off`, with the reason a caller is told). */
export type MetricsAccess = { readonly kind: 'open' } | { readonly kind: 'token'; readonly token: string } | { readonly kind: 'off'; readonly reason: string };

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Whether `header` is `Bearer <token>`, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (\S+)$/i.exec(header?.trim() ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

/** Answers one /metrics request on the data port; returns the status sent. */
export async function serveMetricsRoute(req: IncomingMessage, res: ServerResponse, metrics: GatewayMetrics, access: MetricsAccess): Promise<number> {
  if (access.kind === 'off') return sendGraphQLError(res, 404, 'BAD_USER_INPUT', `Not found: ${access.reason}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendGraphQLError(res, 405, 'BAD_USER_INPUT', 'Only GET is allowed here');
  }
  if (access.kind === 'token' && !bearerMatches(req.headers.authorization, access.token)) {
    res.setHeader('www-authenticate', 'Bearer realm="meshgate-metrics"');
    return sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'The metrics need the metrics token: Authorization: Bearer <MESHGATE_METRICS_TOKEN>');
  }
  const text = await metrics.render();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
  return 200;
}
