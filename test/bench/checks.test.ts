import { checkAccessLog, checkEnforcement, checkJoin, checkLookupLatency, checkVerification, compareVariants, formatChecks } from '../../bench/checks.js';
import { compareRows, TARGET, type RawRow, type Target } from '../../bench/report.js';
import type { Measurement } from '../../bench/stats.js';

const m = (reqPerSec: number, p50Ms: number): Measurement => ({ requests: reqPerSec * 5, elapsedMs: 5000, reqPerSec, p50Ms, p99Ms: p50Ms * 2, meanMs: p50Ms });
const row = (scenarioId: string, target: Target, reqPerSec: number, p50Ms: number, cpuMsPerRequest: number | null = null, baseline?: Target): RawRow => ({
  scenarioId,
  scenario: scenarioId.replaceAll('-', ' '),
  target,
  measurement: m(reqPerSec, p50Ms),
  cpuMsPerRequest,
  sqlPerRequest: 1,
  ...(baseline && { baseline }),
});

const raw: RawRow[] = [
  row('point-lookup', TARGET.floor, 2000, 4),
  row('point-lookup', TARGET.open, 300, 30, 3),
  row('point-lookup', TARGET.gateway, 280, 33, 3.4, TARGET.open),
  row('aggregate', TARGET.open, 100, 90, 10),
  row('aggregate', TARGET.gateway, 80, 110, 12.5, TARGET.open),
  row('latency', TARGET.floor, 900, 0.9),
  row('latency', TARGET.open, 400, 2.1),
  row('latency', TARGET.gateway, 350, 2.6, null, TARGET.open),
  row('masked', TARGET.owner, 200, 40),
  row('masked', TARGET.analyst, 150, 50, null, TARGET.owner),
];
const rows = compareRows(raw);

describe('checkLookupLatency', () => {
  it('passes when the gateway is within 3 ms of the floor at one connection, and quotes the loaded figure unchecked', () => {
    const check = checkLookupLatency(rows, 'latency', { scenarioId: 'point-lookup', connections: 10 });
    expect(formatChecks([check])).toBe(
      'point look-up p50 through the gateway within 3 ms of the floor (1 connection): PASS (+1.70 ms: gateway 2.60 ms, floor 0.90 ms, open gateway 2.10 ms; at 10 connections, throughput-bound, not checked: +29.00 ms, gateway 33.00 ms, floor 4.00 ms)',
    );
  });

  it('fails when the gateway is more than 3 ms behind the floor', () => {
    const slow = rows.map((r) => (r.scenarioId === 'latency' && r.target === TARGET.gateway ? { ...r, p50Ms: 4.2 } : r));
    expect(checkLookupLatency(slow, 'latency')).toMatchObject({ pass: false, detail: '+3.30 ms: gateway 4.20 ms, floor 0.90 ms, open gateway 2.10 ms' });
  });

  it('fails when the latency pass was not measured', () => {
    expect(checkLookupLatency(rows, 'nowhere')).toMatchObject({ pass: false, detail: 'not measured' });
  });
});

describe('checkJoin', () => {
  it('passes when the join costs one statement per subgraph', () => {
    expect(formatChecks([checkJoin({ statements: 2, byDomain: { commerce: 1, customers: 1 } })])).toBe(
      'the federated join costs exactly one SQL statement per subgraph: PASS (2 statements: commerce 1, customers 1)',
    );
  });

  it('fails when one subgraph runs a statement per order', () => {
    expect(checkJoin({ statements: 101, byDomain: { commerce: 1, customers: 100 } })).toMatchObject({ pass: false, detail: '101 statements: commerce 1, customers 100' });
  });
});

describe('checkEnforcement', () => {
  const [lookup, aggregate] = checkEnforcement(rows, ['point-lookup', 'aggregate']);

  it('passes a shape whose enforced gateway keeps at least 90% of the open one, with the CPU figures', () => {
    expect(lookup).toEqual({
      name: 'enforcement costs at most 10% of throughput: point lookup',
      pass: true,
      detail: '0.93x: enforced 280 req/s, open 300 req/s; mesh CPU 3.40 vs 3.00 ms/req (+0.40); p50 33.00 ms vs 30.00 ms',
    });
  });

  it('fails a shape whose enforced gateway loses more than 10%', () => {
    expect(aggregate).toMatchObject({ pass: false, detail: expect.stringMatching(/^0\.80x: enforced 80 req\/s, open 100 req\/s; mesh CPU 12\.50 vs 10\.00 ms\/req \(\+2\.50\)/) });
  });

  it('fails a shape that was not measured both ways', () => {
    expect(checkEnforcement(rows, ['masked'])[0]).toMatchObject({ pass: false, detail: 'not measured' });
  });
});

