/** The benchmark's rows: each compared with its floor and its group's base row, and printed as one table. */
import type { Measurement } from './stats.js';

/** Where a row's requests went, and as whom. */
export const TARGET = Object.freeze({
  floor: 'floor',
  subgraph: 'subgraph',
  /** The gateway of the mesh started with MESHGATE_ACCESS=off. */
  open: 'gateway (open)',
  /** The gateway with access control on (the default), called as the owner of every domain. */
  gateway: 'gateway',
  /** The enforced gateway with the access log on (every request fsynced before its reply). */
  logged: 'gateway + access log',
  owner: 'gateway, owner (unmasked)',
  analyst: 'gateway, analyst (masked)',
  oneToken: 'gateway, one token',
  freshToken: 'gateway, fresh token',
  /** The enforced gateway while a new version of customer-profiles is published every couple of seconds. */
  publishing: 'gateway, publishing',
  /** The enforced gateway while a client loads catalog product pages at one connection. */
  catalogLoad: 'gateway, catalog load',
} as const);

/** A row's target label. */
export type Target = (typeof TARGET)[keyof typeof TARGET];

/** A measured row before it is compared with its floor and base. */
export interface RawRow {
  readonly scenarioId: string;
  readonly scenario: string;
  readonly target: Target;
  readonly measurement: Measurement;
  /** CPU time the serving process used per request (ms; null where it could not be read). */
  readonly cpuMsPerRequest: number | null;
  readonly sqlPerRequest: number;
  /** The row of the same scenario whose req/s this one's is divided by (the `vs open` column). */
  readonly baseline?: Target;
  readonly footnote?: string;
  /** On a logged row: the mean time of the access log's fsyncs while it was measured (ms). */
  readonly fsyncMeanMs?: number;
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
  /** CPU time the serving process used per request: this process for the floor, the mesh's for the others (ms, or null). */
  readonly cpuMsPerRequest: number | null;
  /** p50 minus the floor's p50 (null on the floor row, and in a scenario without a floor). */
  readonly p50VsFloorMs: number | null;
  /** req/s divided by the floor's req/s (null on the floor row, and in a scenario without a floor). */
  readonly throughputVsFloor: number | null;
  /** The row this one is compared with (e.g. the open gateway), or null. */
  readonly baseline: Target | null;
  /** req/s divided by the baseline row's req/s, or null. */
  readonly throughputVsBaseline: number | null;
  readonly sqlPerRequest: number;
  readonly footnote?: string;
  readonly fsyncMeanMs?: number;
}

/** Adds each row's difference and ratio to the floor of its scenario, and its ratio to its baseline row. */
export function compareRows(raw: readonly RawRow[]): BenchRow[] {
  const find = (scenarioId: string, target: Target): RawRow | undefined => raw.find((f) => f.scenarioId === scenarioId && f.target === target);
  return raw.map((r) => {
    const floor = r.target === 'floor' ? undefined : find(r.scenarioId, 'floor');
    const base = r.baseline === undefined ? undefined : find(r.scenarioId, r.baseline);
    if (r.baseline !== undefined && !base) throw new Error(`bench: "${r.scenario}" has no "${r.baseline}" row to compare "${r.target}" with`);
    const m = r.measurement;
    return {
      scenarioId: r.scenarioId,
      scenario: r.scenario,
      target: r.target,
      requests: m.requests,
      reqPerSec: m.reqPerSec,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      meanMs: m.meanMs,
      cpuMsPerRequest: r.cpuMsPerRequest,
      p50VsFloorMs: floor ? m.p50Ms - floor.measurement.p50Ms : null,
      throughputVsFloor: floor ? m.reqPerSec / floor.measurement.reqPerSec : null,
      baseline: base ? base.target : null,
      throughputVsBaseline: base ? m.reqPerSec / base.measurement.reqPerSec : null,
      sqlPerRequest: r.sqlPerRequest,
      ...(r.footnote !== undefined && { footnote: r.footnote }),
      ...(r.fsyncMeanMs !== undefined && { fsyncMeanMs: r.fsyncMeanMs }),
    };
  });
}

/** A number with its sign, e.g. `+2.50`. */
export const signed = (n: number, digits: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** What the `CPU ms/req` and `vs open` columns mean, printed under the table. */
export const LEGEND: readonly string[] = Object.freeze([
  'CPU ms/req: CPU time (every thread) of the process serving the request: this one for the floor, the mesh under test for the others.',
  'vs open: req/s divided by the req/s of the row marked "base" in the same group: the open gateway (MESHGATE_ACCESS=off) for the four shapes, so 0.95x means enforcement costs 5% of throughput; the owner for masked PII; one token for fresh tokens.',
]);

/**
 * The rows as an aligned Markdown table, grouped by scenario (its name on the group's first row only),
 * footnotes numbered below it, then the legend of the columns.
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const notes: string[] = [];
  const mark = (note: string | undefined): string => {
    if (note === undefined) return '';
    const at = notes.indexOf(note);
    return ` [${at >= 0 ? at + 1 : notes.push(note)}]`;
  };
  const isBase = (r: BenchRow): boolean => rows.some((o) => o.scenarioId === r.scenarioId && o.baseline === r.target);
  const vsBase = (r: BenchRow): string => (r.throughputVsBaseline !== null ? `${r.throughputVsBaseline.toFixed(2)}x` : isBase(r) ? 'base' : '-');
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'p50 vs floor', 'req/s vs floor', 'vs open', 'SQL/req'];
  const body = rows.map((r, i) => [
    i > 0 && rows[i - 1]!.scenarioId === r.scenarioId ? '' : r.scenario,
    `${r.target}${mark(r.footnote)}`,
    r.reqPerSec.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    r.cpuMsPerRequest === null ? '-' : r.cpuMsPerRequest.toFixed(2),
    r.p50VsFloorMs === null ? '-' : `${signed(r.p50VsFloorMs, 2)} ms`,
    r.throughputVsFloor === null ? '-' : `${r.throughputVsFloor.toFixed(2)}x`,
    vsBase(r),
    String(r.sqlPerRequest),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const left = (i: number): boolean => i < 2;
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (left(i) ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  const below = [...notes.map((n, i) => `[${i + 1}] ${n}`), ...LEGEND];
  return [line(header), rule, ...body.map(line), ...(below.length ? ['', ...below] : [])].join('\n');
}
