/**
 * Load runs of one set of rows (one shape's targets): a discarded warm-up of each, then `rounds`
 * rounds in interleaved order (A B C, C B A, A B C), only one target loaded at a time. Each run
 * records the load's req/s, p50, p99 and failures, and, for every process the requests go through,
 * its CPU time (from /proc), its peak resident memory (sampled) and its DuckDB time and statements
 * (from its /metrics); a row reports the median of its runs.
 */
import type { BenchAccess, Caller } from './benchAccess.js';
import { failureCount, httpLoad, type Failures } from './httpLoad.js';
import { sampleRss } from './processMemory.js';
import { processCpuMs } from './processCpu.js';
import type { Proc } from './processes.js';
import { isScenario, requestBody, type BenchInputs, type GatewayScenario, type Scenario } from './scenarios.js';
import { interleavedOrder, median } from './stats.js';
import type { LiveTarget, TargetId } from './targets.js';

/** One row of a set: a target, as a caller. */
export interface RowSpec {
  readonly target: TargetId;
  readonly caller: Caller;
  /** The row's name in the table (default: the target's label, with the caller when it is the analyst). */
  readonly label?: string;
  /** The operation, when the row sends another one than its set's. */
  readonly scenario?: GatewayScenario | Scenario;
  /** Headers that change from request to request (e.g. a fresh bearer token), over the run's. */
  readonly headersOf?: (i: number) => Readonly<Record<string, string>>;
  /** Work that runs while (and only while) this row is loaded, e.g. publishing new versions; resolves to a function that stops it. */
  readonly during?: () => () => Promise<void>;
  /** The row the others of the set are compared with in the `vs base` column. */
  readonly base?: boolean;
  readonly footnote?: string;
}

/** One set of rows measured side by side. */
export interface MeasureSet {
  /** Unique in a scale's results, e.g. `point-lookup` or `point-lookup-1-connection`. */
  readonly id: string;
  /** The group it belongs to (`--only`). */
  readonly group: string;
  readonly title: string;
  readonly scenario: GatewayScenario | Scenario;
  readonly connections: number;
  readonly rows: readonly RowSpec[];
}

/** What one process did during one run. */
export interface ProcRun {
  /** `gateway`, `hive`, `mesh`, `subgraph customers`, `bench (floor)`. */
  readonly key: string;
  readonly role: Proc['role'] | 'floor';
  readonly cpuMs: number | null;
  readonly rssPeakMiB: number | null;
  readonly duckdb: { readonly seconds: number; readonly statements: number } | null;
}

/** One run of one row. */
export interface RunRecord {
  readonly round: number;
  /** Requests answered successfully in time (req/s and the latencies count these). */
  readonly requests: number;
  /** Requests started: the work the processes did (CPU, DuckDB time and statements are per started request, so the requests still in flight at the end of a run are not counted against the others). */
  readonly started: number;
  readonly elapsedMs: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly errors: number;
  readonly errorSample?: string;
  readonly procs: readonly ProcRun[];
}

/** A run's per-request figures, as the table shows them (null where not measured). */
export interface Figures {
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU per request of meshgate's or Hive's gateway process. */
  readonly gatewayCpuMs: number | null;
  /** CPU per request of the subgraph processes behind it, added up. */
  readonly subgraphCpuMs: number | null;
  /** CPU per request of every process involved (the one-process mesh: its only process; the floor: this one). */
  readonly totalCpuMs: number | null;
  /** DuckDB time per request, every subgraph added up. */
  readonly duckdbMs: number | null;
  /** SQL statements per request, every subgraph added up (a result cache's hits run none). */
  readonly sqlPerRequest: number | null;
  /** Peak resident memory of the gateway (or the one-process mesh) during the run. */
  readonly gatewayRssMiB: number | null;
  /** The largest peak resident memory of a subgraph process during the run. */
  readonly subgraphRssMiB: number | null;
}

