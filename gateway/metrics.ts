/**
 * One gateway's Prometheus metrics on prom-client: requests by route and status class and their
 * durations, subgraph calls (latency, failures, merges, open circuits), errors by registry code and
 * the access log's appends. Every label is from a small fixed set (routes, domains, reasons, codes
 * of schema/errors.ts): never a user, an operation name or another free-form value.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isErrorCode } from '../schema/index.js';
import type { AccessLogStats } from './accessLog/AccessLog.js';

/** Upper bounds, in seconds, of the request duration histogram's buckets. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Subgraph calls and access-log writes are faster than whole requests: finer low buckets. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How a subgraph call ended, as the call-latency histogram labels it. */
export type SubgraphCallOutcome = 'ok' | 'timeout' | 'unreachable' | 'bad_response' | 'circuit_open' | 'error';

/** The gateway's metrics; pass the process's registry to serve them beside others (the embedded mesh), else it makes its own with the process and runtime metrics. */
export class GatewayMetrics {
  /** Where the metrics are registered. */
  readonly registry: Registry;
  /** The access log's counts (its fsyncs so far and the time they took), when there is an access log. */
  accessLogStats: (() => AccessLogStats) | undefined;
  /** Metrics the gateway's owner adds (the build schedule's), already in the exposition format. */
  extra: (() => string) | undefined;

  private readonly requests: Counter<'route' | 'status_class'>;
  private readonly durations: Histogram<'route'>;
  private readonly subgraphFailures: Counter<'subgraph' | 'reason'>;
  private readonly subgraphMerged: Counter<'subgraph'>;
  private readonly subgraphCalls: Histogram<'subgraph' | 'outcome'>;
  private readonly circuitOpen: Gauge<'subgraph'>;
  private readonly replicaCircuitOpen: Gauge<'subgraph' | 'replica'>;
  private readonly subgraphRetries: Counter<'subgraph'>;
  private readonly schemaMismatch: Gauge<'subgraph'>;
  private readonly recompositions: Counter<'result'>;
  private readonly connectionsRefused: Counter;
  private readonly errors: Counter<'code'>;
  private readonly accessLogEntries: Counter<'result'>;
  private readonly accessLogHealthy: Gauge;
  private readonly accessLogWrite: Histogram;

