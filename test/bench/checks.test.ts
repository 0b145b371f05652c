import {
  checkAccessLog,
  checkDashboards,
  checkEmbeddedBaseline,
  checkEnforcement,
  checkGatewayRss,
  checkJoin,
  checkLatency,
  checkScaleLookups,
  checkSubgraphVsFloor,
  checkVerification,
  checkVsHive,
  compareLevers,
  compareWithBase,
  formatChecks,
} from '../../bench/checks.js';
import { FRESH_TOKEN_ID, LATENCY_ID, logLatencyId } from '../../bench/groups.js';
import { compareRows } from '../../bench/report.js';
import { figures, row } from './fixtures.js';

const LOOKUP = 'point-lookup';
const PAGE = 'filtered-page';

describe('checkVsHive', () => {
  const rows = compareRows([
    row(LOOKUP, 'hive', figures(100, 10, { gatewayCpuMs: 2, subgraphCpuMs: 5 })),
    row(LOOKUP, 'full', figures(140, 8, { gatewayCpuMs: 1.5, subgraphCpuMs: 5.1 }), { label: 'meshgate full' }),
    row(PAGE, 'hive', figures(100, 10, { gatewayCpuMs: 2 })),
    row(PAGE, 'full', figures(120, 9, { gatewayCpuMs: 1.7 })),
    row(FRESH_TOKEN_ID, 'full', figures(200, 5, { gatewayCpuMs: 1 }), { base: true }),
    row(FRESH_TOKEN_ID, 'full', figures(150, 6, { gatewayCpuMs: 1.4 }), { label: 'fresh' }),
    row(FRESH_TOKEN_ID, 'hive', figures(100, 8, { gatewayCpuMs: 2 })),
  ]);

  it('checks req/s ≥ 1.3x and gateway CPU ≤ 0.8x of Hive, per shape', () => {
    const [throughput, cpu] = checkVsHive(rows, [LOOKUP]);
    expect(throughput).toEqual({
      name: "meshgate full ≥ 1.3x Hive Gateway's req/s: point lookup",
      pass: true,
      detail: '1.40x: meshgate full 140 req/s, hive 100 req/s; p50 8.00 ms vs 10.00 ms',
    });
    expect(formatChecks([cpu!])).toBe(
      "meshgate full's gateway CPU per request ≤ 0.8x Hive's: point lookup: PASS (0.75x: 1.50 ms vs 2.00 ms of gateway CPU per request (subgraphs 5.10 ms vs 5.00 ms of CPU))",
    );
  });

  it('fails a shape that misses either', () => {
    expect(checkVsHive(rows, [PAGE]).map((c) => c.pass)).toEqual([false, false]);
  });

  it('compares the fresh-token row, not the one-token base, with Hive', () => {
    expect(checkVsHive(rows, [FRESH_TOKEN_ID])[0]!.detail).toMatch(/^1\.50x: fresh 150 req\/s/);
  });

  it('says nothing of a set that did not run, and reports one that ran without Hive unjudged', () => {
    expect(checkVsHive(rows, ['grouped-aggregate'])).toEqual([]);
    expect(checkVsHive(compareRows([row(LOOKUP, 'full', figures(1, 1))]), [LOOKUP])[0]).toMatchObject({ pass: null, detail: 'not measured' });
  });

  it('fails, rather than divides by zero, when a run answered nothing', () => {
    const empty = compareRows([row(LOOKUP, 'hive', figures(0, Number.NaN, { gatewayCpuMs: 2 })), row(LOOKUP, 'full', figures(10, 500, { gatewayCpuMs: 1 }))]);
    expect(checkVsHive(empty, [LOOKUP])[0]).toMatchObject({ pass: false, detail: 'no request answered within a run: lengthen --duration' });
  });
});

describe('checkDashboards', () => {
  it("wants 3x Hive's req/s on one fixed document, and quotes Hive over cached subgraphs and the SQL per request", () => {
    const rows = compareRows([
      row('dashboard-page', 'hive', figures(400, 30, { sqlPerRequest: 0.07 })),
      row('dashboard-page', 'hive-cached', figures(420, 28)),
      row('dashboard-page', 'full', figures(1300, 9, { sqlPerRequest: 0 })),
    ]);
    expect(checkDashboards(rows)).toEqual([
      {
        name: "dashboard: the page, one fixed document: meshgate full ≥ 3x Hive Gateway's req/s",
        pass: true,
        detail: '3.25x: 1300 req/s vs 400 req/s (Hive over cached subgraphs: 420 req/s); SQL per request 0.00 vs 0.07',
      },
    ]);
  });
});

