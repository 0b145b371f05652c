/** Rows for the bench's pure tests: a measured row with given medians, as compareRows receives it. */
import type { Figures, RowResult } from '../../bench/measure.js';
import type { Caller } from '../../bench/benchAccess.js';
import type { TargetId } from '../../bench/targets.js';

export const figures = (reqPerSec: number, p50Ms: number, more: Partial<Figures> = {}): Figures => ({
  reqPerSec,
  p50Ms,
  p99Ms: p50Ms * 2,
  gatewayCpuMs: null,
  subgraphCpuMs: null,
  totalCpuMs: null,
  duckdbMs: null,
  sqlPerRequest: null,
  gatewayRssMiB: null,
  subgraphRssMiB: null,
  ...more,
});

export const row = (setId: string, target: TargetId, median: Figures, more: Partial<RowResult> & { caller?: Caller } = {}): RowResult => ({
  setId,
  group: 'test',
  title: setId.replaceAll('-', ' '),
  target,
  label: target,
  caller: 'owner',
  connections: 16,
  base: false,
  runs: [],
  errors: 0,
  median,
  perProcess: [],
  ...more,
});
