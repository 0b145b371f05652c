/** The benchmark's report: rows compared with their floor, the target checks, and the printed table. */
import type { Measurement } from './stats.js';

/** Where a row's requests went. */
export type Target = 'floor' | 'subgraph' | 'gateway';

/** A measured row before it is compared with its floor. */
export interface RawRow {
  readonly scenarioId: string;
  readonly scenario: string;
  readonly target: Target;
  readonly measurement: Measurement;
  readonly sqlPerRequest: number;
  readonly footnote?: string;
}

/** A reported row. */
export interface BenchRow {
  readonly scenarioId: string;
  readonly scenario: string;
  readonly target: Target;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** p50 minus the floor's p50 (null on the floor row). */
  readonly p50VsFloorMs: number | null;
  /** req/s divided by the floor's req/s (null on the floor row). */
  readonly throughputVsFloor: number | null;
  readonly sqlPerRequest: number;
  readonly footnote?: string;
}

/** One performance target and whether it was met. */
export interface TargetCheck {
  readonly name: string;
  readonly pass: boolean;
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

/** Adds each row's difference and ratio to the floor row of its scenario. */
export function compareToFloor(raw: readonly RawRow[]): BenchRow[] {
  return raw.map((r) => {
    const floor = raw.find((f) => f.scenarioId === r.scenarioId && f.target === 'floor');
    const m = r.measurement;
    const vs = floor && r.target !== 'floor';
    return {
      scenarioId: r.scenarioId,
      scenario: r.scenario,
      target: r.target,
      requests: m.requests,
      reqPerSec: m.reqPerSec,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      meanMs: m.meanMs,
      p50VsFloorMs: vs ? m.p50Ms - floor.measurement.p50Ms : null,
      throughputVsFloor: vs ? m.reqPerSec / floor.measurement.reqPerSec : null,
      sqlPerRequest: r.sqlPerRequest,
      ...(r.footnote !== undefined && { footnote: r.footnote }),
    };
  });
}

const signed = (n: number, digits: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** Checks the issue's two targets. */
export function checkTargets(rows: readonly BenchRow[], pointLookupId: string, join: JoinCost): TargetCheck[] {
  const gw = rows.find((r) => r.scenarioId === pointLookupId && r.target === 'gateway');
  const floor = rows.find((r) => r.scenarioId === pointLookupId && r.target === 'floor');
  const diff = gw && floor ? gw.p50Ms - floor.p50Ms : Number.NaN;
  const perDomain = JOIN_DOMAINS.map((d) => `${d} ${join.byDomain[d] ?? 0}`).join(', ');
  const onePerSubgraph = join.statements === JOIN_DOMAINS.length && JOIN_DOMAINS.every((d) => join.byDomain[d] === 1);
  return [
    {
      name: `point look-up p50 through the gateway within ${POINT_LOOKUP_BUDGET_MS} ms of the floor`,
      pass: diff <= POINT_LOOKUP_BUDGET_MS,
      detail: gw && floor ? `${signed(diff, 1)} ms: gateway ${gw.p50Ms.toFixed(2)} ms, floor ${floor.p50Ms.toFixed(2)} ms` : 'not measured',
    },
    {
      name: 'the federated join costs exactly one SQL statement per subgraph',
      pass: onePerSubgraph,
      detail: `${join.statements} statement${join.statements === 1 ? '' : 's'}: ${perDomain}`,
    },
  ];
}

/** The rows as an aligned Markdown table, footnotes numbered below it. */
export function formatTable(rows: readonly BenchRow[]): string {
  const notes: string[] = [];
  const mark = (note: string | undefined): string => {
    if (note === undefined) return '';
    const at = notes.indexOf(note);
    return ` [${at >= 0 ? at + 1 : notes.push(note)}]`;
  };
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'p50 vs floor', 'req/s vs floor', 'SQL/req'];
  const body = rows.map((r) => [
    r.scenario,
    `${r.target}${mark(r.footnote)}`,
    r.reqPerSec.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    r.p50VsFloorMs === null ? '-' : `${signed(r.p50VsFloorMs, 2)} ms`,
    r.throughputVsFloor === null ? '-' : `${r.throughputVsFloor.toFixed(2)}x`,
    String(r.sqlPerRequest),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const left = (i: number): boolean => i < 2;
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (left(i) ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line), ...(notes.length ? ['', ...notes.map((n, i) => `[${i + 1}] ${n}`)] : [])].join('\n');
}

/** One line per target: `name: PASS (detail)`. */
export function formatChecks(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.name}: ${c.pass ? 'PASS' : 'FAIL'} (${c.detail})`).join('\n');
}