/** A measured row: its runs and their medians. */
export interface RowResult {
  readonly setId: string;
  readonly group: string;
  readonly title: string;
  readonly target: TargetId;
  readonly label: string;
  readonly caller: Caller;
  readonly connections: number;
  readonly base: boolean;
  readonly footnote?: string;
  readonly runs: readonly RunRecord[];
  /** Failures over every run (a run with failures still counts its successful requests). */
  readonly errors: number;
  /** Each figure's median over the runs. */
  readonly median: Figures;
  /** Each process's figures per request, medians over the runs. */
  readonly perProcess: readonly { key: string; cpuMsPerRequest: number | null; rssPeakMiB: number | null; duckdbMsPerRequest: number | null; sqlPerRequest: number | null }[];
}

/** How long to load, and where progress goes. */
export interface Timing {
  readonly warmupS: number;
  readonly durationS: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

/** What the runs need besides the set. */
export interface MeasureContext {
  readonly targets: ReadonlyMap<TargetId, LiveTarget>;
  readonly inputs: BenchInputs;
  readonly access: BenchAccess;
  readonly timing: Timing;
}

/** The longest single load run: the access context signed before it must outlive it (60 s, 5 s of tolerance). */
export const MAX_RUN_S = 40;

const procKey = (p: Proc): string => (p.role === 'subgraph' ? `subgraph ${p.name}` : p.name);

/** A DuckDB counter from a Prometheus text, or NaN. */
const counter = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

/** A process's DuckDB counters now, or null where it serves none (or they cannot be read). */
async function duckdbOf(p: Proc): Promise<{ seconds: number; statements: number } | null> {
  if (!p.metricsUrl) return null;
  try {
    const text = await (await fetch(p.metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
    const seconds = counter(text, 'meshgate_duckdb_seconds_total');
    const statements = counter(text, 'meshgate_duckdb_statements_total');
    return Number.isFinite(seconds) && Number.isFinite(statements) ? { seconds, statements } : null;
  } catch {
    return null;
  }
}

const minus = (a: { seconds: number; statements: number } | null, b: { seconds: number; statements: number } | null) =>
  a && b ? { seconds: a.seconds - b.seconds, statements: a.statements - b.statements } : null;

/** The display label of a row. */
export const rowLabel = (row: RowSpec, target: LiveTarget): string => row.label ?? (row.caller === 'analyst' ? `${target.label}, as an analyst (masked)` : target.label);

/** A row's load, with its request counter, which goes on from run to run (no request is repeated until the rotation is exhausted). */
class RowLoad {
  private next: number;
  readonly scenario: GatewayScenario | Scenario;
  readonly connections: number;

  constructor(
    readonly spec: RowSpec,
    readonly target: LiveTarget,
    set: MeasureSet,
    /** This row's place among the set's rows: each starts its rotation at its own share of it. */
    index: number,
    private readonly ctx: MeasureContext,
  ) {
    this.scenario = spec.scenario ?? set.scenario;
    this.next = Math.floor((index * this.scenario.space(ctx.inputs)) / Math.max(1, set.rows.length));
    this.connections = set.connections;
  }

  /** One run of `seconds` (in runs of at most {@link MAX_RUN_S}, each with fresh headers). */
  async run(seconds: number, round: number): Promise<RunRecord> {
    const parts = Math.ceil(seconds / MAX_RUN_S);
    const records: RunRecord[] = [];
    for (let k = 0; k < parts; k++) records.push(await this.runOnce(seconds / parts, round));
    return records.length === 1 ? records[0]! : mergeRuns(records);
  }

  private async runOnce(seconds: number, round: number): Promise<RunRecord> {
    const { target, scenario } = this;
    const floor = target.floor;
    const procs = target.procs(scenario);
    if (floor) {
      if (!isScenario(scenario)) throw new Error(`bench: "${scenario.title}" has no floor`);
      const db0 = floor.duckdb();
      const cpu0 = process.cpuUsage();
      const { measurement: m, started } = await floor.measure(scenario, seconds, this.connections, this.next);
      const cpu = process.cpuUsage(cpu0);
      const db1 = floor.duckdb();
      this.next += started;
      const proc: ProcRun = {
        key: 'bench (floor)',
        role: 'floor',
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssPeakMiB: null,
        duckdb: { seconds: db1.seconds - db0.seconds, statements: db1.statements - db0.statements },
      };
      return { round, ...m, started, errors: 0, procs: [proc] };
    }
    const headers = await target.headers(this.spec.caller);
    const cpu0 = await Promise.all(procs.map((p) => processCpuMs(p.child.pid)));
    const db0 = await Promise.all(procs.map(duckdbOf));
    const stopSampling = sampleRss(procs.map((p) => p.child.pid));
    const stopDuring = this.spec.during?.();
    const inputs = this.ctx.inputs;
    const run = await httpLoad({
      url: target.url(scenario),
      body: (i) => requestBody(scenario, target.body, i, inputs),
      rotating: scenario.space(inputs) > 1,
      connections: this.connections,
      headers,
      ...(this.spec.headersOf && { headersOf: this.spec.headersOf }),
      durationS: seconds,
      first: this.next,
    }).finally(() => stopDuring?.());
    // The requests still in flight when the load stopped are finished by the processes: wait for that (their CPU time stops
    // growing) before reading the counters, so the run's work is all counted against its started requests, and none of it
    // against the next run's.
    const cpu1 = await settled(procs);
    const peaks = await stopSampling();
    const db1 = await Promise.all(procs.map(duckdbOf));
    this.next += run.started;
    const errors = failureCount(run.failures);
    // Not a failure, but nothing to measure: a run shorter than this shape's latency under this load.
    if (run.measurement.requests === 0 && errors === 0)
      this.ctx.timing.log(`  no request of ${target.label} was answered within the ${seconds} s run (${run.started} started): lengthen --duration`);
    if (errors > 0) {
      // A refusal or a GraphQL error is the target's doing: show what its processes said. A timeout or no answer at all is load.
      const refused = run.failures.non200 + run.failures.graphqlErrors > 0;
      const tails = refused ? `\n${procs.map((p) => `${p.child.label}:\n${p.child.logTail()}`).join('\n')}` : '';
      this.ctx.timing.log(`  ${errors} failed requests on ${target.label}: ${describeFailures(run.failures)}${tails}`);
    }
    return {
      round,
      ...run.measurement,
      started: run.started,
      errors,
      ...(run.failures.sample !== undefined && { errorSample: run.failures.sample }),
      procs: procs.map((p, k) => ({
        key: procKey(p),
        role: p.role,
        cpuMs: cpu0[k] === null || cpu1[k] === null ? null : cpu1[k]! - cpu0[k]!,
        rssPeakMiB: peaks.get(p.child.pid) ?? null,
        duckdb: minus(db1[k]!, db0[k]!),
      })),
    };
  }
}

/** How long to wait at most for the processes to finish the requests in flight at the end of a run. */
const SETTLE_MAX_MS = 2_000;
const SETTLE_POLL_MS = 30;

/** Waits until the processes' CPU time stops growing (one poll interval without a tick), or {@link SETTLE_MAX_MS}; resolves to their CPU time then. */
async function settled(procs: readonly Proc[]): Promise<(number | null)[]> {
  const read = (): Promise<(number | null)[]> => Promise.all(procs.map((p) => processCpuMs(p.child.pid)));
  const total = (xs: readonly (number | null)[]): number => xs.reduce<number>((s, x) => s + (x ?? 0), 0);
  const deadline = performance.now() + SETTLE_MAX_MS;
  let last = await read();
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    const now = await read();
    if (total(now) === total(last)) return now;
    last = now;
  }
  return last;
}

const describeFailures = (f: Failures): string =>
  `${f.non200} non-200, ${f.graphqlErrors} with GraphQL errors, ${f.connectionErrors} connection errors, ${f.timeouts} timeouts; first: ${f.sample ?? '-'}`;

/** Runs of one row split in parts (longer than {@link MAX_RUN_S}) as one run: requests and times added, latencies weighted by requests. */
function mergeRuns(parts: readonly RunRecord[]): RunRecord {
  const requests = parts.reduce((s, r) => s + r.requests, 0);
  const elapsedMs = parts.reduce((s, r) => s + r.elapsedMs, 0);
  const weighted = (f: (r: RunRecord) => number): number => parts.reduce((s, r) => s + f(r) * r.requests, 0) / Math.max(1, requests);
  const procs = parts[0]!.procs.map((p, k) => {
    const all = parts.map((r) => r.procs[k]!);
    const sum = (f: (x: ProcRun) => number | null): number | null => (all.every((x) => f(x) !== null) ? all.reduce((s, x) => s + f(x)!, 0) : null);
    const seconds = sum((x) => x.duckdb?.seconds ?? null);
    const statements = sum((x) => x.duckdb?.statements ?? null);
    const peaks = all.map((x) => x.rssPeakMiB).filter((x): x is number => x !== null);
    return {
      ...p,
      cpuMs: sum((x) => x.cpuMs),
      rssPeakMiB: peaks.length ? Math.max(...peaks) : null,
      duckdb: seconds === null || statements === null ? null : { seconds, statements },
    };
  });
  const sample = parts.find((r) => r.errorSample !== undefined)?.errorSample;
  return {
    round: parts[0]!.round,
    requests,
    started: parts.reduce((s, r) => s + r.started, 0),
    elapsedMs,
    reqPerSec: (requests * 1000) / elapsedMs,
    p50Ms: weighted((r) => r.p50Ms),
    p99Ms: Math.max(...parts.map((r) => r.p99Ms)),
    meanMs: weighted((r) => r.meanMs),
    errors: parts.reduce((s, r) => s + r.errors, 0),
    ...(sample !== undefined && { errorSample: sample }),
    procs,
  };
}

/** A run's per-request figures. */
export function figuresOf(run: RunRecord): Figures {
  const per = (x: number | null): number | null => (x === null || run.started === 0 ? null : x / run.started);
  const sum = (procs: readonly ProcRun[], f: (p: ProcRun) => number | null): number | null =>
    procs.length === 0 || procs.some((p) => f(p) === null) ? null : procs.reduce((s, p) => s + f(p)!, 0);
  const gateway = run.procs.filter((p) => p.role === 'gateway');
  const subgraphs = run.procs.filter((p) => p.role === 'subgraph');
  const front = run.procs.filter((p) => p.role !== 'subgraph');
  const databases = run.procs.filter((p) => p.duckdb !== null);
  const peak = (procs: readonly ProcRun[]): number | null => {
    const values = procs.map((p) => p.rssPeakMiB).filter((x): x is number => x !== null);
    return values.length ? Math.max(...values) : null;
  };
  return {
    reqPerSec: run.reqPerSec,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    gatewayCpuMs: per(sum(gateway, (p) => p.cpuMs)),
    subgraphCpuMs: per(sum(subgraphs, (p) => p.cpuMs)),
    totalCpuMs: per(sum(run.procs, (p) => p.cpuMs)),
    duckdbMs: per(databases.length ? databases.reduce((s, p) => s + p.duckdb!.seconds * 1000, 0) : null),
    sqlPerRequest: per(databases.length ? databases.reduce((s, p) => s + p.duckdb!.statements, 0) : null),
    gatewayRssMiB: peak(front.filter((p) => p.role !== 'floor')),
    subgraphRssMiB: peak(subgraphs),
  };
}

/** The median of each figure over some runs (null where any run could not measure it). */
export function medianFigures(runs: readonly Figures[]): Figures {
  const m = (f: (x: Figures) => number | null): number | null => (runs.length === 0 || runs.some((r) => f(r) === null) ? null : median(runs.map((r) => f(r)!)));
  return {
    reqPerSec: m((x) => x.reqPerSec) ?? Number.NaN,
    p50Ms: m((x) => x.p50Ms) ?? Number.NaN,
    p99Ms: m((x) => x.p99Ms) ?? Number.NaN,
    gatewayCpuMs: m((x) => x.gatewayCpuMs),
    subgraphCpuMs: m((x) => x.subgraphCpuMs),
    totalCpuMs: m((x) => x.totalCpuMs),
    duckdbMs: m((x) => x.duckdbMs),
    sqlPerRequest: m((x) => x.sqlPerRequest),
    gatewayRssMiB: m((x) => x.gatewayRssMiB),
    subgraphRssMiB: m((x) => x.subgraphRssMiB),
  };
}

/** Each process's per-request figures, medians over the runs. */
function perProcess(runs: readonly RunRecord[]): RowResult['perProcess'] {
  const keys = runs[0]?.procs.map((p) => p.key) ?? [];
  return keys.map((key, k) => {
    const m = (f: (p: ProcRun, r: RunRecord) => number | null): number | null => {
      const values = runs.map((r) => f(r.procs[k]!, r));
      return values.some((v) => v === null) ? null : median(values as number[]);
    };
    const per = (x: number | null, r: RunRecord): number | null => (x === null || r.started === 0 ? null : x / r.started);
    return {
      key,
      cpuMsPerRequest: m((p, r) => per(p.cpuMs, r)),
      rssPeakMiB: m((p) => p.rssPeakMiB),
      duckdbMsPerRequest: m((p, r) => per(p.duckdb ? p.duckdb.seconds * 1000 : null, r)),
      sqlPerRequest: m((p, r) => per(p.duckdb?.statements ?? null, r)),
    };
  });
}

const summary = (label: string, f: Figures, errors: number): string =>
  `  ${label}: ${f.reqPerSec.toFixed(0)} req/s, p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms${f.totalCpuMs === null ? '' : `, ${f.totalCpuMs.toFixed(2)} ms CPU/req`}${errors ? `, ${errors} errors` : ''}`;

/** Measures a set: a warm-up of each row, then the rounds in interleaved order; resolves to one result per row, in the set's order. */
export async function measureSet(set: MeasureSet, ctx: MeasureContext): Promise<RowResult[]> {
  const { timing } = ctx;
  const loads = set.rows.map((spec, k) => {
    const target = ctx.targets.get(spec.target);
    if (!target) throw new Error(`bench: target ${spec.target} was not started`);
    return new RowLoad(spec, target, set, k, ctx);
  });
  const names = loads.map((_, i) => String.fromCharCode(65 + i));
  const order = interleavedOrder(loads.length, timing.rounds);
  timing.log(`-- ${set.title} (${set.connections} connection${set.connections === 1 ? '' : 's'}): ${loads.map((l, i) => `${names[i]} ${rowLabel(l.spec, l.target)}`).join(' | ')}`);
  timing.log(`   warm-up ${timing.warmupS} s each, then ${order.map((r) => r.map((i) => names[i]).join(' ')).join(' | ')}, ${timing.durationS} s per run`);
  for (const l of loads) await l.run(timing.warmupS, -1);
  const runs: RunRecord[][] = loads.map(() => []);
  for (const [round, indices] of order.entries()) for (const i of indices) runs[i]!.push(await loads[i]!.run(timing.durationS, round));
  return loads.map((l, i) => {
    const median = medianFigures(runs[i]!.map(figuresOf));
    const errors = runs[i]!.reduce((s, r) => s + r.errors, 0);
    const label = rowLabel(l.spec, l.target);
    timing.log(summary(`${names[i]} ${label}`, median, errors));
    return {
      setId: set.id,
      group: set.group,
      title: set.title,
      target: l.spec.target,
      label,
      caller: l.spec.caller,
      connections: set.connections,
      base: l.spec.base ?? false,
      ...(l.spec.footnote !== undefined && { footnote: l.spec.footnote }),
      runs: runs[i]!,
      errors,
      median,
      perProcess: perProcess(runs[i]!),
    };
  });
}
