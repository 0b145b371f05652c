/**
 * One subgraph's replicas behind the transport interface: each call goes to the replica with the
 * fewest calls in flight (ties in turn), skipping a replica whose circuit breaker is open. A call
 * that got no reply (connection refused, reset or cut off) is sent at once to another replica; one
 * that has no answer after half the time limit is sent to another replica too (hedged), the first
 * left running, and the first answer wins. So a frozen replica costs half the time limit and never a
 * failed request, while a query that is legitimately slow still has the whole time limit on its
 * first replica. The gateway sends only queries (it refuses mutations and subscriptions), so a
 * second try cannot do anything twice. At most two replicas are tried per call.
 */
import { CircuitBreaker, type CircuitState } from './CircuitBreaker.js';
import { TransportError, type SubgraphReply, type SubgraphRequest, type SubgraphTransport } from './SubgraphTransport.js';

/** How a replica set behaves and whom it tells. */
export interface ReplicaSetOptions {
  /** Consecutive calls without a reply that open a replica's breaker (MESHGATE_BREAKER_FAILURES). */
  readonly failures: number;
  /** How long an open breaker waits before one probe (MESHGATE_BREAKER_RESET_MS). */
  readonly resetMs: number;
  /** The overall time limit of a call (MESHGATE_SUBGRAPH_TIMEOUT_MS): after half of it without an answer, another replica is tried too. */
  readonly timeoutMs: number;
  /** Told when a replica's breaker changes state, with every replica's state (index order). */
  readonly onCircuit?: (replica: number, state: CircuitState, all: readonly CircuitState[]) => void;
  /** Told about every schema hash a replica reports (in a reply or its readiness answer). */
  readonly onSchemaHash?: (replica: number, hash: string) => void;
  /** Told when a call is sent again to another replica (after no reply, or hedged after half the time limit). */
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

  send(request: SubgraphRequest, signal: AbortSignal): Promise<SubgraphReply> {
    const first = this.pick(new Set());
    if (first === undefined) return Promise.reject(new TransportError('circuit_open', "every replica's circuit breaker is open"));
    const hedgeAfterMs = Math.max(1, Math.floor(this.options.timeoutMs / 2));
    return new Promise((resolve, reject) => {
      const tried = new Set<number>();
      const running = new Map<number, AbortController>();
      let settled = false;
      let lastError: unknown;
      let hedge: NodeJS.Timeout | undefined;
      /** The replicas a hedge went around: unanswered when half the time limit was up. */
      const wentAround = new Set<number>();
      const finish = (settle: () => void): void => {
        settled = true;
        clearTimeout(hedge);
        for (const lost of running.values()) lost.abort();
        settle();
      };
      const another = (): boolean => {
        if (tried.size >= 2 || signal.aborted) return false;
        const index = this.pick(tried);
        if (index === undefined) return false;
        this.options.onRetry?.();
        launch(index);
        return true;
      };
      const launch = (index: number): void => {
        tried.add(index);
        const lost = new AbortController();
        running.set(index, lost);
        this.attempt(index, request, signal, lost.signal, () => wentAround.has(index)).then(
          (reply) => {
            running.delete(index);
            if (!settled) finish(() => resolve(reply));
          },
          (error: unknown) => {
            running.delete(index);
            if (settled) return;
            lastError = error;
            const noReply = error instanceof TransportError && error.kind === 'unreachable';
            if (noReply && another()) return;
            if (running.size === 0) finish(() => reject(lastError));
          },
        );
      };
      launch(first);
      if (this.pick(tried) !== undefined) {
        hedge = setTimeout(() => {
          if (settled) return;
          for (const index of running.keys()) wentAround.add(index);
          another();
        }, hedgeAfterMs);
        hedge.unref();
      }
    });
  }

  /**
   * One attempt on one replica, and what it tells the replica's breaker: a reply of any kind closes
   * it; no reply (refused, reset, the overall time limit) counts against it; an attempt called off
   * because another replica answered first counts against it only if it had already gone unanswered
   * for half the time limit (the frozen replica a hedge went around), and otherwise gives a probe back.
   */
  private async attempt(index: number, request: SubgraphRequest, deadline: AbortSignal, lost: AbortSignal, wentAround: () => boolean): Promise<SubgraphReply> {
    const replica = this.replicas[index]!;
    replica.inFlight++;
    replica.breaker.begin();
    try {
      const reply = await replica.transport.send(request, AbortSignal.any([deadline, lost]));
      replica.breaker.succeed();
      if (reply.schemaHash !== undefined) this.options.onSchemaHash?.(index, reply.schemaHash);
      return reply;
    } catch (error) {
      if (lost.aborted && !deadline.aborted) {
        // Asked by the hedge's own timer, not by a clock reading: a timer may fire a little before its time by performance.now().
        if (wentAround()) replica.breaker.fail();
        else replica.breaker.release();
      } else if (deadline.aborted || (error instanceof TransportError && error.kind === 'unreachable')) {
        replica.breaker.fail();
      } else {
        // Something answered (an unreadable reply, an in-process error): the replica is reachable.
        replica.breaker.succeed();
      }
      throw error;
    } finally {
      replica.inFlight--;
    }
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
