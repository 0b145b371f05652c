/** The issues' performance targets, each checked from the measured rows and printed with its figures. */
import { signed, TARGET, type BenchRow, type Target } from './report.js';
import { CONCURRENCY } from './floor.js';
import type { FsyncCost } from './fsyncCost.js';
import type { TokenCost } from './tokenCost.js';

/** One target and whether it was met; `pass` is null for a ratio reported without a target of its own. */
export interface TargetCheck {
  readonly name: string;
  readonly pass: boolean | null;
  readonly detail: string;
}

/** Statement counts of the federated join through the gateway, per domain. */
export interface JoinCost {
  readonly statements: number;
  readonly byDomain: Readonly<Record<string, number>>;
}

/** The point look-up through the gateway may cost at most this much more than the floor, at p50. */
export const POINT_LOOKUP_BUDGET_MS = 3;
/** The domains the federated join reads, one statement each. */
export const JOIN_DOMAINS: readonly string[] = ['commerce', 'customers'];
/** Full enforcement may cost at most 10% of the open gateway's throughput. */
export const MIN_ENFORCED_RATIO = 0.9;
/** CPU one token verification may cost, in microseconds. */
export const VERIFY_CPU_BUDGET_US = 200;

const rowOf = (rows: readonly BenchRow[], scenarioId: string, target: Target): BenchRow | undefined => rows.find((r) => r.scenarioId === scenarioId && r.target === target);
const ms = (n: number): string => `${n.toFixed(2)} ms`;
const reqs = (r: BenchRow): string => `${r.reqPerSec.toFixed(0)} req/s`;

/** Where the look-up was measured under load, reported beside the latency figure but not checked. */
export interface LoadedLookup {
  readonly scenarioId: string;
  readonly connections: number;
}

/**
 * The latency target: the point look-up's p50 through the enforced gateway within
 * {@link POINT_LOOKUP_BUDGET_MS} of the floor's, on the one-connection pass (no queueing).
 */
export function checkLookupLatency(rows: readonly BenchRow[], latencyId: string, loaded?: LoadedLookup): TargetCheck {
  const gw = rowOf(rows, latencyId, TARGET.gateway);
  const floor = rowOf(rows, latencyId, TARGET.floor);
  const open = rowOf(rows, latencyId, TARGET.open);
  const name = `point look-up p50 through the gateway within ${POINT_LOOKUP_BUDGET_MS} ms of the floor (1 connection)`;
  if (!gw || !floor) return { name, pass: false, detail: 'not measured' };
  const diff = gw.p50Ms - floor.p50Ms;
  const parts = [`${signed(diff, 2)} ms: gateway ${ms(gw.p50Ms)}, floor ${ms(floor.p50Ms)}${open ? `, open gateway ${ms(open.p50Ms)}` : ''}`];
  const lgw = loaded && rowOf(rows, loaded.scenarioId, TARGET.gateway);
  const lfloor = loaded && rowOf(rows, loaded.scenarioId, TARGET.floor);
  if (loaded && lgw && lfloor) {
    parts.push(
      `at ${loaded.connections} connections, throughput-bound, not checked: ${signed(lgw.p50Ms - lfloor.p50Ms, 2)} ms, gateway ${ms(lgw.p50Ms)}, floor ${ms(lfloor.p50Ms)}`,
    );
  }
  return { name, pass: diff <= POINT_LOOKUP_BUDGET_MS, detail: parts.join('; ') };
}

/** The join target: the federated join costs exactly one SQL statement per subgraph. */
export function checkJoin(join: JoinCost): TargetCheck {
  const perDomain = JOIN_DOMAINS.map((d) => `${d} ${join.byDomain[d] ?? 0}`).join(', ');
  const onePerSubgraph = join.statements === JOIN_DOMAINS.length && JOIN_DOMAINS.every((d) => join.byDomain[d] === 1);
  return {
    name: 'the federated join costs exactly one SQL statement per subgraph',
    pass: onePerSubgraph,
    detail: `${join.statements} statement${join.statements === 1 ? '' : 's'}: ${perDomain}`,
  };
}

/** The enforcement target, per shape: the enforced gateway keeps at least {@link MIN_ENFORCED_RATIO} of the open gateway's req/s. */
export function checkEnforcement(rows: readonly BenchRow[], scenarioIds: readonly string[]): TargetCheck[] {
  return scenarioIds.map((id) => {
    const gw = rowOf(rows, id, TARGET.gateway);
    const open = rowOf(rows, id, TARGET.open);
    const name = `enforcement costs at most ${Math.round((1 - MIN_ENFORCED_RATIO) * 100)}% of throughput: ${gw?.scenario ?? open?.scenario ?? id}`;
    if (!gw || !open) return { name, pass: false, detail: 'not measured' };
    const ratio = gw.reqPerSec / open.reqPerSec;
    const cpu =
      gw.cpuMsPerRequest !== null && open.cpuMsPerRequest !== null
        ? `; mesh CPU ${gw.cpuMsPerRequest.toFixed(2)} vs ${open.cpuMsPerRequest.toFixed(2)} ms/req (${signed(gw.cpuMsPerRequest - open.cpuMsPerRequest, 2)})`
        : '';
    return { name, pass: ratio >= MIN_ENFORCED_RATIO, detail: `${ratio.toFixed(2)}x: enforced ${reqs(gw)}, open ${reqs(open)}${cpu}; p50 ${ms(gw.p50Ms)} vs ${ms(open.p50Ms)}` };
  });
}

