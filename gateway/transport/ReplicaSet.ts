/**
 * One subgraph's replicas behind the transport interface: each call goes to the replica with the
 * fewest calls in flight (ties in turn), skipping a replica whose circuit breaker is open. A call
 * that got no reply at all (connection refused or reset, or its share of the time limit ran out) is
 * sent once more to another replica, within the same overall time limit: the gateway sends only
 * queries (it refuses mutations and subscriptions), so a second try cannot do anything twice.
 */
import { CircuitBreaker, type CircuitState } from './CircuitBreaker.js';
import { TransportError, type SubgraphReply, type SubgraphRequest, type SubgraphTransport } from './SubgraphTransport.js';

/** How a replica set behaves and whom it tells. */
export interface ReplicaSetOptions {
  /** Consecutive calls without a reply that open a replica's breaker (MESHGATE_BREAKER_FAILURES). */
  readonly failures: number;
  /** How long an open breaker waits before one probe (MESHGATE_BREAKER_RESET_MS). */
  readonly resetMs: number;
  /** The overall time limit of a call (MESHGATE_SUBGRAPH_TIMEOUT_MS): with another replica to try, the first attempt gets half of it. */
  readonly timeoutMs: number;
  /** Told when a replica's breaker changes state, with every replica's state (index order). */
  readonly onCircuit?: (replica: number, state: CircuitState, all: readonly CircuitState[]) => void;
  /** Told about every schema hash a replica reports (in a reply or its readiness answer). */
  readonly onSchemaHash?: (replica: number, hash: string) => void;
  /** Told when a call is sent again to another replica. */
  readonly onRetry?: () => void;
}

interface Replica {
  readonly transport: SubgraphTransport;
  readonly breaker: CircuitBreaker;
  inFlight: number;
}

/** A transport over one subgraph's replicas: least calls in flight, breakers, one retry on another replica. */
export class ReplicaSet implements SubgraphTransport {
  private readonly replicas: Replica[];
  private next = 0;

  constructor(
    transports: readonly SubgraphTransport[],
    private readonly options: ReplicaSetOptions,
  ) {
    if (transports.length === 0) throw new TypeError('ReplicaSet: a subgraph needs at least one replica');
    this.replicas = transports.map((transport, index) => ({
      transport,
      inFlight: 0,
      breaker: new CircuitBreaker(options.failures, options.resetMs, (state) => options.onCircuit?.(index, state, this.states())),
    }));
  }

  /** Every replica's breaker state, in index order. */
  states(): CircuitState[] {
    return this.replicas.map((r) => r.breaker.current);
  }

  async send(request: SubgraphRequest, signal: AbortSignal): Promise<SubgraphReply> {
    const tried = new Set<number>();
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      const index = this.pick(tried);
      if (index === undefined) break;
      tried.add(index);
      if (attempt > 0) this.options.onRetry?.();
      // With another replica to fall back on, the first attempt may use half the time, so the retry has the other half.
      const fallback = attempt === 0 && this.pick(tried) !== undefined;
      const attemptSignal = fallback ? AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, Math.floor(this.options.timeoutMs / 2)))]) : signal;
      const replica = this.replicas[index]!;
      replica.inFlight++;
      replica.breaker.begin();
      try {
        const reply = await replica.transport.send(request, attemptSignal);
        replica.breaker.succeed();
        if (reply.schemaHash !== undefined) this.options.onSchemaHash?.(index, reply.schemaHash);
        return reply;
      } catch (error) {
        const unreachable = error instanceof TransportError && error.kind === 'unreachable';
        if (!attemptSignal.aborted && !unreachable) {
          // Something answered (a cut-off or unreadable reply, an in-process error): the replica is reachable.
          replica.breaker.succeed();
          throw error;
        }
        replica.breaker.fail();
        if (signal.aborted) throw error;
        lastError = unreachable ? error : new TransportError('timeout', `replica ${index} did not answer within its share of the time limit`, { cause: error });
      } finally {
        replica.inFlight--;
      }
    }
    throw lastError ?? new TransportError('circuit_open', "every replica's circuit breaker is open");
  }

  /** Asks every replica that has a readiness endpoint for its schema hash, once; failures are returned, not thrown. */
  async probe(signal: AbortSignal): Promise<{ replica: number; error: unknown }[]> {
    const failed: { replica: number; error: unknown }[] = [];
    await Promise.all(
      this.replicas.map(async ({ transport }, replica) => {
        if (!transport.readiness) return;
        try {
          const { schemaHash } = await transport.readiness(signal);
          if (schemaHash !== undefined) this.options.onSchemaHash?.(replica, schemaHash);
        } catch (error) {
          failed.push({ replica, error });
        }
      }),
    );
    return failed;
  }

  close(): void {
    for (const r of this.replicas) r.transport.close?.();
  }

  /**
   * The replica to call, not counting `excluded`: an open one due for its probe first (else it would
   * never be tried while another is healthy), else the closed one with the fewest calls in flight,
   * ties taken in turn.
   */
  private pick(excluded: ReadonlySet<number>): number | undefined {
    const n = this.replicas.length;
    let best: number | undefined;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const r = this.replicas[i]!;
      if (excluded.has(i) || !r.breaker.admits()) continue;
      if (r.breaker.current === 'open') return i;
      if (best === undefined || r.inFlight < this.replicas[best]!.inFlight) best = i;
    }
    if (best !== undefined && excluded.size === 0) this.next = (best + 1) % n;
    return best;
  }
}
