/**
 * The gateway's side of its subgraphs, wired once: for each subgraph a replica set (balancing,
 * circuit breakers, one retry), its data source, the health readiness reports, and the outage log.
 * Re-composition hands it the new list of subgraphs; a data source stays the same object across
 * re-compositions (Apollo Gateway keeps it by name and URL) and reaches the current replica set.
 */
import { schemaHash } from '../../schema/index.js';
import { ACCESS_CONTEXT_HEADER } from '../../policies/index.js';
import type { SubgraphService } from '../GatewayOptions.js';
import type { GatewayMetrics } from '../metrics.js';
import { SubgraphDataSource, type SubgraphFailureReason } from '../SubgraphDataSource.js';
import type { ObserveSubgraphCall } from '../telemetry.js';
import type { CircuitState } from '../transport/CircuitBreaker.js';
import { httpTransport } from '../transport/httpTransport.js';
import { ReplicaSet } from '../transport/ReplicaSet.js';
import type { SubgraphTransport } from '../transport/SubgraphTransport.js';
import type { ValidGatewayOptions } from '../validateGatewayOptions.js';
import { OutageLog } from './OutageLog.js';
import { SubgraphHealth } from './SubgraphHealth.js';

/** How long to wait for a subgraph's /readyz at start before giving up on comparing its schema early. */
const PROBE_MS = 3_000;

interface Current {
  readonly set: ReplicaSet;
  /** What the set was built from: the transport handed in, or the replicas' URLs. */
  readonly from: SubgraphTransport | string;
}

function describeCause(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return String(cause);
  const { name, message, cause: inner } = cause as { name?: unknown; message?: unknown; cause?: unknown };
  const innerMessage = typeof inner === 'object' && inner !== null ? (inner as { message?: unknown }).message : undefined;
  return `${String(name)}: ${String(message)}${typeof innerMessage === 'string' ? `: ${innerMessage}` : ''}`;
}

/** The subgraphs as the gateway calls them. */
export class Upstreams {
  readonly health: SubgraphHealth;
  private readonly outages: OutageLog;
  private readonly current = new Map<string, Current>();
  private readonly sources = new Map<string, SubgraphDataSource>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly settings: ValidGatewayOptions,
    private readonly metrics: GatewayMetrics,
    /** Times (and traces, when tracing is on) each subgraph call. */
    private readonly observeCall?: ObserveSubgraphCall,
  ) {
    const { log } = settings;
    this.health = new SubgraphHealth({
      log,
      circuitMetric: (s, states) =>
        metrics.setSubgraphCircuit(
          s,
          states.map((c) => c !== 'closed'),
        ),
      mismatchMetric: (s, m) => metrics.setSubgraphSchemaMismatch(s, m),
    });
    this.health.setLeftOut(settings.leftOut);
    this.outages = new OutageLog(log, settings.outageLogIntervalMs, (s) => this.health.allOpen(s));
  }

  /** Sets the subgraphs to call (at start and on each re-composition): a subgraph whose replicas did not change keeps its set and its breakers. */
  update(services: readonly SubgraphService[]): void {
    const names = new Set(services.map((s) => s.name));
    for (const [name, old] of this.current) {
      if (names.has(name)) continue;
      this.current.delete(name);
      this.health.remove(name);
      this.retire(old.set);
    }
    for (const service of services) {
      const urls = service.urls ?? [service.url];
      const from = service.transport ?? urls.join(',');
      const old = this.current.get(service.name);
      const same = old?.from === from;
      this.health.compose(service.name, schemaHash(service.typeDefs), service.transport ? 1 : urls.length, !same);
      if (same) continue;
      const transports = service.transport ? [service.transport] : urls.map((u) => httpTransport(u));
      this.current.set(service.name, { set: this.replicaSet(service.name, transports), from });
      if (old) this.retire(old.set);
    }
  }

  /** The data source Apollo Gateway calls `name` through (one per subgraph for the gateway's life). */
  dataSource(name: string): SubgraphDataSource {
    let source = this.sources.get(name);
    if (source) return source;
    const settings = this.settings;
    const transport: SubgraphTransport = {
      send: (request, signal) => {
        const current = this.current.get(name);
        return current ? current.set.send(request, signal) : Promise.reject(new Error(`subgraph "${name}" is no longer composed`));
      },
    };
    source = new SubgraphDataSource({
      name,
      transport,
      timeoutMs: settings.subgraphTimeoutMs,
      headersForSubgraph: settings.headersForSubgraph,
      accessContext: (ctx) => (ctx.access.token === undefined ? undefined : [ACCESS_CONTEXT_HEADER, ctx.access.token]),
      mergeInFlight: settings.mergeInFlight,
      onFailure: (subgraph: string, reason: SubgraphFailureReason, cause: unknown, ctx: { requestId: string } | null) => {
        this.metrics.observeSubgraphFailure(subgraph, reason);
        this.outages.failure(subgraph, reason, ctx?.requestId, () => describeCause(cause));
      },
      onMerged: (subgraph) => this.metrics.observeSubgraphMerged(subgraph),
      ...(this.observeCall && { observeCall: this.observeCall }),
    });
    this.sources.set(name, source);
    return source;
  }

  /** Asks each replica's /readyz once for its schema hash, without holding up the start; a replica that does not answer is compared on its first reply. */
  probe(): void {
    for (const [name, { set }] of this.current) {
      void set.probe(AbortSignal.timeout(PROBE_MS)).then((failed) => {
        for (const { replica, error } of failed) this.settings.log(`subgraph "${name}" (replica ${replica}) did not answer its readiness probe: ${describeCause(error)}`);
      });
    }
  }

  /** Releases every transport and timer. */
  close(): void {
    this.outages.close();
    for (const t of this.timers) clearTimeout(t);
    for (const { set } of this.current.values()) set.close();
    this.current.clear();
  }

  private replicaSet(name: string, transports: readonly SubgraphTransport[]): ReplicaSet {
    const { breakerFailures, breakerResetMs, subgraphTimeoutMs } = this.settings;
    const last: CircuitState[] = transports.map(() => 'closed');
    return new ReplicaSet(transports, {
      failures: breakerFailures,
      resetMs: breakerResetMs,
      timeoutMs: subgraphTimeoutMs,
      onCircuit: (replica: number, state: CircuitState, all: readonly CircuitState[]) => {
        this.health.circuit(name, all);
        const before = last[replica];
        last[replica] = state;
        // A probe that fails re-opens the breaker every reset interval: only opening from closed and closing are logged.
        if (state === 'open' ? before === 'closed' : state === 'closed' && before !== 'closed') this.outages.circuit(name, replica, state === 'open', all);
      },
      onSchemaHash: (replica, hash) => this.health.schemaSeen(name, replica, hash),
      onRetry: () => this.metrics.observeSubgraphRetry(name),
    });
  }

  /** Closes a replica set once the calls it may still carry have had their time limit. */
  private retire(set: ReplicaSet): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      set.close();
    }, this.settings.subgraphTimeoutMs);
    timer.unref();
    this.timers.add(timer);
  }
}
