/**
 * The circuit breaker of one subgraph replica: after `failures` consecutive calls that got no reply
 * (timeouts, connection refused or reset) it opens and the replica is skipped; `resetMs` later it
 * lets one call through (half-open): a reply closes it, a failure opens it again for `resetMs`.
 *
 * Written here rather than taken from cockatiel or opossum: those wrap a call (`execute(fn)`) and
 * decide inside it, while the replica set must know, before it picks a replica, which ones may be
 * called and whether a call would be the one probe, so it can send the request to another replica
 * instead of failing it; and their state stays "open" until a call is tried, so "due for a probe"
 * cannot be read without trying. The state machine is three states and four methods.
 */

/** Closed: calls pass. Open: calls are refused until the reset time. Half-open: one probe is in flight. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A breaker's state machine; `now` is injectable for tests of the clock-free logic. */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutive = 0;
  private openedAt = 0;

  constructor(
    private readonly failures: number,
    private readonly resetMs: number,
    private readonly onChange: (state: CircuitState) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The state as last changed (an open breaker due for a probe still reads "open"). */
  get current(): CircuitState {
    return this.state;
  }

  /** Whether a call may be sent now: always when closed, once the reset time has passed when open, never while the probe is in flight. */
  admits(): boolean {
    if (this.state === 'closed') return true;
    return this.state === 'open' && this.now() - this.openedAt >= this.resetMs;
  }

  /** Marks a call as sent; when the breaker is open (and admits), this call is the probe. */
  begin(): void {
    if (this.state === 'open') this.change('half-open');
  }

  /** The replica replied (whatever the status): it is reachable. */
  succeed(): void {
    this.consecutive = 0;
    if (this.state !== 'closed') this.change('closed');
  }

  /** The call got no reply (timeout, refused, reset). */
  fail(): void {
    this.consecutive++;
    if (this.state === 'half-open' || (this.state === 'closed' && this.consecutive >= this.failures)) {
      this.openedAt = this.now();
      this.change('open');
    } else if (this.state === 'open') {
      this.openedAt = this.now();
    }
  }

  /** The call was called off because another replica answered first, before it had taken long enough to say anything: a probe in flight is given back. */
  release(): void {
    if (this.state !== 'half-open') return;
    this.state = 'open';
    this.openedAt = this.now() - this.resetMs;
  }

  private change(state: CircuitState): void {
    this.state = state;
    this.onChange(state);
  }
}
