/**
 * OpenTelemetry tracing, off unless MESHGATE_OTLP_ENDPOINT (or the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT) names an OTLP/HTTP collector: then spans are batched and exported as
 * OTLP JSON to `<endpoint>/v1/traces`. The SDK is imported only when tracing is on, and the layers
 * get a tracer explicitly (no global provider, no context manager), so with tracing off no
 * OpenTelemetry code runs at all.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Config } from './config.js';

/** Tracing that is on: the tracer the layers are given, and the way to flush and stop it. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Exports the spans still batched, then stops. */
  shutdown(): Promise<void>;
}

/** Where spans go: the configured endpoint's /v1/traces, or undefined when tracing is off. */
export function tracesUrl(config: Pick<Config, 'MESHGATE_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_ENDPOINT'>): string | undefined {
  const endpoint = config.MESHGATE_OTLP_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined) return undefined;
  return new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
}

/** Starts tracing for `service` (e.g. meshgate-gateway) when an endpoint is configured. */
export async function startTracing(config: Config, service: string): Promise<Tracing | undefined> {
  const url = tracesUrl(config);
  if (url === undefined) return undefined;
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, ...(config.MESHGATE_INSTANCE !== undefined && { 'service.instance.id': config.MESHGATE_INSTANCE }) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1_000 })],
  });
  return { tracer: provider.getTracer('meshgate'), shutdown: () => provider.shutdown() };
}