describe('checkSubgraphVsFloor', () => {
  it("compares the uncached subgraph's CPU with the one-thread floor's, and calls the join not comparable", () => {
    const rows = compareRows([
      row(LOOKUP, 'floor-1', figures(1000, 1, { totalCpuMs: 1 })),
      row(LOOKUP, 'subgraph-cache-off', figures(300, 3, { subgraphCpuMs: 1.1, duckdbMs: 0.5 })),
      row(PAGE, 'floor-1', figures(1000, 1, { totalCpuMs: 2 })),
      row(PAGE, 'subgraph-cache-off', figures(300, 3, { subgraphCpuMs: 3 })),
      row('orders-customers-payments', 'subgraph-cache-off', figures(300, 3, { subgraphCpuMs: 3 })),
    ]);
    const [lookup, page, join] = checkSubgraphVsFloor(rows);
    expect(lookup).toMatchObject({ pass: true, detail: '1.10x: subgraph 1.10 ms (its DuckDB time 0.50 ms), floor 1.00 ms of CPU per request' });
    expect(page!.pass).toBe(false);
    expect(join).toMatchObject({ pass: null });
  });
});

describe('checkLatency', () => {
  it('wants the full gateway within 1 ms of the subgraph and 3 ms of the floor at one connection', () => {
    const rows = compareRows([
      row(LATENCY_ID, 'floor', figures(900, 0.9)),
      row(LATENCY_ID, 'subgraph', figures(500, 1.8)),
      row(LATENCY_ID, 'hive', figures(300, 3.1), { label: 'Hive' }),
      row(LATENCY_ID, 'full', figures(300, 3.2)),
    ]);
    expect(formatChecks(checkLatency(rows))).toBe(
      [
        'point look-up p50 through meshgate full ≤ the subgraph called directly + 1 ms (1 connection): FAIL (+1.40 ms: full 3.20 ms, subgraph 1.80 ms; Hive 3.10 ms)',
        'point look-up p50 through meshgate full within 3 ms of the floor (1 connection): PASS (+2.30 ms: full 3.20 ms, floor 0.90 ms)',
      ].join('\n'),
    );
  });
});

describe('checkJoin', () => {
  it('passes when the join costs one statement per subgraph, and fails one statement per order', () => {
    expect(formatChecks([checkJoin({ statements: 3, byDomain: { commerce: 1, customers: 1, payments: 1 } })])).toBe(
      'the federated join costs exactly one SQL statement per subgraph: PASS (3 statements: commerce 1, customers 1, payments 1)',
    );
    expect(checkJoin({ statements: 52, byDomain: { commerce: 1, customers: 1, payments: 50 } }).pass).toBe(false);
  });
});

describe('checkEnforcement and checkAccessLog', () => {
  const rows = compareRows([
    row(LOOKUP, 'open', figures(300, 30, { gatewayCpuMs: 1 })),
    row(LOOKUP, 'full-no-log', figures(285, 31, { gatewayCpuMs: 1.1 })),
    row(LOOKUP, 'full', figures(270, 33, { gatewayCpuMs: 1.2 })),
    row(logLatencyId(LOOKUP), 'full-no-log', figures(200, 3)),
    row(logLatencyId(LOOKUP), 'full', figures(180, 3.6)),
    row(PAGE, 'open', figures(100, 50)),
    row(PAGE, 'full-no-log', figures(80, 60)),
    row(PAGE, 'full', figures(79, 61)),
  ]);

  it('checks enforcement with the access log off against the open gateway', () => {
    expect(checkEnforcement(rows).map((c) => [c.name, c.pass])).toEqual([
      ['enforcement costs at most 10% of throughput: point look-up by key', true],
      ['enforcement costs at most 10% of throughput: filtered page of 20', false],
    ]);
  });

  it('checks the access log at 16 connections and at one, and only reports a shape without its one-connection pair', () => {
    const fsync = { appends: 2_000, p50WallUs: 310, cpuUsPerAppend: 95 };
    const [lookup, page] = checkAccessLog(rows, fsync);
    expect(lookup).toMatchObject({
      pass: true,
      detail:
        '0.95x at 16 connections (270 req/s vs 285 req/s, gateway CPU 1.20 ms vs 1.10 ms); p50 +0.60 ms at 1 connection (3.60 ms vs 3.00 ms); one fsync alone on this disk, unloaded: 0.31 ms p50',
    });
    expect(page).toMatchObject({ pass: null, detail: expect.stringContaining('not measured at 1 connection') });
  });
});

