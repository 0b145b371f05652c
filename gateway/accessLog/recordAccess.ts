/** The GraphQL route's step between building a reply and sending it: the request made durable in the access log. */
import { performance } from 'node:perf_hooks';
import type { RequestContext } from '../context.js';
import type { GatewayMetrics } from '../metrics.js';
import type { AccessLog } from './AccessLog.js';
import { factsFor } from './factsFor.js';

/** Builds the step that appends a request's facts to `accessLog` and counts the outcome in `metrics`; it rejects when the entry cannot be written. */
export function recordAccess(accessLog: AccessLog, metrics: GatewayMetrics): (ctx: RequestContext, httpStatus: number, errorCode?: string) => Promise<void> {
  return async (ctx, status, code) => {
    const started = performance.now();
    try {
      await accessLog.append(factsFor(ctx, status, code));
      metrics.observeAccessLog(true, (performance.now() - started) / 1000);
    } catch (error) {
      metrics.observeAccessLog(false, (performance.now() - started) / 1000);
      throw error;
    }
  };
}
