/**
 * The gateway's traces and per-request summary: a span per GraphQL request (continuing a caller's
 * W3C traceparent), a child span per subgraph call whose traceparent goes with the call, and the
 * summary log line. Tracing is off unless the composition root hands a tracer; then none of this
 * runs OpenTelemetry code (every entry point returns at once without one). Spans carry ids, names
 * from the schema, statuses and error codes: never a token, a variable's value or personal data.
 */
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { context as otelContext, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Log } from '../schema/index.js';
import type { RequestContext } from './context.js';
import type { GatewayMetrics, SubgraphCallOutcome } from './metrics.js';

const propagator = new W3CTraceContextPropagator();

/** Starts the span of one GraphQL request (a child of the caller's traceparent, if any); undefined when tracing is off or for the other routes. */
export function startRequestSpan(tracer: Tracer | undefined, req: IncomingMessage, ctx: RequestContext): Span | undefined {
  if (!tracer || !req.url?.startsWith('/graphql')) return undefined;
  const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
  const span = tracer.startSpan(
    'gateway graphql',
    {
      kind: SpanKind.SERVER,
      attributes: { 'meshgate.request_id': ctx.requestId, ...(ctx.clientRequestId !== undefined && { 'meshgate.client_request_id': ctx.clientRequestId }) },
    },
    parent,
  );
  ctx.telemetry.trace = trace.setSpan(parent, span);
  return span;
}

/** Ends a request's span with what the summary line says. */
export function endRequestSpan(span: Span | undefined, ctx: RequestContext, status: number): void {
  if (!span) return;
  span.setAttribute('http.response.status_code', status);
  if (ctx.audit.operationName) span.setAttribute('graphql.operation.name', ctx.audit.operationName);
  if (ctx.audit.errorCodes.length > 0) span.setAttribute('meshgate.error_codes', [...new Set(ctx.audit.errorCodes)]);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Logs the one summary line of a GraphQL request: error for a 5xx, info for a client's mistake,
 * debug for an answer (MESHGATE_LOG_LEVEL=debug shows every request). Every request is already in
 * the access log; a line per answer at info cost ~0.1 ms of CPU per request (BENCHMARKS.md, issue 13).
 */
export function logRequestSummary(log: Log, ctx: RequestContext, status: number, seconds: number): void {
  log(`graphql ${status} ${ctx.audit.operationName ?? '-'} ${(seconds * 1000).toFixed(1)} ms`, {
    level: status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug',
    requestId: ctx.requestId,
    ...(ctx.clientRequestId !== undefined && { clientRequestId: ctx.clientRequestId }),
    ...(ctx.audit.operationName !== undefined && { operationName: ctx.audit.operationName }),
    ...(ctx.clientName !== undefined && { clientName: ctx.clientName }),
    ...(ctx.clientVersion !== undefined && { clientVersion: ctx.clientVersion }),
    status,
    durationMs: Math.round(seconds * 10_000) / 10,
    ...(ctx.audit.errorCodes.length > 0 && { errorCodes: [...new Set(ctx.audit.errorCodes)] }),
  });
}

/** Told when one subgraph call starts (its headers may still be added to); returns what to call when it ends. */
export type ObserveSubgraphCall = (subgraph: string, ctx: RequestContext | null, headers: Record<string, string>) => (outcome: SubgraphCallOutcome) => void;

/** Times every subgraph call into `metrics` and, with a tracer, opens its span and sends its traceparent along. */
export function subgraphCallObserver(metrics: GatewayMetrics, tracer: Tracer | undefined): ObserveSubgraphCall {
  return (subgraph, ctx, headers) => {
    const started = performance.now();
    let span: Span | undefined;
    if (tracer) {
      const parent = ctx?.telemetry.trace ?? otelContext.active();
      span = tracer.startSpan(`subgraph ${subgraph}`, { kind: SpanKind.CLIENT, attributes: { 'meshgate.subgraph': subgraph } }, parent);
      propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
    }
    return (outcome) => {
      metrics.observeSubgraphCall(subgraph, (performance.now() - started) / 1000, outcome);
      if (!span) return;
      span.setAttribute('meshgate.outcome', outcome);
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
  };
}
