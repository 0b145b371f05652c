/**
 * The issues' performance targets, each checked from the reported rows and printed with its
 * figures. A missed target is reported (FAIL), never an error; `pass: null` is a ratio reported
 * without a target of its own (INFO).
 */
import type { FsyncCost } from './fsyncCost.js';
import { CONNECTIONS, FRESH_TOKEN_ID, LATENCY_ID, logLatencyId } from './groups.js';
import { signed, type ReportRow } from './report.js';
import { DASHBOARD_AGGREGATE, DASHBOARD_PAGE, MASKED_PII, SCENARIOS } from './scenarios.js';
import { targetDef, type TargetId } from './targets.js';
import type { TokenCost } from './tokenCost.js';

/** One target and whether it was met. */
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

/** Issue 12's targets. */
export const TARGETS_12 = Object.freeze({
  /** meshgate full's req/s against Hive Gateway's, every shape (production). */
  minVsHive: 1.3,
  /** meshgate full's gateway CPU per request against Hive's. */
  maxGatewayCpuVsHive: 0.8,
  /** The dashboards (one fixed document from every client): req/s against Hive's. */
  minDashboardVsHive: 3,
  /** Subgraph CPU per request against the one-thread DuckDB floor of the same statement. */
  maxSubgraphVsFloor: 1.2,
  /** The point look-up's p50 at one connection through the full gateway, over the subgraph called directly. */
  maxGatewayOverSubgraphMs: 1,
  /** Keyed look-ups at scale 10 against scale 1: at most this much slower (p50 at one connection, req/s at 16). */
  maxScaleSlowdown: 1.5,
  /** Gateway resident memory during the throughput run at scale 10. */
  maxGatewayRssMiB: 300,
  /** The embedded mesh against a saved baseline (`--baseline`): req/s, every shape. */
  minEmbeddedVsBaseline: 2,
});

/** Issue 2's: the point look-up's p50 through the gateway within this much of the floor, one connection. */
export const POINT_LOOKUP_BUDGET_MS = 3;
/** The domains the federated join reads, one statement each. */
export const JOIN_DOMAINS: readonly string[] = ['commerce', 'customers', 'payments'];
/** Issues 3 and 4: enforcement, and the access log, cost at most 10% of throughput. */
export const MIN_ENFORCED_RATIO = 0.9;
/** Issue 4: the access log adds at most this much p50 at one connection. */
export const MAX_LOG_P50_MS = 1;
/** Issue 3: CPU one token verification may cost, in microseconds. */
export const VERIFY_CPU_BUDGET_US = 200;

const ms = (n: number | null): string => (n === null || !Number.isFinite(n) ? '-' : `${n.toFixed(2)} ms`);
const reqs = (r: ReportRow): string => `${Number.isFinite(r.median.reqPerSec) ? r.median.reqPerSec.toFixed(0) : '-'} req/s`;
const x = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '-');
/** a ÷ b, or NaN unless both are measured and b is positive. */
const per = (a: number | null, b: number | null): number => (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || !(b > 0) ? Number.NaN : a / b);
const find = (rows: readonly ReportRow[], setId: string, target: TargetId, pick: (r: ReportRow) => boolean = () => true): ReportRow | undefined =>
  rows.find((r) => r.setId === setId && r.target === target && pick(r));
/** A target whose rows did not run (their group, scale or target was left out): reported, not judged. */
const notMeasured = (name: string, detail = 'not measured'): TargetCheck => ({ name, pass: null, detail });
/** A target whose rows ran but answered nothing to compare (runs too short for the shape): a miss. */
const unanswered = (name: string): TargetCheck => ({ name, pass: false, detail: 'no request answered within a run: lengthen --duration' });

/** The meshgate-full row of a set compared with its Hive row: the same caller, and not the set's base when there are two (the fresh-token row, not the one-token one). */
function fullAgainstHive(rows: readonly ReportRow[], setId: string): { full?: ReportRow; hive?: ReportRow } {
  const hive = find(rows, setId, 'hive');
  const candidates = rows.filter((r) => r.setId === setId && r.target === 'full' && (!hive || r.caller === hive.caller));
  return { hive, full: candidates.find((r) => !r.base) ?? candidates[0] };
}

/** The sets the Hive targets are checked on. */
export const HIVE_SETS: readonly string[] = [...SCENARIOS.map((s) => s.id), MASKED_PII.id, FRESH_TOKEN_ID];

