import { compareRows, formatTable, hiveRowOf, LEGEND } from '../../bench/report.js';
import { combine, interleavedOrder, median, percentile, summarize } from '../../bench/stats.js';
import { figuresOf, medianFigures, type RunRecord } from '../../bench/measure.js';
import { figures, row } from './fixtures.js';

describe('percentile', () => {
  it('picks the nearest rank of sorted values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
  });

  it('is NaN when nothing was measured, and refuses a percentile outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize and combine', () => {
  it('sorts the latencies and derives req/s from the wall time', () => {
    expect(summarize([9, 1, 5, 3, 7, 2, 4, 6, 8, 10], 2000)).toEqual({ requests: 10, elapsedMs: 2000, reqPerSec: 5, p50Ms: 5, p99Ms: 10, meanMs: 5.5 });
  });

  it('pools the latencies of several runs and adds their wall times', () => {
    const s = combine([
      { latenciesMs: [1, 2, 3], elapsedMs: 1000 },
      { latenciesMs: [10, 20], elapsedMs: 500 },
    ]);
    expect(s).toMatchObject({ requests: 5, elapsedMs: 1500, p50Ms: 3, p99Ms: 20 });
    expect(() => combine([])).toThrow(RangeError);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('leaves out values that are not finite, and is NaN for none', () => {
    expect(median([Number.NaN, 5, Number.POSITIVE_INFINITY, 1])).toBe(3);
    expect(median([])).toBeNaN();
  });
});

describe('interleavedOrder', () => {
  it('runs the targets forwards, then backwards, round after round (A B C, C B A, A B C)', () => {
    expect(interleavedOrder(3, 3)).toEqual([
      [0, 1, 2],
      [2, 1, 0],
      [0, 1, 2],
    ]);
  });

  it('runs every target once per round', () => {
    for (const r of interleavedOrder(5, 4)) expect([...r].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(interleavedOrder(2, 1)).toEqual([[0, 1]]);
  });
});

describe('figuresOf and medianFigures', () => {
  const run = (reqPerSec: number, gatewayCpu: number, subgraphCpu: number | null): RunRecord => ({
    round: 0,
    requests: 100,
    started: 100,
    elapsedMs: 1000,
    reqPerSec,
    p50Ms: 10,
    p99Ms: 20,
    meanMs: 11,
    errors: 0,
    procs: [
      { key: 'gateway', role: 'gateway', cpuMs: gatewayCpu, rssPeakMiB: 120, duckdb: null },
      { key: 'subgraph customers', role: 'subgraph', cpuMs: subgraphCpu, rssPeakMiB: 200, duckdb: { seconds: 0.1, statements: 100 } },
      { key: 'subgraph commerce', role: 'subgraph', cpuMs: 0, rssPeakMiB: 210, duckdb: { seconds: 0, statements: 0 } },
    ],
  });

  it('divides each process figure by the requests started, and adds up the subgraphs', () => {
    expect(figuresOf(run(100, 150, 250))).toEqual({
      reqPerSec: 100,
      p50Ms: 10,
      p99Ms: 20,
      gatewayCpuMs: 1.5,
      subgraphCpuMs: 2.5,
      totalCpuMs: 4,
      duckdbMs: 1,
      sqlPerRequest: 1,
      gatewayRssMiB: 120,
      subgraphRssMiB: 210,
    });
  });

  it('counts the work of requests still in flight at the end against the requests started, not the ones answered', () => {
    expect(figuresOf({ ...run(100, 150, 250), requests: 90, started: 125 }).gatewayCpuMs).toBe(1.2);
  });

  it('takes each figure median over the runs, and null where a run could not read it', () => {
    const m = medianFigures([run(100, 100, 200), run(300, 300, null), run(200, 200, 300)].map(figuresOf));
    expect(m).toMatchObject({ reqPerSec: 200, gatewayCpuMs: 2, subgraphCpuMs: null });
  });
});

describe('compareRows', () => {
  const rows = compareRows([
    row('lookup', 'hive', figures(100, 10, { gatewayCpuMs: 2 })),
    row('lookup', 'full', figures(150, 8, { gatewayCpuMs: 1.5 })),
    row('lookup', 'embedded-full', figures(300, 4, { totalCpuMs: 3 })),
    row('lookup', 'subgraph', figures(400, 2)),
    row('masked', 'full', figures(80, 20, { gatewayCpuMs: 3 }), { base: true }),
    row('masked', 'full', figures(60, 25, { gatewayCpuMs: 3.3 }), { caller: 'analyst', label: 'full, as an analyst' }),
    row('masked', 'hive', figures(50, 30, { gatewayCpuMs: 3 }), { caller: 'analyst' }),
  ]);

  it("divides a gateway's req/s by Hive's in the same set, and its gateway CPU only for a production gateway", () => {
    expect(rows[1]).toMatchObject({ reqPerSecVsHive: 1.5, gatewayCpuVsHive: 0.75 });
    expect(rows[2]).toMatchObject({ reqPerSecVsHive: 3, gatewayCpuVsHive: null });
    expect(rows[3]).toMatchObject({ reqPerSecVsHive: null, gatewayCpuVsHive: null });
  });

  it('compares with the Hive row of the same caller only', () => {
    expect(rows[4]!.reqPerSecVsHive).toBeNull();
    expect(rows[5]!.reqPerSecVsHive).toBeCloseTo(1.2);
    expect(hiveRowOf(rows, rows[5]!)).toBe(rows[6]);
  });

  it("divides the other rows of a set by its base row's req/s", () => {
    expect(rows[5]!.reqPerSecVsBase).toBe(0.75);
    expect(rows[4]!.reqPerSecVsBase).toBeNull();
  });

  describe('formatTable', () => {
    const lines = formatTable(rows).split('\n');

    it('prints an aligned table, the set named on its first row only', () => {
      expect(lines[0]).toMatch(
        /^\| shape +\| target +\| req\/s \| p50 ms \| p99 ms \| errors \| gw CPU \| sg CPU \| all CPU \| DuckDB ms \| SQL\/req \| gw MiB \| sg MiB \| vs Hive \| gw CPU vs Hive \| vs base \|$/,
      );
      expect(new Set(lines.slice(0, 9).map((l) => l.length)).size).toBe(1);
      expect(lines.slice(2, 9).map((l) => l.split('|')[1]!.trim())).toEqual(['lookup', '', '', '', 'masked', '', '']);
    });

    it('marks the Hive row and the base row, and shows the ratios', () => {
      expect(lines[2]).toMatch(/\| +Hive \| +Hive \| +- \|$/);
      expect(lines[3]).toMatch(/\| +1\.50x \| +0\.75x \| +- \|$/);
      expect(lines[6]).toMatch(/\| +- \| +- \| +base \|$/);
      expect(lines[7]).toMatch(/\| +1\.20x \| +1\.10x \| +0\.75x \|$/);
    });

    it('ends with the legend', () => {
      expect(lines.slice(-LEGEND.length)).toEqual([...LEGEND]);
    });
  });
});
