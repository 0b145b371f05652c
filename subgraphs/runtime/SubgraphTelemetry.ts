/**
 * A subgraph's metrics and traces: the time and rows of each product's statements (label product,
 * never a user or a value), and, when tracing is on, a span per request (a child of the gateway's
 * call, through the W3C traceparent it sends) with a `sql <product>` span per read. Spans carry the
 * product, the statement count and the rows: never the SQL, its parameters or a row's values. Without
 * a tracer no OpenTelemetry code runs per request.
 */
import { performance } from 'node:perf_hooks';
import { defaultTextMapGetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { SubgraphContext } from './context.js';

const propagator = new W3CTraceContextPropagator();
const SQL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The subgraphs' metrics of one process (one per registry: every subgraph of the embedded mesh shares it). */
export class SubgraphMetrics {
  private readonly sqlSeconds: Histogram<'product'>;
  private readonly sqlRows: Counter<'product'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.sqlSeconds = new Histogram({
      name: 'meshgate_sql_duration_seconds',
      help: "Time a product read's statements took (rows and count together; a result-cache hit is near zero), by product.",
      labelNames: ['product'],
      buckets: SQL_BUCKETS,
      registers,
    });
    this.sqlRows = new Counter({ name: 'meshgate_sql_rows_total', help: "Rows product reads' statements returned, by product.", labelNames: ['product'], registers });
  }

  /** Observes one read of `product`. */
  observeSql(product: string, seconds: number, rows: number): void {
    this.sqlSeconds.observe({ product }, seconds);
    this.sqlRows.inc({ product }, rows);
  }
}

/** What a subgraph reports to: its process's metrics and, when tracing is on, the tracer. */
export interface SubgraphTelemetry {
  readonly metrics?: SubgraphMetrics;
  readonly tracer?: Tracer;
}

/** Opens the span of one subgraph request, a child of the traceparent header the gateway sent; sets it on `ctx`. */
export function startSubgraphSpan(tracer: Tracer, domain: string, headers: Readonly<Record<string, string | string[] | undefined>>, ctx: SubgraphContext): void {
  const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  const span = tracer.startSpan(`subgraph ${domain} request`, { kind: SpanKind.SERVER, attributes: { 'meshgate.subgraph': domain, 'meshgate.request_id': ctx.requestId } }, parent);
  ctx.trace = { span, context: trace.setSpan(parent, span) };
}

/** Ends the request's span, if it has one. */
export function endSubgraphSpan(ctx: SubgraphContext, failed: boolean): void {
  if (!ctx.trace) return;
  if (failed) ctx.trace.span.setStatus({ code: SpanStatusCode.ERROR });
  ctx.trace.span.end();
}

/** Told when one read's statements start; returns what to call with the rows when they end (or with an error). Undefined when nothing observes. */
export function observeRead(
  telemetry: SubgraphTelemetry | undefined,
  ctx: SubgraphContext,
  product: string,
  statements: number,
): ((rows: number, failed?: boolean) => void) | undefined {
  if (!telemetry || (!telemetry.metrics && !telemetry.tracer)) return undefined;
  const started = performance.now();
  let span: Span | undefined;
  if (telemetry.tracer && ctx.trace) {
    span = telemetry.tracer.startSpan(
      `sql ${product}`,
      { kind: SpanKind.INTERNAL, attributes: { 'meshgate.product': product, 'db.system': 'duckdb', 'meshgate.statements': statements } },
      ctx.trace.context,
    );
  }
  return (rows, failed = false) => {
    if (!failed) telemetry.metrics?.observeSql(product, (performance.now() - started) / 1000, rows);
    if (!span) return;
    span.setAttribute('meshgate.rows', rows);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
}