/** meshgate full ≥ 1.3x Hive's req/s and its gateway CPU per request ≤ 0.8x Hive's, per shape (production shape). */
export function checkVsHive(rows: readonly ReportRow[], setIds: readonly string[] = HIVE_SETS): TargetCheck[] {
  return setIds.flatMap((id) => {
    const { full, hive } = fullAgainstHive(rows, id);
    const title = full?.title ?? hive?.title ?? id;
    const throughput = `meshgate full ≥ ${TARGETS_12.minVsHive}x Hive Gateway's req/s: ${title}`;
    const cpu = `meshgate full's gateway CPU per request ≤ ${TARGETS_12.maxGatewayCpuVsHive}x Hive's: ${title}`;
    if (!full || !hive) return rows.some((r) => r.setId === id) ? [notMeasured(throughput), notMeasured(cpu)] : [];
    const f = full.median;
    const h = hive.median;
    const ratio = per(f.reqPerSec, h.reqPerSec);
    const cpuRatio = per(f.gatewayCpuMs, h.gatewayCpuMs);
    const subgraphs = `subgraphs ${ms(f.subgraphCpuMs)} vs ${ms(h.subgraphCpuMs)}`;
    return [
      Number.isNaN(ratio)
        ? unanswered(throughput)
        : {
            name: throughput,
            pass: ratio >= TARGETS_12.minVsHive,
            detail: `${x(ratio)}: ${full.label} ${reqs(full)}, ${hive.label} ${reqs(hive)}; p50 ${ms(f.p50Ms)} vs ${ms(h.p50Ms)}`,
          },
      Number.isNaN(cpuRatio)
        ? { name: cpu, pass: false, detail: 'CPU not read, or no request started' }
        : {
            name: cpu,
            pass: cpuRatio <= TARGETS_12.maxGatewayCpuVsHive,
            detail: `${x(cpuRatio)}: ${ms(f.gatewayCpuMs)} vs ${ms(h.gatewayCpuMs)} of gateway CPU per request (${subgraphs} of CPU)`,
          },
    ];
  });
}

/** The dashboards: meshgate full ≥ 3x Hive's req/s with one fixed document from every client. */
export function checkDashboards(rows: readonly ReportRow[]): TargetCheck[] {
  return [DASHBOARD_PAGE, DASHBOARD_AGGREGATE].flatMap((s) => {
    if (!rows.some((r) => r.setId === s.id)) return [];
    const name = `${s.title}: meshgate full ≥ ${TARGETS_12.minDashboardVsHive}x Hive Gateway's req/s`;
    const { full, hive } = fullAgainstHive(rows, s.id);
    if (!full || !hive) return [notMeasured(name)];
    const ratio = per(full.median.reqPerSec, hive.median.reqPerSec);
    if (Number.isNaN(ratio)) return [unanswered(name)];
    const cached = find(rows, s.id, 'hive-cached');
    return [
      {
        name,
        pass: ratio >= TARGETS_12.minDashboardVsHive,
        detail: `${x(ratio)}: ${reqs(full)} vs ${reqs(hive)}${cached ? ` (Hive over cached subgraphs: ${reqs(cached)})` : ''}; SQL per request ${full.median.sqlPerRequest?.toFixed(2) ?? '-'} vs ${hive.median.sqlPerRequest?.toFixed(2) ?? '-'}`,
      },
    ];
  });
}

/** Subgraph CPU per request (called directly, result cache off) ≤ 1.2x the one-thread floor's CPU for the same statement. */
export function checkSubgraphVsFloor(rows: readonly ReportRow[]): TargetCheck[] {
  return SCENARIOS.flatMap((s) => {
    if (!rows.some((r) => r.setId === s.id)) return [];
    const name = `subgraph CPU per request ≤ ${TARGETS_12.maxSubgraphVsFloor}x the one-thread DuckDB floor: ${s.title}`;
    if (s.direct.footnote !== undefined) {
      return [{ name, pass: null, detail: 'not comparable: the direct request is one subgraph of the join, the floor all three of its statements' }];
    }
    const sub = find(rows, s.id, 'subgraph-cache-off');
    const floor = find(rows, s.id, 'floor-1');
    if (!sub || !floor) return [notMeasured(name)];
    const ratio = per(sub.median.subgraphCpuMs, floor.median.totalCpuMs);
    if (Number.isNaN(ratio)) return [unanswered(name)];
    const cached = find(rows, s.id, 'subgraph');
    const configured = find(rows, s.id, 'floor');
    const also = [cached && `with its result cache ${ms(cached.median.subgraphCpuMs)}`, configured && `the floor with the configured threads ${ms(configured.median.totalCpuMs)}`]
      .filter(Boolean)
      .join(', ');
    return [
      {
        name,
        pass: ratio <= TARGETS_12.maxSubgraphVsFloor,
        detail: `${x(ratio)}: subgraph ${ms(sub.median.subgraphCpuMs)} (its DuckDB time ${ms(sub.median.duckdbMs)}), floor ${ms(floor.median.totalCpuMs)} of CPU per request${also ? `; ${also}` : ''}`,
      },
    ];
  });
}