  constructor(registry?: Registry) {
    this.registry = registry ?? new Registry();
    if (!registry) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'meshgate_http_requests_total',
      help: 'HTTP requests answered, by route and status class.',
      labelNames: ['route', 'status_class'],
      registers,
    });
    this.durations = new Histogram({
      name: 'meshgate_http_request_duration_seconds',
      help: 'Time from receiving a request to sending its response.',
      labelNames: ['route'],
      buckets: BUCKETS,
      registers,
    });
    this.subgraphFailures = new Counter({
      name: 'meshgate_subgraph_failures_total',
      help: 'Subgraph calls that failed, by subgraph and reason.',
      labelNames: ['subgraph', 'reason'],
      registers,
    });
    this.subgraphMerged = new Counter({
      name: 'meshgate_subgraph_calls_merged_total',
      help: 'Subgraph calls not sent because an identical one under the same grant was in flight.',
      labelNames: ['subgraph'],
      registers,
    });
    this.subgraphCalls = new Histogram({
      name: 'meshgate_subgraph_call_duration_seconds',
      help: "Time a request waited for one subgraph call's reply (a merged call's wait included), by subgraph and outcome.",
      labelNames: ['subgraph', 'outcome'],
      buckets: FAST_BUCKETS,
      registers,
    });
    this.circuitOpen = new Gauge({
      name: 'meshgate_subgraph_circuit_open',
      help: '1 when the circuit breaker of every replica of the subgraph is open (its calls fail fast), else 0.',
      labelNames: ['subgraph'],
      registers,
    });
    this.replicaCircuitOpen = new Gauge({
      name: 'meshgate_subgraph_replica_circuit_open',
      help: '1 when the circuit breaker of the replica (its index in MESHGATE_<DOMAIN>_URL) is open.',
      labelNames: ['subgraph', 'replica'],
      registers,
    });
    this.subgraphRetries = new Counter({
      name: 'meshgate_subgraph_retries_total',
      help: 'Subgraph calls sent again to another replica after the first got no reply.',
      labelNames: ['subgraph'],
      registers,
    });
    this.schemaMismatch = new Gauge({
      name: 'meshgate_subgraph_schema_mismatch',
      help: 'A replica of the subgraph serves a schema other than the one the gateway composed (1), or not (0).',
      labelNames: ['subgraph'],
      registers,
    });
    this.recompositions = new Counter({
      name: 'meshgate_recompositions_total',
      help: 'Re-compositions after the declarations changed, by result (a refused one leaves the previous supergraph serving).',
      labelNames: ['result'],
      registers,
    });
    this.connectionsRefused = new Counter({
      name: 'meshgate_http_connections_refused_total',
      help: 'Connections closed on arrival because the gateway held its maximum (MESHGATE_MAX_CONNECTIONS).',
      registers,
    });
    this.connectionsRefused.inc(0);
    this.errors = new Counter({ name: 'meshgate_errors_total', help: 'Errors in GraphQL responses, by code (the codes of the error registry).', labelNames: ['code'], registers });
    this.accessLogEntries = new Counter({
      name: 'meshgate_access_log_entries_total',
      help: 'Access-log appends, by result (a failed one refused its request with 503).',
      labelNames: ['result'],
      registers,
    });
    this.accessLogEntries.inc({ result: 'written' }, 0);
    this.accessLogEntries.inc({ result: 'failed' }, 0);
    this.accessLogHealthy = new Gauge({ name: 'meshgate_access_log_healthy', help: '1 when the last access-log append was written, 0 when it failed.', registers });
    this.accessLogHealthy.set(1);
    this.accessLogWrite = new Histogram({
      name: 'meshgate_access_log_write_seconds',
      help: 'Time an access-log append took until durable (the reply waits for it).',
      buckets: FAST_BUCKETS,
      registers,
    });
  }

  /** Counts one access-log append, written or failed (a failure refuses the request with 503), and how long it took when known. */
  observeAccessLog(written: boolean, seconds?: number): void {
    this.accessLogEntries.inc({ result: written ? 'written' : 'failed' });
    this.accessLogHealthy.set(written ? 1 : 0);
    if (seconds !== undefined) this.accessLogWrite.observe(seconds);
  }

  /** Counts one answered request; `route` must come from a small fixed set to keep the label bounded. */
  observeRequest(route: string, status: number, seconds: number): void {
    this.requests.inc({ route, status_class: `${Math.floor(status / 100)}xx` });
    this.durations.observe({ route }, seconds);
  }

  /** Counts one failed subgraph call. */
  observeSubgraphFailure(subgraph: string, reason: string): void {
    this.subgraphFailures.inc({ subgraph, reason });
  }

  /** Counts one subgraph call answered by an identical call in flight under the same grant. */
  observeSubgraphMerged(subgraph: string): void {
    this.subgraphMerged.inc({ subgraph });
  }

  /** Observes how long one subgraph call took and how it ended. */
  observeSubgraphCall(subgraph: string, seconds: number, outcome: SubgraphCallOutcome): void {
    this.subgraphCalls.observe({ subgraph, outcome }, seconds);
  }

  /** Sets whether `subgraph`'s circuit breaker is open (every replica's). */
  setCircuitOpen(subgraph: string, open: boolean): void {
    this.circuitOpen.set({ subgraph }, open ? 1 : 0);
  }

  /** Sets the circuit breakers' state of a subgraph's replicas (true: open or probing), in replica order; the subgraph's gauge is 1 when all are. */
  setSubgraphCircuit(subgraph: string, open: readonly boolean[]): void {
    open.forEach((o, replica) => this.replicaCircuitOpen.set({ subgraph, replica: String(replica) }, o ? 1 : 0));
    this.setCircuitOpen(subgraph, open.length > 0 && open.every(Boolean));
  }

  /** Counts one subgraph call sent again to another replica after the first got no reply. */
  observeSubgraphRetry(subgraph: string): void {
    this.subgraphRetries.inc({ subgraph });
  }

  /** Sets whether a replica of the subgraph reports a schema hash other than the one the gateway composed. */
  setSubgraphSchemaMismatch(subgraph: string, mismatched: boolean): void {
    this.schemaMismatch.set({ subgraph }, mismatched ? 1 : 0);
  }

  /** Counts one re-composition of the supergraph after the declarations changed, applied or refused. */
  observeRecomposition(applied: boolean): void {
    this.recompositions.inc({ result: applied ? 'applied' : 'refused' });
  }

  /** Counts a connection closed on arrival because the gateway holds as many as it may (MESHGATE_MAX_CONNECTIONS). */
  observeConnectionRefused(): void {
    this.connectionsRefused.inc();
  }

  /** Counts the error codes of one response; a code outside the registry is counted as INTERNAL_SERVER_ERROR (it should never reach a client). */
  observeErrors(codes: readonly string[]): void {
    for (const code of codes) this.errors.inc({ code: isErrorCode(code) ? code : 'INTERNAL_SERVER_ERROR' });
  }

  /** The metrics in the Prometheus text exposition format (version 0.0.4). */
  async render(): Promise<string> {
    let text = await this.registry.metrics();
    if (this.accessLogStats) {
      const { fsyncs, fsyncSeconds } = this.accessLogStats();
      text += [
        '# HELP meshgate_access_log_fsyncs_total fsyncs of the access log; each makes every entry written before it durable (group commit).',
        '# TYPE meshgate_access_log_fsyncs_total counter',
        `meshgate_access_log_fsyncs_total ${fsyncs}`,
        "# HELP meshgate_access_log_fsync_seconds_total Time the access log's fsyncs took (a reply waits for one or two of them).",
        '# TYPE meshgate_access_log_fsync_seconds_total counter',
        `meshgate_access_log_fsync_seconds_total ${fsyncSeconds}`,
        '',
      ].join('\n');
    }
    return text + (this.extra?.() ?? '');
  }
}
