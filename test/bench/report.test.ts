import { checkTargets, compareToFloor, formatChecks, formatTable, type RawRow } from '../../bench/report.js';
import { percentile, summarize, type Measurement } from '../../bench/stats.js';

const m = (reqPerSec: number, p50Ms: number, p99Ms = p50Ms * 2): Measurement => ({ requests: reqPerSec * 5, elapsedMs: 5000, reqPerSec, p50Ms, p99Ms, meanMs: p50Ms });

const raw: RawRow[] = [
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: 'floor', measurement: m(2000, 1), sqlPerRequest: 1 },
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: 'subgraph', measurement: m(1000, 2.5), sqlPerRequest: 1 },
  { scenarioId: 'point-lookup', scenario: 'point look-up by key', target: 'gateway', measurement: m(500, 3.5), sqlPerRequest: 1 },
  { scenarioId: 'join', scenario: '100 orders with customers', target: 'floor', measurement: m(100, 10), sqlPerRequest: 2 },
  { scenarioId: 'join', scenario: '100 orders with customers', target: 'subgraph', measurement: m(150, 8), sqlPerRequest: 1, footnote: 'commerce only' },
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

describe('compareToFloor', () => {
  it('gives each row its p50 difference and throughput ratio to the floor of its scenario', () => {
    const rows = compareToFloor(raw);
    expect(rows[0]).toMatchObject({ target: 'floor', p50VsFloorMs: null, throughputVsFloor: null });
    expect(rows[2]).toMatchObject({ target: 'gateway', p50VsFloorMs: 2.5, throughputVsFloor: 0.25 });
    expect(rows[4]).toMatchObject({ target: 'subgraph', p50VsFloorMs: -2, throughputVsFloor: 1.5, footnote: 'commerce only' });
  });
});

describe('formatTable', () => {
  it('prints an aligned table with numbers right-aligned and footnotes numbered below', () => {
    const lines = formatTable(compareToFloor(raw)).split('\n');
    expect(lines[0]).toBe('| scenario                  | target       | req/s | p50 ms | p99 ms | p50 vs floor | req/s vs floor | SQL/req |');
    expect(lines[1]).toBe('|---------------------------|--------------|------:|-------:|-------:|-------------:|---------------:|--------:|');
    expect(lines[2]).toBe('| point look-up by key      | floor        |  2000 |   1.00 |   2.00 |            - |              - |       1 |');
    expect(lines[4]).toBe('| point look-up by key      | gateway      |   500 |   3.50 |   7.00 |     +2.50 ms |          0.25x |       1 |');
    expect(lines[6]).toBe('| 100 orders with customers | subgraph [1] |   150 |   8.00 |  16.00 |     -2.00 ms |          1.50x |       1 |');
    expect(lines.at(-1)).toBe('[1] commerce only');
    expect(new Set(lines.slice(0, 7).map((l) => l.length)).size).toBe(1);
  });
});

describe('checkTargets', () => {
  it('passes both targets when the gateway is within 3 ms and the join costs one statement per subgraph', () => {
    const checks = checkTargets(compareToFloor(raw), 'point-lookup', { statements: 2, byDomain: { commerce: 1, customers: 1 } });
    expect(formatChecks(checks)).toBe(
      [
        'point look-up p50 through the gateway within 3 ms of the floor: PASS (+2.5 ms: gateway 3.50 ms, floor 1.00 ms)',
        'the federated join costs exactly one SQL statement per subgraph: PASS (2 statements: commerce 1, customers 1)',
      ].join('\n'),
    );
  });

  it('fails the join target when one subgraph runs a statement per order', () => {
    const [, join] = checkTargets(compareToFloor(raw), 'point-lookup', { statements: 101, byDomain: { commerce: 1, customers: 100 } });
    expect(join).toMatchObject({ pass: false, detail: '101 statements: commerce 1, customers 100' });
  });

  it('fails the look-up target when the gateway is more than 3 ms behind the floor', () => {
    const slow = raw.map((r) => (r.target === 'gateway' ? { ...r, measurement: m(100, 4.2) } : r));
    const [lookup] = checkTargets(compareToFloor(slow), 'point-lookup', { statements: 2, byDomain: { commerce: 1, customers: 1 } });
    expect(lookup).toMatchObject({ pass: false, detail: '+3.2 ms: gateway 4.20 ms, floor 1.00 ms' });
  });
});
