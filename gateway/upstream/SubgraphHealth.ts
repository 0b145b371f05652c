/**
 * What the gateway knows of its subgraphs' health, for readiness and the log: each replica's
 * circuit breaker, the schema hash each replica says it serves against the hash of the SDL the
 * gateway composed, the domains left out of the composition, and a re-composition that was refused.
 *
 * A schema mismatch or an open circuit makes the gateway "degraded", never "not ready": it still
 * serves every other domain (and a mismatching one, for the fields both sides agree on), and a
 * readiness probe that failed would take every gateway replica out of the load balancer at once for
 * a problem of one domain. The platform flags it from the /readyz body and the metrics
 * (`meshgate_subgraph_schema_mismatch`, `meshgate_subgraph_circuit_open`) instead.
 */
import type { CircuitState } from '../transport/CircuitBreaker.js';

/** Where health changes are reported besides readiness. */
export interface SubgraphHealthSinks {
  readonly log: (line: string) => void;
  readonly circuitMetric: (subgraph: string, states: readonly CircuitState[]) => void;
  readonly mismatchMetric: (subgraph: string, mismatched: boolean) => void;
}

interface Subgraph {
  expected: string;
  circuits: CircuitState[];
  /** The last hash each replica reported (index → hash). */
  readonly served: Map<number, string>;
}

/** One subgraph as /readyz reports it (no address: only indexes of replicas). */
export interface SubgraphReadiness {
  readonly replicas: number;
  readonly circuit: 'closed' | 'partly open' | 'open';
  readonly schema: 'as composed' | 'mismatch' | 'not reported yet';
  readonly composedHash: string;
  readonly servedHashes?: Record<string, string>;
}

/** The body of /readyz. */
export interface ReadinessReport {
  readonly status: 'ready' | 'degraded';
  readonly subgraphs: Record<string, SubgraphReadiness>;
  /** Domains whose declarations are broken and which are not served (a dev gateway only: production refuses to start). */
  readonly leftOut?: readonly string[];
  /** The last re-composition that was refused (the previous supergraph keeps serving): when, and how many problems (the log names them). */
  readonly refusedReload?: { readonly at: string; readonly problems: number };
}

/** The gateway's view of its subgraphs' health. */
export class SubgraphHealth {
  private readonly subgraphs = new Map<string, Subgraph>();
  private leftOut: readonly string[] = [];
  private refusedReload: { readonly at: string; readonly problems: number } | undefined;

  constructor(private readonly sinks: SubgraphHealthSinks) {}

  /** Sets what the gateway composed for `name` (at start and on every re-composition); `fresh` when its replicas are new ones. */
  compose(name: string, expected: string, replicas: number, fresh: boolean): void {
    const known = this.subgraphs.get(name);
    if (!known) {
      this.subgraphs.set(name, { expected, circuits: Array.from({ length: replicas }, () => 'closed'), served: new Map() });
      this.sinks.mismatchMetric(name, false);
      return;
    }
    known.expected = expected;
    // Other replicas (a changed URL list) start with closed breakers and no hash reported.
    if (fresh || known.circuits.length !== replicas) {
      known.circuits = Array.from({ length: replicas }, () => 'closed');
      known.served.clear();
    }
    this.sinks.mismatchMetric(name, this.mismatched(known));
  }

  /** Forgets a subgraph no longer composed. */
  remove(name: string): void {
    this.subgraphs.delete(name);
  }

  /** Domains left out of the composition because their declarations are broken. */
  setLeftOut(domains: readonly string[]): void {
    this.leftOut = [...domains];
  }

  /** The problems of the last refused re-composition, or undefined once one succeeds. */
  setRefusedReload(problems: readonly string[] | undefined): void {
    this.refusedReload = problems && { at: new Date().toISOString(), problems: problems.length };
  }

  /** A replica's breaker changed. */
  circuit(name: string, states: readonly CircuitState[]): void {
    const s = this.subgraphs.get(name);
    if (s) s.circuits = [...states];
    this.sinks.circuitMetric(name, states);
  }

  /** Whether every replica of `name` has its breaker open. */
  allOpen(name: string): boolean {
    const s = this.subgraphs.get(name);
    return s !== undefined && s.circuits.every((c) => c !== 'closed');
  }

  /** A replica reported the hash of the schema it serves; a change is logged once. */
  schemaSeen(name: string, replica: number, hash: string): void {
    const s = this.subgraphs.get(name);
    if (!s || s.served.get(replica) === hash) return;
    const before = this.mismatched(s);
    s.served.set(replica, hash);
    if (hash !== s.expected) {
      this.sinks.log(
        `WARNING: subgraph "${name}" (replica ${replica}) serves schema ${hash}, but the gateway composed ${s.expected} from its declarations: ` +
          'the gateway and the subgraph were started from different declarations; fields that differ fail until both run the same version',
      );
    } else if (before) {
      this.sinks.log(`subgraph "${name}" (replica ${replica}) now serves the schema the gateway composed (${hash})`);
    }
    this.sinks.mismatchMetric(name, this.mismatched(s));
  }

  /** The readiness report: "degraded" when a circuit is open, a schema differs, a domain is left out or a reload was refused. */
  report(): ReadinessReport {
    const subgraphs: Record<string, SubgraphReadiness> = {};
    let degraded = this.leftOut.length > 0 || this.refusedReload !== undefined;
    for (const [name, s] of this.subgraphs) {
      const open = s.circuits.filter((c) => c !== 'closed').length;
      const mismatch = this.mismatched(s);
      degraded ||= open > 0 || mismatch;
      subgraphs[name] = {
        replicas: s.circuits.length,
        circuit: open === 0 ? 'closed' : open === s.circuits.length ? 'open' : 'partly open',
        schema: mismatch ? 'mismatch' : s.served.size === 0 ? 'not reported yet' : 'as composed',
        composedHash: s.expected,
        ...(s.served.size > 0 && { servedHashes: Object.fromEntries([...s.served].map(([i, h]) => [String(i), h])) }),
      };
    }
    return {
      status: degraded ? 'degraded' : 'ready',
      subgraphs,
      ...(this.leftOut.length > 0 && { leftOut: this.leftOut }),
      ...(this.refusedReload && { refusedReload: this.refusedReload }),
    };
  }

  private mismatched(s: Subgraph): boolean {
    return [...s.served.values()].some((h) => h !== s.expected);
  }
}
