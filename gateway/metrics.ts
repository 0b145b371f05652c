import type { AccessLogStats } from './accessLog/AccessLog.js';

/** Upper bounds, in seconds, of the request duration histogram's buckets. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** One gateway's Prometheus metrics (requests by route and status class, their durations, subgraph failures), rendered by hand. */
export class GatewayMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  private readonly subgraphFailures = new Map<string, number>();
  private readonly subgraphMerged = new Map<string, number>();
  private readonly subgraphRetries = new Map<string, number>();
  private readonly circuitOpen = new Map<string, readonly boolean[]>();
  private readonly schemaMismatch = new Map<string, number>();
  private readonly recompositions = new Map<string, number>();
  private accessLogWritten = 0;
  private accessLogFailed = 0;
  private accessLogHealthy = 1;
  private connectionsRefused = 0;
  /** The access log's counts (its fsyncs so far and the time they took), when there is an access log. */
  accessLogStats: (() => AccessLogStats) | undefined;
  /** Metrics the gateway's owner adds (the build schedule's), already in the exposition format. */
  extra: (() => string) | undefined;

  /** Counts one access-log append, written or failed (a failure refuses the request with 503). */
  observeAccessLog(written: boolean): void {
    if (written) this.accessLogWritten++;
    else this.accessLogFailed++;
    this.accessLogHealthy = written ? 1 : 0;
  }

  /** Counts one answered request; `route` must come from a small fixed set to keep the label bounded. */
  observeRequest(route: string, status: number, seconds: number): void {
    const key = `route="${label(route)}",status_class="${Math.floor(status / 100)}xx"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let histogram = this.durations.get(route);
    if (!histogram) {
      histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(route, histogram);
    }
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
  }

  /** Counts one failed subgraph call. */
  observeSubgraphFailure(subgraph: string, reason: string): void {
    const key = `subgraph="${label(subgraph)}",reason="${label(reason)}"`;
    this.subgraphFailures.set(key, (this.subgraphFailures.get(key) ?? 0) + 1);
  }

  /** Counts one subgraph call answered by an identical call in flight under the same grant. */
  observeSubgraphMerged(subgraph: string): void {
    const key = `subgraph="${label(subgraph)}"`;
    this.subgraphMerged.set(key, (this.subgraphMerged.get(key) ?? 0) + 1);
  }

  /** Counts a connection closed on arrival because the gateway holds as many as it may (MESHGATE_MAX_CONNECTIONS). */
  observeConnectionRefused(): void {
    this.connectionsRefused += 1;
  }

  /** Counts one subgraph call sent again to another replica after the first got no reply. */
  observeSubgraphRetry(subgraph: string): void {
    const key = `subgraph="${label(subgraph)}"`;
    this.subgraphRetries.set(key, (this.subgraphRetries.get(key) ?? 0) + 1);
  }

  /** Sets the circuit breakers' state of a subgraph's replicas (true: open or probing), in replica order. */
  setSubgraphCircuit(subgraph: string, open: readonly boolean[]): void {
    this.circuitOpen.set(subgraph, [...open]);
  }

  /** Sets whether a replica of the subgraph reports a schema hash other than the one the gateway composed. */
  setSubgraphSchemaMismatch(subgraph: string, mismatched: boolean): void {
    this.schemaMismatch.set(`subgraph="${label(subgraph)}"`, mismatched ? 1 : 0);
  }

  /** Counts one re-composition of the supergraph after the declarations changed, applied or refused. */
  observeRecomposition(applied: boolean): void {
    const key = `result="${applied ? 'applied' : 'refused'}"`;
    this.recompositions.set(key, (this.recompositions.get(key) ?? 0) + 1);
  }

  private renderUpstream(): string[] {
    const circuits = [...this.circuitOpen];
    return [
      '# HELP meshgate_subgraph_retries_total Subgraph calls sent again to another replica after the first got no reply.',
      '# TYPE meshgate_subgraph_retries_total counter',
      ...[...this.subgraphRetries].map(([key, n]) => `meshgate_subgraph_retries_total{${key}} ${n}`),
      '# HELP meshgate_subgraph_circuit_open 1 when the circuit breaker of every replica of the subgraph is open (its calls fail fast).',
      '# TYPE meshgate_subgraph_circuit_open gauge',
      ...circuits.map(([s, open]) => `meshgate_subgraph_circuit_open{subgraph="${label(s)}"} ${open.length > 0 && open.every(Boolean) ? 1 : 0}`),
      '# HELP meshgate_subgraph_replica_circuit_open 1 when the circuit breaker of the replica (its index in MESHGATE_<DOMAIN>_URL) is open.',
      '# TYPE meshgate_subgraph_replica_circuit_open gauge',
      ...circuits.flatMap(([s, open]) => open.map((o, i) => `meshgate_subgraph_replica_circuit_open{subgraph="${label(s)}",replica="${i}"} ${o ? 1 : 0}`)),
      '# HELP meshgate_subgraph_schema_mismatch 1 when a replica of the subgraph serves a schema other than the one the gateway composed.',
      '# TYPE meshgate_subgraph_schema_mismatch gauge',
      ...[...this.schemaMismatch].map(([key, n]) => `meshgate_subgraph_schema_mismatch{${key}} ${n}`),
      '# HELP meshgate_recompositions_total Re-compositions after the declarations changed, by result (a refused one leaves the previous supergraph serving).',
      '# TYPE meshgate_recompositions_total counter',
      ...[...this.recompositions].map(([key, n]) => `meshgate_recompositions_total{${key}} ${n}`),
    ];
  }

  /** The metrics in the Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines = [
      '# HELP meshgate_http_requests_total HTTP requests answered, by route and status class.',
      '# TYPE meshgate_http_requests_total counter',
      ...[...this.requests].map(([key, n]) => `meshgate_http_requests_total{${key}} ${n}`),
      '# HELP meshgate_http_request_duration_seconds Time from receiving a request to sending its response.',
      '# TYPE meshgate_http_request_duration_seconds histogram',
    ];
    for (const [route, h] of this.durations) {
      const r = `route="${label(route)}"`;
      BUCKETS.forEach((bound, i) => lines.push(`meshgate_http_request_duration_seconds_bucket{${r},le="${bound}"} ${h.counts[i] ?? 0}`));
      lines.push(`meshgate_http_request_duration_seconds_bucket{${r},le="+Inf"} ${h.count}`);
      lines.push(`meshgate_http_request_duration_seconds_sum{${r}} ${h.sum}`);
      lines.push(`meshgate_http_request_duration_seconds_count{${r}} ${h.count}`);
    }
    lines.push(
      '# HELP meshgate_subgraph_failures_total Subgraph calls that failed, by subgraph and reason.',
      '# TYPE meshgate_subgraph_failures_total counter',
      ...[...this.subgraphFailures].map(([key, n]) => `meshgate_subgraph_failures_total{${key}} ${n}`),
      '# HELP meshgate_subgraph_calls_merged_total Subgraph calls not sent because an identical one under the same grant was in flight.',
      '# TYPE meshgate_subgraph_calls_merged_total counter',
      ...[...this.subgraphMerged].map(([key, n]) => `meshgate_subgraph_calls_merged_total{${key}} ${n}`),
      ...this.renderUpstream(),
      '# HELP meshgate_access_log_entries_total Access-log appends, by result (a failed one refused its request with 503).',
      '# TYPE meshgate_access_log_entries_total counter',
      `meshgate_access_log_entries_total{result="written"} ${this.accessLogWritten}`,
      `meshgate_access_log_entries_total{result="failed"} ${this.accessLogFailed}`,
      '# HELP meshgate_access_log_healthy 1 when the last access-log append was written, 0 when it failed.',
      '# TYPE meshgate_access_log_healthy gauge',
      `meshgate_access_log_healthy ${this.accessLogHealthy}`,
    );
    if (this.accessLogStats) {
      const { fsyncs, fsyncSeconds } = this.accessLogStats();
      lines.push(
        '# HELP meshgate_access_log_fsyncs_total fsyncs of the access log; each makes every entry written before it durable (group commit).',
        '# TYPE meshgate_access_log_fsyncs_total counter',
        `meshgate_access_log_fsyncs_total ${fsyncs}`,
        "# HELP meshgate_access_log_fsync_seconds_total Time the access log's fsyncs took (a reply waits for one or two of them).",
        '# TYPE meshgate_access_log_fsync_seconds_total counter',
        `meshgate_access_log_fsync_seconds_total ${fsyncSeconds}`,
      );
    }
    lines.push(
      '# HELP meshgate_http_connections_refused_total Connections closed on arrival because the gateway held its maximum.',
      '# TYPE meshgate_http_connections_refused_total counter',
      `meshgate_http_connections_refused_total ${this.connectionsRefused}`,
    );
    return `${lines.join('\n')}\n${this.extra?.() ?? ''}`;
  }
}