describe('checkVerification', () => {
  const cost = { signs: 20_000, signCpuUs: 130.4, verifications: 20_000, verifyCpuUs: 185.2, verifyWallUs: 240 };

  it('passes under 200 µs of CPU per verification and quotes the sign cost', () => {
    expect(formatChecks([checkVerification(cost)])).toBe(
      'a token verification costs under 0.2 ms of CPU: PASS (185 µs of CPU per verification over 20,000 distinct tokens (240 µs wall); for reference, an ES256 sign costs 130 µs of CPU)',
    );
  });

  it('fails at 200 µs or more', () => {
    expect(checkVerification({ ...cost, verifyCpuUs: 200 }).pass).toBe(false);
  });
});

describe('compareVariants', () => {
  it('reports the ratio of a variant to its base row, without a target of its own', () => {
    expect(formatChecks([compareVariants(rows, 'masked', TARGET.analyst)])).toBe(
      'masked: gateway, analyst (masked) vs gateway, owner (unmasked): INFO (0.75x: 150 req/s vs 200 req/s; p50 50.00 ms vs 40.00 ms)',
    );
  });

  it('says so when the variant was not measured', () => {
    expect(compareVariants(rows, 'masked', TARGET.freshToken)).toMatchObject({ pass: null, detail: 'not measured' });
  });
});

describe('checkAccessLog', () => {
  // Throughput at 10 connections; p50 at one connection (the `-1c` pairs), where it is not queueing.
  const logged = compareRows([
    row('lookup', TARGET.gateway, 300, 30, 4),
    row('lookup', TARGET.logged, 285, 32, 4.2, TARGET.gateway),
    row('lookup-1c', TARGET.gateway, 200, 4),
    { ...row('lookup-1c', TARGET.logged, 190, 4.6, null, TARGET.gateway), fsyncMeanMs: 0.42 },
    row('page', TARGET.gateway, 100, 50),
    row('page', TARGET.logged, 85, 50.2, null, TARGET.gateway),
    row('page-1c', TARGET.gateway, 50, 10),
    row('page-1c', TARGET.logged, 50, 10.2, null, TARGET.gateway),
    row('slow', TARGET.gateway, 100, 50),
    row('slow', TARGET.logged, 98, 51, null, TARGET.gateway),
    row('slow-1c', TARGET.gateway, 50, 10),
    row('slow-1c', TARGET.logged, 49, 11.5, null, TARGET.gateway),
  ]);
  const oneConnection = (id: string): string => `${id}-1c`;
  const fsync = { appends: 2_000, p50WallUs: 310, cpuUsPerAppend: 95 };

  it('passes within 10% of throughput under load and 1 ms of p50 at one connection, against the same gateway without the log', () => {
    expect(checkAccessLog(logged, ['lookup'], oneConnection, fsync)[0]).toMatchObject({
      pass: true,
      detail:
        '0.95x at 10 connections (logged 285 req/s, not logged 300 req/s, mesh CPU +0.20 ms/req; p50 +2.00 ms there); p50 +0.60 ms at 1 connection (4.60 ms vs 4.00 ms, its fsyncs 0.42 ms on average); one fsync alone on this disk, unloaded: 0.31 ms p50',
    });
  });

  it('fails on throughput or on p50, whichever is missed', () => {
    expect(checkAccessLog(logged, ['page', 'slow'], oneConnection).map((c) => c.pass)).toEqual([false, false]);
  });

  it('says so when a shape lacks its one-connection pair', () => {
    expect(checkAccessLog(logged, ['lookup'], (id) => `${id}-missing`)[0]).toMatchObject({ pass: false, detail: 'not measured' });
  });
});