/** The point look-up's p50 at one connection: through the full gateway ≤ the subgraph called directly + 1 ms; and (issue 2) within 3 ms of the floor. */
export function checkLatency(rows: readonly ReportRow[]): TargetCheck[] {
  if (!rows.some((r) => r.setId === LATENCY_ID)) return [];
  const full = find(rows, LATENCY_ID, 'full');
  const sub = find(rows, LATENCY_ID, 'subgraph');
  const floor = find(rows, LATENCY_ID, 'floor');
  const others = (['hive', 'open', 'embedded-full'] as const).map((t) => find(rows, LATENCY_ID, t)).filter((r): r is ReportRow => r !== undefined);
  const also = others.map((r) => `${r.label} ${ms(r.median.p50Ms)}`).join(', ');
  const name1 = `point look-up p50 through meshgate full ≤ the subgraph called directly + ${TARGETS_12.maxGatewayOverSubgraphMs} ms (1 connection)`;
  const name2 = `point look-up p50 through meshgate full within ${POINT_LOOKUP_BUDGET_MS} ms of the floor (1 connection)`;
  const out: TargetCheck[] = [];
  if (!full || !sub) out.push(notMeasured(name1));
  else if (!Number.isFinite(full.median.p50Ms) || !Number.isFinite(sub.median.p50Ms)) out.push(unanswered(name1));
  else {
    const diff = full.median.p50Ms - sub.median.p50Ms;
    out.push({
      name: name1,
      pass: diff <= TARGETS_12.maxGatewayOverSubgraphMs,
      detail: `${signed(diff, 2)} ms: full ${ms(full.median.p50Ms)}, subgraph ${ms(sub.median.p50Ms)}; ${also}`,
    });
  }
  if (!full || !floor) out.push(notMeasured(name2));
  else if (!Number.isFinite(full.median.p50Ms) || !Number.isFinite(floor.median.p50Ms)) out.push(unanswered(name2));
  else {
    const diff = full.median.p50Ms - floor.median.p50Ms;
    out.push({ name: name2, pass: diff <= POINT_LOOKUP_BUDGET_MS, detail: `${signed(diff, 2)} ms: full ${ms(full.median.p50Ms)}, floor ${ms(floor.median.p50Ms)}` });
  }
  return out;
}

/** The join target: the federated join costs exactly one SQL statement per subgraph it reads. */
export function checkJoin(join: JoinCost): TargetCheck {
  const perDomain = JOIN_DOMAINS.map((d) => `${d} ${join.byDomain[d] ?? 0}`).join(', ');
  const onePerSubgraph = join.statements === JOIN_DOMAINS.length && JOIN_DOMAINS.every((d) => join.byDomain[d] === 1);
  return {
    name: 'the federated join costs exactly one SQL statement per subgraph',
    pass: onePerSubgraph,
    detail: `${join.statements} statement${join.statements === 1 ? '' : 's'}: ${perDomain}`,
  };
}

/** Enforcement (without the access log) keeps at least 90% of the open gateway's req/s, per shape. */
export function checkEnforcement(rows: readonly ReportRow[]): TargetCheck[] {
  return SCENARIOS.flatMap((s) => {
    if (!rows.some((r) => r.setId === s.id)) return [];
    const gw = find(rows, s.id, 'full-no-log');
    const open = find(rows, s.id, 'open');
    const name = `enforcement costs at most ${Math.round((1 - MIN_ENFORCED_RATIO) * 100)}% of throughput: ${s.title}`;
    if (!gw || !open) return [];
    const ratio = per(gw.median.reqPerSec, open.median.reqPerSec);
    if (Number.isNaN(ratio)) return [unanswered(name)];
    return [
      {
        name,
        pass: ratio >= MIN_ENFORCED_RATIO,
        detail: `${x(ratio)}: enforced (access log off) ${reqs(gw)}, open ${reqs(open)}; gateway CPU ${ms(gw.median.gatewayCpuMs)} vs ${ms(open.median.gatewayCpuMs)} per request`,
      },
    ];
  });
}