describe('checkVerification', () => {
  it('passes under 200 µs of CPU per verification and quotes the sign cost', () => {
    const cost = { signs: 20_000, signCpuUs: 130.4, verifications: 20_000, verifyCpuUs: 185.2, verifyWallUs: 240 };
    expect(formatChecks([checkVerification(cost)])).toBe(
      'a token verification costs under 0.2 ms of CPU: PASS (185 µs of CPU per verification over 20,000 distinct tokens (240 µs wall); for reference, an ES256 sign costs 130 µs of CPU)',
    );
    expect(checkVerification({ ...cost, verifyCpuUs: 200 }).pass).toBe(false);
  });
});

describe('compareWithBase and compareLevers', () => {
  const rows = compareRows([
    row('masked-pii', 'full', figures(200, 40, { totalCpuMs: 5 }), { base: true, label: 'owner' }),
    row('masked-pii', 'full', figures(150, 50, { totalCpuMs: 6 }), { caller: 'analyst', label: 'analyst' }),
    row(LOOKUP, 'full', figures(300, 10, { totalCpuMs: 4, sqlPerRequest: 0.4 }), { label: 'full' }),
    row(LOOKUP, 'full-cache-off', figures(200, 15, { totalCpuMs: 5, sqlPerRequest: 1 }), { label: 'cache off' }),
  ]);

  it('reports each row against its base, without a target', () => {
    expect(formatChecks(compareWithBase(rows, 'masked-pii'))).toBe(
      'masked pii: analyst vs owner: INFO (0.75x: 150 req/s vs 200 req/s; p50 50.00 ms vs 40.00 ms; CPU 6.00 ms vs 5.00 ms per request)',
    );
  });

  it('reports each lever-off variant against the row it varies', () => {
    expect(compareLevers(rows)).toEqual([
      {
        name: 'lever: cache off vs full: point lookup',
        pass: null,
        detail: '0.67x: 200 req/s vs 300 req/s; p50 15.00 ms vs 10.00 ms; CPU 5.00 ms vs 4.00 ms per request; SQL 1.00 vs 0.40 per request',
      },
    ]);
  });
});

describe('checks across scales', () => {
  const at = (scale: number, p50: number, reqPerSec: number, rss: number) => ({
    scale,
    rows: compareRows([
      row(LATENCY_ID, 'full', figures(300, p50)),
      row(LOOKUP, 'full', figures(reqPerSec, 50, { gatewayRssMiB: rss }), {
        perProcess: [{ key: 'subgraph customers', cpuMsPerRequest: 1, rssPeakMiB: 410, duckdbMsPerRequest: 1, sqlPerRequest: 1 }],
      }),
    ]),
  });

  it('wants the look-ups at scale 10 at most 1.5x slower, at one connection and under load', () => {
    expect(checkScaleLookups([at(1, 3, 300, 200), at(10, 4, 250, 280)])).toEqual({
      name: 'keyed look-ups at scale 10 at most 1.5x slower than at scale 1 (meshgate full)',
      pass: true,
      detail: 'p50 at 1 connection 1.33x (4.00 ms vs 3.00 ms); req/s at 16 connections 1.20x slower (250 req/s vs 300 req/s)',
    });
    expect(checkScaleLookups([at(1, 3, 300, 200), at(10, 5, 250, 280)]).pass).toBe(false);
    expect(checkScaleLookups([at(1, 3, 300, 200)]).pass).toBeNull();
  });

  it("checks the gateway's memory at the largest scale and states the subgraphs'", () => {
    expect(checkGatewayRss([at(1, 3, 300, 200), at(10, 4, 250, 280)])).toEqual({
      name: "meshgate full's gateway resident memory ≤ 300 MiB during the throughput run at scale 10",
      pass: true,
      detail: '280 MiB at scale 10; its subgraphs (MiB): customers 410',
    });
    expect(checkGatewayRss([at(1, 3, 300, 200)]).pass).toBeNull();
  });
});

describe('checkEmbeddedBaseline', () => {
  const now = compareRows([row(LOOKUP, 'embedded-full', figures(300, 5))]);

  it("wants twice the saved run's req/s, and says when there is no baseline", () => {
    expect(checkEmbeddedBaseline(now, compareRows([row(LOOKUP, 'embedded-full', figures(140, 9))]), 'before')[0]).toMatchObject({
      pass: true,
      detail: '2.14x: 300 req/s now, 140 req/s in before',
    });
    expect(checkEmbeddedBaseline(now, undefined, undefined)[0]!.pass).toBeNull();
  });
});