/** The access log's targets: at most 10% of throughput and at most this much p50, against the same gateway without it. */
export const MAX_LOG_P50_MS = 1;

/**
 * Checks the access log's cost per shape against the enforced gateway without it: throughput at
 * 10 connections, and p50 at one connection (`latencyIdOf` names that pair), where it is what the
 * log adds to a reply rather than queueing. `fsync` is the floor: one durable append on that disk.
 */
export function checkAccessLog(rows: readonly BenchRow[], scenarioIds: readonly string[], latencyIdOf: (id: string) => string, fsync?: FsyncCost): TargetCheck[] {
  return scenarioIds.map((id) => {
    const logged = rowOf(rows, id, TARGET.logged);
    const gw = rowOf(rows, id, TARGET.gateway);
    const logged1 = rowOf(rows, latencyIdOf(id), TARGET.logged);
    const gw1 = rowOf(rows, latencyIdOf(id), TARGET.gateway);
    const name = `the access log costs at most ${Math.round((1 - MIN_ENFORCED_RATIO) * 100)}% of throughput and ${MAX_LOG_P50_MS} ms of p50: ${logged?.scenario ?? gw?.scenario ?? id}`;
    if (!logged || !gw || !logged1 || !gw1) return { name, pass: false, detail: 'not measured' };
    const ratio = logged.reqPerSec / gw.reqPerSec;
    const added = logged1.p50Ms - gw1.p50Ms;
    const cpu = logged.cpuMsPerRequest !== null && gw.cpuMsPerRequest !== null ? `, mesh CPU ${signed(logged.cpuMsPerRequest - gw.cpuMsPerRequest, 2)} ms/req` : '';
    const during = (r: BenchRow): string => (r.fsyncMeanMs !== undefined ? `, its fsyncs ${ms(r.fsyncMeanMs)} on average` : '');
    const floor = fsync ? `; one fsync alone on this disk, unloaded: ${(fsync.p50WallUs / 1000).toFixed(2)} ms p50` : '';
    return {
      name,
      pass: ratio >= MIN_ENFORCED_RATIO && added <= MAX_LOG_P50_MS,
      detail: `${ratio.toFixed(2)}x at ${CONCURRENCY} connections (logged ${reqs(logged)}, not logged ${reqs(gw)}${cpu}; p50 ${signed(logged.p50Ms - gw.p50Ms, 2)} ms there${during(logged)}); p50 ${signed(added, 2)} ms at 1 connection (${ms(logged1.p50Ms)} vs ${ms(gw1.p50Ms)}${during(logged1)})${floor}`,
    };
  });
}

/** The verification target: one token verification under {@link VERIFY_CPU_BUDGET_US} µs of CPU. */
export function checkVerification(cost: TokenCost): TargetCheck {
  const n = cost.verifications.toLocaleString('en-US');
  return {
    name: `a token verification costs under ${VERIFY_CPU_BUDGET_US / 1000} ms of CPU`,
    pass: cost.verifyCpuUs < VERIFY_CPU_BUDGET_US,
    detail: `${cost.verifyCpuUs.toFixed(0)} µs of CPU per verification over ${n} distinct tokens (${cost.verifyWallUs.toFixed(0)} µs wall); for reference, an ES256 sign costs ${cost.signCpuUs.toFixed(0)} µs of CPU`,
  };
}

/** A ratio between two rows of one scenario, reported without a target of its own. */
export function compareVariants(rows: readonly BenchRow[], scenarioId: string, variant: Target): TargetCheck {
  const row = rowOf(rows, scenarioId, variant);
  const base = row?.baseline ? rowOf(rows, scenarioId, row.baseline) : undefined;
  const name = `${row?.scenario ?? scenarioId}: ${variant} vs ${base?.target ?? 'base'}`;
  if (!row || !base) return { name, pass: null, detail: 'not measured' };
  return { name, pass: null, detail: `${(row.reqPerSec / base.reqPerSec).toFixed(2)}x: ${reqs(row)} vs ${reqs(base)}; p50 ${ms(row.p50Ms)} vs ${ms(base.p50Ms)}` };
}

/** One line per check: `name: PASS (detail)`, `FAIL`, or `INFO` for a ratio without a target. */
export function formatChecks(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.name}: ${c.pass === null ? 'INFO' : c.pass ? 'PASS' : 'FAIL'} (${c.detail})`).join('\n');
}
