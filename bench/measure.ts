/**
 * Load runs against the meshes under test: one target after a discarded warm-up, or two targets
 * side by side in the order A B B A A B B A, so that a drift of a noisy machine's load weighs on
 * both alike. Each run also reads the CPU time the serving process used, per request.
 */
import type { ChildMesh } from './childMesh.js';
import { failureCount, httpLoad } from './httpLoad.js';
import { processCpuMs } from './processCpu.js';
import { combine, type Measurement, type RunSample } from './stats.js';

/** One HTTP target under load. */
export interface Load {
  /** Names the target in progress lines and errors, e.g. `point look-up by key, gateway`. */
  readonly label: string;
  /** The mesh that answers, whose log tail explains a failure. */
  readonly mesh: ChildMesh;
  readonly url: string;
  /** The i-th request's JSON body. */
  readonly body: (i: number) => string;
  /** Whether the body changes from request to request. */
  readonly rotating: boolean;
  readonly connections: number;
  /** The headers of one run, built right before it starts (a signed access context lives 60 s). */
  headers(): Promise<Readonly<Record<string, string>>>;
  /** Headers that change from request to request, e.g. a fresh bearer token. */
  readonly headersOf?: (i: number) => Readonly<Record<string, string>>;
  /** Work that runs while (and only while) this target is loaded, e.g. publishing new versions; resolves to a function that stops it. */
  readonly during?: () => () => Promise<void>;
}

/** How long to load, and where progress goes. */
export interface Timing {
  readonly warmupS: number;
  readonly durationS: number;
  readonly log: (line: string) => void;
}

/** A target's measurement and the CPU its serving process used per request (null where unknown). */
export interface Measured {
  readonly measurement: Measurement;
  readonly cpuMsPerRequest: number | null;
}

/** Runs of one target, pooled: their latencies, wall times and CPU times. */
class Pool {
  private readonly runs: { readonly sample: RunSample; readonly cpuMs: number | null }[] = [];

  /** Adds one run, or every run of another pool. */
  add(run: Pool | { readonly sample: RunSample; readonly cpuMs: number | null }): this {
    this.runs.push(...(run instanceof Pool ? run.runs : [run]));
    return this;
  }

  result(): Measured {
    const measurement = combine(this.runs.map((r) => r.sample));
    const cpu = this.runs.every((r) => r.cpuMs !== null) ? this.runs.reduce((sum, r) => sum + r.cpuMs!, 0) : null;
    return { measurement, cpuMsPerRequest: cpu === null || measurement.requests === 0 ? null : cpu / measurement.requests };
  }
}

/** The longest single load run: the access context signed before it must outlive it (60 s, 5 s of tolerance). */
export const MAX_RUN_S = 40;

/** A measurement in one line, for progress output. */
export const summary = ({ measurement: m, cpuMsPerRequest: cpu }: Measured): string =>
  `${m.reqPerSec.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms${cpu === null ? '' : `, ${cpu.toFixed(2)} ms CPU/req`}`;

/** Loads a target for `seconds`, in runs of at most {@link MAX_RUN_S} with fresh headers each; throws on any failure. */
async function load(target: Load, seconds: number): Promise<Pool> {
  const runs = Math.ceil(seconds / MAX_RUN_S);
  const pool = new Pool();
  for (let k = 0; k < runs; k++) {
    const { url, body, rotating, connections, headersOf } = target;
    const cpuBefore = await processCpuMs(target.mesh.pid);
    const stop = target.during?.();
    const run = await httpLoad({ url, body, rotating, connections, headers: await target.headers(), ...(headersOf && { headersOf }), durationS: seconds / runs }).finally(() =>
      stop?.(),
    );
    const f = run.failures;
    if (failureCount(f) > 0) {
      throw new Error(
        `${target.label}: ${f.non200} non-200, ${f.graphqlErrors} with GraphQL errors, ${f.connectionErrors} connection errors, ${f.timeouts} timeouts; first: ${f.sample ?? '-'}\n${target.mesh.label} mesh under test (pid ${target.mesh.pid}):\n${target.mesh.logTail()}`,
      );
    }
    const cpuAfter = await processCpuMs(target.mesh.pid);
    pool.add({ sample: run.sample, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore });
  }
  return pool;
}

/** Measures one target after a discarded warm-up. */
export async function measureHttp(target: Load, timing: Timing): Promise<Measured> {
  timing.log(`${target.label}...`);
  await load(target, timing.warmupS);
  const m = (await load(target, timing.durationS)).result();
  timing.log(`  ${summary(m)}`);
  return m;
}

/** How many times a side-by-side pair alternates A B B A. */
export const PAIR_ROUNDS = 2;

/**
 * Measures two targets side by side after a warm-up of each: A B B A, {@link PAIR_ROUNDS} times,
 * each run a quarter of the duration when there are two rounds, so each target gets the whole
 * duration in all. Only one target is loaded at a time.
 */
export async function measurePair(a: Load, b: Load, timing: Timing): Promise<[Measured, Measured]> {
  const [x, y] = await measureSet([a, b], timing);
  return [x!, y!];
}

/** Like {@link measurePair} for any number of targets: each round runs them forwards, then backwards (A B C C B A). */
export async function measureSet(loads: readonly Load[], timing: Timing): Promise<Measured[]> {
  const names = loads.map((_, i) => String.fromCharCode(65 + i));
  const order = [...names, ...[...names].reverse()].join(' ');
  timing.log(`${loads.map((l, i) => `${names[i]} ${l.label}`).join(' | ')}: side by side, ${`${order} `.repeat(PAIR_ROUNDS).trim()}...`);
  for (const l of loads) await load(l, timing.warmupS);
  const slice = timing.durationS / (2 * PAIR_ROUNDS);
  const pools = loads.map(() => new Pool());
  for (let k = 0; k < PAIR_ROUNDS; k++) {
    for (let i = 0; i < loads.length; i++) pools[i]!.add(await load(loads[i]!, slice));
    for (let i = loads.length - 1; i >= 0; i--) pools[i]!.add(await load(loads[i]!, slice));
  }
  const results = pools.map((p) => p.result());
  results.forEach((r, i) => timing.log(`  ${names[i]} ${summary(r)}`));
  return results;
}
