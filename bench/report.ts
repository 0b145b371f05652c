/** The bench's table: each set's rows with their medians, their ratios to Hive Gateway and to the set's base row. */
import type { RowResult } from './measure.js';
import { targetDef } from './targets.js';

/** A reported row: the measured row and its ratios. */
export interface ReportRow extends RowResult {
  /** req/s divided by Hive Gateway's (subgraph cache off) in the same set, as the same caller, or null. */
  readonly reqPerSecVsHive: number | null;
  /** Gateway CPU per request divided by Hive's (production gateways only), or null. */
  readonly gatewayCpuVsHive: number | null;
  /** req/s divided by the set's base row's, or null. */
  readonly reqPerSecVsBase: number | null;
}

/** The Hive row a row is compared with: Hive Gateway over uncached subgraphs, same set, same caller, same operation. */
export function hiveRowOf(rows: readonly RowResult[], r: RowResult): RowResult | undefined {
  return rows.find((h) => h.setId === r.setId && h.target === 'hive' && h.caller === r.caller && h !== r);
}

/** Adds each row's ratios. */
export function compareRows(rows: readonly RowResult[]): ReportRow[] {
  return rows.map((r) => {
    const def = targetDef(r.target);
    const hive = def.kind === 'gateway' && r.target !== 'hive' ? hiveRowOf(rows, r) : undefined;
    const base = r.base ? undefined : rows.find((b) => b.setId === r.setId && b.base);
    const production = def.kind === 'gateway' && def.server !== 'embedded';
    const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || !(b > 0) || !Number.isFinite(a) ? null : a / b);
    return {
      ...r,
      reqPerSecVsHive: hive ? ratio(r.median.reqPerSec, hive.median.reqPerSec) : null,
      gatewayCpuVsHive: hive && production ? ratio(r.median.gatewayCpuMs, hive.median.gatewayCpuMs) : null,
      reqPerSecVsBase: base ? ratio(r.median.reqPerSec, base.median.reqPerSec) : null,
    };
  });
}

/** A number with its sign, e.g. `+2.50`. */
export const signed = (n: number, digits: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** What the columns mean, printed under the table. */
export const LEGEND: readonly string[] = Object.freeze([
  'Every figure is the median of the rounds (each round runs the set\'s targets in turn, A B C then C B A); "errors" adds up every run\'s failed requests.',
  'CPU ms/req, from /proc (user + system, every thread): "gw" is the gateway process (meshgate\'s or Hive\'s); "sg" the subgraph processes it calls (or the one called directly), added up; "all" every process involved: for the one-process mesh its only process, for the floor this one.',
  "DuckDB ms and SQL/req: time and statements on DuckDB per request, from each subgraph's meshgate_duckdb_* counters (a result-cache hit runs none); for the floor, its own.",
  'MiB: peak resident memory during the run (sampled every 250 ms): "gw" the gateway or the one-process mesh, "sg" the largest subgraph process.',
  "vs Hive: req/s divided by Hive Gateway's over uncached subgraphs in the same set (the same caller); gw CPU vs Hive: gateway CPU per request divided by Hive's. vs base: req/s divided by the set's row marked \"base\".",
]);

const fixed = (n: number | null, digits: number): string => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const times = (n: number | null): string => (n === null ? '-' : `${n.toFixed(2)}x`);

/** The rows as an aligned Markdown table, grouped by set (its title on the set's first row only), footnotes numbered below it, then the legend. */
export function formatTable(rows: readonly ReportRow[]): string {
  const notes: string[] = [];
  const mark = (note: string | undefined): string => {
    if (note === undefined) return '';
    const at = notes.indexOf(note);
    return ` [${at >= 0 ? at + 1 : notes.push(note)}]`;
  };
  const isBaseOf = (r: ReportRow): boolean => r.base && rows.some((o) => o.setId === r.setId && o !== r);
  const isHiveOf = (r: ReportRow): boolean => r.target === 'hive' && rows.some((o) => o.setId === r.setId && o.reqPerSecVsHive !== null);
  const header = [
    'shape',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'gw CPU',
    'sg CPU',
    'all CPU',
    'DuckDB ms',
    'SQL/req',
    'gw MiB',
    'sg MiB',
    'vs Hive',
    'gw CPU vs Hive',
    'vs base',
  ];
  const body = rows.map((r, i) => {
    const m = r.median;
    return [
      i > 0 && rows[i - 1]!.setId === r.setId ? '' : r.title,
      `${r.label}${mark(r.footnote)}`,
      fixed(m.reqPerSec, 0),
      fixed(m.p50Ms, 2),
      fixed(m.p99Ms, 2),
      String(r.errors),
      fixed(m.gatewayCpuMs, 2),
      fixed(m.subgraphCpuMs, 2),
      fixed(m.totalCpuMs, 2),
      fixed(m.duckdbMs, 2),
      fixed(m.sqlPerRequest, 2),
      fixed(m.gatewayRssMiB, 0),
      fixed(m.subgraphRssMiB, 0),
      isHiveOf(r) ? 'Hive' : times(r.reqPerSecVsHive),
      isHiveOf(r) ? 'Hive' : times(r.gatewayCpuVsHive),
      isBaseOf(r) ? 'base' : times(r.reqPerSecVsBase),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const left = (i: number): boolean => i < 2;
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (left(i) ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  const below = [...notes.map((n, i) => `[${i + 1}] ${n}`), ...LEGEND];
  return [line(header), rule, ...body.map(line), '', ...below].join('\n');
}
