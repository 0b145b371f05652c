import { compareRows, formatTable, LEGEND, TARGET, type RawRow } from '../../bench/report.js';
import { combine, percentile, summarize, type Measurement } from '../../bench/stats.js';

const m = (reqPerSec: number, p50Ms: number, p99Ms = p50Ms * 2): Measurement => ({ requests: reqPerSec * 5, elapsedMs: 5000, reqPerSec, p50Ms, p99Ms, meanMs: p50Ms });

const raw: RawRow[] = [
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: TARGET.floor, measurement: m(2000, 1), cpuMsPerRequest: 0.4, sqlPerRequest: 1 },
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: TARGET.subgraph, measurement: m(1000, 2.5), cpuMsPerRequest: 1.2, sqlPerRequest: 1 },
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: TARGET.open, measurement: m(500, 3.5), cpuMsPerRequest: 3, sqlPerRequest: 1 },
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: TARGET.gateway, measurement: m(450, 4), cpuMsPerRequest: 3.5, sqlPerRequest: 1, baseline: TARGET.open },
  { scenarioId: 'join', scenario: '100 orders with customers', target: TARGET.floor, measurement: m(100, 10), cpuMsPerRequest: null, sqlPerRequest: 2 },
  {
    scenarioId: 'join',
    scenario: '100 orders with customers',
    target: TARGET.subgraph,
    measurement: m(150, 8),
    cpuMsPerRequest: null,
    sqlPerRequest: 1,
    footnote: 'commerce only',
  },
  { scenarioId: 'masked-pii', scenario: 'masked PII, 100 customers', target: TARGET.owner, measurement: m(200, 40), cpuMsPerRequest: 9, sqlPerRequest: 1 },
  {
    scenarioId: 'masked-pii',
    scenario: 'masked PII, 100 customers',
    target: TARGET.analyst,
    measurement: m(150, 50),
    cpuMsPerRequest: 12,
    sqlPerRequest: 1,
    baseline: TARGET.owner,
  },
];

describe('percentile', () => {
  it('picks the nearest rank of sorted values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
  });

  it('returns the only value of a single sample for every percentile', () => {
    expect(percentile([7.5], 1)).toBe(7.5);
    expect(percentile([7.5], 99)).toBe(7.5);
  });

  it('is NaN when nothing was measured', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts the latencies and derives req/s from the wall time', () => {
    const s = summarize([9, 1, 5, 3, 7, 2, 4, 6, 8, 10], 2000);
    expect(s).toEqual({ requests: 10, elapsedMs: 2000, reqPerSec: 5, p50Ms: 5, p99Ms: 10, meanMs: 5.5 });
  });
});

describe('combine', () => {
  it('pools the latencies of several runs and adds their wall times', () => {
    const s = combine([
      { latenciesMs: [1, 2, 3], elapsedMs: 1000 },
      { latenciesMs: [10, 20], elapsedMs: 500 },
    ]);
    expect(s).toMatchObject({ requests: 5, elapsedMs: 1500, p50Ms: 3, p99Ms: 20 });
    expect(s.reqPerSec).toBeCloseTo(5 / 1.5);
  });

  it('refuses to combine nothing', () => {
    expect(() => combine([])).toThrow(RangeError);
  });
});

describe('compareRows', () => {
  it('gives each row its p50 difference and throughput ratio to the floor of its scenario', () => {
    const rows = compareRows(raw);
    expect(rows[0]).toMatchObject({ target: 'floor', p50VsFloorMs: null, throughputVsFloor: null, cpuMsPerRequest: 0.4 });
    expect(rows[2]).toMatchObject({ target: 'gateway (open)', p50VsFloorMs: 2.5, throughputVsFloor: 0.25 });
    expect(rows[5]).toMatchObject({ target: 'subgraph', p50VsFloorMs: -2, throughputVsFloor: 1.5, footnote: 'commerce only' });
  });

  it('divides the enforced gateway by the open one of the same scenario', () => {
    const rows = compareRows(raw);
    expect(rows[3]).toMatchObject({ target: 'gateway', baseline: 'gateway (open)', throughputVsBaseline: 0.9 });
    expect(rows[2]).toMatchObject({ baseline: null, throughputVsBaseline: null });
  });

  it('leaves the floor comparison empty in a scenario without a floor', () => {
    const analyst = compareRows(raw)[7]!;
    expect(analyst).toMatchObject({ p50VsFloorMs: null, throughputVsFloor: null, baseline: 'gateway, owner (unmasked)', throughputVsBaseline: 0.75 });
  });

  it('refuses a baseline its scenario does not have', () => {
    const orphan: RawRow = { ...raw[3]!, scenarioId: 'other' };
    expect(() => compareRows([orphan])).toThrow('has no "gateway (open)" row');
  });
});

describe('formatTable', () => {
  const lines = formatTable(compareRows(raw)).split('\n');

  it('prints an aligned table with numbers right-aligned', () => {
    expect(lines[0]).toBe('| scenario                  | target                    | req/s | p50 ms | p99 ms | CPU ms/req | p50 vs floor | req/s vs floor | vs open | SQL/req |');
    expect(lines[1]).toBe('|---------------------------|---------------------------|------:|-------:|-------:|-----------:|-------------:|---------------:|--------:|--------:|');
    expect(lines[2]).toBe('| point look-up by key      | floor                     |  2000 |   1.00 |   2.00 |       0.40 |            - |              - |       - |       1 |');
    expect(new Set(lines.slice(0, 10).map((l) => l.length)).size).toBe(1);
  });

  it('names each scenario once, on the first row of its group', () => {
    expect(lines.slice(2, 10).map((l) => l.split('|')[1]!.trim())).toEqual(['point look-up by key', '', '', '', '100 orders with customers', '', 'masked PII, 100 customers', '']);
  });

  it('marks the base row of a group and gives the other its ratio to it', () => {
    expect(lines[4]).toBe('|                           | gateway (open)            |   500 |   3.50 |   7.00 |       3.00 |     +2.50 ms |          0.25x |    base |       1 |');
    expect(lines[5]).toBe('|                           | gateway                   |   450 |   4.00 |   8.00 |       3.50 |     +3.00 ms |          0.23x |   0.90x |       1 |');
    expect(lines[9]).toBe('|                           | gateway, analyst (masked) |   150 |  50.00 | 100.00 |      12.00 |            - |              - |   0.75x |       1 |');
  });

  it('prints a dash where the CPU time could not be read, and numbers the footnotes below', () => {
    expect(lines[7]).toContain('| subgraph [1]              |   150 |   8.00 |  16.00 |          - |');
    expect(lines.slice(-LEGEND.length - 1)).toEqual(['[1] commerce only', ...LEGEND]);
  });
});
