/** Latency statistics computed the same way for every target, so floor, subgraph and gateway compare like for like. */

/** What one load run measured. */
export interface Measurement {
  /** Requests completed (successful ones only: a run with any failure is refused anyway). */
  readonly requests: number;
  readonly elapsedMs: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

/** The p-th percentile (0 < p <= 100) of ascending values, by nearest rank; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

/** Summarises per-request latencies (ms, any order) collected over `elapsedMs` of wall time. */
export function summarize(latenciesMs: readonly number[], elapsedMs: number): Measurement {
  if (!(elapsedMs > 0)) throw new RangeError(`summarize: elapsedMs must be positive, got ${elapsedMs}`);
  const sorted = Float64Array.from(latenciesMs).sort();
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    requests: sorted.length,
    elapsedMs,
    reqPerSec: (sorted.length * 1000) / elapsedMs,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length ? total / sorted.length : Number.NaN,
  };
}

/** The latencies of one run and the wall time it took, kept so runs can be merged. */
export interface RunSample {
  readonly latenciesMs: readonly number[];
  readonly elapsedMs: number;
}

/** Summarises several runs of one target as one: their latencies pooled, their wall times added. */
export function combine(runs: readonly RunSample[]): Measurement {
  if (runs.length === 0) throw new RangeError('combine: no run to combine');
  return summarize(
    runs.flatMap((r) => r.latenciesMs),
    runs.reduce((sum, r) => sum + r.elapsedMs, 0),
  );
}

/** The median of some values (the mean of the middle two for an even count); NaN when there are none. Non-finite values are left out. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The order in which `targets` targets run, round by round: forwards, then backwards, then
 * forwards again (A B C, C B A, A B C for three rounds), so that a drift of a shared machine's
 * load weighs on every target alike, and no target always runs right after the same one.
 */
export function interleavedOrder(targets: number, rounds: number): number[][] {
  const forwards = Array.from({ length: targets }, (_, i) => i);
  return Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? [...forwards] : [...forwards].reverse()));
}
