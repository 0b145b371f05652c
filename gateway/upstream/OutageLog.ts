/**
 * A subgraph outage in the log as a few lines, not one per failed call: the first failure is
 * written at once with its cause, then one summary per interval while calls keep failing ("1,234
 * calls failed in the last 10 s (timeout 1,200, unreachable 34); circuit open"), and one line when an
 * interval passes without a failure. Under load a dead subgraph would otherwise write thousands of
 * lines a second, drowning everything else and costing the gateway the CPU it needs to fail fast.
 */
import type { Log } from '../../schema/index.js';

/** Why a call failed, as the log and the metrics name it. */
type Reason = string;

interface Outage {
  readonly counts: Map<Reason, number>;
  total: number;
  readonly timer: NodeJS.Timeout;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The gateway's log of failed subgraph calls, summarised per subgraph and interval. */
export class OutageLog {
  private readonly outages = new Map<string, Outage>();

  constructor(
    private readonly log: Log,
    private readonly intervalMs: number,
    /** Whether every replica of the subgraph has its circuit open (said in the summary). */
    private readonly circuitOpen: (subgraph: string) => boolean,
  ) {}

  /** Records one failed call; `describe` gives its cause (which may name an address: the log is for operators). */
  failure(subgraph: string, reason: Reason, requestId: string | undefined, describe: () => string): void {
    const outage = this.outages.get(subgraph);
    if (outage) {
      outage.counts.set(reason, (outage.counts.get(reason) ?? 0) + 1);
      outage.total++;
      return;
    }
    this.log(`subgraph "${subgraph}" failed (${reason}) for request ${requestId ?? '-'}: ${describe()}`, {
      level: 'warn',
      subgraph,
      reason,
      ...(requestId !== undefined && { requestId }),
    });
    const timer = setInterval(() => this.tick(subgraph), this.intervalMs);
    timer.unref();
    this.outages.set(subgraph, { counts: new Map(), total: 0, timer });
  }

  /** Says at once that a replica's circuit breaker opened (from closed) or closed again, with every replica's state. */
  circuit(subgraph: string, replica: number, open: boolean, all: readonly string[]): void {
    const openCount = all.filter((c) => c !== 'closed').length;
    const of = `${openCount} of ${all.length} replica${all.length === 1 ? '' : 's'} open`;
    if (!open) this.log(`subgraph "${subgraph}": the circuit of replica ${replica} closed again (${of})`, { level: 'info', subgraph });
    else if (openCount === all.length)
      this.log(`subgraph "${subgraph}": circuit open (replica ${replica}; ${of}): its calls fail fast until a probe succeeds`, { level: 'error', subgraph });
    else this.log(`subgraph "${subgraph}": the circuit of replica ${replica} opened (${of}): calls go to the other replicas`, { level: 'warn', subgraph });
  }

  /** Stops the timers. */
  close(): void {
    for (const o of this.outages.values()) clearInterval(o.timer);
    this.outages.clear();
  }

  private tick(subgraph: string): void {
    const outage = this.outages.get(subgraph);
    if (!outage) return;
    const seconds = `${Math.round(this.intervalMs / 100) / 10} s`;
    if (outage.total === 0) {
      clearInterval(outage.timer);
      this.outages.delete(subgraph);
      this.log(`subgraph "${subgraph}": recovered, no call failed in the last ${seconds}`, { level: 'info', subgraph });
      return;
    }
    const reasons = [...outage.counts].map(([reason, n]) => `${reason} ${count(n)}`).join(', ');
    const circuit = this.circuitOpen(subgraph) ? '; circuit open' : '';
    this.log(`subgraph "${subgraph}": ${count(outage.total)} call${outage.total === 1 ? '' : 's'} failed in the last ${seconds} (${reasons})${circuit}`, {
      level: 'warn',
      subgraph,
    });
    outage.counts.clear();
    outage.total = 0;
  }
}
