/**
 * The port the gateway records requests through: it appends facts and reads counts, and knows
 * nothing of segments, fsyncs or locks. `AccessLogWriter` is the one implementation; the gateway's
 * owner opens it, hands it to `startGateway`, and closes it after the gateway has stopped.
 */
import type { AccessEvent, AccessFacts } from '../../schema/index.js';

/** What the log counts, for /metrics and for the tests of group commit. */
export interface AccessLogStats {
  readonly entries: number;
  readonly fsyncs: number;
  /** Wall time spent in those fsyncs, from the call to its completion on the main thread. */
  readonly fsyncSeconds: number;
}

/** The access log as the gateway uses it. */
export interface AccessLog {
  /** Appends one entry; resolves once it is durable, rejects if it could not be written. */
  append(facts: AccessFacts): Promise<AccessEvent>;
  /** Entries made durable and fsyncs run so far: entries ÷ fsyncs is the group-commit batch. */
  readonly stats: AccessLogStats;
  /** Whether the last write succeeded. */
  readonly healthy: boolean;
}