/** The access log costs at most 10% of throughput (at 16 connections) and 1 ms of p50 (at one connection, where it is what the log adds to a reply), per shape. */
export function checkAccessLog(rows: readonly ReportRow[], fsync?: FsyncCost): TargetCheck[] {
  return SCENARIOS.flatMap((s) => {
    const both = (id: string): boolean => find(rows, id, 'full') !== undefined && find(rows, id, 'full-no-log') !== undefined;
    if (!both(s.id) && !both(logLatencyId(s.id))) return [];
    const name = `the access log costs at most ${Math.round((1 - MIN_ENFORCED_RATIO) * 100)}% of throughput and ${MAX_LOG_P50_MS} ms of p50: ${s.title}`;
    const parts: string[] = [];
    let pass = true;
    const logged = find(rows, s.id, 'full');
    const plain = find(rows, s.id, 'full-no-log');
    if (logged && plain) {
      const ratio = per(logged.median.reqPerSec, plain.median.reqPerSec);
      pass &&= ratio >= MIN_ENFORCED_RATIO;
      parts.push(
        `${x(ratio)} at ${CONNECTIONS} connections (${reqs(logged)} vs ${reqs(plain)}, gateway CPU ${ms(logged.median.gatewayCpuMs)} vs ${ms(plain.median.gatewayCpuMs)})`,
      );
    } else parts.push(`not measured at ${CONNECTIONS} connections`);
    const logged1 = find(rows, logLatencyId(s.id), 'full');
    const plain1 = find(rows, logLatencyId(s.id), 'full-no-log');
    if (logged1 && plain1) {
      const added = logged1.median.p50Ms - plain1.median.p50Ms;
      pass &&= added <= MAX_LOG_P50_MS;
      parts.push(`p50 ${signed(added, 2)} ms at 1 connection (${ms(logged1.median.p50Ms)} vs ${ms(plain1.median.p50Ms)})`);
    } else parts.push('not measured at 1 connection');
    if (fsync) parts.push(`one fsync alone on this disk, unloaded: ${(fsync.p50WallUs / 1000).toFixed(2)} ms p50`);
    // Half measured (one of the groups left out): reported, not judged.
    const whole = logged !== undefined && plain !== undefined && logged1 !== undefined && plain1 !== undefined;
    return [{ name, pass: whole ? pass : null, detail: parts.join('; ') }];
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

/** Each other row of a set against its base row, reported without a target of its own. */
export function compareWithBase(rows: readonly ReportRow[], setId: string): TargetCheck[] {
  const base = rows.find((r) => r.setId === setId && r.base);
  if (!base) return [];
  return rows
    .filter((r) => r.setId === setId && r !== base)
    .map((r) => ({
      name: `${r.title}: ${r.label} vs ${base.label}`,
      pass: null,
      detail: `${x(per(r.median.reqPerSec, base.median.reqPerSec))}: ${reqs(r)} vs ${reqs(base)}; p50 ${ms(r.median.p50Ms)} vs ${ms(base.median.p50Ms)}; CPU ${ms(r.median.totalCpuMs)} vs ${ms(base.median.totalCpuMs)} per request`,
    }));
}

/** Each lever-off variant against the row it varies (same set, same caller), reported without a target of its own. */
export function compareLevers(rows: readonly ReportRow[]): TargetCheck[] {
  return rows.flatMap((r) => {
    const def = targetDef(r.target);
    if (def.kind !== 'gateway' || !def.variantOf) return [];
    const of = rows.find((o) => o.setId === r.setId && o.target === def.variantOf && o.caller === r.caller);
    if (!of) return [];
    return [
      {
        name: `lever: ${r.label} vs ${of.label}: ${r.title}`,
        pass: null,
        detail: `${x(per(r.median.reqPerSec, of.median.reqPerSec))}: ${reqs(r)} vs ${reqs(of)}; p50 ${ms(r.median.p50Ms)} vs ${ms(of.median.p50Ms)}; CPU ${ms(r.median.totalCpuMs)} vs ${ms(of.median.totalCpuMs)} per request; SQL ${r.median.sqlPerRequest?.toFixed(2) ?? '-'} vs ${of.median.sqlPerRequest?.toFixed(2) ?? '-'} per request`,
      },
    ];
  });
}

/** One scale's rows. */
export interface ScaleRows {
  readonly scale: number;
  readonly rows: readonly ReportRow[];
}

/** Keyed look-ups at the largest scale against scale 1: p50 at one connection, and req/s at 16, through meshgate full, each at most 1.5x slower. */
export function checkScaleLookups(scales: readonly ScaleRows[]): TargetCheck {
  const one = scales.find((s) => s.scale === 1);
  const big = [...scales].sort((a, b) => b.scale - a.scale)[0];
  const name = `keyed look-ups at scale ${big && big.scale !== 1 ? big.scale : 10} at most ${TARGETS_12.maxScaleSlowdown}x slower than at scale 1 (meshgate full)`;
  if (!one || !big || big === one) return { name, pass: null, detail: 'needs scale 1 and a larger one (--scales 1,10)' };
  const parts: string[] = [];
  let pass = true;
  let measured = false;
  const p1 = find(one.rows, LATENCY_ID, 'full');
  const pN = find(big.rows, LATENCY_ID, 'full');
  if (p1 && pN) {
    const slower = per(pN.median.p50Ms, p1.median.p50Ms);
    pass &&= slower <= TARGETS_12.maxScaleSlowdown;
    measured = true;
    parts.push(`p50 at 1 connection ${x(slower)} (${ms(pN.median.p50Ms)} vs ${ms(p1.median.p50Ms)})`);
  }
  const t1 = find(one.rows, SCENARIOS[0]!.id, 'full');
  const tN = find(big.rows, SCENARIOS[0]!.id, 'full');
  if (t1 && tN) {
    const slower = per(t1.median.reqPerSec, tN.median.reqPerSec);
    pass &&= slower <= TARGETS_12.maxScaleSlowdown;
    measured = true;
    parts.push(`req/s at ${CONNECTIONS} connections ${x(slower)} slower (${reqs(tN)} vs ${reqs(t1)})`);
  }
  return measured ? { name, pass, detail: parts.join('; ') } : notMeasured(name);
}

/** Gateway resident memory during the look-up's throughput run at the largest scale (≤ 300 MiB), with the subgraphs' stated. */
export function checkGatewayRss(scales: readonly ScaleRows[]): TargetCheck {
  const big = [...scales].sort((a, b) => b.scale - a.scale)[0];
  const name = `meshgate full's gateway resident memory ≤ ${TARGETS_12.maxGatewayRssMiB} MiB during the throughput run at scale ${big?.scale ?? 10}`;
  const full = big && find(big.rows, SCENARIOS[0]!.id, 'full');
  if (!big || !full || full.median.gatewayRssMiB === null) return { name, pass: null, detail: "the look-up's throughput run was not measured (group lookup)" };
  const rss = full.median.gatewayRssMiB;
  const checked = big.scale >= 10;
  const subgraphs = full.perProcess
    .filter((p) => p.key.startsWith('subgraph '))
    .map((p) => `${p.key.slice('subgraph '.length)} ${p.rssPeakMiB?.toFixed(0) ?? '-'}`)
    .join(', ');
  const others = (['hive', 'embedded-full'] as const)
    .map((t) => find(big.rows, SCENARIOS[0]!.id, t))
    .filter((r): r is ReportRow => r !== undefined && r.median.gatewayRssMiB !== null)
    .map((r) => `${r.label} ${r.median.gatewayRssMiB!.toFixed(0)} MiB`)
    .join(', ');
  return {
    name,
    pass: checked ? rss <= TARGETS_12.maxGatewayRssMiB : null,
    detail: `${rss.toFixed(0)} MiB at scale ${big.scale}${checked ? '' : ' (the target is for scale 10: --scales 1,10)'}; its subgraphs (MiB): ${subgraphs || '-'}${others ? `; ${others}` : ''}`,
  };
}

/** The embedded mesh against a saved run (`--baseline`): meshgate full embedded ≥ 2x the baseline's req/s, per shape, at scale 1. */
export function checkEmbeddedBaseline(rows: readonly ReportRow[], baseline: readonly ReportRow[] | undefined, baselineName: string | undefined): TargetCheck[] {
  return SCENARIOS.flatMap((s): TargetCheck[] => {
    const now = find(rows, s.id, 'embedded-full');
    if (!now) return [];
    const name = `embedded meshgate full ≥ ${TARGETS_12.minEmbeddedVsBaseline}x the baseline's req/s: ${s.title}`;
    if (!baseline) return [{ name, pass: null, detail: 'no baseline given (--baseline NAME, a run saved with --save NAME)' }];
    const then = find(baseline, s.id, 'embedded-full');
    if (!then) return [{ name, pass: null, detail: `the baseline ${baselineName} has no such row` }];
    const ratio = per(now.median.reqPerSec, then.median.reqPerSec);
    return [{ name, pass: ratio >= TARGETS_12.minEmbeddedVsBaseline, detail: `${x(ratio)}: ${reqs(now)} now, ${reqs(then)} in ${baselineName}` }];
  });
}

/** One line per check: `name: PASS (detail)`, `FAIL`, or `INFO` for a ratio without a target. */
export function formatChecks(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.name}: ${c.pass === null ? 'INFO' : c.pass ? 'PASS' : 'FAIL'} (${c.detail})`).join('\n');
}
